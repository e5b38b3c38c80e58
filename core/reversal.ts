/**
 * Persona reversal (docs/method.md, persona reversal): the counterfactual persona p' watches at quantile 1 − u where p
 * would watch at quantile u of its own watch-time distribution, t' = Q(1 − F(t)). The released
 * code's simpler t' = max(0, 30 − t) is kept as the 'linear-30' strategy for comparison.
 */
import {
  PersonaSchema,
  WATCH_PERCENTILE_COUNT,
  WATCH_QUANTILES,
  type Persona,
  type PersonaStats,
  type ReversalSettings,
  type ReversalStrategy,
  type WatchSeconds,
} from './persona';
import { LEVEL1_SLUGS, level1 } from './taxonomy';

const NAMED_LEVELS: readonly number[] = WATCH_QUANTILES.map(([, level]) => level);
const PERCENTILE_LEVELS: readonly number[] = Array.from({ length: WATCH_PERCENTILE_COUNT }, (_, i) => i / (WATCH_PERCENTILE_COUNT - 1));

/** The knots Q runs through: the 101 percentiles where the persona has them, else the seven named quantiles. */
function knotsOf(ws: WatchSeconds): { levels: readonly number[]; values: readonly number[] } {
  if (ws.percentiles) return { levels: PERCENTILE_LEVELS, values: ws.percentiles };
  return { levels: NAMED_LEVELS, values: WATCH_QUANTILES.map(([key]) => ws[key]) };
}

/** The released code's pivot: t' = max(0, 30 − t). */
const LINEAR_FLIP_SECONDS = 30;
/** The paper's quick-skip threshold. */
const QUICK_SKIP_SECONDS = 3;

const KNOT_TOLERANCE = 1e-12;

/**
 * Q(u): through the knots, interpolated in log(1 + t) rather than t. Watch times are right-skewed
 * (a few minutes-long views among many seconds-long ones), so a straight line between two distant
 * upper knots puts too much mass near the upper one; the log scale keeps it near the lower one.
 */
export function watchQuantileFunction(ws: WatchSeconds): (u: number) => number {
  const { levels, values } = knotsOf(ws);
  return (u) => {
    const level = Math.min(1, Math.max(0, u));
    for (let i = 1; i < levels.length; i++) {
      const upper = levels[i] as number;
      if (level > upper) continue;
      const lower = levels[i - 1] as number;
      const from = values[i - 1] as number;
      const to = values[i] as number;
      // At a knot return the stored quantile itself: 1 − 0.9 is 0.09999999999999998, not 0.1.
      if (upper - level < KNOT_TOLERANCE) return to;
      if (from === to) return from;
      return Math.expm1(Math.log1p(from) + ((level - lower) / (upper - lower)) * (Math.log1p(to) - Math.log1p(from)));
    }
    return values[values.length - 1] as number;
  };
}

/**
 * F(t), the inverse of Q: 0 below min, 1 above max. Where several quantiles share the value t (a
 * mass point, e.g. many videos left at the same second) F(t) is the middle of their levels.
 */
export function watchCdf(ws: WatchSeconds): (t: number) => number {
  const { levels, values } = knotsOf(ws);
  return (t) => {
    if (t < (values[0] as number)) return 0;
    if (t > (values[values.length - 1] as number)) return 1;
    const first = values.indexOf(t);
    if (first !== -1) return ((levels[first] as number) + (levels[values.lastIndexOf(t)] as number)) / 2;
    const i = values.findIndex((value) => value > t);
    const lower = levels[i - 1] as number;
    const from = Math.log1p(values[i - 1] as number);
    const to = Math.log1p(values[i] as number);
    return lower + ((Math.log1p(t) - from) / (to - from)) * ((levels[i] as number) - lower);
  };
}

/** t ↦ Q(1 − F(t)): maps p10 to p90, the median to itself, min to max. */
export function quantileFlip(ws: WatchSeconds): (t: number) => number {
  const quantile = watchQuantileFunction(ws);
  const cdf = watchCdf(ws);
  return (t) => quantile(1 - cdf(t));
}

const linearFlip = (t: number): number => Math.max(0, LINEAR_FLIP_SECONDS - t);

export function reverseWatchSeconds(t: number, ws: WatchSeconds, strategy: ReversalStrategy): number {
  if (!(Number.isFinite(t) && t >= 0)) throw new RangeError(`watch seconds must be a non-negative number, got ${t}`);
  return strategy === 'quantile-flip' ? quantileFlip(ws)(t) : linearFlip(t);
}

/** Points at which the mean of a transformed distribution is integrated (midpoint rule over u). */
const MEAN_INTEGRATION_POINTS = 1000;

