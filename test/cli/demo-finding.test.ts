/** The demo's closing lines (cli/commands/demo.ts): an effect is claimed only when ΔBEP's interval excludes 0, with a caution when the timing cannot carry it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingSentence, skipCaution, timingCaution } from '../../cli/commands/demo';
import type { ArmEffect } from '../../core/study-analysis';

const effect = (delta: number, ci: [number, number] | null, pValue: number): ArmEffect => ({
  group: 'sandbox/responsive/user-a', arm: 'reversed', versus: 'control', delta, ci, pValue,
  permutations: 70, exact: true, n: { arm: 4, control: 4 }, escapeDelta: 0,
});

test('the finding names an effect only when the interval excludes 0, and says which way', () => {
  const further = findingSentence(effect(0.09, [0.06, 0.12], 2 / 70));
  assert.match(further, /moved the feed further .* interval \[0\.060, 0\.120\] excludes 0 \(permutation p = 0\.029, 4 reversed vs 4 control accounts\)/);
  assert.match(findingSentence(effect(-0.09, [-0.12, -0.06], 2 / 70)), /moved the feed less far .* excludes 0/);
  const unclear = findingSentence(effect(0.02, [-0.03, 0.07], 0.4));
  assert.match(unclear, /includes 0 .*cannot tell the reversal's effect from simply going on/);
  assert.doesNotMatch(unclear, /moved the feed/);
  assert.match(findingSentence(effect(0.02, null, 1)), /has no interval; run more replicates/);
});

test('a dwell error above the quick-skip threshold puts a caution beside the finding', () => {
  assert.equal(timingCaution(null, 20), null);
  assert.equal(timingCaution(1.2, 20), null);
  assert.match(timingCaution(6.9, 20) ?? '', /6\.9 s of platform time longer .* above the 3 s quick-skip threshold: at 20x .*--time-scale 10/);
  assert.match(timingCaution(4, 5) ?? '', /at 5x .*--time-scale 2, about twice as long/);
});

test('too few quick skips kept puts a caution beside the finding, whatever the median dwell error', () => {
  assert.equal(skipCaution({ intended: 0, kept: 0 }, 5), null);
  assert.equal(skipCaution({ intended: 221, kept: 183 }, 5), null, 'run 2 of the README: 83 % kept');
  assert.match(skipCaution({ intended: 297, kept: 106 }, 5) ?? '', /only 106 of the persona's 297 quick skips .* at 5x .*--time-scale 2/);
});
