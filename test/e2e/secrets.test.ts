/**
 * No secret in plain history, search attributes, logs or the artifact store: a real audit (5 + 5
 * at a fast clock) on the real stack with payload encryption on, then every place a secret could
 * leak is read raw — the history without the codec, the search attributes, every log line the
 * workers wrote, every file in the artifact store — and grepped for the account's session cookie
 * (the sandbox's sign-in, known once the audit ran); the history also for the persona's narrative.
 * Then the real `temporal` CLI reads the history through `personaact codec-server`'s protocol.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import proto from '@temporalio/proto'; // CommonJS: Node's ESM loader sees only its default export
import { loadStorageState, storageStateKey } from '../../activities/accounts/storage-state';
import { startCodecServer } from '../../secrets/codec-server';
import { EnvelopeSchema } from '../../secrets/envelope';
import { EncryptionCodec, ENCRYPTED_ENCODING } from '../../secrets/payload-codec';
import { PersonaSchema } from '../../core/persona';
import { venvBin } from '../../infra/stack/paths';
import { SESSION_COOKIE } from '../../sandbox/server';
import { routeTemporalLogs } from '../../workers/logger';
import { startAuditStack, type AuditStack } from '../helpers/audit-stack';
import { run } from '../infra/helpers';
import { captureLogs } from '../helpers/secrets';
import { startAudit } from '../../clients/audit';

const TIME_SCALE = 50;
const AUDIT_ID = 'secrets-grep';
const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../../examples/personas/user-b.json', import.meta.url), 'utf8')));

const logs = captureLogs('debug');
let stack: AuditStack;

before(async () => {
  // Before anything creates the Temporal runtime: the workers' logs go through the redacting logger.
  routeTemporalLogs(logs.logger);
  stack = await startAuditStack({ timeScale: TIME_SCALE, encryptPayloads: true });
});

after(() => stack?.stop());

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

test('an audit with encryption on leaves no cookie or persona text in history, search attributes, logs or artifacts', async (t) => {
  const namespace = stack.env.namespace ?? 'default';
  const client = new Client({ connection: stack.env.connection, namespace, dataConverter: stack.dataConverter });
  const handle = await startAudit(client, {
    schemaVersion: 1, auditId: AUDIT_ID, screenshots: false,
    spec: {
      schemaVersion: 1, platform: 'sandbox', persona, accountId: AUDIT_ID, cultivationSteps: 5, counterfactualSteps: 5,
      seed: 11, timeScale: TIME_SCALE, policy: 'persona-stat', reversal: { strategy: 'quantile-flip', engagement: 'suppress' },
    },
  });
  const result = await handle.result();
  assert.equal(result.status, 'COMPLETED', 'the codec client reads the encrypted result');

  // The secrets: the session the sandbox gave the account (from the decrypted storage state), and the persona's own words.
  const state = await loadStorageState(stack.store, stack.keyring, 'sandbox', AUDIT_ID);
  const session = state?.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '';
  assert.ok(session.length >= 16, 'the account signed in and its session cookie was saved');
  const narrative = persona.narrative.slice(0, 60);
  const leaks = (where: string, haystack: string | Buffer) => assert.ok(!haystack.includes(session), `${where} contains the session cookie`);

  // History as the server stores it (env.client has no codec), every run of the chain.
  const raw = stack.env.client.workflow.getHandle(AUDIT_ID);
  const history = proto.temporal.api.history.v1.History.encode(await raw.fetchHistory()).finish();
  const bytes = Buffer.from(history);
  const encrypted = bytes.toString('latin1').split(ENCRYPTED_ENCODING).length - 1;
  t.diagnostic(`${bytes.length} bytes of raw history, ${encrypted} encrypted payloads`);
  assert.ok(encrypted > 10, 'inputs and results are encrypted payloads');
  leaks('raw history', bytes);
  // The persona is research data, kept in the artifact store; in history the codec hides it.
  assert.ok(!bytes.includes(narrative), 'raw history contains the persona narrative');

  const description = await raw.describe();
  leaks('search attributes', JSON.stringify({ raw: description.raw.workflowExecutionInfo?.searchAttributes, typed: description.typedSearchAttributes }));
  leaks('memo', JSON.stringify(description.raw.workflowExecutionInfo?.memo ?? {}));

  // A careless log line with the storage state and an Authorization header is redacted too.
  logs.logger.info({ accountId: AUDIT_ID, storageState: state, request: { headers: { cookie: `${SESSION_COOKIE}=${session}`, authorization: `Bearer ${session}` } } }, 'session saved');
  t.diagnostic(`${logs.lines.length} log lines`);
  leaks('logs', logs.lines.join('\n'));

  // The artifact store: records, report, metrics, and the storage state only as an envelope.
  const files = filesUnder(join(stack.dir, 'artifacts'));
  assert.ok(files.some((f) => f.endsWith('report.md')));
  for (const file of files) leaks(file, readFileSync(file));
  const envelope = EnvelopeSchema.safeParse(await stack.store.getJson(storageStateKey('sandbox', AUDIT_ID)));
  assert.ok(envelope.success, 'the storage state is an encrypted envelope');
  assert.equal(envelope.data.keyId, stack.keyring.current.id);
  assert.ok(!files.some((f) => f.endsWith('storage-state.json')), 'no plain storage state');
});

test('the temporal CLI shows the history decrypted through the codec server, and ciphertext without it', async () => {
  const server = await startCodecServer({ codecs: [new EncryptionCodec({ keyring: stack.keyring, encrypt: true })], port: 0, token: 'e2e-codec-token-0123456789' });
  try {
    const show = (...extra: string[]) => run(venvBin('temporal'), [
      'workflow', 'show', '--workflow-id', AUDIT_ID, '--address', stack.env.address, '--namespace', stack.env.namespace ?? 'default', '--output', 'json', ...extra,
    ], { timeoutMs: 30_000 });
    /** The workflow's input as the CLI shows it: its encoding and data, decoded from base64. */
    const input = (stdout: string) => {
      const history = JSON.parse(stdout) as { events: Array<{ workflowExecutionStartedEventAttributes?: { input: { payloads: Array<{ metadata: { encoding: string }; data: string }> } } }> };
      const payload = history.events[0]?.workflowExecutionStartedEventAttributes?.input.payloads[0];
      const text = (b64 = '') => Buffer.from(b64, 'base64').toString('utf8');
      return { encoding: text(payload?.metadata.encoding), data: text(payload?.data) };
    };
    const decoded = await show('--codec-endpoint', server.endpoint);
    assert.equal(decoded.code, 0, decoded.stderr);
    assert.equal(input(decoded.stdout).encoding, 'json/plain');
    assert.ok(input(decoded.stdout).data.includes(JSON.stringify(persona.narrative).slice(1, 60)), 'the codec server decrypted the persona');
    const raw = await show();
    assert.equal(raw.code, 0, raw.stderr);
    assert.equal(input(raw.stdout).encoding, ENCRYPTED_ENCODING);
  } finally {
    await server.close();
  }
});