/** The watch-time statistics of t' = max(0, 30 − t): quantiles mirror, the mean is integrated over Q. */
function linearFlipWatchSeconds(ws: WatchSeconds): WatchSeconds {
  const named = WATCH_QUANTILES.map(([key]) => ws[key]);
  const mirrored = Object.fromEntries(
    WATCH_QUANTILES.map(([key], i) => [key, linearFlip(named[named.length - 1 - i] as number)]),
  ) as Omit<WatchSeconds, 'mean' | 'percentiles'>;
  const percentiles = ws.percentiles ? { percentiles: [...ws.percentiles].reverse().map(linearFlip) } : {};
  const quantile = watchQuantileFunction(ws);
  let sum = 0;
  for (let i = 0; i < MEAN_INTEGRATION_POINTS; i++) sum += linearFlip(quantile((i + 0.5) / MEAN_INTEGRATION_POINTS));
  return { ...mirrored, ...percentiles, mean: sum / MEAN_INTEGRATION_POINTS };
}

/** The part of p's statistics a reversal changes, for the whole log or one platform's steps. */
function reversedRates<S extends Pick<PersonaStats, 'likeRate' | 'commentRate' | 'shareRate' | 'quickSkipRate' | 'watchSeconds'>>(
  stats: S,
  { strategy, engagement }: ReversalSettings,
): S {
  // 'suppress' (the released code): p' never likes, comments or shares. 'invert': p' engages at p's
  // rates, but with inverted affinity, on what p passes over (see persona-stat-policy).
  const engagementRates = engagement === 'invert'
    ? { likeRate: stats.likeRate, commentRate: stats.commentRate, shareRate: stats.shareRate }
    : { likeRate: 0, commentRate: 0, shareRate: 0 };
  if (strategy === 'quantile-flip') {
    // If F(t) is uniform, so is 1 − F(t): the flip re-assigns long and short watches between videos
    // but keeps the watch-time distribution, and with it the quick-skip rate.
    return { ...stats, ...engagementRates };
  }
  return {
    ...stats,
    ...engagementRates,
    watchSeconds: linearFlipWatchSeconds(stats.watchSeconds),
    // 30 − t < 3 s exactly when t > 27 s.
    quickSkipRate: 1 - watchCdf(stats.watchSeconds)(LINEAR_FLIP_SECONDS - QUICK_SKIP_SECONDS),
  };
}

function reversedStats(stats: PersonaStats, settings: ReversalSettings): PersonaStats {
  const categoryAffinities = Object.fromEntries(LEVEL1_SLUGS.map((slug) => [slug, 1 - (stats.categoryAffinities[slug] ?? 0)]));
  const platforms = stats.platforms
    ? { platforms: Object.fromEntries(Object.entries(stats.platforms).map(([name, own]) => [name, reversedRates(own, settings)])) }
    : {};
  return { ...reversedRates(stats, settings), ...platforms, categoryAffinities };
}

const MOST_SOUGHT_SHOWN = 3;

function counterfactualNarrative(persona: Persona, { engagement }: ReversalSettings): string {
  const mostSought = Object.entries(persona.stats.categoryAffinities)
    .sort(([, a], [, b]) => b - a)
    .slice(0, MOST_SOUGHT_SHOWN)
    .map(([slug]) => level1(slug)?.en ?? slug);
  return [
    `I am the counterfactual of ${persona.name} (persona ${persona.id}): where they keep watching I swipe away, and where they swipe away I keep watching.`,
    mostSought.length > 0 ? `What they seek most bores me: ${mostSought.join(', ')}.` : '',
    engagement === 'suppress'
      ? 'I never like, comment or share.'
      : 'I like, comment on and share what they pass over, about as often as they engage.',
  ]
    .filter(Boolean)
    .join(' ');
}

/** p': same account and logs, opposite tastes. Affinities become a' = 1 − a over all 25 categories (unknown counts as 0). */
export function reversePersona(persona: Persona, settings: ReversalSettings): Persona {
  if (persona.reversal) throw new RangeError(`persona "${persona.id}" is already the reversal of "${persona.reversal.of}"`);
  const { strategy, engagement } = settings;
  return PersonaSchema.parse({
    id: `${persona.id}-reversed`,
    schemaVersion: 1,
    name: `${persona.name} (reversed)`,
    narrative: counterfactualNarrative(persona, settings),
    traits: {
      counterfactualOf: persona.id,
      watchTime: strategy === 'quantile-flip' ? 'watches at quantile 1 − u where they watch at u' : 'watches 30 s minus their watch time',
      engagement: engagement === 'suppress' ? 'none' : 'likes, comments and shares what the original passes over',
    },
    stats: reversedStats(persona.stats, settings),
    reversal: { of: persona.id, strategy, engagement },
    provenance: {
      sources: [`persona:${persona.id}`],
      notes: `Derived by reversal (${strategy}, engagement ${engagement}); rates and affinities are derived, not observed.`,
    },
  });
}
