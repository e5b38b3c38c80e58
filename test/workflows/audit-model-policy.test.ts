/**
 * An audit with policy "openai-compatible" on the real stack (Temporal dev server, workers,
 * sandbox, Chromium), the model being a local scripted OpenAI-compatible server: the model sees
 * the current frame and the recent history, and every exchange is stored beside the records.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadPhaseRecords } from '../../activities/analysis/analyze-audit';
import { loadPolicyConfig } from '../../activities/policy/config';
import { policyExchangesKey, type PolicyExchangesArtifact } from '../../activities/policy/on-screen';
import type { AuditMetrics } from '../../activities/analysis/analyze-audit';
import { PersonaSchema } from '../../core/persona';
import { quantileFlip } from '../../core/reversal';
import { startAuditStack, type AuditStack } from '../helpers/audit-stack';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';
import { startAudit } from '../../clients/audit';

const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../../examples/personas/user-a.json', import.meta.url), 'utf8')));
const TIME_SCALE = 50;
const STEPS = 3;

let stack: AuditStack;
let model: ScriptedModelServer;

before(async () => {
  // The first answer is unreadable (re-asked); then the model watches 1.5 s and likes.
  model = await startScriptedModelServer((n) => ({ content: n === 1 ? 'Hmm, nice video.' : 'Video: a clip\nCategory: Comedy-Sketch\n```python\nwatch(1.5)\nlike()\n```' }));
  stack = await startAuditStack({
    timeScale: TIME_SCALE,
    policy: loadPolicyConfig({ PERSONAACT_POLICY_BASE_URL: model.url, PERSONAACT_POLICY_MODEL: 'persona-lora', PERSONAACT_POLICY_TIMEOUT_MS: '20000' }),
  });
});

after(async () => {
  await stack?.stop();
  await model?.close();
});

const MODEL_DECISION = { watchSeconds: 1.5, like: true, notInterested: false };

test('an openai-compatible audit of 3 + 3: decisions from the model, reversed in the counterfactual phase; frames and history in its requests, exchanges stored', async () => {
  const auditId = 'audit-model-1';
  const handle = await startAudit(stack.env.client, {
    schemaVersion: 1, auditId, screenshots: false,
    spec: {
      schemaVersion: 1, platform: 'sandbox', persona, accountId: auditId, cultivationSteps: STEPS, counterfactualSteps: STEPS,
      seed: 3, timeScale: TIME_SCALE, reversal: { strategy: 'quantile-flip', engagement: 'suppress' }, policy: 'openai-compatible',
    },
  });
  assert.equal((await handle.result()).status, 'COMPLETED');
  assert.equal(model.requests.length, 2 * STEPS + 1, 'one request per step, and one re-ask');

  for (const phase of ['cultivation', 'counterfactual'] as const) {
    const records = await loadPhaseRecords(stack.store, auditId, phase);
    assert.deepEqual(records.map((r) => r.index), [0, 1, 2]);
    for (const record of records) {
      if (phase === 'cultivation') {
        assert.deepEqual(record.decision, MODEL_DECISION, 'p decides as the model said');
        assert.equal(record.policyDecision, undefined);
      } else {
        // The model decided as p; p' executed its output reversed: quantile flip on p's distribution, engagement off.
        assert.deepEqual(record.policyDecision, MODEL_DECISION, 'the model\'s own decision is kept');
        const flipped = Math.round(Math.min(quantileFlip(persona.stats.watchSeconds)(1.5), record.observation.durationSeconds) * 100) / 100;
        assert.ok(flipped > 1.5, `user a's 1.5 s is a short watch, so p' watches longer (${flipped} s)`);
        assert.deepEqual(record.decision, { watchSeconds: flipped, like: false, notInterested: false }, 'p\' executed the reversed output');
        assert.equal(record.intendedDwellMs, flipped * 1000);
      }
      const artifact = (await stack.store.getJson<PolicyExchangesArtifact>(policyExchangesKey(auditId, phase, record.index)))!;
      assert.equal(artifact.policy, 'openai-compatible');
      const first = phase === 'cultivation' && record.index === 0;
      assert.deepEqual(artifact.exchanges.map((e) => e.error === undefined), first ? [false, true] : [true]);
      // The frame the model saw is the step's screenshot, kept with the record although screenshots were off.
      const frame = (await stack.store.get(record.screenshotKey!))!;
      const hash = createHash('sha256').update(frame).digest('hex');
      const request = JSON.stringify(artifact.exchanges.at(-1)!.request);
      assert.ok(request.includes(`sha256:${hash} (image/jpeg`), `${phase} ${record.index}: the stored request names the stored frame`);
      assert.ok(!request.includes(frame.toString('base64').slice(0, 200)), 'and does not hold its bytes');
    }
  }

  const userText = (n: number) => {
    const content = model.requests[n]!.messages[1]!.content as { type: string; text?: string; image_url?: { url: string } }[];
    assert.deepEqual(content.map((p) => p.type), ['text', 'image_url']);
    assert.match(content[1]!.image_url!.url, /^data:image\/jpeg;base64,\/9j\//, 'a JPEG frame');
    return content[0]!.text!;
  };
  assert.doesNotMatch(userText(0), /browsing history/, 'the first step has no history');
  assert.match(userText(2), /Your browsing history \(most recent last\):\n1\. .* → watch\(1\.5\), like\(\)\n\n/, 'step 1 sees step 0');
  assert.match(userText(3), /\n2\. .* → watch\(1\.5\), like\(\)\n\n/, 'step 2 sees two steps');
  const counterfactual = model.requests[4]!;
  assert.doesNotMatch(String(counterfactual.messages[0]!.content), /counterfactual/, 'the model decides as p; its output is reversed');
  assert.doesNotMatch(userText(4), /browsing history/, 'the counterfactual phase starts without the cultivation\'s history');
  assert.match(userText(5), /\n1\. .* → watch\(1\.5\), like\(\)\n\n/, 'and its history holds the model\'s own decisions, not the reversed ones');

  const metrics = (await stack.store.getJson<AuditMetrics>(`audits/${auditId}/metrics.json`))!;
  assert.equal(metrics.reversalCheck!.transformedSteps, STEPS, 'the analysis sees every counterfactual step reversed');
  assert.equal(metrics.reversalCheck!.tookHold, null, 'a constant watch time cannot show a correlation');
});

test('prompt-only reversal: the model is prompted as p\' and its decision is executed as it is', async () => {
  const auditId = 'audit-model-3';
  const before = model.requests.length;
  const handle = await startAudit(stack.env.client, {
    schemaVersion: 1, auditId, screenshots: false,
    spec: {
      schemaVersion: 1, platform: 'sandbox', persona, accountId: auditId, cultivationSteps: 1, counterfactualSteps: 1,
      seed: 3, timeScale: TIME_SCALE, reversal: { strategy: 'quantile-flip', engagement: 'suppress', apply: 'prompt-only' }, policy: 'openai-compatible',
    },
  });
  assert.equal((await handle.result()).status, 'COMPLETED');
  const [record] = await loadPhaseRecords(stack.store, auditId, 'counterfactual');
  assert.deepEqual(record!.decision, MODEL_DECISION);
  assert.equal(record!.policyDecision, undefined);
  assert.match(String(model.requests[before + 1]!.messages[0]!.content), /I am the counterfactual of User a/, 'p\' is prompted as the reversed persona');
});

test('a model policy without its settings fails the audit at once, naming the variable', async () => {
  const auditId = 'audit-model-2';
  const handle = await startAudit(stack.env.client, {
    schemaVersion: 1, auditId, screenshots: false,
    spec: {
      schemaVersion: 1, platform: 'sandbox', persona, accountId: auditId, cultivationSteps: 1, counterfactualSteps: 1,
      seed: 3, timeScale: TIME_SCALE, reversal: { strategy: 'quantile-flip', engagement: 'suppress' }, policy: 'sagemaker-endpoint',
    },
  });
  // WorkflowFailedError ← ActivityFailure ← ApplicationFailure (the activity's message).
  const rootMessage = (error: Error): string => (error.cause instanceof Error ? rootMessage(error.cause) : error.message);
  await assert.rejects(handle.result(), (error: Error) => /policy "sagemaker-endpoint" needs PERSONAACT_SAGEMAKER_ENDPOINT to be set/.test(rootMessage(error)));
  const history = await handle.fetchHistory();
  const attempts = history.events?.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt) ?? [];
  assert.ok(attempts.every((a) => a === 1), 'no retries of a misconfigured policy');
});