test('with encryption on, failure messages are encrypted too: raw history shows only "Encoded failure"', async () => {
  const client = new Client({ connection: stack.env.connection, namespace: stack.env.namespace ?? 'default', dataConverter: stack.dataConverter });
  const id = 'secrets-failure';
  const handle = await startAudit(client, {
    schemaVersion: 1, auditId: id, screenshots: false,
    spec: {
      schemaVersion: 1, platform: 'sandbox', persona, accountId: id, cultivationSteps: -3, counterfactualSteps: 5,
      seed: 11, timeScale: TIME_SCALE, policy: 'persona-stat', reversal: { strategy: 'quantile-flip', engagement: 'suppress' },
    },
  });
  await assert.rejects(handle.result(), (error: Error) => /cultivationSteps/.test(String((error.cause as Error | undefined)?.message)));
  const raw = await stack.env.client.workflow.getHandle(id).fetchHistory();
  const failed = raw.events?.find((e) => e.workflowExecutionFailedEventAttributes)?.workflowExecutionFailedEventAttributes?.failure;
  assert.equal(failed?.message, 'Encoded failure');
  assert.ok(!JSON.stringify(proto.temporal.api.history.v1.History.toObject(proto.temporal.api.history.v1.History.create(raw))).includes('cultivationSteps'), 'the reason is not in plain text');
});
