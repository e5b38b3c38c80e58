/** The openai-compatible policy against a real local HTTP server with scripted replies. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PersonaSchema } from '../../core/persona';
import type { PolicyContext } from '../../core/policy';
import { loadPolicyConfig } from '../../activities/policy/config';
import { createPolicy } from '../../activities/policy/create-policy';
import { PolicyError } from '../../activities/policy/model-policy';
import { personaFixture } from '../core/persona-fixture';
import { startScriptedModelServer, type ScriptedReply } from '../helpers/scripted-model-server';

const context: PolicyContext = {
  persona: PersonaSchema.parse(personaFixture()),
  video: { platform: 'sandbox', title: 'Dumplings in ten minutes', creator: 'chef-li', level1: ['food'], durationSeconds: 40 },
  history: [{ level1: ['gaming'], title: 'Speedrun', watchSeconds: 1.1, like: false, comment: false, share: false }],
  seed: 'test/cultivation/0',
};
const GOOD = 'Video: a cook folds dumplings\nCategory: Food-Home cooking\n\n```python\nwatch(12.5)\nlike()\ncomment("looks tasty")\n```';
/** Bytes of a JPEG header: enough to stand for a frame. */
const SCREENSHOT = { mimeType: 'image/jpeg', base64: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]).toString('base64') } as const;

async function withServer(script: (n: number) => ScriptedReply, env: Record<string, string>, run: (policy: ReturnType<typeof createPolicy>, requests: Awaited<ReturnType<typeof startScriptedModelServer>>['requests']) => Promise<void>) {
  const server = await startScriptedModelServer(script);
  try {
    const config = loadPolicyConfig({ PERSONAACT_POLICY_BASE_URL: server.url, PERSONAACT_POLICY_MODEL: 'persona-lora', PERSONAACT_POLICY_HTTP_RETRIES: '0', ...env });
    await run(createPolicy('openai-compatible', { config }), server.requests);
  } finally {
    await server.close();
  }
}

test('a code-block answer becomes the decision; the request carries the model, the persona prompt and the history', async () => {
  await withServer(() => ({ content: GOOD }), {}, async (policy, requests) => {
    const outcome = await policy.decide(context);
    assert.deepEqual(outcome.decision, { watchSeconds: 12.5, like: true, comment: 'looks tasty', notInterested: false });
    assert.equal(outcome.exchanges.length, 1);
    assert.equal(outcome.exchanges[0]!.error, undefined);
    assert.equal(requests.length, 1);
    const [system, user] = requests[0]!.messages;
    assert.equal(requests[0]!.model, 'persona-lora');
    await policy.decide(context);
    await policy.decide({ ...context, seed: 'test/cultivation/1' });
    assert.equal(requests[1]!.seed, requests[0]!.seed, 'the same step asks with the same sampling seed');
    assert.notEqual(requests[2]!.seed, requests[0]!.seed, 'another step with another');
    assert.equal(system!.role, 'system');
    assert.match(String(system!.content), /I watch cooking videos to the end/);
    assert.equal(typeof user!.content, 'string', 'no screenshot: plain text');
    assert.match(String(user!.content), /1\. "Speedrun" \[Gaming\] → watch\(1\.1\)/);
    assert.match(String(user!.content), /Title: Dumplings in ten minutes/);
    assert.deepEqual((outcome.exchanges[0]!.response as { choices: { message: { content: string } }[] }).choices[0]!.message.content, GOOD);
  });
});

test('a JSON decision is read too', async () => {
  await withServer(() => ({ content: '{"watchSeconds": 3.5, "share": "mum"}' }), {}, async (policy) => {
    assert.deepEqual((await policy.decide(context)).decision, { watchSeconds: 3.5, like: false, share: 'mum', notInterested: false });
  });
});

