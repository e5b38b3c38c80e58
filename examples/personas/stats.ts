/** Behavioural statistics of a viewing log, as a persona stores them (categories aside). */
import { WATCH_QUANTILES, type PersonaStats, type WatchSeconds } from '../../core';
import type { RawStep } from './raw-data';

/** A video left sooner than this counts as a quick skip (the paper's definition). */
export const QUICK_SKIP_SECONDS = 3;

export type LogStats = Omit<PersonaStats, 'categoryAffinities'>;

/**
 * Quantile at probability p of ascending `sorted` values, interpolating linearly between order
 * statistics (numpy's default, "type 7"), so the numbers match the paper's Python analysis.
 */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('quantile of an empty sample');
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo] as number;
  const above = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return below + (h - lo) * (above - below);
}

/** Rates count steps, not actions: a step with two likes is one liked video. */
export function logStats(steps: readonly RawStep[]): LogStats {
  if (steps.length === 0) throw new Error('no steps: statistics need at least one viewed video');
  const share = (test: (s: RawStep) => boolean) => steps.filter(test).length / steps.length;
  const has = (type: RawStep['actions'][number]['type']) => (s: RawStep) => s.actions.some((a) => a.type === type);
  const seconds = steps.map((s) => s.viewing_duration).sort((x, y) => x - y);
  const quantiles = Object.fromEntries(WATCH_QUANTILES.map(([key, p]) => [key, quantile(seconds, p)]));
  return {
    steps: steps.length,
    likeRate: share(has('like')),
    commentRate: share(has('comment')),
    shareRate: share(has('share')),
    quickSkipRate: share((s) => s.viewing_duration < QUICK_SKIP_SECONDS),
    watchSeconds: { ...quantiles, mean: seconds.reduce((sum, x) => sum + x, 0) / seconds.length } as WatchSeconds,
  };
}
