import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bepBootstrapCi,
  bubbleEscapePotential,
  categoryBlockLength,
  categoryCounts,
  createRng,
  diversityChangePct,
  diversityWindows,
  jsDivergence,
  normalizedEntropy,
  percentileInterval,
  politisWhiteBlockLength,
  basicBootstrapInterval,
  stationaryBootstrapResample,
  smape,
  weightedDiversity,
  weightedDiversityWindows,
  type CategorizedStep,
} from '../../core';

const close = (actual: number, expected: number, tolerance = 1e-9): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

const steps = (...labels: (string | string[])[]): CategorizedStep[] =>
  labels.map((label) => ({ level1: typeof label === 'string' ? (label ? [label] : []) : label }));

/** JS({a:1} ‖ {a:1,b:1}) by hand: P=(1,0), Q=(½,½), M=(¾,¼).
 *  KL(P‖M) = log2(4/3); KL(Q‖M) = ½·log2(2/3) + ½·log2(2).
 *  JS = ½[log2 4 − log2 3] + ¼[1 − log2 3] + ¼ = 1.5 − 0.75·log2 3 = 0.311278124459… */
const JS_ONE_VS_TWO = 1.5 - 0.75 * Math.log2(3);

test('smape: both zero contributes 0, predicting 0 for 10 contributes the maximum 2', () => {
  assert.equal(smape([0], [0]), 0);
  assert.equal(smape([0], [10]), 2);
  // terms: 2·0/20 = 0, 2·10/10 = 2, 0/0 → 0, 2·4/20 = 0.4 → mean = 2.4 / 4 = 0.6
  close(smape([10, 0, 0, 12], [10, 10, 0, 8]), 0.6);
});

test('smape rejects empty input and length mismatches', () => {
  assert.throws(() => smape([], []), { name: 'RangeError', message: 'smape: no values to compare' });
  assert.throws(() => smape([1, 2], [1]), { name: 'RangeError', message: 'smape: 2 predicted values but 1 true values' });
});

test('diversityWindows counts distinct level-1 labels per sliding window, one value per window end', () => {
  // windows of 3 over food | gaming | food | music | food+gaming | (unlabelled):
  // {food,gaming}=2, {gaming,food,music}=3, {food,music,gaming}=3, {music,food,gaming}=3
  const feed = steps('food', 'gaming', 'food', 'music', ['food', 'gaming'], '');
  assert.deepEqual(diversityWindows(feed, 3), [2, 3, 3, 3]);
  assert.equal(diversityWindows(steps(...Array<string>(25).fill('food'))).length, 25 - 20 + 1);
});

test('diversityWindows: fewer steps than the window give one value over all steps; no steps give none', () => {
  assert.deepEqual(diversityWindows(steps('food', 'gaming', 'food')), [2]);
  assert.deepEqual(diversityWindows([]), []);
  assert.throws(() => diversityWindows(steps('food'), 0), RangeError);
});

test('weightedDiversity: 1 per level-1 category plus 0.2 per extra distinct level-2 under it', () => {
  const feed: CategorizedStep[] = [
    { level1: ['food'], level2: ['cooking'] },
    { level1: ['food'], level2: ['baking'] },
    { level1: ['food'], level2: ['cooking'] },
    { level1: ['gaming'] }, // no level-2 known: counts 1
    { level1: ['music'], level2: ['cover', 'cats'] }, // cats is not under music: ignored
    { level1: ['food'], level2: ['esports'] }, // esports is under gaming, which this step lacks: ignored
  ];
  // food {cooking, baking}: 1 + 0.2·1 = 1.2; gaming: 1; music {cover}: 1 → 3.2
  close(weightedDiversity(feed), 3.2);
  assert.equal(weightedDiversity([]), 0);
  // windows of 2 over the first four: food{cooking,baking}=1.2, food{baking,cooking}=1.2, food{cooking}+gaming=2
  const windows = weightedDiversityWindows(feed.slice(0, 4), 2);
  assert.equal(windows.length, 3);
  [1.2, 1.2, 2].forEach((expected, i) => close(windows[i] as number, expected));
});

