/**
 * Persona features (docs/personas.md, stage 1): what a behaviour log says about its viewer, as numbers
 * the interviewer can cite and the persona stores. Pure: no I/O, no clock, so workflows can call it.
 *
 * The behaviour signals and key traits follow the paper's released interviewer
 * (Silung/PersonaAct interview/behavior_analyzer.py and interview_agent.py), with two deliberate
 * differences: rates count steps, not actions (a video liked twice is one liked video, as the
 * published like rates 6.2 % / 6.9 % do), and "popular" is relative to the log's own view counts
 * (the paper used likes + comments > 10 000 from its screen scrapes, which our logs do not carry).
 */
import { hasAction, sessionsOf, type BehaviourLog, type LogActionType, type LogStep } from './behaviour-log';
import { mean, quantileOfSorted } from './metrics';
import { WATCH_PERCENTILE_COUNT, WATCH_QUANTILES, type WatchDependence, type WatchSeconds } from './persona';
import { watchCdf } from './reversal';
import { fitWatchDependence, MIN_DEPENDENCE_PAIRS, normalScore } from './watch-dependence';

/** A video left sooner than this counts as a quick skip (the paper's definition). */
export const QUICK_SKIP_SECONDS = 3;
/** How many top creators `creators.topShare` sums over. */
export const TOP_CREATORS = 5;
/** How many categories the behaviour signals name as "top". */
export const TOP_CATEGORIES = 3;

export interface Summary {
  readonly min: number;
  readonly p50: number;
  readonly mean: number;
  readonly max: number;
}

export interface CategoryFeatures {
  readonly category: string;
  /** Steps carrying this label (a multi-label step counts for each of its labels). */
  readonly steps: number;
  /** steps / all steps of the log. */
  readonly share: number;
  readonly medianWatchSeconds: number;
  readonly meanWatchSeconds: number;
  readonly quickSkipRate: number;
  readonly likeRate: number;
  /**
   * Mean position of this category's watch times in the viewer's own watch-time distribution
   * (mid-rank empirical CDF, 0…1): 0.5 is "as long as usual", higher means watched longer.
   */
  readonly meanWatchRank: number;
}

export interface CreatorFeatures {
  readonly creator: string;
  readonly steps: number;
  readonly likes: number;
}

export type TimeOfDayClock = 'local' | 'utc' | 'mixed';

/** What one platform's steps say, when the log covers several platforms. */
export interface PlatformFeatures {
  readonly steps: number;
  readonly sessions: number;
  readonly watchSeconds: WatchSeconds;
  readonly quickSkipRate: number;
  readonly likeRate: number;
  readonly commentRate: number;
  readonly shareRate: number;
  /** Absent when the platform's sessions give fewer than MIN_DEPENDENCE_PAIRS pairs. */
  readonly dependence?: WatchDependence;
}

export interface PersonaFeatures {
  readonly steps: number;
  readonly sessions: number;
  /** Steps per platform. */
  readonly platforms: Readonly<Record<string, number>>;
  readonly watchSeconds: WatchSeconds;
  /** How a step's watch time depends on the session's earlier ones (core/watch-dependence.ts). */
  readonly dependence: WatchDependence;
  /** Per platform, present when the log covers more than one. */
  readonly perPlatform?: Readonly<Record<string, PlatformFeatures>>;
  /** Share of steps whose watch time an importer inferred (TikTok exports have none). */
  readonly watchSecondsInferredRate: number;
  readonly quickSkipRate: number;
  readonly likeRate: number;
  readonly commentRate: number;
  readonly shareRate: number;
  readonly favoriteRate: number;
  readonly sessionLength: {
    readonly steps: Summary;
    /** From the start of a session's first video (its end minus its watch time) to the end of its last. */
    readonly minutes: Summary;
  };
  /**
   * Steps by hour of day (24 shares summing to 1), read from the clock time each timestamp is
   * written in: the viewer's local time where the importer knows the offset (the paper's logs:
   * +08:00, from the sessions' local start times), UTC where the source only has UTC. `clock`
   * says which: "local" (every step has an offset other than Z), "utc", or "mixed".
   */
  readonly timeOfDay: {
    readonly clock: TimeOfDayClock;
    readonly hours: readonly number[];
    /** night 0–6, morning 6–12, afternoon 12–18, evening 18–24. */
    readonly dayparts: { readonly night: number; readonly morning: number; readonly afternoon: number; readonly evening: number };
  };
  /** Present when some step carries a level-1 category. */
  readonly categories?: {
    /** Share of categorised steps per category (multi-label steps count for each label; sums ≥ 1 then). */
    readonly distribution: Readonly<Record<string, number>>;
    /** Share of all steps that carry a category at all. */
    readonly coverage: number;
    /** Most-watched first. */
    readonly perCategory: readonly CategoryFeatures[];
  };
  /** Present when some step names its creator. */
  readonly creators?: {
    readonly distinct: number;
    /** Most-watched first, at most TOP_CREATORS. */
    readonly top: readonly CreatorFeatures[];
    /** Share of creator-known steps from the TOP_CREATORS most-watched creators. */
    readonly topShare: number;
    /** Herfindahl–Hirschman index of steps over creators: 1/distinct (spread evenly) … 1 (one creator). */
    readonly hhi: number;
    /** Creators of liked videos, most likes first. */
    readonly liked: readonly CreatorFeatures[];
  };
  /** Present when steps carry view counts on both sides of the median. */
  readonly popularity?: {
    /** Steps with a view count above the log's median view count. */
    readonly popularSteps: number;
    readonly popularLikeRate: number;
    readonly otherLikeRate: number;
    readonly medianViewCount: number;
  };
  /** The paper's behaviour summary (get_behavior_summary), in one place for the interviewer. */
  readonly signals: {
    readonly topCategories: readonly string[];
    readonly likeRate: number;
    readonly averageWatchSeconds: number;
    readonly quickSkipRate: number;
    readonly likedCreators: readonly string[];
    /** null when the log has no view counts to tell. */
    readonly prefersPopular: boolean | null;
  };
  readonly keyTraits: KeyTraits;
}

