/**
 * How closely an agent imitates a person on held-out steps (docs/method.md, fidelity), one number per column
 * of the paper's Table 2. Definitions follow the released evaluation script (Silung/PersonaAct
 * infer.py: smape, mae, pearsonr, type accuracy, KL over 20-bin watch-time histograms) where it is
 * sound, and say where they differ:
 *
 * - Action type: infer.py takes only the FIRST call of each action block; every ground-truth block
 *   starts with watch(), so its "type accuracy" only checks that a model also leads with watch().
 *   Here the type is the set of engagement actions taken (like, comment, share, not_interested;
 *   "watch" when none), the exact action-set match of the paper's GRPO reward.
 * - KL: infer.py bins over [min, max] with 1e-10 smoothing. Here, as in the Python trainer's
 *   evaluate, the bins run over [0, max] with 1e-6 smoothing (see watchTimeKl), so a prediction
 *   of 0 s is never off the histogram and one mass-less bin cannot dominate.
 * - A log's favourite action has no counterpart in a decision and is left out of the type.
 */
import type { LogStep } from './behaviour-log';
import { hasAction } from './behaviour-log';
import type { Decision } from './decision';
import { mean, smape } from './metrics';

/** What happened (or was predicted) at one step, reduced to what the metrics compare. */
export interface ActionOutcome {
  readonly watchSeconds: number;
  readonly like: boolean;
  readonly comment: boolean;
  readonly share: boolean;
  readonly notInterested: boolean;
  /** A model's answer that never parsed: 0 s, no actions, and a type that matches nothing. */
  readonly unparsed?: true;
}

export const UNPARSED_OUTCOME: ActionOutcome = { watchSeconds: 0, like: false, comment: false, share: false, notInterested: false, unparsed: true };

export const outcomeOfStep = (step: LogStep): ActionOutcome => ({
  watchSeconds: step.watchSeconds,
  like: hasAction(step, 'like'),
  comment: hasAction(step, 'comment'),
  share: hasAction(step, 'share'),
  notInterested: false,
});

export const outcomeOfDecision = (decision: Decision): ActionOutcome => ({
  watchSeconds: decision.watchSeconds,
  like: decision.like,
  comment: decision.comment !== undefined,
  share: decision.share !== undefined,
  notInterested: decision.notInterested,
});

/** "watch" when the step only watched, else its actions joined in a fixed order: "like", "like+share", … ("unparsed" for an unreadable answer). */
export function actionType(outcome: ActionOutcome): string {
  if (outcome.unparsed) return 'unparsed';
  const taken = (['like', 'comment', 'share', 'notInterested'] as const).filter((flag) => outcome[flag]);
  return taken.length === 0 ? 'watch' : taken.map((flag) => (flag === 'notInterested' ? 'not_interested' : flag)).join('+');
}

function checkPairs(predicted: readonly unknown[], truth: readonly unknown[], metric: string): void {
  if (predicted.length !== truth.length) throw new RangeError(`${metric}: ${predicted.length} predicted values but ${truth.length} true values`);
  if (predicted.length === 0) throw new RangeError(`${metric}: no values to compare`);
}

export function meanAbsoluteError(predicted: readonly number[], truth: readonly number[]): number {
  checkPairs(predicted, truth, 'meanAbsoluteError');
  return mean(predicted.map((p, i) => Math.abs(p - (truth[i] as number))));
}

/** Pearson's r; null when it is undefined (fewer than two values, or either side constant: a constant predictor has no correlation). */
export function pearson(predicted: readonly number[], truth: readonly number[]): number | null {
  checkPairs(predicted, truth, 'pearson');
  const constant = (values: readonly number[]) => values.every((v) => v === values[0]);
  // Tested on the values, not the variance: the mean of n equal floats need not equal them, which
  // would leave a constant predictor a spurious r of ±1e-16.
  if (predicted.length < 2 || constant(predicted) || constant(truth)) return null;
  const mp = mean(predicted);
  const mt = mean(truth);
  let cov = 0;
  let vp = 0;
  let vt = 0;
  predicted.forEach((p, i) => {
    const dp = p - mp;
    const dt = (truth[i] as number) - mt;
    cov += dp * dt;
    vp += dp * dp;
    vt += dt * dt;
  });
  return Math.max(-1, Math.min(1, cov / Math.sqrt(vp * vt)));
}

