/** The study analysis's pure parts: escape speed, the permutation test, intervals across replicates. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeSpeed } from '../../core/escape-speed';
import { differenceInterval, permutationTest, replicateEstimate } from '../../core/study-analysis';

const steps = (...runs: [string, number][]) => runs.flatMap(([category, n]) => Array.from({ length: n }, () => ({ level1: [category] })));

test('escape steps: the first window from which the feed stays closer to its new state', () => {
  // Cultivated: all food. The counterfactual feed switches to music after 50 steps: a 20-step
  // window ending at t holds t − 50 music videos, and is closer to all-music once that exceeds 10.
  const escape = escapeSpeed(steps(['food', 300]), steps(['food', 50], ['music', 150]));
  assert.equal(escape.steps, 61);
  assert.equal(escape.separation, 1);
  // A feed that never changes never escapes: censored.
  assert.equal(escapeSpeed(steps(['food', 300]), steps(['food', 10], ['music', 5], ['food', 185])).steps, null);
});

test('one window closer to the new state by chance does not count as an escape', () => {
  // Steady state (last half) is music; an early burst of 15 music videos among food is not enough.
  const escape = escapeSpeed(steps(['food', 200]), steps(['food', 30], ['music', 15], ['food', 55], ['music', 200]));
  assert.equal(escape.steps, 111);
});

test('permutation test: exact over all label assignments for small arms', () => {
  // |mean(a) − mean(b)| = 3 is reached only by the observed split and its mirror: 2 of C(6,3) = 20.
  assert.deepEqual(permutationTest([1, 2, 3], [4, 5, 6], 's'), { pValue: 0.1, permutations: 20, exact: true });
  assert.equal(permutationTest([1, 1], [1, 1], 's').pValue, 1, 'no difference: every assignment is as extreme');
});

test('permutation test: random assignments agree with the exact test and replay from the seed', () => {
  const a = [0.31, 0.28, 0.35, 0.22, 0.3, 0.26, 0.33, 0.29];
  const b = [0.05, 0.3, 0.08, 0.06, 0.27, 0.04, 0.09, 0.07];
  const exact = permutationTest(a, b, 's');
  assert.equal(exact.permutations, 12870);
  const drawn = permutationTest(a, b, 's', 4000);
  assert.equal(drawn.exact, false);
  assert.ok(Math.abs(drawn.pValue - exact.pValue) < 0.01, `${drawn.pValue} vs exact ${exact.pValue}`);
  assert.deepEqual(permutationTest(a, b, 's', 4000), drawn);
});

test('intervals across replicates contain the mean and need two replicates', () => {
  const e = replicateEstimate([0.2, 0.25, 0.3, 0.22], 'seed')!;
  assert.ok(e.ci && e.ci[0] <= e.mean && e.mean <= e.ci[1] && e.ci[0] >= 0.2 && e.ci[1] <= 0.3);
  assert.equal(replicateEstimate([0.2], 'seed')!.ci, null);
  assert.equal(replicateEstimate([], 'seed'), null);
  const d = differenceInterval([0.3, 0.32, 0.28], [0.05, 0.07, 0.06], 'seed')!;
  assert.ok(d[0] > 0.2 && d[1] < 0.28, `${d}`);
  assert.equal(differenceInterval([0.3], [0.05, 0.06], 'seed'), null);
});
