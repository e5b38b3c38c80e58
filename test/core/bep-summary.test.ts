import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bepHeadline, intervalReachesZero } from '../../core/bep-summary';
import { bepBootstrapCi, type CategorizedStep } from '../../core/metrics';
import { createRng } from '../../core/rng';

test('the headline is the bias-corrected BEP inside its interval, the plug-in value beside it', () => {
  const text = bepHeadline({ value: 0.2, biasCorrected: 0.15, ci: [0.1, 0.21] });
  assert.equal(text, 'BEP 0.1500 (95 % CI 0.1000–0.2100; bias-corrected, plug-in 0.2000)');
  assert.equal(intervalReachesZero({ value: 0.2, biasCorrected: 0.15, ci: [0.1, 0.21] }), false);
});

test('an interval that reaches zero is said plainly', () => {
  // The demo's case: a plug-in 0.0395 above an interval clamped at 0.
  const text = bepHeadline({ value: 0.0395, biasCorrected: 0.0061, ci: [0, 0.0363] });
  assert.match(text, /^BEP 0\.0061 \(95 % CI 0\.0000–0\.0363; bias-corrected, plug-in 0\.0395\)\. The interval reaches 0: this audit cannot tell the escape from none at all$/);
});

test('for two phases drawn from one distribution, the estimate lies in its interval and the interval reaches zero', () => {
  const rng = createRng('same-mix');
  const draw = (): CategorizedStep[] => Array.from({ length: 60 }, () => ({ level1: [['food', 'music', 'gaming', 'dance'][rng.int(4)]!] }));
  const result = bepBootstrapCi(draw(), draw(), { window: 60, seed: 'h', resamples: 400 });
  assert.ok(result.ci[0] <= result.biasCorrected && result.biasCorrected <= result.ci[1], `${result.biasCorrected} in [${result.ci}]`);
  assert.ok(result.bep > result.biasCorrected, 'the plug-in value is biased upward');
  assert.ok(intervalReachesZero({ value: result.bep, ...result }), `interval [${result.ci}]`);
});