export function typeAccuracy(predicted: readonly ActionOutcome[], truth: readonly ActionOutcome[]): number {
  checkPairs(predicted, truth, 'typeAccuracy');
  return predicted.filter((p, i) => actionType(p) === actionType(truth[i] as ActionOutcome)).length / predicted.length;
}

/**
 * F1 = 2·TP / (2·TP + FP + FN) of one binary flag. null when neither side has a positive (0/0):
 * with a flag that rare (comments: 0.3 % of steps) "perfect" or "zero" would both mislead.
 */
export function f1Score(predicted: readonly boolean[], truth: readonly boolean[]): number | null {
  checkPairs(predicted, truth, 'f1Score');
  let tp = 0;
  let wrong = 0;
  predicted.forEach((p, i) => {
    const t = truth[i] as boolean;
    if (p && t) tp++;
    else if (p !== t) wrong++;
  });
  return 2 * tp + wrong === 0 ? null : (2 * tp) / (2 * tp + wrong);
}

export const WATCH_HISTOGRAM_BINS = 20;
/** Added to every bin's probability before renormalising, so an empty predicted bin costs a finite amount. */
export const WATCH_HISTOGRAM_SMOOTHING = 1e-6;

/**
 * Bin probabilities of `values` over `bins` equal-width bins on [0, top]: value v falls in bin
 * min(bins − 1, ⌊(v / top) · bins⌋), in this order of operations as the Python trainer computes it
 * (all in bin 0 when top = 0); counts / n, + smoothing per bin,
 * renormalised to sum 1.
 */
export function watchHistogram(values: readonly number[], top: number, bins = WATCH_HISTOGRAM_BINS): number[] {
  if (values.length === 0) throw new RangeError('watchHistogram: no values');
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    const bin = top > 0 ? Math.min(bins - 1, Math.floor((v / top) * bins)) : 0;
    counts[bin] = (counts[bin] as number) + 1;
  }
  const smoothed = counts.map((c) => c / values.length + WATCH_HISTOGRAM_SMOOTHING);
  const total = smoothed.reduce((a, b) => a + b, 0);
  return smoothed.map((p) => p / total);
}

/**
 * KL(true ‖ predicted), natural log, between the 20-bin watch-time histograms of the two sides
 * over [0, max(observed ∪ predicted)]. The same definition as the Python trainer's evaluate.
 * 0 for identical distributions; large when the agent never produces watch times the person has.
 */
export function watchTimeKl(predicted: readonly number[], truth: readonly number[], bins = WATCH_HISTOGRAM_BINS): number {
  if (predicted.length === 0 || truth.length === 0) throw new RangeError('watchTimeKl: both sides need values');
  let top = 0;
  for (const v of [...predicted, ...truth]) {
    if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`watchTimeKl: watch time ${v} is not a finite non-negative number`);
    top = Math.max(top, v);
  }
  const p = watchHistogram(truth, top, bins);
  const q = watchHistogram(predicted, top, bins);
  return p.reduce((sum, pi, i) => sum + pi * Math.log(pi / (q[i] as number)), 0);
}

/** One row of the fidelity table. */
export interface FidelityMetrics {
  readonly smape: number;
  readonly mae: number;
  readonly pearson: number | null;
  readonly typeAccuracy: number;
  readonly f1: { readonly like: number | null; readonly comment: number | null; readonly share: number | null };
  readonly kl: number;
}

export function fidelityMetrics(predicted: readonly ActionOutcome[], truth: readonly ActionOutcome[]): FidelityMetrics {
  checkPairs(predicted, truth, 'fidelityMetrics');
  const seconds = (outcomes: readonly ActionOutcome[]) => outcomes.map((o) => o.watchSeconds);
  const flag = (name: 'like' | 'comment' | 'share') => f1Score(predicted.map((o) => o[name]), truth.map((o) => o[name]));
  return {
    smape: smape(seconds(predicted), seconds(truth)),
    mae: meanAbsoluteError(seconds(predicted), seconds(truth)),
    pearson: pearson(seconds(predicted), seconds(truth)),
    typeAccuracy: typeAccuracy(predicted, truth),
    f1: { like: flag('like'), comment: flag('comment'), share: flag('share') },
    kl: watchTimeKl(seconds(predicted), seconds(truth)),
  };
}
