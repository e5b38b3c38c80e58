/**
 * The persona-stat policy: acts out a persona from its logged statistics alone, so audits run
 * anywhere without a model. A category affinity a sets the quantile u of the persona's own
 * watch-time distribution (t = Q(u), capped by the video's length); likes, comments and shares
 * happen at the persona's logged rates, scaled by affinity. Pure and seeded: an audit replays.
 */
import type { Rng } from './rng';
import type { Decision } from './decision';
import type { Persona, ReversalSettings } from './persona';
import { reverseWatchSeconds, watchQuantileFunction } from './reversal';

/** Affinity of a video whose categories the persona has no opinion on: the median viewer. */
export const NEUTRAL_AFFINITY = 0.5;
/**
 * Weight of the affinity in u; the rest is uniform noise, so a persona still spreads its watch
 * times over its whole logged distribution instead of two spikes.
 */
export const AFFINITY_WEIGHT = 0.6;

export interface VideoView {
  readonly level1: readonly string[];
  readonly durationSeconds: number;
}

export function affinityFor(persona: Persona, level1: readonly string[]): number {
  const known = level1.map((c) => persona.stats.categoryAffinities[c]).filter((a): a is number => a !== undefined);
  return known.length === 0 ? NEUTRAL_AFFINITY : known.reduce((s, a) => s + a, 0) / known.length;
}

/** Engagement probability: the logged rate at the mean affinity, 2× for a = 1, 0 for a = 0. */
const engagementChance = (rate: number, affinity: number) => Math.min(1, rate * 2 * affinity);

/**
 * Decides for one video. With `reversal`, acts as the counterfactual persona p': the watch time is
 * p's time reversed by the strategy, and engagement is suppressed or drawn at p's rates with
 * inverted affinity (1 − a).
 */
export function decidePersonaStat(persona: Persona, video: VideoView, rng: Rng, reversal?: ReversalSettings): Decision {
  const { stats } = persona;
  const affinity = affinityFor(persona, video.level1);
  const u = AFFINITY_WEIGHT * affinity + (1 - AFFINITY_WEIGHT) * rng.next();
  let watchSeconds = watchQuantileFunction(stats.watchSeconds)(u);
  if (reversal) watchSeconds = reverseWatchSeconds(watchSeconds, stats.watchSeconds, reversal.strategy);
  watchSeconds = Math.round(Math.min(watchSeconds, video.durationSeconds) * 100) / 100;

  const engagedAffinity = reversal ? 1 - affinity : affinity;
  const engages = !reversal || reversal.engagement === 'invert';
  // Draw all three every time so the random stream does not depend on the outcome.
  const like = rng.chance(engagementChance(stats.likeRate, engagedAffinity));
  const comment = rng.chance(engagementChance(stats.commentRate, engagedAffinity));
  const share = rng.chance(engagementChance(stats.shareRate, engagedAffinity));
  return {
    watchSeconds,
    like: engages && like,
    ...(engages && comment ? { comment: 'nice' } : {}),
    ...(engages && share ? { share: 'friend' } : {}),
    notInterested: false,
  };
}