test('categoryCounts counts every label of a multi-label step, each once per step', () => {
  assert.deepEqual(categoryCounts(steps('food', ['food', 'gaming'], ['food', 'food'], '')), { food: 3, gaming: 1 });
});

test('normalizedEntropy: uniform → 1, one category → 0, skewed by hand', () => {
  close(normalizedEntropy({ a: 1, b: 1 }), 1);
  assert.equal(normalizedEntropy({ a: 5, b: 0 }), 0);
  assert.equal(normalizedEntropy({}), 0);
  // (3,1): H = −(¾ ln ¾ + ¼ ln ¼) = 0.562335; / ln 2 = 0.811278
  close(normalizedEntropy({ a: 3, b: 1 }), -(0.75 * Math.log2(0.75) + 0.25 * Math.log2(0.25)));
  close(normalizedEntropy({ a: 3, b: 1 }), 0.8112781244591328);
  // (¼,¼,½): H = 1.5 bits; / log2 3 = 0.946395
  close(normalizedEntropy({ a: 1, b: 1, c: 2 }), 1.5 / Math.log2(3));
});

test('diversityChangePct compares the mean of the last quarter with the first; narrowing is negative', () => {
  // 8 values → parts of 2: early (4+4)/2 = 4, late (2+2)/2 = 2 → (2 − 4)/4 = −50 %
  assert.equal(diversityChangePct([4, 4, 3, 3, 2, 2, 2, 2]), -50);
  // 5 values → parts of floor(1.25) = 1: 10 → 12 = +20 %
  close(diversityChangePct([10, 1, 1, 1, 12]) as number, 20);
  assert.equal(diversityChangePct([3]), 0);
  assert.equal(diversityChangePct([]), null);
  assert.equal(diversityChangePct([0, 0, 5, 5]), null);
  assert.throws(() => diversityChangePct([1, 2], 0.75), RangeError);
});

test('jsDivergence: identical (also as scaled counts) → exactly 0, disjoint → exactly 1', () => {
  assert.equal(jsDivergence({ a: 2, b: 1 }, { a: 4, b: 2 }), 0);
  assert.equal(jsDivergence({ a: 3, b: 7 }, { c: 1 }), 1);
  assert.equal(jsDivergence({ a: 1, b: 1, c: 1 }, { d: 0.1, e: 0.7, f: 0.2 }), 1);
});

test('jsDivergence matches a hand-computed value and is symmetric', () => {
  close(jsDivergence({ a: 1 }, { a: 1, b: 1 }), JS_ONE_VS_TWO);
  close(JS_ONE_VS_TWO, 0.31127812445913283);
  close(jsDivergence({ a: 1, b: 1 }, { a: 1 }), JS_ONE_VS_TWO);
});

test('jsDivergence rejects an empty or all-zero side by name, and negative counts', () => {
  assert.throws(() => jsDivergence({}, { a: 1 }), { name: 'RangeError', message: 'jsDivergence: distribution p is empty (no positive count)' });
  assert.throws(() => jsDivergence({ a: 1 }, { a: 0 }), { name: 'RangeError', message: 'jsDivergence: distribution q is empty (no positive count)' });
  assert.throws(() => jsDivergence({ a: -1, b: 2 }, { a: 1 }), /p\["a"\] = -1 is not a non-negative count/);
});

test('BEP compares the last window of cultivation with the first window of counterfactual', () => {
  // last 4 cultivation steps: food ×4 → P = (1, 0)
  // first 4 counterfactual: food, food+music, (none), music → food 2, music 2 → Q = (½, ½)
  const cultivation = steps('gaming', 'gaming', 'gaming', 'food', 'food', 'food', 'food');
  const counterfactual = steps('food', ['food', 'music'], '', 'music', 'dance', 'dance');
  close(bubbleEscapePotential(cultivation, counterfactual, 4), JS_ONE_VS_TWO);
  // Over whole phases (default window 400 > length): gaming 3, food 4 vs food 2, music 2, dance 2.
  const wide = bubbleEscapePotential(cultivation, counterfactual);
  close(wide, jsDivergence({ gaming: 3, food: 4 }, { food: 2, music: 2, dance: 2 }));
  assert.equal(bubbleEscapePotential(steps('food'), steps('gaming')), 1);
});