/**
 * The paper's rule-based key traits (interview_agent.py, end of the interview):
 * - emotion_regulation: "high" when the average watch exceeds 10 s (the viewer settles into
 *   videos), else "low";
 * - novelty_tolerance: "high" when under 20 % of videos are quick skips, "low" above 40 %, else
 *   "medium";
 * - content_vs_creator: "creator-driven" when the viewer liked videos of more than two creators,
 *   else "content-driven" (so always content-driven when the log names no creators);
 * - social_sensitivity: "high" when the viewer likes popular videos more often than the rest,
 *   else "moderate" (also when the log has no view counts).
 */
export interface KeyTraits {
  readonly emotion_regulation: 'high' | 'low';
  readonly novelty_tolerance: 'high' | 'medium' | 'low';
  readonly content_vs_creator: 'creator-driven' | 'content-driven';
  readonly social_sensitivity: 'high' | 'moderate';
}

export const EMOTION_REGULATION_WATCH_SECONDS = 10;
export const NOVELTY_HIGH_BELOW = 0.2;
export const NOVELTY_LOW_ABOVE = 0.4;
export const CREATOR_DRIVEN_ABOVE = 2;

export function keyTraits(signals: Omit<PersonaFeatures['signals'], 'topCategories'>): KeyTraits {
  return {
    emotion_regulation: signals.averageWatchSeconds > EMOTION_REGULATION_WATCH_SECONDS ? 'high' : 'low',
    novelty_tolerance:
      signals.quickSkipRate < NOVELTY_HIGH_BELOW ? 'high' : signals.quickSkipRate > NOVELTY_LOW_ABOVE ? 'low' : 'medium',
    content_vs_creator: signals.likedCreators.length > CREATOR_DRIVEN_ABOVE ? 'creator-driven' : 'content-driven',
    social_sensitivity: signals.prefersPopular === true ? 'high' : 'moderate',
  };
}

const ascending = (values: readonly number[]) => [...values].sort((x, y) => x - y);
const rate = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
const isQuickSkip = (step: LogStep) => step.watchSeconds < QUICK_SKIP_SECONDS;

function summary(values: readonly number[]): Summary {
  const sorted = ascending(values);
  return { min: sorted[0] as number, p50: quantileOfSorted(sorted, 0.5), mean: mean(sorted), max: sorted.at(-1) as number };
}

/** min, p10 … p90, max and the 101 percentiles with numpy's linear interpolation (so the numbers match the paper's Python), and the mean. */
function watchSecondsOf(steps: readonly LogStep[]): WatchSeconds {
  const sorted = ascending(steps.map((s) => s.watchSeconds));
  const quantiles = Object.fromEntries(WATCH_QUANTILES.map(([key, p]) => [key, quantileOfSorted(sorted, p)]));
  const percentiles = Array.from({ length: WATCH_PERCENTILE_COUNT }, (_, i) => quantileOfSorted(sorted, i / (WATCH_PERCENTILE_COUNT - 1)));
  return { ...quantiles, percentiles, mean: mean(sorted) } as WatchSeconds;
}

