/**
 * The persona-stat policy: acts out a persona from its logged statistics alone, so audits run
 * anywhere without a model. A category affinity a sets the quantile u of the persona's own
 * watch-time distribution (t = Q(u), capped by the video's length; Q runs through the persona's
 * 101 logged percentiles, core/reversal.ts); likes, comments and shares happen at the persona's
 * logged rates, tilted towards what it likes. Pure and seeded: an audit replays.
 *
 * Three things make it imitate a person rather than their averages (issue 11):
 * - the audited platform's own statistics where the persona's logs cover it well enough
 *   (`profileFor`): a person who lingers on Douyin may skip fast on Bilibili;
 * - step-to-step dependence fitted on the persona's own logs (core/watch-dependence.ts): the noise
 *   quantile v in u = w·a + (1 − w)·v follows the session's earlier steps the way the person's did;
 * - engagement normalised by the affinity of what is actually served (`engagementChance`), so a
 *   persona inside its bubble still likes at its logged rate, not twice that.
 */
import type { Rng } from './rng';
import { createRng } from './rng';
import type { Decision } from './decision';
import type { Persona, PersonaStats, WatchDependence, WatchSeconds } from './persona';
import type { Policy, PolicyHistoryEntry } from './policy';
import { normalCdf, normalQuantile } from './normal';
import { reversePersona, watchCdf, watchQuantileFunction } from './reversal';
import { INDEPENDENT_STEPS, nextScore, normalScore, PERSISTENCE_WINDOW } from './watch-dependence';

export { PERSISTENCE_WINDOW } from './watch-dependence';

/** Affinity of a video whose categories the persona has no opinion on: engagement at the logged rates. */
export const NEUTRAL_AFFINITY = 0.5;
/**
 * Weight of the affinity in u; the rest is noise, so a persona still spreads its watch times over
 * its whole logged distribution instead of two spikes.
 */
export const AFFINITY_WEIGHT = 0.6;
/**
 * Logged steps a platform needs before its own statistics replace the persona's overall ones
 * (user b: 153 Douyin steps in 2 sessions beside 533 on Bilibili).
 */
export const MIN_PLATFORM_STEPS = 100;
/** Keeps Φ⁻¹ finite for a fresh draw at the ends of (0, 1). */
const DRAW_CLAMP = 1e-4;

export interface VideoView {
  readonly level1: readonly string[];
  /** Undefined when unknown: the watch time is then not capped. */
  readonly durationSeconds?: number;
  /** The platform the video is on; the persona's overall statistics apply when undefined. */
  readonly platform?: string;
}

/** The statistics persona-stat acts on for one platform. */
export interface ActingProfile {
  readonly watchSeconds: WatchSeconds;
  readonly likeRate: number;
  readonly commentRate: number;
  readonly shareRate: number;
  readonly dependence: WatchDependence;
}

/**
 * The platform's own statistics when the persona has at least MIN_PLATFORM_STEPS steps of it
 * (its dependence too, when that platform alone could fit one), else the persona's overall ones.
 */
export function profileFor(stats: PersonaStats, platform: string | undefined): ActingProfile {
  const own = platform === undefined ? undefined : stats.platforms?.[platform];
  const overall = stats.dependence ?? INDEPENDENT_STEPS;
  if (own && own.steps >= MIN_PLATFORM_STEPS) return { ...own, dependence: own.dependence ?? overall };
  return { ...stats, dependence: overall };
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

/**
 * Engagement probability: the logged rate times a / ā, where ā is the mean affinity of what was
 * served (this phase's recent videos and this one). Over what is served the rate then averages the
 * logged rate, however deep in its bubble the persona is, and still goes to the videos it likes
 * most; 0 for a = 0.
 */
function engagementChance(rate: number, affinity: number, servedAffinity: number): number {
  return servedAffinity <= 0 ? 0 : Math.min(1, (rate * affinity) / servedAffinity);
}

/**
 * The noise quantile v of this step. Earlier steps' noise is recovered from their watch times
 * (`noiseOf`) as normal scores; the profile's fitted dependence predicts this step's score from
 * them and the fresh draw fills the rest (core/watch-dependence.ts), so v stays uniform and the
 * persona's watch-time distribution is kept: history changes the order, not the distribution.
 * Without history v = the draw.
 */
export function persistentNoise(persona: Persona, profile: ActingProfile, history: readonly PolicyHistoryEntry[], draw: number): number {
  const cdf = watchCdf(profile.watchSeconds);
  const scores = history.slice(-PERSISTENCE_WINDOW).map((entry) => {
    return normalScore(noiseOf(knownAffinity(persona, entry.level1), cdf(entry.watchSeconds)));
  });
  const fresh = normalQuantile(Math.min(1 - DRAW_CLAMP, Math.max(DRAW_CLAMP, draw)));
  return scores.length === 0 ? draw : normalCdf(nextScore(profile.dependence, scores, fresh));
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
  const profile = profileFor(persona.stats, video.platform);
  const known = knownAffinity(persona, video.level1);
  const u = watchQuantile(known, persistentNoise(persona, profile, history, rng.next()));
  const watchSeconds = Math.round(Math.min(watchQuantileFunction(profile.watchSeconds)(u), video.durationSeconds ?? Infinity) * 100) / 100;

  const affinity = affinityFor(persona, video.level1);
  const served = [...history.slice(-PERSISTENCE_WINDOW).map((entry) => affinityFor(persona, entry.level1)), affinity];
  const servedAffinity = served.reduce((s, a) => s + a, 0) / served.length;
  // Draw all three every time so the random stream does not depend on the outcome.
  const like = rng.chance(engagementChance(profile.likeRate, affinity, servedAffinity));
  const comment = rng.chance(engagementChance(profile.commentRate, affinity, servedAffinity));
  const share = rng.chance(engagementChance(profile.shareRate, affinity, servedAffinity));
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
