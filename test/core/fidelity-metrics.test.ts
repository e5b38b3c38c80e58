/** The fidelity metrics and baselines against values worked out by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogStep } from '../../core/behaviour-log';
import { baselinePredictions, median, smapeOptimalConstant } from '../../core/fidelity-baselines';
import {
  actionType,
  f1Score,
  fidelityMetrics,
  meanAbsoluteError,
  outcomeOfDecision,
  outcomeOfStep,
  pearson,
  typeAccuracy,
  watchHistogram,
  watchTimeKl,
  type ActionOutcome,
} from '../../core/fidelity-metrics';
import { smape } from '../../core/metrics';

const close = (actual: number | null, expected: number, tolerance = 1e-9): void =>
  assert.ok(actual !== null && Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

const outcome = (watchSeconds: number, flags: Partial<Omit<ActionOutcome, 'watchSeconds'>> = {}): ActionOutcome => ({
  watchSeconds, like: false, comment: false, share: false, notInterested: false, ...flags,
});

let minute = 0;
const step = (sessionId: string, watchSeconds: number, actions: LogStep['actions'] = []): LogStep => ({
  sessionId, time: new Date(Date.UTC(2025, 10, 1, 12, minute++)).toISOString(), platform: 'douyin', watchSeconds, actions,
});

test('action type: "watch" when nothing else happened, else the actions in a fixed order', () => {
  assert.equal(actionType(outcome(3)), 'watch');
  assert.equal(actionType(outcome(3, { share: true, like: true })), 'like+share');
  assert.equal(actionType(outcome(0, { notInterested: true })), 'not_interested');
  // A log's favourite has no counterpart in a decision: the step only watched.
  assert.equal(actionType(outcomeOfStep(step('s', 4, [{ type: 'favorite' }]))), 'watch');
  assert.equal(actionType(outcomeOfStep(step('s', 4, [{ type: 'comment', text: 'hi' }, { type: 'like' }]))), 'like+comment');
  assert.equal(actionType(outcomeOfDecision({ watchSeconds: 2, like: false, share: '', notInterested: false })), 'share');
});

test('MAE: (|1 − 2| + |2 − 2| + |3 − 5|) / 3 = 1', () => {
  assert.equal(meanAbsoluteError([1, 2, 3], [2, 2, 5]), 1);
  assert.throws(() => meanAbsoluteError([1], [1, 2]), /1 predicted values but 2 true values/);
  assert.throws(() => meanAbsoluteError([], []), /no values to compare/);
});

test('Pearson r by hand; null where it is undefined', () => {
  // p = (1, 2, 3), t = (2, 4, 7): deviations (−1, 0, 1) and (−7/3, −1/3, 8/3); cov = 5,
  // Σdp² = 2, Σdt² = 114/9, so r = 5 / √(228/9) = 15/√228.
  close(pearson([1, 2, 3], [2, 4, 7]), 15 / Math.sqrt(228));
  assert.equal(pearson([3, 2, 1], [1, 2, 3]), -1);
  // A constant predictor (even of a float whose mean is not exactly itself) has no correlation.
  assert.equal(pearson([5.495, 5.495, 5.495], [1, 2, 3]), null);
  assert.equal(pearson([1, 2, 3], [4, 4, 4]), null);
  assert.equal(pearson([1], [2]), null);
});

test('type accuracy counts exact action-set matches', () => {
  const truth = [outcome(1), outcome(2, { like: true }), outcome(3, { like: true, share: true }), outcome(4)];
  const predicted = [outcome(9), outcome(1, { like: true }), outcome(3, { like: true }), outcome(4, { comment: true })];
  // watch = watch, like = like, like ≠ like+share, comment ≠ watch → 2 / 4.
  assert.equal(typeAccuracy(predicted, truth), 0.5);
});

test('F1 = 2TP / (2TP + FP + FN); null only when neither side has a positive', () => {
  // TP 1, FP 1, FN 1 → 2 / 4.
  assert.equal(f1Score([true, true, false, false], [true, false, true, false]), 0.5);
  assert.equal(f1Score([false, false], [false, true]), 0);
  assert.equal(f1Score([true, false], [false, false]), 0);
  assert.equal(f1Score([false, false], [false, false]), null);
  assert.equal(f1Score([true], [true]), 1);
});

test('watch histogram: 20 equal bins over [0, top], 1e-6 added to each probability, renormalised', () => {
  // top 10: bin width 0.5; 0 → bin 0, 0.5 → bin 1, 5 → bin 10, 10 (the top) → the last bin.
  const h = watchHistogram([0, 0.5, 5, 10], 10);
  const z = 1 + 20e-6;
  for (const bin of [0, 1, 10, 19]) close(h[bin] as number, (0.25 + 1e-6) / z, 1e-15);
  close(h[2] as number, 1e-6 / z, 1e-18);
  close(h.reduce((a, b) => a + b, 0), 1, 1e-12);
  // Everything at 0 (top 0) lands in bin 0.
  close(watchHistogram([0, 0], 0)[0] as number, (1 + 1e-6) / z, 1e-12);
});

test('KL(true ‖ predicted) between the watch histograms, by hand', () => {
  // truth (0, 10), predicted (10, 10), top 10: p has ½ in bins 0 and 19, q all in bin 19; every
  // other bin holds 1e-6 on both sides and adds 0. With Z = 1 + 20·1e-6 and a = (½ + 1e-6) / Z:
  // KL = a·ln((½ + 1e-6) / 1e-6) + a·ln((½ + 1e-6) / (1 + 1e-6)).
  const a = (0.5 + 1e-6) / (1 + 20e-6);
  close(watchTimeKl([10, 10], [0, 10]), a * Math.log((0.5 + 1e-6) / 1e-6) + a * Math.log((0.5 + 1e-6) / (1 + 1e-6)), 1e-12);
  close(watchTimeKl([10, 10], [0, 10]), 6.214497737684886, 1e-9);
  assert.equal(watchTimeKl([3, 1, 2], [1, 2, 3]), 0);
  assert.equal(watchTimeKl([0, 0], [0]), 0);
  assert.throws(() => watchTimeKl([], [1]), /both sides need values/);
  assert.throws(() => watchTimeKl([Number.NaN], [1]), /not a finite non-negative number/);
});

test('fidelityMetrics puts the columns together', () => {
  const truth = [outcome(10, { like: true }), outcome(0), outcome(4)];
  const predicted = [outcome(10, { like: true }), outcome(2), outcome(4, { comment: true })];
  const m = fidelityMetrics(predicted, truth);
  close(m.smape, smape([10, 2, 4], [10, 0, 4]));
  close(m.smape, 2 / 3);
  close(m.mae, 2 / 3);
  assert.equal(m.typeAccuracy, 2 / 3);
  assert.deepEqual(m.f1, { like: 1, comment: 0, share: null });
  // Pearson over (10, 2, 4) vs (10, 0, 4): deviations (4.667, −3.333, −1.333) and (5.333, −4.667, −0.667).
  close(m.pearson, (4.666666666666667 * 5.333333333333333 + 3.333333333333333 * 4.666666666666667 + 1.3333333333333333 * 0.6666666666666666) /
    Math.sqrt((4.666666666666667 ** 2 + 3.333333333333333 ** 2 + 1.3333333333333333 ** 2) * (5.333333333333333 ** 2 + 4.666666666666667 ** 2 + 0.6666666666666666 ** 2)), 1e-12);
  assert.ok(m.kl > 0);
});

test('SMAPE-optimal constant: the observed value with the least SMAPE, not necessarily the median', () => {
  // c = 2: terms (0, 0, 2·8/12) → 4/9; c = 10: (2·8/12, 2·8/12, 0) → 8/9.
  assert.equal(smapeOptimalConstant([2, 10, 2]), 2);
  // c = 1 and c = 3 both give ½ (the interior stationary point √3 is a maximum, 0.536); the smaller wins.
  assert.equal(smapeOptimalConstant([3, 1]), 1);
  // 1, 2, 3, 50, 60 (median 3): SMAPE(2) = (2·1/3 + 0 + 2·1/5 + 2·48/52 + 2·58/62) / 5 ≈ 0.9568
  // beats SMAPE(3) = (2·2/4 + 2·1/5 + 0 + 2·47/53 + 2·57/63) / 5 ≈ 0.9966: below the median.
  assert.equal(smapeOptimalConstant([1, 2, 3, 50, 60]), 2);
  assert.equal(median([1, 2, 3, 50]), 2.5);
});

test('baselines: constant median, SMAPE-optimal constant, previous step within the session, seeded marginal sample', () => {
  const fit = [step('f1', 2), step('f1', 4, [{ type: 'like' }]), step('f2', 6), step('f2', 100)];
  const test_ = [step('t1', 1), step('t1', 8, [{ type: 'share' }]), step('t1', 3), step('t2', 5)];
  assert.deepEqual(baselinePredictions('constant-median', fit, test_, 's').map((o) => o.watchSeconds), [5, 5, 5, 5]);
  assert.ok(baselinePredictions('constant-median', fit, test_, 's').every((o) => actionType(o) === 'watch'));
  const constant = smapeOptimalConstant([2, 4, 6, 100]);
  assert.equal(constant, 4);
  assert.deepEqual(baselinePredictions('smape-optimal-constant', fit, test_, 's').map((o) => o.watchSeconds), [4, 4, 4, 4]);
  // The first step of each session falls back to the fit median; the others repeat the step before.
  const previous = baselinePredictions('previous-step', fit, test_, 's');
  assert.deepEqual(previous.map((o) => o.watchSeconds), [5, 1, 8, 5]);
  assert.deepEqual(previous.map(actionType), ['watch', 'watch', 'share', 'watch']);
  // Marginal draws come from the fit watch times, the same for the same seed, other for another.
  const draws = (seed: string) => baselinePredictions('marginal-sample', fit, Array.from({ length: 400 }, () => test_[0] as LogStep), seed);
  const first = draws('seed-1');
  assert.deepEqual(draws('seed-1'), first);
  assert.notDeepEqual(draws('seed-2'), first);
  assert.ok(first.every((o) => [2, 4, 6, 100].includes(o.watchSeconds)));
  // Like rate 1/4 in the fit steps; no comments or shares there, so none drawn.
  const likes = first.filter((o) => o.like).length / first.length;
  assert.ok(likes > 0.18 && likes < 0.32, `like rate ${likes}`);
  assert.ok(first.every((o) => !o.comment && !o.share));
  assert.throws(() => baselinePredictions('constant-median', [], test_, 's'), /no fit steps/);
});
