/**
 * Persona synthesis (docs/personas.md, stage 2) without a model: a deterministic template turns the
 * features (what the viewer does) and the interview answers (why) into a persona document. The
 * chat-model path writes its own narrative and traits and reuses `personaFacts` for the rest, so
 * the statistics, affinities and provenance never depend on who wrote the prose.
 */
import { sessionsOf, type BehaviourLog } from './behaviour-log';
import type { InterviewTranscript } from './interview';
import { AFFINITY_WEIGHT, NEUTRAL_AFFINITY } from './persona-stat-policy';
import { PersonaSchema, WATCH_PERCENTILE_COUNT, WATCH_QUANTILES, type Persona, type PersonaProvenance, type PersonaStats, type PlatformStats, type WatchSeconds } from './persona';
import type { CategoryFeatures, PersonaFeatures, PlatformFeatures } from './persona-features';
import { watchCdf } from './reversal';
import { LEVEL1_SLUGS, level1 } from './taxonomy';

/** provenance.model of a persona whose narrative and traits the template wrote. */
export const TEMPLATE_MODEL = 'template';
/**
 * Pseudo-steps of "watched as long as usual" mixed into each category's mean watch rank, so a
 * category seen twice cannot claim an extreme affinity.
 */
export const AFFINITY_PRIOR_STEPS = 5;
/** Pseudo-steps of the persona's overall statistics mixed into each platform's own (see platformStats). */
export const PLATFORM_PRIOR_STEPS = 100;

export interface PersonaSynthesisInput {
  readonly id: string;
  readonly name: string;
  readonly log: BehaviourLog;
  readonly features: PersonaFeatures;
  readonly transcript?: InterviewTranscript;
  /** The model that wrote narrative and traits; the template when absent. */
  readonly model?: string;
  /** The log files, as the persona should cite them (e.g. repository-relative paths). */
  readonly sources: readonly string[];
}

/** Fixed precision keeps float noise (7.345000000000001) out of persona documents. */
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The affinity under which the persona-stat policy reproduces a category's mean watch rank r: the
 * policy watches at quantile u = W·a + (1 − W)·U with U uniform, so E[u] = W·a + (1 − W)/2 = r.
 * The rank is first shrunk towards the median by AFFINITY_PRIOR_STEPS. Likes do not enter: the
 * policy scales engagement by the same affinity, and likes are too rare to rank categories.
 */
export function affinityOf(category: Pick<CategoryFeatures, 'steps' | 'meanWatchRank'>): number {
  const rank = (category.steps * category.meanWatchRank + AFFINITY_PRIOR_STEPS * NEUTRAL_AFFINITY) / (category.steps + AFFINITY_PRIOR_STEPS);
  return round(Math.min(1, Math.max(0, (rank - (1 - AFFINITY_WEIGHT) / 2) / AFFINITY_WEIGHT)), 2);
}

/** Affinities of the categories the log shows, in taxonomy order; unseen categories stay unknown. */
export function categoryAffinities(features: PersonaFeatures): Record<string, number> {
  const byCategory = new Map((features.categories?.perCategory ?? []).map((c) => [c.category, c]));
  return Object.fromEntries(
    LEVEL1_SLUGS.flatMap((slug) => {
      const category = byCategory.get(slug);
      return category ? [[slug, affinityOf(category)]] : [];
    }),
  );
}

function roundedWatchSeconds(ws: WatchSeconds): WatchSeconds {
  const { percentiles, ...named } = ws;
  const rounded = Object.fromEntries(Object.entries(named).map(([k, v]) => [k, round(v, 3)])) as Omit<WatchSeconds, 'percentiles'>;
  return percentiles ? { ...rounded, percentiles: percentiles.map((v) => round(v, 3)) } : rounded;
}

/**
 * One platform's statistics, shrunk towards the persona's overall ones by PLATFORM_PRIOR_STEPS
 * pseudo-steps: a platform seen for 150 steps knows its middle well but not its tail (user b's
 * Douyin steps never exceed 221 s, the person's Bilibili ones reach 437 s), and a tail the agent
 * can never reach costs the most in KL. The watch-time quantiles are those of the mixture
 * F = w·F_platform + (1 − w)·F_overall with w = n / (n + PLATFORM_PRIOR_STEPS).
 */
function platformStats(platform: PlatformFeatures, features: PersonaFeatures): PlatformStats {
  const w = platform.steps / (platform.steps + PLATFORM_PRIOR_STEPS);
  const mixed = (own: number, overall: number) => round(w * own + (1 - w) * overall, 4);
  return {
    steps: platform.steps,
    sessions: platform.sessions,
    likeRate: mixed(platform.likeRate, features.likeRate),
    commentRate: mixed(platform.commentRate, features.commentRate),
    shareRate: mixed(platform.shareRate, features.shareRate),
    quickSkipRate: mixed(platform.quickSkipRate, features.quickSkipRate),
    watchSeconds: roundedWatchSeconds(mixtureWatchSeconds(platform.watchSeconds, features.watchSeconds, w)),
    ...(platform.dependence ? { dependence: platform.dependence } : {}),
  };
}

