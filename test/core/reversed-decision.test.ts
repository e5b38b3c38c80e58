import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../../core/decision';
import type { ReversalSettings } from '../../core/persona';
import { decidePersonaStat, personaStatPolicy } from '../../core/persona-stat-policy';
import { quantileFlip, reversePersona } from '../../core/reversal';
import { executedDecision, policyReversal, reverseDecision, reversesOutput } from '../../core/reversed-decision';
import { createRng } from '../../core/rng';
import { statPersona } from './persona-fixture';

const persona = statPersona({ food: 1, gaming: 0 });
const food = { level1: ['food'], durationSeconds: 600 };
const gaming = { level1: ['gaming'], durationSeconds: 600 };
const engaged: Decision = { watchSeconds: 12, like: true, comment: 'yum', share: 'friend', notInterested: true };
const flipSuppress: ReversalSettings = { strategy: 'quantile-flip', engagement: 'suppress' };
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test('output reversal: the watch time is flipped on p\'s distribution, engagement and "not interested" dropped', () => {
  const reversed = reverseDecision(engaged, { persona, settings: flipSuppress, video: food, seed: 's' });
  assert.deepEqual(reversed, { watchSeconds: Math.round(quantileFlip(persona.stats.watchSeconds)(12) * 100) / 100, like: false, notInterested: false });
  // p10 ↔ p90, the median stays.
  assert.equal(reverseDecision({ ...engaged, watchSeconds: 1 }, { persona, settings: flipSuppress, video: food, seed: 's' }).watchSeconds, 20);
  assert.equal(reverseDecision({ ...engaged, watchSeconds: 5 }, { persona, settings: flipSuppress, video: food, seed: 's' }).watchSeconds, 5);
});

test('output reversal, linear-30: t\' = max(0, 30 − t), capped by the video length', () => {
  const settings: ReversalSettings = { strategy: 'linear-30', engagement: 'suppress' };
  assert.equal(reverseDecision({ ...engaged, watchSeconds: 1.5 }, { persona, settings, video: food, seed: 's' }).watchSeconds, 28.5);
  assert.equal(reverseDecision({ ...engaged, watchSeconds: 45 }, { persona, settings, video: food, seed: 's' }).watchSeconds, 0);
  assert.equal(reverseDecision({ ...engaged, watchSeconds: 1.5 }, { persona, settings, video: { level1: ['food'], durationSeconds: 9 }, seed: 's' }).watchSeconds, 9);
});

test('output reversal, inverted engagement: p\' engages on what p passes over, never where p engaged, replayably', () => {
  const settings: ReversalSettings = { strategy: 'quantile-flip', engagement: 'invert' };
  const none: Decision = { watchSeconds: 3, like: false, notInterested: false };
  const likeRate = (decision: Decision, video: typeof food) =>
    mean(Array.from({ length: 4000 }, (_, i) => (reverseDecision(decision, { persona, settings, video, seed: `s/${i}` }).like ? 1 : 0)));
  // min(1, 2 · 0.1 · (1 − a)): 0.2 on what p has no affinity for, 0 on what p loves.
  assert.ok(Math.abs(likeRate(none, gaming) - 0.2) < 0.02, `gaming ${likeRate(none, gaming)}`);
  assert.equal(likeRate(none, food), 0);
  assert.equal(likeRate({ ...none, like: true }, gaming), 0, 'never likes what p liked');
  const once = reverseDecision(none, { persona, settings, video: gaming, seed: 'x' });
  assert.deepEqual(reverseDecision(none, { persona, settings, video: gaming, seed: 'x' }), once, 'the same seed transforms the same');
  assert.equal(once.notInterested, false);
});

test('only the output variant\'s counterfactual phase is transformed; only the prompt-only variant tells the policy about p\'', () => {
  const promptOnly: ReversalSettings = { ...flipSuppress, apply: 'prompt-only' };
  const input = { persona, settings: flipSuppress, video: food, seed: 's' };
  assert.equal(executedDecision(engaged, 'cultivation', input), engaged);
  assert.notDeepEqual(executedDecision(engaged, 'counterfactual', input), engaged);
  assert.equal(executedDecision(engaged, 'counterfactual', { ...input, settings: promptOnly }), engaged);
  assert.equal(reversesOutput('counterfactual', { ...flipSuppress, apply: 'output' }), true, 'output by name');
  assert.equal(reversesOutput('counterfactual', flipSuppress), true, 'output when absent (settings written before the option)');
  assert.equal(policyReversal('counterfactual', flipSuppress), undefined);
  assert.equal(policyReversal('cultivation', promptOnly), undefined);
  assert.deepEqual(policyReversal('counterfactual', promptOnly), promptOnly);
});

test('persona-stat decides as p unless told about p\', and then acts out p\'\'s statistics', async () => {
  const video = { platform: 'sandbox', title: 't', creator: 'c', level1: ['food'], durationSeconds: 600 };
  const asP = await personaStatPolicy.decide({ persona, video, history: [], seed: 'k' });
  assert.deepEqual(asP.decision, decidePersonaStat(persona, video, createRng('k')));
  const promptOnly: ReversalSettings = { ...flipSuppress, apply: 'prompt-only' };
  const asReversed = await personaStatPolicy.decide({ persona, video, history: [], seed: 'k', reversal: promptOnly });
  assert.deepEqual(asReversed.decision, decidePersonaStat(reversePersona(persona, promptOnly), video, createRng('k')));
});