test('an unreadable answer is asked again with the parse error, and both attempts are kept', async () => {
  await withServer((n) => ({ content: n === 1 ? 'I would watch it for a while.' : GOOD }), {}, async (policy, requests) => {
    const outcome = await policy.decide(context);
    assert.equal(outcome.decision.watchSeconds, 12.5);
    assert.deepEqual(outcome.exchanges.map((e) => e.attempt), [1, 2]);
    assert.match(outcome.exchanges[0]!.error!, /unknown action "I"/);
    const retry = requests[1]!.messages;
    assert.deepEqual(retry.slice(-2).map((m) => m.role), ['assistant', 'user']);
    assert.equal(retry.at(-2)!.content, 'I would watch it for a while.');
    assert.match(String(retry.at(-1)!.content), /could not be read \(line 1: unknown action "I"/);
    assert.equal((outcome.exchanges[0]!.request as { messages: unknown[] }).messages.length, 2, 'each exchange keeps the request as it was sent');
  });
});

test('always unreadable: bounded attempts, then a clear error with every exchange', async () => {
  await withServer(() => ({ content: 'watch(fast)' }), { PERSONAACT_POLICY_MAX_ATTEMPTS: '3' }, async (policy, requests) => {
    const error = await policy.decide(context).then(() => assert.fail('expected a failure'), (e: unknown) => e);
    assert.ok(error instanceof PolicyError);
    assert.match(error.message, /^openai-compatible: no readable decision after 3 attempts; last error: line 1: watch\(\) needs a non-negative number of seconds, got "fast"/);
    assert.equal(error.exchanges.length, 3);
    assert.equal(requests.length, 3);
  });
});

test('a slow server times out with a clear error', async () => {
  await withServer(() => ({ content: GOOD, delayMs: 3000 }), { PERSONAACT_POLICY_TIMEOUT_MS: '200' }, async (policy) => {
    // The server would answer a readable decision after 3 s: a rejection naming the timeout is the client giving up first.
    await assert.rejects(policy.decide(context), (error: Error) => error instanceof PolicyError && /the model call failed: Request timed out/.test(error.message));
  });
});

test('server errors are retried by the client, then surfaced', async () => {
  await withServer(() => ({ status: 500 }), { PERSONAACT_POLICY_HTTP_RETRIES: '1' }, async (policy, requests) => {
    await assert.rejects(policy.decide(context), /openai-compatible: the model call failed: 500/);
    assert.equal(requests.length, 2, 'one try and one retry');
  });
  await withServer((n) => (n === 1 ? { status: 503 } : { content: GOOD }), { PERSONAACT_POLICY_HTTP_RETRIES: '1' }, async (policy) => {
    assert.equal((await policy.decide(context)).decision.watchSeconds, 12.5);
  });
});

test('the screenshot goes as an image part; the stored request keeps its hash, not its bytes', async () => {
  await withServer(() => ({ content: GOOD }), {}, async (policy, requests) => {
    const outcome = await policy.decide({ ...context, screenshot: SCREENSHOT });
    const content = requests[0]!.messages[1]!.content as { type: string; text?: string; image_url?: { url: string } }[];
    assert.deepEqual(content.map((part) => part.type), ['text', 'image_url']);
    assert.equal(content[1]!.image_url!.url, `data:image/jpeg;base64,${SCREENSHOT.base64}`);
    assert.match(content[0]!.text!, /The current screen is attached as an image\./);
    const stored = JSON.stringify(outcome.exchanges[0]!.request);
    assert.ok(!stored.includes(SCREENSHOT.base64), 'no base64 in the stored request');
    assert.match(stored, /sha256:[0-9a-f]{64} \(image\/jpeg, 7 bytes\)/);
  });
});

test('missing or malformed settings name the variable', () => {
  assert.throws(() => createPolicy('openai-compatible', { config: loadPolicyConfig({}) }), /policy "openai-compatible" needs PERSONAACT_POLICY_BASE_URL to be set/);
  assert.throws(() => createPolicy('openai-compatible', { config: loadPolicyConfig({ PERSONAACT_POLICY_BASE_URL: 'http://127.0.0.1:1/v1' }) }), /needs PERSONAACT_POLICY_MODEL/);
  assert.throws(() => loadPolicyConfig({ PERSONAACT_POLICY_TIMEOUT_MS: 'soon' }), /policy environment: PERSONAACT_POLICY_TIMEOUT_MS: expected number/);
  assert.throws(() => createPolicy('gpt-human'), /unknown policy "gpt-human"; available: persona-stat, openai-compatible, sagemaker-endpoint/);
});