/** Bisection steps for a mixture quantile: 2⁻⁶⁰ of the range is far below the rounding to 1 ms. */
const BISECTION_STEPS = 60;

/** The quantiles of w·F_a + (1 − w)·F_b, read by bisection at the levels the persona stores. */
function mixtureWatchSeconds(a: WatchSeconds, b: WatchSeconds, w: number): WatchSeconds {
  const [cdfA, cdfB] = [watchCdf(a), watchCdf(b)];
  const cdf = (t: number) => w * cdfA(t) + (1 - w) * cdfB(t);
  const low = Math.min(a.min, b.min);
  const high = Math.max(a.max, b.max);
  const quantile = (level: number) => {
    if (level <= 0) return low;
    if (level >= 1) return high;
    let [lo, hi] = [low, high];
    for (let i = 0; i < BISECTION_STEPS; i++) {
      const mid = (lo + hi) / 2;
      if (cdf(mid) < level) lo = mid;
      else hi = mid;
    }
    return hi;
  };
  const named = Object.fromEntries(WATCH_QUANTILES.map(([key, level]) => [key, quantile(level)])) as Omit<WatchSeconds, 'mean' | 'percentiles'>;
  const percentiles = Array.from({ length: WATCH_PERCENTILE_COUNT }, (_, i) => quantile(i / (WATCH_PERCENTILE_COUNT - 1)));
  return { ...named, percentiles, mean: w * a.mean + (1 - w) * b.mean };
}

export function personaStats(features: PersonaFeatures): PersonaStats {
  return {
    steps: features.steps,
    likeRate: round(features.likeRate, 4),
    commentRate: round(features.commentRate, 4),
    shareRate: round(features.shareRate, 4),
    quickSkipRate: round(features.quickSkipRate, 4),
    watchSeconds: roundedWatchSeconds(features.watchSeconds),
    categoryAffinities: categoryAffinities(features),
    dependence: features.dependence,
    ...(features.perPlatform
      ? { platforms: Object.fromEntries(Object.entries(features.perPlatform).map(([name, platform]) => [name, platformStats(platform, features)])) }
      : {}),
  };
}

/**
 * Which logs, sessions and interview the persona was built from. The sessions (with their step
 * counts) let `dataset build` and `train start` refuse a persona that has seen a held-out session.
 */
export function personaProvenance(input: Pick<PersonaSynthesisInput, 'log' | 'transcript' | 'model' | 'sources'>): PersonaProvenance {
  const { transcript } = input;
  return {
    logs: [...input.sources],
    sessions: sessionsOf(input.log.steps).map((session) => ({ id: session.sessionId, steps: session.steps.length })),
    ...(transcript
      ? { interview: { interviewId: transcript.interviewId, interviewer: transcript.interviewer, turns: transcript.turns.length } }
      : {}),
    model: input.model ?? TEMPLATE_MODEL,
  };
}

/** What the logs and sources say, whoever writes the prose: statistics with affinities, and provenance. */
export function personaFacts(input: Pick<PersonaSynthesisInput, 'log' | 'features' | 'transcript' | 'model' | 'sources'>): Pick<Persona, 'stats' | 'provenance'> {
  return { stats: personaStats(input.features), provenance: personaProvenance(input) };
}

const PLATFORM_NAMES: Readonly<Record<string, string>> = {
  'sandbox': 'the sandbox',
  'bilibili': 'Bilibili',
  'douyin': 'Douyin',
  'kuaishou': 'Kuaishou',
  'tiktok': 'TikTok',
  'youtube-shorts': 'YouTube Shorts',
  'xiaohongshu': 'Xiaohongshu',
};
const platformName = (platform: string) => PLATFORM_NAMES[platform] ?? platform;
const categoryName = (slug: string) => (level1(slug)?.en ?? slug).toLowerCase();

/** "a", "a and b", "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function platformsPhrase(features: PersonaFeatures): string {
  const ranked = Object.entries(features.platforms).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  const [main, ...others] = ranked.map(([p]) => platformName(p));
  if (others.length === 0) return `on ${main}`;
  return `mostly on ${main}, sometimes on ${listed(others)}`;
}

/** The viewer's pace by novelty tolerance: [first person, trait]. */
const PACE: Readonly<Record<PersonaFeatures['keyTraits']['novelty_tolerance'], readonly [string, string]>> = {
  low: ['I decide within seconds whether a video is worth it, and most of them are gone almost at once', 'decides within seconds; most videos are gone almost at once'],
  medium: ['I skip plenty of videos within seconds, but give the rest a fair chance', 'skips plenty of videos within seconds, gives the rest a fair chance'],
  high: ['I rarely swipe a video away at once: most get a chance to show what they are', 'rarely swipes a video away at once'],
};

