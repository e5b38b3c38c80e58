/**
 * The paper's measures (docs/method.md, from its released code): SMAPE for watch time, content
 * diversity over sliding windows, and Bubble Escape Potential with a bootstrap interval.
 */
import { createRng, type Rng } from './rng';
import { isLevel2Of } from './taxonomy';

/** One step's categories. Multi-label: every level-1 label counts. */
export type CategorizedStep = { level1: readonly string[]; level2?: readonly string[] };

/** Guards the paper's denominator against 0/0 (both zero), which then contributes 0. */
const SMAPE_EPSILON = 1e-8;

/** mean(2·|p − t| / max(|t| + |p|, 1e-8)), in [0, 2]. */
export function smape(predicted: readonly number[], truth: readonly number[]): number {
  if (predicted.length !== truth.length) {
    throw new RangeError(`smape: ${predicted.length} predicted values but ${truth.length} true values`);
  }
  if (predicted.length === 0) throw new RangeError('smape: no values to compare');
  let sum = 0;
  predicted.forEach((p, i) => {
    const t = truth[i] as number;
    sum += (2 * Math.abs(p - t)) / Math.max(Math.abs(t) + Math.abs(p), SMAPE_EPSILON);
  });
  return sum / predicted.length;
}

function checkPositiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}

/** Every run of `window` consecutive steps; a single shorter run when there are fewer steps. */
function slidingWindows<T>(items: readonly T[], window: number): (readonly T[])[] {
  checkPositiveInteger(window, 'window');
  if (items.length === 0) return [];
  if (items.length < window) return [items];
  return Array.from({ length: items.length - window + 1 }, (_, start) => items.slice(start, start + window));
}

function distinctLevel1(steps: readonly CategorizedStep[]): number {
  return new Set(steps.flatMap((step) => step.level1)).size;
}

/** Distinct level-1 categories in each window of `window` steps, one value per window end. */
export function diversityWindows(steps: readonly CategorizedStep[], window = 20): number[] {
  return slidingWindows(steps, window).map(distinctLevel1);
}

/**
 * Σ over level-1 categories c present of 1 + 0.2·(distinct level-2 in c − 1). A level-2 label counts
 * for c when the taxonomy puts it under c and the same step carries c; a category with no known
 * level-2 counts 1.
 */
export function weightedDiversity(steps: readonly CategorizedStep[]): number {
  const level2ByLevel1 = new Map<string, Set<string>>();
  for (const step of steps) {
    for (const category of step.level1) {
      const children = level2ByLevel1.get(category) ?? new Set<string>();
      level2ByLevel1.set(category, children);
      for (const label of step.level2 ?? []) if (isLevel2Of(category, label)) children.add(label);
    }
  }
  let total = 0;
  for (const children of level2ByLevel1.values()) total += 1 + 0.2 * Math.max(children.size - 1, 0);
  return total;
}

export function weightedDiversityWindows(steps: readonly CategorizedStep[], window = 20): number[] {
  return slidingWindows(steps, window).map(weightedDiversity);
}

/** How many steps carry each level-1 label (a step with several labels counts once for each). */
export function categoryCounts(steps: readonly CategorizedStep[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const step of steps) {
    for (const category of new Set(step.level1)) counts.set(category, (counts.get(category) ?? 0) + 1);
  }
  return Object.fromEntries(counts);
}