test('BEP refuses a window with no labelled step, naming the phase', () => {
  assert.throws(() => bubbleEscapePotential(steps('food', ''), steps('food'), 1), /the last 1 cultivation steps carry no level-1 label/);
  assert.throws(() => bubbleEscapePotential(steps('food'), steps('', 'food'), 1), /the first 1 counterfactual steps carry no level-1 label/);
});

test('stationary bootstrap keeps the length, runs blocks on circularly, and is deterministic for a seed', () => {
  const items = Array.from({ length: 100 }, (_, i) => i);
  const resample = stationaryBootstrapResample(createRng('b'), items, 10);
  assert.equal(resample.length, 100);
  assert.deepEqual(stationaryBootstrapResample(createRng('b'), items, 10), resample);
  assert.notDeepEqual(stationaryBootstrapResample(createRng('c'), items, 10), resample);
  // Blocks of mean length 10: about 10 block starts, each followed by its successors (99 → 0 wraps).
  const continued = resample.filter((x, i) => i > 0 && x === ((resample[i - 1] as number) + 1) % 100).length;
  assert.ok(continued > 75 && continued < 99, `${continued} of 99 steps continue a block`);
  // One endless block is the series rotated: the steps at both ends count like the others.
  const rotated = stationaryBootstrapResample(createRng('r'), items, Infinity);
  assert.deepEqual(rotated, items.map((_, i) => (i + (rotated[0] as number)) % 100));
  assert.deepEqual(stationaryBootstrapResample(createRng('b'), [], 5), []);
  assert.throws(() => stationaryBootstrapResample(createRng('b'), items, 0.5), /meanBlockLength must be at least 1/);
});

test('Politis–White block length: ~1 for independent steps, long for a persistent series, capped, 1 without variance', () => {
  const rng = createRng('pw');
  const independent = Array.from({ length: 400 }, () => (rng.chance(0.3) ? 1 : 0));
  assert.ok(politisWhiteBlockLength(independent) < 3, `independent: ${politisWhiteBlockLength(independent)}`);
  // A two-state chain that switches with probability 0.05: runs of ~20 steps.
  let state = 0;
  const sticky = Array.from({ length: 400 }, () => (state = rng.chance(0.05) ? 1 - state : state));
  const length = politisWhiteBlockLength(sticky);
  assert.ok(length > 8, `persistent: ${length}`);
  assert.ok(length <= Math.ceil(Math.min(3 * Math.sqrt(400), 400 / 3)), 'within the cap');
  assert.equal(politisWhiteBlockLength(Array.from({ length: 400 }, () => 1)), 1);
  assert.equal(politisWhiteBlockLength([0, 1, 0]), 1, 'too short to say');
  // Per window, the slowest category decides.
  const feed = sticky.map((x, i) => ({ level1: [x === 1 ? 'food' : independent[i] === 1 ? 'music' : 'gaming'] }));
  assert.ok(categoryBlockLength(feed) >= politisWhiteBlockLength(sticky));
});

test('percentileInterval interpolates between order statistics', () => {
  const oneTo101 = Array.from({ length: 101 }, (_, i) => 101 - i);
  // 90 %: positions 100·0.05 = 5 and 100·0.95 = 95 of the sorted 1..101 → 6 and 96
  assert.deepEqual(percentileInterval(oneTo101, 0.9), [6, 96]);
  // 50 % of [0, 10]: positions 0.25 and 0.75 → 2.5 and 7.5
  assert.deepEqual(percentileInterval([10, 0], 0.5), [2.5, 7.5]);
  assert.throws(() => percentileInterval([]), RangeError);
  assert.throws(() => percentileInterval([1], 1), RangeError);
});

const cycle = (pattern: string[], length: number): CategorizedStep[] =>
  steps(...Array.from({ length }, (_, i) => pattern[i % pattern.length] as string));

test('bootstrap CI: disjoint phases give BEP = 1 with CI [1, 1]', () => {
  const result = bepBootstrapCi(cycle(['food', 'gaming'], 100), cycle(['music', 'dance'], 100), { seed: 'x', resamples: 50 });
  assert.deepEqual({ bep: result.bep, biasCorrected: result.biasCorrected, ci: result.ci }, { bep: 1, biasCorrected: 1, ci: [1, 1] });
});

