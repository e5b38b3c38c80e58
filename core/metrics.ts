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
 * Moving-block bootstrap: concatenates random contiguous blocks until the original length. Steps of
 * a feed are autocorrelated (the recommender follows the last videos), so resampling single steps
 * would understate the variance.
 */
export function blockBootstrapResample<T>(rng: Rng, items: readonly T[], blockLength: number): T[] {
  checkPositiveInteger(blockLength, 'blockLength');
  const length = Math.min(blockLength, items.length);
  const resample: T[] = [];
  while (resample.length < items.length) {
    const start = rng.int(items.length - length + 1);
    for (let i = start; i < start + length && resample.length < items.length; i++) resample.push(items[i] as T);
  }
  return resample;
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
  blockLength?: number;
  seed: string | number;
}

/**
 * BEP with a basic bootstrap interval (bias-corrected, within [0, 1]) from a moving-block bootstrap
 * of each phase's window separately. Unlabelled steps carry no category mass, so they are left out
 * before resampling: every resample then has a distribution. Blocks are at most a fifth of the
 * window, so a short audit's windows still resample into more than one arrangement. Deterministic
 * for a given seed.
 */
export function bepBootstrapCi(
  cultivation: readonly CategorizedStep[],
  counterfactual: readonly CategorizedStep[],
  { window = 400, resamples = 1000, confidence = 0.95, blockLength = 20, seed }: BepBootstrapOptions,
): { bep: number; biasCorrected: number; ci: [number, number] } {
  checkPositiveInteger(resamples, 'resamples');
  const { before, after } = bepWindows(cultivation, counterfactual, window);
  const labelledBefore = before.filter(isLabelled);
  const labelledAfter = after.filter(isLabelled);
  const rng = createRng(seed);
  // One stream per phase, so one phase's resamples do not depend on the other's length.
  const beforeRng = rng.fork('cultivation');
  const afterRng = rng.fork('counterfactual');
  const block = Math.min(blockLength, Math.max(1, Math.floor(window / 5)));
  const samples = Array.from({ length: resamples }, () =>
    jsDivergence(
      categoryCounts(blockBootstrapResample(beforeRng, labelledBefore, block)),
      categoryCounts(blockBootstrapResample(afterRng, labelledAfter, block)),
    ),
  );
  const bep = jsDivergence(categoryCounts(before), categoryCounts(after));
  // The same correction as the interval's: the estimate minus the bootstrap's estimate of its bias.
  const biasCorrected = Math.min(1, Math.max(0, 2 * bep - samples.reduce((a, b) => a + b, 0) / samples.length));
  return { bep, biasCorrected, ci: basicBootstrapInterval(samples, bep, confidence, [0, 1]) };
}
