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
import { PersonaSchema } from '../../core/persona';
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

test('an openai-compatible audit of 3 + 3: decisions from the model, frames and history in its requests, exchanges stored', async () => {
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
      assert.deepEqual(record.decision, { watchSeconds: 1.5, like: true, notInterested: false }, 'the model decides, in both phases');
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
  assert.match(String(counterfactual.messages[0]!.content), /I am the counterfactual of User a/, 'p\' is prompted as the reversed persona');
  assert.doesNotMatch(userText(4), /browsing history/, 'p\' starts without p\'s history');
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