/** The dependence fitted on the normal scores of the steps' quantiles under `watchSeconds`, session by session. */
function dependenceOf(steps: readonly LogStep[], watchSeconds: WatchSeconds): WatchDependence {
  const cdf = watchCdf(watchSeconds);
  return fitWatchDependence(sessionsOf(steps).map((session) => session.steps.map((s) => normalScore(cdf(s.watchSeconds)))));
}

function platformFeatures(steps: readonly LogStep[]): PlatformFeatures {
  const watchSeconds = watchSecondsOf(steps);
  const dependence = dependenceOf(steps, watchSeconds);
  const actionRate = (type: LogActionType) => steps.filter((s) => hasAction(s, type)).length / steps.length;
  return {
    steps: steps.length,
    sessions: sessionsOf(steps).length,
    watchSeconds,
    quickSkipRate: steps.filter(isQuickSkip).length / steps.length,
    likeRate: actionRate('like'),
    commentRate: actionRate('comment'),
    shareRate: actionRate('share'),
    ...(dependence.pairs >= MIN_DEPENDENCE_PAIRS ? { dependence } : {}),
  };
}

/** Per-platform features when the steps come from more than one platform. */
function perPlatformFeatures(steps: readonly LogStep[], platforms: Readonly<Record<string, number>>): PersonaFeatures['perPlatform'] {
  const names = Object.keys(platforms).sort();
  if (names.length < 2) return undefined;
  return Object.fromEntries(names.map((name) => [name, platformFeatures(steps.filter((s) => s.platform === name))]));
}

/** Mid-rank empirical CDF of the sorted sample: ties share the middle of their run. */
function midRank(sorted: readonly number[]): (x: number) => number {
  const firstIndexAbove = (x: number, orEqual: boolean) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] as number) < x || (orEqual && sorted[mid] === x)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (x) => (firstIndexAbove(x, false) + firstIndexAbove(x, true)) / 2 / sorted.length;
}

/** Session minutes: from the start of the first video (end time − watch time) to the end of the last. */
function sessionMinutes(steps: readonly LogStep[]): number {
  const first = steps[0] as LogStep;
  const last = steps.at(-1) as LogStep;
  const start = Date.parse(first.time) - first.watchSeconds * 1000;
  return Math.max(0, Date.parse(last.time) - start) / 60_000;
}

/** The hour as written in an ISO timestamp ("2025-11-28T17:46:09+08:00" → 17). */
const writtenHour = (time: string) => Number(time.slice(11, 13));

function timeOfDay(steps: readonly LogStep[]): PersonaFeatures['timeOfDay'] {
  const counts = new Array<number>(24).fill(0);
  for (const step of steps) {
    const hour = writtenHour(step.time);
    counts[hour] = (counts[hour] as number) + 1;
  }
  const hours = counts.map((c) => c / steps.length);
  const part = (from: number) => hours.slice(from, from + 6).reduce((s, h) => s + h, 0);
  const utc = steps.filter((s) => s.time.endsWith('Z')).length;
  const clock: TimeOfDayClock = utc === 0 ? 'local' : utc === steps.length ? 'utc' : 'mixed';
  return { clock, hours, dayparts: { night: part(0), morning: part(6), afternoon: part(12), evening: part(18) } };
}

function categoryFeatures(steps: readonly LogStep[]): PersonaFeatures['categories'] {
  const labelled = steps.filter((s) => (s.level1?.length ?? 0) > 0);
  if (labelled.length === 0) return undefined;
  const rankOf = midRank(ascending(steps.map((s) => s.watchSeconds)));
  const byCategory = new Map<string, LogStep[]>();
  for (const step of labelled) {
    for (const category of new Set(step.level1)) {
      const own = byCategory.get(category) ?? [];
      own.push(step);
      byCategory.set(category, own);
    }
  }
  const perCategory = [...byCategory.entries()]
    .map(([category, own]): CategoryFeatures => {
      const watch = ascending(own.map((s) => s.watchSeconds));
      return {
        category,
        steps: own.length,
        share: own.length / steps.length,
        medianWatchSeconds: quantileOfSorted(watch, 0.5),
        meanWatchSeconds: mean(watch),
        quickSkipRate: rate(own.filter(isQuickSkip).length, own.length),
        likeRate: rate(own.filter((s) => hasAction(s, 'like')).length, own.length),
        meanWatchRank: mean(own.map((s) => rankOf(s.watchSeconds))),
      };
    })
    // Ties broken by slug so the order never depends on the log's order.
    .sort((x, y) => y.steps - x.steps || (x.category < y.category ? -1 : 1));
  return {
    distribution: Object.fromEntries(perCategory.map((c) => [c.category, c.steps / labelled.length])),
    coverage: labelled.length / steps.length,
    perCategory,
  };
}