function checkedTotal(counts: Readonly<Record<string, number>>, side: string, caller: string): number {
  let total = 0;
  for (const [key, value] of Object.entries(counts)) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${caller}: ${side}["${key}"] = ${value} is not a non-negative count`);
    total += value;
  }
  return total;
}

/** Shannon entropy / log(number of categories present); 0 when at most one category is present. */
export function normalizedEntropy(counts: Readonly<Record<string, number>>): number {
  const total = checkedTotal(counts, 'counts', 'normalizedEntropy');
  const present = Object.values(counts).filter((count) => count > 0);
  if (present.length <= 1) return 0;
  let entropy = 0;
  for (const count of present) entropy -= (count / total) * Math.log(count / total);
  return Math.min(1, entropy / Math.log(present.length));
}

export const mean = (values: readonly number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;

/**
 * Percent change from the first `fraction` of a diversity series to its last `fraction` (each part
 * at least one value). Negative means the feed narrowed. null when there is nothing to compare.
 */
export function diversityChangePct(series: readonly number[], fraction = 0.25): number | null {
  if (!(fraction > 0 && fraction <= 0.5)) throw new RangeError(`fraction must be in (0, 0.5], got ${fraction}`);
  if (series.length === 0) return null;
  const part = Math.max(1, Math.floor(series.length * fraction));
  const early = mean(series.slice(0, part));
  const late = mean(series.slice(-part));
  return early === 0 ? null : ((late - early) / early) * 100;
}

const countOf = (counts: Readonly<Record<string, number>>, key: string): number => (Object.hasOwn(counts, key) ? (counts[key] as number) : 0);

/**
 * Jensen–Shannon divergence with log base 2, so in [0, 1], over the union of keys. Inputs are counts
 * or probabilities; each side is normalised here.
 */
export function jsDivergence(p: Readonly<Record<string, number>>, q: Readonly<Record<string, number>>): number {
  const pTotal = checkedTotal(p, 'p', 'jsDivergence');
  const qTotal = checkedTotal(q, 'q', 'jsDivergence');
  if (pTotal === 0) throw new RangeError('jsDivergence: distribution p is empty (no positive count)');
  if (qTotal === 0) throw new RangeError('jsDivergence: distribution q is empty (no positive count)');
  // Mass on a key the other side lacks contributes exactly its probability (log2(x / (x/2)) = 1).
  // Summing it apart, in the same order as the totals, keeps disjoint distributions at exactly 1.
  let pOnly = 0;
  let qOnly = 0;
  let shared = 0;
  for (const key of new Set([...Object.keys(p), ...Object.keys(q)])) {
    const pCount = countOf(p, key);
    const qCount = countOf(q, key);
    if (qCount === 0) pOnly += pCount;
    else if (pCount === 0) qOnly += qCount;
    else {
      const pi = pCount / pTotal;
      const qi = qCount / qTotal;
      const m = (pi + qi) / 2;
      shared += pi * Math.log2(pi / m) + qi * Math.log2(qi / m);
    }
  }
  return Math.min(1, Math.max(0, (pOnly / pTotal + qOnly / qTotal + shared) / 2));
}

const isLabelled = (step: CategorizedStep): boolean => step.level1.length > 0;

/** The last `window` cultivation steps and the first `window` counterfactual steps. */
function bepWindows(cultivation: readonly CategorizedStep[], counterfactual: readonly CategorizedStep[], window: number) {
  checkPositiveInteger(window, 'window');
  const before = cultivation.slice(-window);
  const after = counterfactual.slice(0, window);
  if (!before.some(isLabelled)) throw new RangeError(`bubbleEscapePotential: the last ${window} cultivation steps carry no level-1 label`);
  if (!after.some(isLabelled)) throw new RangeError(`bubbleEscapePotential: the first ${window} counterfactual steps carry no level-1 label`);
  return { before, after };
}

/** BEP(p) = JS(level-1 counts of the last `window` cultivation steps ‖ the first `window` counterfactual steps). */
export function bubbleEscapePotential(
  cultivation: readonly CategorizedStep[],
  counterfactual: readonly CategorizedStep[],
  window = 400,
): number {
  const { before, after } = bepWindows(cultivation, counterfactual, window);
  return jsDivergence(categoryCounts(before), categoryCounts(after));
}

/**
 * Stationary bootstrap (Politis & Romano 1994): blocks start at a uniformly random step and run on
 * circularly (after the last step comes the first), each block's length geometric with mean
 * `meanBlockLength`. Steps of a feed are autocorrelated (the recommender follows the last videos),
 * so resampling single steps would understate the variance; wrapping around gives the steps at
 * both ends of a window — the ones next to the reversal — the same weight as the rest.
 */
export function stationaryBootstrapResample<T>(rng: Rng, items: readonly T[], meanBlockLength: number): T[] {
  if (!(meanBlockLength >= 1)) throw new RangeError(`meanBlockLength must be at least 1, got ${meanBlockLength}`);
  const resample: T[] = [];
  if (items.length === 0) return resample;
  let position = rng.int(items.length);
  while (resample.length < items.length) {
    resample.push(items[position] as T);
    position = rng.chance(1 / meanBlockLength) ? rng.int(items.length) : (position + 1) % items.length;
  }
  return resample;
}

/** Autocovariances at lags 0..maxLag of a series (divided by n, as the spectral estimators expect). */
function autocovariances(series: readonly number[], maxLag: number): number[] {
  const n = series.length;
  const centre = mean(series);
  const x = series.map((v) => v - centre);
  return Array.from({ length: maxLag + 1 }, (_, lag) => {
    let sum = 0;
    for (let i = lag; i < n; i++) sum += (x[i] as number) * (x[i - lag] as number);
    return sum / n;
  });
}

/**
 * The automatic mean block length of the stationary bootstrap for one series: Politis & White
 * (2004) with the correction of Patton, Politis & White (2009), as arch's optimal_block_length.
 * The bandwidth M is twice the first lag after which K_N = 5 autocorrelations in a row are
 * insignificant (|ρ| < 2·sqrt(log10(n) / n)); a flat-top lag window then estimates
 * G = Σ λ(k/M)·|k|·R(k) and the long-run variance g = Σ λ(k/M)·R(k), and
 * b = (2G² / D)^(1/3)·n^(1/3) with D = 2g². Capped at min(3·sqrt(n), n/3); 1 for a series
 * without variance or too short to say.
 */
export function politisWhiteBlockLength(series: readonly number[]): number {
  const n = series.length;
  const kn = 5;
  if (n < 2 * kn) return 1;
  const maxLag = Math.min(n - 1, Math.ceil(Math.sqrt(n)) + kn);
  const acv = autocovariances(series, maxLag);
  const variance = acv[0] as number;
  if (!(variance > 0)) return 1;
  const threshold = 2 * Math.sqrt(Math.log10(n) / n);
  let mHat = maxLag;
  let quiet = 0;
  for (let lag = 1; lag <= maxLag; lag++) {
    quiet = Math.abs((acv[lag] as number) / variance) < threshold ? quiet + 1 : 0;
    if (quiet === kn) {
      mHat = lag - kn;
      break;
    }
  }
  const bandwidth = Math.min(2 * Math.max(mHat, 1), maxLag);
  let g = 0;
  let longRun = variance;
  for (let k = 1; k <= bandwidth; k++) {
    const weight = k / bandwidth <= 0.5 ? 1 : 2 * (1 - k / bandwidth);
    g += 2 * weight * k * (acv[k] as number);
    longRun += 2 * weight * (acv[k] as number);
  }
  const cap = Math.ceil(Math.min(3 * Math.sqrt(n), n / 3));
  if (!(longRun > 0)) return cap;
  const length = Math.cbrt((2 * g * g) / (2 * longRun * longRun)) * Math.cbrt(n);
  return Math.min(cap, Math.max(1, length));
}

/**
 * The mean block length for resampling a window of categorised steps: the longest Politis–White
 * length over the indicator series of the categories served in it (1 where a step carries the
 * category). The longest, because the slowest-moving category sets how far apart steps must be
 * before they are nearly independent.
 */
export function categoryBlockLength(steps: readonly CategorizedStep[]): number {
  const categories = [...new Set(steps.flatMap((step) => step.level1))];
  return Math.max(1, ...categories.map((category) => politisWhiteBlockLength(steps.map((step) => (step.level1.includes(category) ? 1 : 0)))));
}

/** Quantile at `level` of ascending `sorted` values: linear interpolation between order statistics (numpy's default). */
export function quantileOfSorted(sorted: readonly number[], level: number): number {
  const exact = (sorted.length - 1) * level;
  // (1 − 0.9) / 2 is 0.04999999999999999: snap such rounding noise onto the order statistic it means.
  const position = Math.abs(exact - Math.round(exact)) < 1e-9 ? Math.round(exact) : exact;
  const below = Math.floor(position);
  const low = sorted[below] as number;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return low + (position - below) * (high - low);
}

/** The sample at rank ⌊q·n⌋ of sorted values (no interpolation): latencies and errors read as values that occurred. */
export function nearestRank(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** The central `confidence` interval of the samples (percentile method). */
export function percentileInterval(samples: readonly number[], confidence = 0.95): [number, number] {
  if (samples.length === 0) throw new RangeError('percentileInterval: no samples');
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const tail = (1 - confidence) / 2;
  return [quantileOfSorted(sorted, tail), quantileOfSorted(sorted, 1 - tail)];
}

/**
 * The basic (reverse-percentile) bootstrap interval [2θ̂ − q_hi, 2θ̂ − q_lo], clamped to `bounds`.
 * JS divergence from finite samples is biased upward, and resampling adds the same bias again, so
 * the percentiles of the resamples sit above the truth; reflecting them around the estimate
 * removes that bias (where percentile and even BC intervals can miss the estimate altogether).
 */
export function basicBootstrapInterval(
  samples: readonly number[],
  estimate: number,
  confidence = 0.95,
  bounds: [number, number] = [-Infinity, Infinity],
): [number, number] {
  const [low, high] = percentileInterval(samples, confidence);
  const clamp = (x: number) => Math.min(bounds[1], Math.max(bounds[0], x));
  return [clamp(2 * estimate - high), clamp(2 * estimate - low)];
}

export interface BepBootstrapOptions {
  window?: number;
  resamples?: number;
  confidence?: number;
  /** Mean block length of the stationary bootstrap; default: automatic per phase (categoryBlockLength). */
  blockLength?: number;
  seed: string | number;
}

export interface BepBootstrap {
  /** The plug-in JS divergence (the paper's BEP), biased upward in small samples. */
  bep: number;
  /** 2·bep − the mean of the resamples, within [0, 1]: the estimate a report should headline. */
  biasCorrected: number;
  /** Basic bootstrap interval, within [0, 1]; it always contains biasCorrected. */
  ci: [number, number];
  /** The mean block lengths used for the cultivation and counterfactual windows. */
  blockLength: { cultivation: number; counterfactual: number };
}

/**
 * BEP with a basic bootstrap interval (bias-corrected, within [0, 1]) from a stationary bootstrap
 * of each phase's window separately, the mean block length chosen from the data (Politis–White on
 * the category indicator series). Unlabelled steps carry no category mass, so they are left out
 * before resampling: every resample then has a distribution. Deterministic for a given seed.
 * Coverage of the process's true BEP is checked by test/sandbox/bep-coverage.test.ts.
 */
export function bepBootstrapCi(
  cultivation: readonly CategorizedStep[],
  counterfactual: readonly CategorizedStep[],
  { window = 400, resamples = 1000, confidence = 0.95, blockLength, seed }: BepBootstrapOptions,
): BepBootstrap {
  checkPositiveInteger(resamples, 'resamples');
  if (blockLength !== undefined && !(blockLength >= 1)) throw new RangeError(`blockLength must be at least 1, got ${blockLength}`);
  const { before, after } = bepWindows(cultivation, counterfactual, window);
  const labelledBefore = before.filter(isLabelled);
  const labelledAfter = after.filter(isLabelled);
  const rng = createRng(seed);
  // One stream per phase, so one phase's resamples do not depend on the other's length.
  const beforeRng = rng.fork('cultivation');
  const afterRng = rng.fork('counterfactual');
  const blocks = {
    cultivation: blockLength ?? categoryBlockLength(labelledBefore),
    counterfactual: blockLength ?? categoryBlockLength(labelledAfter),
  };
  const samples = Array.from({ length: resamples }, () =>
    jsDivergence(
      categoryCounts(stationaryBootstrapResample(beforeRng, labelledBefore, blocks.cultivation)),
      categoryCounts(stationaryBootstrapResample(afterRng, labelledAfter, blocks.counterfactual)),
    ),
  );
  const bep = jsDivergence(categoryCounts(before), categoryCounts(after));
  // The same correction as the interval's: the estimate minus the bootstrap's estimate of its bias.
  const biasCorrected = Math.min(1, Math.max(0, 2 * bep - mean(samples)));
  const [low, high] = basicBootstrapInterval(samples, bep, confidence, [0, 1]);
  // The reflected percentiles bracket 2·bep − mean unless the resamples are wildly skewed; a
  // headline estimate outside its own interval would be read as an error, so the interval widens to it.
  return { bep, biasCorrected, ci: [Math.min(low, biasCorrected), Math.max(high, biasCorrected)], blockLength: blocks };
}
