/**
 * The sagemaker-endpoint policy at the SDK seam: SageMaker itself cannot run here, so
 * aws-sdk-client-mock answers InvokeEndpoint; the request shape, re-asks and errors are real.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  InvokeEndpointCommand, SageMakerRuntimeClient, type InvokeEndpointCommandOutput, type SageMakerRuntimeClientResolvedConfig,
  type ServiceInputTypes, type ServiceOutputTypes,
} from '@aws-sdk/client-sagemaker-runtime';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { PersonaSchema } from '../../core/persona';
import type { PolicyContext } from '../../core/policy';
import { loadPolicyConfig } from '../../activities/policy/config';
import { createPolicy } from '../../activities/policy/create-policy';
import { PolicyError } from '../../activities/policy/model-policy';
import { personaFixture } from '../core/persona-fixture';

const context: PolicyContext = {
  persona: PersonaSchema.parse(personaFixture()),
  video: { platform: 'sandbox', title: 'Cat jumps', creator: 'meow', level1: ['pets-animals'] },
  history: [],
  screenshot: { mimeType: 'image/png', base64: Buffer.from('png-bytes').toString('base64') },
  seed: 's/cultivation/3',
};
/** What the SDK hands back: the body as bytes (the mock needs no stream helpers for them). */
const answer = (text: string) => ({ Body: new TextEncoder().encode(text) }) as unknown as InvokeEndpointCommandOutput;
const completion = (content: string) => answer(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
type SageMakerMock = AwsStub<ServiceInputTypes, ServiceOutputTypes, SageMakerRuntimeClientResolvedConfig>;
const config = loadPolicyConfig({ PERSONAACT_SAGEMAKER_ENDPOINT: 'persona-vlm', PERSONAACT_SAGEMAKER_REGION: 'eu-west-1', PERSONAACT_POLICY_MAX_ATTEMPTS: '2' });

function policyWith(setup: (mock: SageMakerMock) => void) {
  const client = new SageMakerRuntimeClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const mock = mockClient(client);
  setup(mock);
  return { policy: createPolicy('sagemaker-endpoint', { config, sagemakerClient: client }), mock };
}

test('InvokeEndpoint gets an OpenAI-style chat body with the prompt and the screenshot; the answer becomes the decision', async () => {
  const { policy, mock } = policyWith((m) => m.on(InvokeEndpointCommand).resolves(completion('Video: a cat\nCategory: Pets-Cats\n```python\nwatch(7)\nshare("sister")\n```')));
  const outcome = await policy.decide(context);
  assert.deepEqual(outcome.decision, { watchSeconds: 7, like: false, share: 'sister', notInterested: false });
  const calls = mock.commandCalls(InvokeEndpointCommand);
  assert.equal(calls.length, 1);
  const input = calls[0]!.args[0].input;
  assert.equal(input.EndpointName, 'persona-vlm');
  assert.equal(input.ContentType, 'application/json');
  const body = JSON.parse(String(input.Body));
  assert.deepEqual(Object.keys(body), ['messages', 'max_tokens', 'seed']);
  assert.ok(Number.isInteger(body.seed) && body.seed >= 0, 'a sampling seed from the step\'s seed');
  assert.deepEqual(body.messages.map((m: { role: string }) => m.role), ['system', 'user']);
  assert.equal(body.messages[1].content[1].image_url.url, `data:image/png;base64,${context.screenshot!.base64}`);
  assert.equal(JSON.stringify(outcome.exchanges).includes(context.screenshot!.base64), false, 'the stored exchange holds a hash, not the image');
});

test('a malformed answer is asked again; bounded attempts end in a clear error', async () => {
  const retried = policyWith((m) => m.on(InvokeEndpointCommand).resolvesOnce(completion('no idea')).resolves(completion('```python\nwatch(2)\n```')));
  const outcome = await retried.policy.decide(context);
  assert.equal(outcome.decision.watchSeconds, 2);
  assert.equal(outcome.exchanges.length, 2);
  const second = JSON.parse(String(retried.mock.commandCalls(InvokeEndpointCommand)[1]!.args[0].input.Body));
  assert.match(second.messages.at(-1).content, /could not be read/);

  const hopeless = policyWith((m) => m.on(InvokeEndpointCommand).resolves(completion('no idea')));
  await assert.rejects(hopeless.policy.decide(context), (error: Error) => error instanceof PolicyError && /sagemaker-endpoint: no readable decision after 2 attempts/.test(error.message) && error.exchanges.length === 2);
});

test('endpoint errors and non-chat answers are surfaced', async () => {
  const failing = policyWith((m) => m.on(InvokeEndpointCommand).rejects(Object.assign(new Error('Endpoint persona-vlm of account 1 not found.'), { name: 'ValidationError' })));
  await assert.rejects(failing.policy.decide(context), /sagemaker-endpoint: the model call failed: Endpoint persona-vlm of account 1 not found\./);
  const odd = policyWith((m) => m.on(InvokeEndpointCommand).resolves(answer('[{"generated_text":"watch(3)"}]')));
  await assert.rejects(odd.policy.decide(context), /the endpoint's answer is not a chat completion/);
  assert.throws(() => createPolicy('sagemaker-endpoint', { config: loadPolicyConfig({}) }), /needs PERSONAACT_SAGEMAKER_ENDPOINT to be set/);
});
