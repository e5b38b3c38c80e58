/**
 * The sandbox recommender: one learner whose behaviour is set by a named profile.
 *
 * Interests are real-valued scores per level-1 and level-2 category. Each closed impression turns
 * dwell, likes, shares, comments, skips and "not interested" into a signal that moves the score of
 * the video's categories; every step all scores shrink by `inertia` (memory). Serving picks a
 * level-1 category by softmax(score / temperature), or uniformly with probability `exploration`,
 * then a level-2 category the same way, then a not-recently-seen video weighted by popularity.
 */
import { z } from 'zod';
import { TAXONOMY } from '../core/taxonomy';
import type { Rng } from '../core/rng';
import type { Catalogue, Video } from './catalogue';

export const RecommenderProfileSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a lowercase slug (letters, digits, dashes)'),
  description: z.string().default(''),
  /** Probability of serving a uniformly random category instead of the learned preference. */
  exploration: z.number().min(0).max(1),
  /** Softmax temperature over interest scores: low = exploit the top category hard. */
  temperature: z.number().positive(),
  /** How far one impression's signal moves its categories' scores. */
  learningRate: z.number().positive(),
  /** Share of every score kept per served video (1 = never forgets). */
  inertia: z.number().gt(0).max(1),
  /**
   * A new account's typical share of a full watch. A view counts as positive when it beats the
   * account's typical view (an exponentially weighted mean that starts here), as platforms
   * normalise per user: someone who watches everything briefly still has favourites.
   */
  watchBaseline: z.number().min(0).max(1),
  /** Signal of a view shorter than 3 s (applied negatively). */
  skipPenalty: z.number().min(0),
  notInterestedPenalty: z.number().min(0),
  likeWeight: z.number().min(0),
  shareWeight: z.number().min(0),
  commentWeight: z.number().min(0),
  /** Exponent on view counts when picking a video within a category (0 = ignore popularity). */
  popularityBias: z.number().min(0),
  /** How many recent impressions are never served again. */
  recentWindow: z.number().int().min(0),
});
export type RecommenderProfile = z.infer<typeof RecommenderProfileSchema>;

export const ProfileFileSchema = z.object({
  profiles: z.array(RecommenderProfileSchema).min(1, 'at least one profile'),
}).refine((f) => new Set(f.profiles.map((p) => p.name)).size === f.profiles.length, 'profile names must be unique');

/** Views shorter than this count as a quick skip, as in the paper's quick-skip rate. */
export const QUICK_SKIP_SECONDS = 3;
/** A view this long is "fully watched" for the signal even when the video runs longer. */
const FULL_WATCH_SECONDS = 30;
/** How fast an account's typical view follows its views (≈ the last 20). */
const TYPICAL_WATCH_RATE = 0.05;

export interface InterestState {
  level1: Record<string, number>;
  level2: Record<string, number>;
  impressions: number;
  /** The account's typical share of a full watch; absent until its first view. */
  typicalWatch?: number;
}

export interface Feedback {
  dwellSeconds: number;
  liked: boolean;
  shared: boolean;
  commented: boolean;
  notInterested: boolean;
}

export function emptyInterests(): InterestState {
  return { level1: {}, level2: {}, impressions: 0 };
}

/** Share of a full watch: the whole video, or 30 s of a longer one. */
export function watchShare(video: Video, dwellSeconds: number): number {
  return Math.min(1, dwellSeconds / Math.min(video.durationSeconds, FULL_WATCH_SECONDS));
}

/** `typicalWatch`: the account's typical watch share, above which a view counts as positive. */
export function feedbackSignal(profile: RecommenderProfile, video: Video, feedback: Feedback, typicalWatch = profile.watchBaseline): number {
  if (feedback.notInterested) return -profile.notInterestedPenalty;
  let signal = feedback.dwellSeconds < QUICK_SKIP_SECONDS
    ? -profile.skipPenalty
    : watchShare(video, feedback.dwellSeconds) - typicalWatch;
  if (feedback.liked) signal += profile.likeWeight;
  if (feedback.shared) signal += profile.shareWeight;
  if (feedback.commented) signal += profile.commentWeight;
  return signal;
}

