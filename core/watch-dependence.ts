/**
 * Step-to-step dependence of a person's watch times, fitted on their own logs. People differ: in
 * the paper's users a and b one step says almost nothing about the next (lag-1 rank correlation
 * ≈ 0), while others skip in streaks. So each persona carries its own small model instead of one
 * constant: with z the normal score Φ⁻¹(F(t)) of a step's watch-time quantile, the next score is
 *
 *   z = lag1 · (last z) + level · (mean of the earlier z in the window) + residualSd · ε,
 *
 * fitted by least squares over the (history, next step) pairs within sessions. `residualSd` is
 * √(1 − R²), so z stays (close to) N(0, 1): the history reorders watch times, it does not reshape
 * their distribution. Pure, so personas built in workflows get the same numbers.
 */
import { normalQuantile } from './normal';
import type { WatchDependence } from './persona';

/** Steps of history the predictors read (the workflow's history window may be longer). */
export const PERSISTENCE_WINDOW = 20;
/** Fewer pairs than this and the fit would mostly describe noise: the steps are then drawn independently. */
export const MIN_DEPENDENCE_PAIRS = 100;
/** Keeps Φ⁻¹ finite for quantiles at the ends of the distribution. */
const QUANTILE_CLAMP = 1e-4;
/** Coefficients stay inside (−1, 1) and some fresh noise always remains, so a run never locks onto one value. */
const MAX_COEFFICIENT = 0.95;
const MAX_R_SQUARED = 0.9;

/** What a persona without a fitted dependence does: every step drawn afresh. */
export const INDEPENDENT_STEPS: WatchDependence = { lag1: 0, level: 0, residualSd: 1, pairs: 0 };

export const normalScore = (quantile: number): number => normalQuantile(Math.min(1 - QUANTILE_CLAMP, Math.max(QUANTILE_CLAMP, quantile)));

/** [last score, mean of the up to PERSISTENCE_WINDOW − 1 scores before it (0 when none)], from scores most recent last. */
function predictors(scores: readonly number[]): [number, number] {
  const recent = scores.slice(-PERSISTENCE_WINDOW);
  const earlier = recent.slice(0, -1);
  return [recent.at(-1) ?? 0, earlier.length === 0 ? 0 : earlier.reduce((s, z) => s + z, 0) / earlier.length];
}

/** The next step's normal score given the earlier ones (most recent last) and a fresh N(0, 1) draw. */
export function nextScore(dependence: WatchDependence, scores: readonly number[], fresh: number): number {
  if (scores.length === 0) return fresh;
  const [last, earlier] = predictors(scores);
  return dependence.lag1 * last + dependence.level * earlier + dependence.residualSd * fresh;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const clampCoefficient = (x: number) => Math.max(-MAX_COEFFICIENT, Math.min(MAX_COEFFICIENT, x));

/**
 * Least squares without intercept (the scores are centred by construction) of each step's score
 * on its predictors, over every step of every session that has one earlier step at least.
 * `sessions` holds each session's scores in viewing order.
 */
export function fitWatchDependence(sessions: readonly (readonly number[])[]): WatchDependence {
  let [sxx, sxl, sll, sxy, sly, syy, pairs] = [0, 0, 0, 0, 0, 0, 0];
  for (const scores of sessions) {
    for (let i = 1; i < scores.length; i++) {
      const [x, l] = predictors(scores.slice(0, i));
      const y = scores[i] as number;
      sxx += x * x; sxl += x * l; sll += l * l; sxy += x * y; sly += l * y; syy += y * y;
      pairs++;
    }
  }
  if (pairs < MIN_DEPENDENCE_PAIRS || syy === 0 || sxx === 0) return { ...INDEPENDENT_STEPS, pairs };
  const determinant = sxx * sll - sxl * sxl;
  // Sessions of two steps only leave the level predictor at 0: fall back to lag 1 alone.
  const [lag1, level] = determinant > 1e-9 * sxx * sll
    ? [clampCoefficient((sxy * sll - sly * sxl) / determinant), clampCoefficient((sly * sxx - sxy * sxl) / determinant)]
    : [clampCoefficient(sxy / sxx), 0];
  const residual = syy - 2 * (lag1 * sxy + level * sly) + lag1 * lag1 * sxx + 2 * lag1 * level * sxl + level * level * sll;
  const rSquared = Math.min(MAX_R_SQUARED, Math.max(0, 1 - residual / syy));
  return { lag1: round4(lag1), level: round4(level), residualSd: round4(Math.sqrt(1 - rSquared)), pairs };
}
