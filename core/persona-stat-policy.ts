/**
 * The persona-stat policy: acts out a persona from its logged statistics alone, so audits run
 * anywhere without a model. A category affinity a sets the quantile u of the persona's own
 * watch-time distribution (t = Q(u), capped by the video's length); likes, comments and shares
 * happen at the persona's logged rates, scaled by affinity. Pure and seeded: an audit replays.
 *
 * History: in u = w·a + (1 − w)·v the noise quantile v is not drawn afresh each step but carries
 * a slowly moving personal level (mood, attention) — see `persistentNoise`.
 */
import type { Rng } from './rng';
import { createRng } from './rng';
import type { Decision } from './decision';
import type { Persona } from './persona';
import type { Policy, PolicyHistoryEntry } from './policy';
import { normalCdf, normalQuantile } from './normal';
import { reversePersona, watchCdf, watchQuantileFunction } from './reversal';

/** Affinity of a video whose categories the persona has no opinion on: engagement at the logged rates. */
export const NEUTRAL_AFFINITY = 0.5;
/**
 * Weight of the affinity in u; the rest is noise, so a persona still spreads its watch times over
 * its whole logged distribution instead of two spikes.
 */
export const AFFINITY_WEIGHT = 0.6;

/**
 * Share of the variance of a step's watch-time quantile (as a normal score Φ⁻¹(F(t))) that a
 * slowly moving personal level carries: the mean autocorrelation at lags 1–20 within sessions of
 * the paper's users a (0.025) and b (0.030), pooled (bench/history-persistence.ts prints them).
 * Lag 1 alone is ≈ 0 (a −0.039, b 0.003): people do not skip in step-to-step alternations, but
 * the mean of the last 10–20 steps does predict the next one (r ≈ 0.05–0.09) — the streaks are
 * slow.
 */
export const WATCH_PERSISTENCE = 0.027;
/** Steps of history the level is estimated from (the workflow's history window may be longer). */
export const PERSISTENCE_WINDOW = 20;
/** Keeps Φ⁻¹ finite for quantiles at the ends of the distribution. */
const QUANTILE_CLAMP = 1e-4;

export interface VideoView {
  readonly level1: readonly string[];
  /** Undefined when unknown: the watch time is then not capped. */
  readonly durationSeconds?: number;
}

/** The mean affinity of the labels the persona has one for; undefined when it has none (or the video is unlabelled). */
function knownAffinity(persona: Persona, level1: readonly string[]): number | undefined {
  const known = level1.map((c) => persona.stats.categoryAffinities[c]).filter((a): a is number => a !== undefined);
  return known.length === 0 ? undefined : known.reduce((s, a) => s + a, 0) / known.length;
}

export function affinityFor(persona: Persona, level1: readonly string[]): number {
  return knownAffinity(persona, level1) ?? NEUTRAL_AFFINITY;
}

/**
 * The watch quantile: u = w·a + (1 − w)·v for a known affinity a; for a video the persona has no
 * opinion on, u = v, so such videos (and the paper's unlabelled log steps) follow the persona's
 * whole logged distribution rather than its middle. `watchQuantile` and `noiseOf` are inverses.
 */
const watchQuantile = (affinity: number | undefined, v: number) => (affinity === undefined ? v : AFFINITY_WEIGHT * affinity + (1 - AFFINITY_WEIGHT) * v);
const noiseOf = (affinity: number | undefined, u: number) => (affinity === undefined ? u : (u - AFFINITY_WEIGHT * affinity) / (1 - AFFINITY_WEIGHT));

/** Engagement probability: the logged rate at the mean affinity, 2× for a = 1, 0 for a = 0. */
const engagementChance = (rate: number, affinity: number) => Math.min(1, rate * 2 * affinity);

const clampQuantile = (u: number) => Math.min(1 - QUANTILE_CLAMP, Math.max(QUANTILE_CLAMP, u));

/**
 * The noise quantile v of this step. Earlier steps' noise is recovered from their watch times
 * (`noiseOf`) as normal scores z; their mean m over the last k steps predicts this
 * step's score with weight β = k·ρ / (k·ρ + 1 − ρ) (the best linear predictor when a level of
 * variance ρ sits under unit-variance scores), and the fresh draw fills the rest so that z stays
 * N(0, 1) and v uniform: the persona's watch-time distribution is unchanged, only its order is
 * not. A run of this process has autocorrelation ρ at lags 1..k. Without history v = the draw.
 */
export function persistentNoise(persona: Persona, history: readonly PolicyHistoryEntry[], draw: number): number {
  const recent = history.slice(-PERSISTENCE_WINDOW);
  if (recent.length === 0) return draw;
  const cdf = watchCdf(persona.stats.watchSeconds);
  const scores = recent.map((entry) => {
    const u = cdf(entry.watchSeconds);
    return normalQuantile(clampQuantile(noiseOf(knownAffinity(persona, entry.level1), u)));
  });
  const k = scores.length;
  const level = scores.reduce((s, z) => s + z, 0) / k;
  const beta = (k * WATCH_PERSISTENCE) / (k * WATCH_PERSISTENCE + 1 - WATCH_PERSISTENCE);
  // Var(β·m) = β·ρ under the model, so the fresh part gets variance 1 − β·ρ.
  return normalCdf(beta * level + Math.sqrt(1 - beta * WATCH_PERSISTENCE) * normalQuantile(clampQuantile(draw)));
}

/**
 * Decides for one video as `persona`. `history` (most recent last) holds this phase's earlier
 * steps. The counterfactual phase reverses this decision (core/reversed-decision.ts), as any policy's.
 */
export function decidePersonaStat(
  persona: Persona,
  video: VideoView,
  rng: Rng,
  history: readonly PolicyHistoryEntry[] = [],
): Decision {
  const { stats } = persona;
  const known = knownAffinity(persona, video.level1);
  const affinity = known ?? NEUTRAL_AFFINITY;
  const u = watchQuantile(known, persistentNoise(persona, history, rng.next()));
  const watchSeconds = Math.round(Math.min(watchQuantileFunction(stats.watchSeconds)(u), video.durationSeconds ?? Infinity) * 100) / 100;
  // Draw all three every time so the random stream does not depend on the outcome.
  const like = rng.chance(engagementChance(stats.likeRate, affinity));
  const comment = rng.chance(engagementChance(stats.commentRate, affinity));
  const share = rng.chance(engagementChance(stats.shareRate, affinity));
  return { watchSeconds, like, ...(comment ? { comment: 'nice' } : {}), ...(share ? { share: 'friend' } : {}), notInterested: false };
}

/**
 * persona-stat behind the Policy seam: seeded by the context's seed, so a retried step decides the
 * same. Told to act as p' (the prompt-only reversal), it acts out p''s statistics as a model reads
 * p''s prompt; the output reversal is the workflow's (core/reversed-decision.ts), as for any policy.
 */
export const personaStatPolicy: Policy = {
  name: 'persona-stat',
  decide: async (context) => ({
    decision: decidePersonaStat(
      context.reversal ? reversePersona(context.persona, context.reversal) : context.persona, context.video, createRng(context.seed), context.history,
    ),
    exchanges: [],
  }),
};