function creatorFeatures(steps: readonly LogStep[]): PersonaFeatures['creators'] {
  const known = steps.filter((s) => s.creator !== undefined && s.creator.trim() !== '');
  if (known.length === 0) return undefined;
  const byCreator = new Map<string, { steps: number; likes: number }>();
  for (const step of known) {
    const creator = (step.creator as string).trim();
    const entry = byCreator.get(creator) ?? { steps: 0, likes: 0 };
    entry.steps += 1;
    if (hasAction(step, 'like')) entry.likes += 1;
    byCreator.set(creator, entry);
  }
  const all = [...byCreator.entries()].map(([creator, c]) => ({ creator, ...c }));
  const byName = (x: CreatorFeatures, y: CreatorFeatures) => (x.creator < y.creator ? -1 : 1);
  const mostWatched = [...all].sort((x, y) => y.steps - x.steps || byName(x, y));
  const top = mostWatched.slice(0, TOP_CREATORS);
  return {
    distinct: all.length,
    top,
    topShare: top.reduce((s, c) => s + c.steps, 0) / known.length,
    hhi: all.reduce((s, c) => s + (c.steps / known.length) ** 2, 0),
    liked: all.filter((c) => c.likes > 0).sort((x, y) => y.likes - x.likes || byName(x, y)),
  };
}

function popularityFeatures(steps: readonly LogStep[]): PersonaFeatures['popularity'] {
  const counted = steps.filter((s) => s.viewCount !== undefined);
  if (counted.length === 0) return undefined;
  const medianViewCount = quantileOfSorted(ascending(counted.map((s) => s.viewCount as number)), 0.5);
  const popular = counted.filter((s) => (s.viewCount as number) > medianViewCount);
  const other = counted.filter((s) => (s.viewCount as number) <= medianViewCount);
  if (popular.length === 0 || other.length === 0) return undefined;
  const likeRateOf = (group: readonly LogStep[]) => group.filter((s) => hasAction(s, 'like')).length / group.length;
  return { popularSteps: popular.length, popularLikeRate: likeRateOf(popular), otherLikeRate: likeRateOf(other), medianViewCount };
}

/** Everything stage 1 derives from a log. Throws on an empty log: a persona needs behaviour. */
export function extractFeatures(log: BehaviourLog): PersonaFeatures {
  const { steps } = log;
  if (steps.length === 0) throw new RangeError(`log of ${log.user} has no steps: features need at least one viewed video`);
  const actionRate = (type: LogActionType) => steps.filter((s) => hasAction(s, type)).length / steps.length;
  const sessions = sessionsOf(steps);
  const platforms: Record<string, number> = {};
  for (const step of steps) platforms[step.platform] = (platforms[step.platform] ?? 0) + 1;
  const watchSeconds = watchSecondsOf(steps);
  const perPlatform = perPlatformFeatures(steps, platforms);
  const categories = categoryFeatures(steps);
  const creators = creatorFeatures(steps);
  const popularity = popularityFeatures(steps);
  const signalsWithoutCategories = {
    likeRate: actionRate('like'),
    averageWatchSeconds: watchSeconds.mean,
    quickSkipRate: steps.filter(isQuickSkip).length / steps.length,
    likedCreators: (creators?.liked ?? []).map((c) => c.creator),
    prefersPopular: popularity ? popularity.popularLikeRate > popularity.otherLikeRate : null,
  };
  return {
    steps: steps.length,
    sessions: sessions.length,
    platforms,
    watchSeconds,
    dependence: dependenceOf(steps, watchSeconds),
    ...(perPlatform ? { perPlatform } : {}),
    watchSecondsInferredRate: steps.filter((s) => s.watchSecondsInferred === true).length / steps.length,
    quickSkipRate: signalsWithoutCategories.quickSkipRate,
    likeRate: signalsWithoutCategories.likeRate,
    commentRate: actionRate('comment'),
    shareRate: actionRate('share'),
    favoriteRate: actionRate('favorite'),
    sessionLength: {
      steps: summary(sessions.map((s) => s.steps.length)),
      minutes: summary(sessions.map((s) => sessionMinutes(s.steps))),
    },
    timeOfDay: timeOfDay(steps),
    ...(categories ? { categories } : {}),
    ...(creators ? { creators } : {}),
    ...(popularity ? { popularity } : {}),
    signals: {
      topCategories: (categories?.perCategory ?? []).slice(0, TOP_CATEGORIES).map((c) => c.category),
      ...signalsWithoutCategories,
    },
    keyTraits: keyTraits(signalsWithoutCategories),
  };
}