/** How often the viewer likes, comments and shares, as [first person, trait] clauses. */
function engagementClauses(features: PersonaFeatures): [string, string][] {
  const { likeRate, commentRate, shareRate } = features;
  return [
    likeRate === 0 ? ['I never like videos', 'never likes'] : likeRate < 0.03 ? ['I almost never like a video', 'almost never likes'] : likeRate < 0.15 ? ['I like sparingly', 'likes sparingly'] : ['I like what I enjoy', 'likes often'],
    commentRate === 0 ? ['never comment', 'never comments'] : commentRate < 0.02 ? ['hardly ever comment', 'hardly ever comments'] : ['comment now and then', 'comments now and then'],
    shareRate === 0 ? ['never share', 'never shares'] : shareRate < 0.02 ? ['only rarely share something', 'shares rarely'] : ['often pass videos on to friends', 'shares often'],
  ];
}

const engagement = (features: PersonaFeatures, person: 0 | 1) => {
  const [likes, comments, shares] = engagementClauses(features).map((clause) => clause[person]);
  return `${likes}, ${comments} and ${shares}`;
};

/** Top categories, and categories most often skipped (at least as many steps as the prior, skipped more than usual). */
function interestSentences(features: PersonaFeatures): string[] {
  const perCategory = features.categories?.perCategory ?? [];
  if (perCategory.length === 0) return [];
  const sentences = [`Most of what I watch is ${listed(features.signals.topCategories.map(categoryName))}.`];
  const skipped = perCategory
    .filter((c) => c.steps >= AFFINITY_PRIOR_STEPS && c.quickSkipRate > Math.max(0.5, features.quickSkipRate))
    .sort((x, y) => y.quickSkipRate - x.quickSkipRate || (x.category < y.category ? -1 : 1))
    .slice(0, 3);
  if (skipped.length > 0) sentences.push(`I swipe past ${listed(skipped.map((c) => categoryName(c.category)))} quickly.`);
  return sentences;
}

function dominantDaypart(features: PersonaFeatures): string | undefined {
  if (features.timeOfDay.clock !== 'local') return undefined;
  const ranked = Object.entries(features.timeOfDay.dayparts).sort((x, y) => y[1] - x[1]);
  const [name, share] = ranked[0] as [string, number];
  // Only a clear habit is worth saying.
  return share >= 0.5 ? (name === 'night' ? 'at night' : `in the ${name}`) : undefined;
}

/** The interview answers, first person already; sentences with digits are left to the statistics. */
function answerSentences(transcript: InterviewTranscript | undefined): string[] {
  return (transcript?.turns ?? [])
    .flatMap((turn) => turn.answer.split(/(?<=[.!?。！？])\s+/u))
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '' && !/\d/u.test(sentence))
    .map((sentence) => (/[.!?。！？]$/u.test(sentence) ? sentence : `${sentence}.`));
}

/** Median session lengths the narrative calls "short bursts" (below) and "long sittings" (at or above). */
const SHORT_SESSION_MINUTES = 5;
const LONG_SESSION_MINUTES = 20;

/** First person, no numbers: the statistics speak for themselves. */
export function templateNarrative(features: PersonaFeatures, transcript?: InterviewTranscript): string {
  const traits = features.keyTraits;
  const minutes = features.sessionLength.minutes.p50;
  const sitting = minutes < SHORT_SESSION_MINUTES ? ', in short bursts' : minutes >= LONG_SESSION_MINUTES ? ', in long sittings' : '';
  const when = dominantDaypart(features);
  const sentences = [
    `I watch short videos ${platformsPhrase(features)}${sitting}${when ? `, mostly ${when}` : ''}.`,
    `${PACE[traits.novelty_tolerance][0]}.`,
    traits.emotion_regulation === 'high'
      ? 'When a video holds my attention, I stay for the long version.'
      : 'Even the videos I enjoy I seldom watch for long.',
    ...interestSentences(features),
    `${engagement(features, 0)}.`,
    ...(traits.content_vs_creator === 'creator-driven' ? ['I keep coming back to the creators I like.'] : []),
    ...answerSentences(transcript),
  ];
  return sentences.join(' ');
}

export function templateTraits(features: PersonaFeatures): Record<string, string> {
  const top = features.signals.topCategories;
  return {
    ...features.keyTraits,
    platform: platformsPhrase(features).replace(/\bon /g, ''),
    pace: PACE[features.keyTraits.novelty_tolerance][1],
    engagement: engagement(features, 1),
    ...(top.length > 0 ? { interests: listed(top.map(categoryName)) } : {}),
  };
}

/** The whole persona from the template; validated, so a caller never writes an invalid document. */
export function synthesizePersona(input: PersonaSynthesisInput): Persona {
  return PersonaSchema.parse({
    id: input.id,
    schemaVersion: 1,
    name: input.name,
    narrative: templateNarrative(input.features, input.transcript),
    traits: templateTraits(input.features),
    ...personaFacts(input),
  });
}