/**
 * Mutates `state`: every score first decays toward 0 by `inertia` (memory), then the video's
 * categories move a `learningRate` step toward this impression's signal — an exponentially
 * weighted mean per category, so a few views of a rarely served category already count.
 */
export function learn(state: InterestState, profile: RecommenderProfile, video: Video, feedback: Feedback): void {
  for (const scores of [state.level1, state.level2]) {
    for (const key of Object.keys(scores)) scores[key] = (scores[key] as number) * profile.inertia;
  }
  const typicalWatch = state.typicalWatch ?? profile.watchBaseline;
  const signal = feedbackSignal(profile, video, feedback, typicalWatch);
  state.typicalWatch = typicalWatch + TYPICAL_WATCH_RATE * (watchShare(video, feedback.dwellSeconds) - typicalWatch);
  const l1 = state.level1[video.level1] ?? 0;
  const l2 = state.level2[video.level2] ?? 0;
  state.level1[video.level1] = l1 + profile.learningRate * (signal - l1);
  state.level2[video.level2] = l2 + profile.learningRate * (signal - l2);
  state.impressions += 1;
}

function softmaxIndex(rng: Rng, scores: readonly number[], temperature: number): number {
  const max = Math.max(...scores);
  return rng.weightedIndex(scores.map((s) => Math.exp((s - max) / temperature)));
}

/** Probability of each level-1 category being served next (exploration included). */
export function servingDistribution(state: InterestState, profile: RecommenderProfile): Record<string, number> {
  const scores = TAXONOMY.map((c) => state.level1[c.slug] ?? 0);
  const max = Math.max(...scores);
  const weights = scores.map((s) => Math.exp((s - max) / profile.temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  const uniform = profile.exploration / TAXONOMY.length;
  return Object.fromEntries(TAXONOMY.map((c, i) => [c.slug, uniform + (1 - profile.exploration) * (weights[i] as number) / total]));
}

const CANDIDATES_PER_PICK = 12;

export function recommend(
  catalogue: Catalogue,
  state: InterestState,
  profile: RecommenderProfile,
  recentVideoIds: ReadonlySet<string>,
  rng: Rng,
): Video {
  const category = rng.chance(profile.exploration)
    ? rng.pick(TAXONOMY)
    : TAXONOMY[softmaxIndex(rng, TAXONOMY.map((c) => state.level1[c.slug] ?? 0), profile.temperature)]!;
  const sub = category.children[softmaxIndex(rng, category.children.map((k) => state.level2[k.slug] ?? 0), profile.temperature)]!;
  // A deep bubble can exhaust a level-2 category; widen to its level-1 category, then everything.
  for (const pool of [catalogue.byLevel2.get(sub.slug), catalogue.byLevel1.get(category.slug), catalogue.videos]) {
    const candidates = unseenCandidates(pool ?? [], recentVideoIds, rng);
    if (candidates.length > 0) return candidates[rng.weightedIndex(candidates.map((v) => Math.pow(v.views, profile.popularityBias)))]!;
  }
  return rng.pick(catalogue.videos);
}

/** A handful of random unseen videos of the pool: O(1) per pick, however big the pool. */
function unseenCandidates(pool: readonly Video[], recentVideoIds: ReadonlySet<string>, rng: Rng): Video[] {
  const candidates: Video[] = [];
  if (pool.length === 0) return candidates;
  for (let attempt = 0; attempt < CANDIDATES_PER_PICK * 4 && candidates.length < CANDIDATES_PER_PICK; attempt++) {
    const video = rng.pick(pool);
    if (!recentVideoIds.has(video.id)) candidates.push(video);
  }
  return candidates;
}
