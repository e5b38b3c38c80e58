import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReversalSettings } from '../../core/persona';
import { decidePersonaStat } from '../../core/persona-stat-policy';
import { averageRanks, checkReversal, reversalCheckLines, spearman, type CheckedStep } from '../../core/reversal-check';
import { reverseDecision } from '../../core/reversed-decision';
import { createRng } from '../../core/rng';
import { statPersona } from './persona-fixture';

const persona = statPersona({ food: 0.9, 'travel-outdoors': 0.7, gaming: 0.1, sports: 0.2 });
const CATEGORIES = ['food', 'travel-outdoors', 'gaming', 'sports'];

/** 60 steps over the four categories: p decides, and in the counterfactual phase its output may be reversed. */
function phase(seed: string, reversal?: ReversalSettings): CheckedStep[] {
  const rng = createRng(seed);
  return Array.from({ length: 60 }, (_, i) => {
    const video = { level1: [CATEGORIES[i % CATEGORIES.length]!], durationSeconds: 600 };
    const decided = decidePersonaStat(persona, video, rng);
    const executed = reversal ? reverseDecision(decided, { persona, settings: reversal, video, seed: `${seed}/${i}` }) : decided;
    return { level1: video.level1, watchSeconds: executed.watchSeconds, transformed: reversal !== undefined };
  });
}

test('average ranks share ties; Spearman is the rank correlation and undefined for constants', () => {
  assert.deepEqual(averageRanks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
  assert.equal(spearman([1, 2, 3, 4], [10, 100, 1000, 10_000]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  assert.equal(spearman([1, 2, 3], [5, 5, 5]), null);
  assert.equal(spearman([1, 2], [1, 2]), null, 'too few steps');
});

test('a reversed counterfactual passes: the correlation flips sign and favoured videos are watched less', () => {
  const check = checkReversal(persona, { cultivation: phase('c'), counterfactual: phase('f', { strategy: 'quantile-flip', engagement: 'suppress' }) });
  assert.equal(check.tookHold, true, check.problems.join('; '));
  assert.ok(check.phases.cultivation.spearman! > 0.3 && check.phases.counterfactual.spearman! < -0.3);
  assert.ok(check.phases.counterfactual.medianFavouredSeconds! < check.phases.cultivation.medianFavouredSeconds!);
  assert.equal(check.transformedSteps, 60);
  assert.match(reversalCheckLines(check)[0]!, /^Reversal check: the reversal took hold\. Spearman/);
});

test('a counterfactual that acts as p (the reversal ignored) is flagged, naming what failed', () => {
  const check = checkReversal(persona, { cultivation: phase('c'), counterfactual: phase('f') });
  assert.equal(check.tookHold, false);
  assert.equal(check.transformedSteps, 0);
  assert.ok(check.problems.some((p) => /p' still watched what p favours at least as long/.test(p)), check.problems.join('; '));
  assert.ok(check.problems.some((p) => /median watch on p's favoured categories did not fall/.test(p)));
  assert.match(reversalCheckLines(check).join('\n'), /did NOT take hold[\s\S]*\n- in the counterfactual phase/);
});

test('a constant watch time cannot tell; no persona document is n/a', () => {
  const constant = (n: number) => Array.from({ length: n }, (_, i) => ({ level1: [CATEGORIES[i % 4]!], watchSeconds: 1.5, transformed: false }));
  const check = checkReversal(persona, { cultivation: constant(8), counterfactual: constant(8) });
  assert.equal(check.tookHold, null);
  assert.match(check.problems[0]!, /cannot tell/);
  assert.match(reversalCheckLines(null)[0]!, /n\/a/);
});