test('bootstrap CI is deterministic for a seed, brackets a noisy BEP, and depends on the seed', () => {
  const rng = createRng('feed');
  const categories = ['food', 'gaming', 'music', 'dance', 'comedy'];
  const noisy = (weights: number[]): CategorizedStep[] =>
    Array.from({ length: 400 }, () => ({ level1: [categories[rng.weightedIndex(weights)] as string] }));
  const cultivation = noisy([6, 1, 1, 1, 1]);
  const counterfactual = noisy([1, 1, 1, 3, 4]);
  const first = bepBootstrapCi(cultivation, counterfactual, { seed: 9, resamples: 300 });
  assert.deepEqual(bepBootstrapCi(cultivation, counterfactual, { seed: 9, resamples: 300 }), first);
  assert.ok(first.ci[0] < first.bep && first.bep < first.ci[1], `${first.bep} outside ${first.ci}`);
  assert.ok(first.ci[0] <= first.biasCorrected && first.biasCorrected <= first.ci[1], 'the headline estimate lies in its interval');
  assert.ok(first.blockLength.cultivation >= 1 && first.blockLength.counterfactual >= 1);
  assert.deepEqual(bepBootstrapCi(cultivation, counterfactual, { seed: 9, resamples: 300, blockLength: 7 }).blockLength, { cultivation: 7, counterfactual: 7 }, 'a fixed length when asked');
  assert.ok(first.ci[0] > 0 && first.ci[1] < 1);
  assert.notDeepEqual(bepBootstrapCi(cultivation, counterfactual, { seed: 10, resamples: 300 }).ci, first.ci);
});

test('the basic bootstrap interval reflects the resample percentiles around the estimate', () => {
  // Percentiles of 0..100 at 90 %: [5, 95]; reflected around 40: [2·40 − 95, 2·40 − 5] = [−15, 75].
  const samples = Array.from({ length: 101 }, (_, i) => i);
  assert.deepEqual(basicBootstrapInterval(samples, 40, 0.9), [-15, 75]);
  assert.deepEqual(basicBootstrapInterval(samples, 40, 0.9, [0, 1]), [0, 1]);
});

test('the basic bootstrap interval removes an upward resampling bias', () => {
  // Resamples sit 0.1 above the estimate, as JS divergence's do: the interval centres on the
  // bias-corrected value 0.2 − 0.1 = 0.1.
  const samples = Array.from({ length: 101 }, (_, i) => 0.29 + i / 5000); // 0.29..0.31
  const [low, high] = basicBootstrapInterval(samples, 0.2, 0.95, [0, 1]);
  assert.ok(Math.abs((low + high) / 2 - 0.1) < 1e-9, `centre ${(low + high) / 2}`);
  assert.ok(Math.abs(high - low - (percentileInterval(samples)[1] - percentileInterval(samples)[0])) < 1e-12, 'same width');
});

test('a short audit still gets a BEP interval of non-zero width', () => {
  const cultivation = Array.from({ length: 20 }, (_, i) => ({ level1: [i % 2 === 0 ? 'food' : 'gaming'] }));
  const counterfactual = Array.from({ length: 20 }, (_, i) => ({ level1: [i % 3 === 0 ? 'food' : 'music'] }));
  const { ci } = bepBootstrapCi(cultivation, counterfactual, { window: 20, seed: 1 });
  assert.ok(ci[1] > ci[0], `interval [${ci}] has width`);
});

test('the bias-corrected BEP sits below the plug-in value for two samples of one distribution', () => {
  // Both phases draw from the same 10 categories: the true JS is 0, the plug-in estimate is not.
  const rng = createRng('same');
  const draw = () => Array.from({ length: 200 }, () => ({ level1: [`c${rng.int(10)}`] }));
  const { bep, biasCorrected } = bepBootstrapCi(draw(), draw(), { window: 200, seed: 2, resamples: 300 });
  assert.ok(bep > 0 && biasCorrected < bep, `plug-in ${bep}, bias-corrected ${biasCorrected}`);
});
