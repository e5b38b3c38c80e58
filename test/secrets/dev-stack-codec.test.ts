/**
 * `personaact dev up --encrypt-payloads` as a user runs it: the stack makes its key, the worker
 * encrypts payloads, the codec server answers the UI's origin and the UI is configured with it,
 * and the CLI given the stack's key runs an audit whose history the server holds only encrypted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto'; // CommonJS: Node's ESM loader sees only its default export
import { ENCRYPTED_ENCODING } from '../../secrets/payload-codec';
import { BIN, pickPorts, REPO_ROOT, run } from '../infra/helpers';

let dataDir: string;
let ports: { temporal: number; ui: number; sandbox: number; codec: number };
let cliEnv: NodeJS.ProcessEnv;

function personaact(args: string[], extra: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, [BIN, ...args], { cwd: tmpdir(), env: { ...cliEnv, ...extra }, timeoutMs: 240_000 });
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'personaact-dev-codec-'));
  ports = await pickPorts({ temporal: 19233, ui: 19234, sandbox: 19300, codec: 19235 });
  cliEnv = {
    ...process.env,
    PERSONAACT_TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`, PERSONAACT_UI_URL: `http://127.0.0.1:${ports.ui}`, PERSONAACT_SANDBOX_URL: `http://127.0.0.1:${ports.sandbox}`,
  };
  for (const name of ['PERSONAACT_SECRET_KEY', 'PERSONAACT_SECRET_KEY_FILE', 'PERSONAACT_PREVIOUS_SECRET_KEYS', 'PERSONAACT_ENCRYPT_PAYLOADS', 'PERSONAACT_ARTIFACTS']) delete cliEnv[name];
});

after(async () => {
  await personaact(['dev', 'down', '--data-dir', dataDir]);
  rmSync(dataDir, { recursive: true, force: true });
});

test('dev up --encrypt-payloads: key, codec server for the UI, encrypted history, CLI with the stack key', async () => {
  const up = await personaact([
    'dev', 'up', '--data-dir', dataDir, '--encrypt-payloads', '--time-scale', '50',
    '--temporal-port', String(ports.temporal), '--ui-port', String(ports.ui), '--sandbox-port', String(ports.sandbox), '--codec-port', String(ports.codec),
  ]);
  assert.equal(up.code, 0, up.stderr + up.stdout);
  const keyFile = join(dataDir, 'secret.key');
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  const codecUrl = `http://127.0.0.1:${ports.codec}`;
  assert.match(up.stdout, /CLI needs +PERSONAACT_SECRET_KEY_FILE=\S*secret\.key PERSONAACT_ENCRYPT_PAYLOADS=true/);

  const tokenFile = join(dataDir, 'codec.token');
  assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
  const codecEndpoint = `${codecUrl}/${readFileSync(tokenFile, 'utf8').trim()}`;
  const settings = (await (await fetch(`http://127.0.0.1:${ports.ui}/api/v1/settings`)).json()) as { Codec: { Endpoint: string } };
  assert.equal(settings.Codec.Endpoint, codecEndpoint, 'the UI decrypts through the stack codec server, with its token');
  assert.equal((await fetch(`${codecUrl}/decode`, { method: 'POST', body: '{"payloads":[]}' })).status, 401, 'not without the token');
  const preflight = await fetch(`${codecUrl}/decode`, { method: 'OPTIONS', headers: { Origin: `http://localhost:${ports.ui}`, 'Access-Control-Request-Method': 'POST' } });
  assert.equal(preflight.status, 204);

  const stackKey = { PERSONAACT_SECRET_KEY_FILE: keyFile, PERSONAACT_ENCRYPT_PAYLOADS: 'true', PERSONAACT_ARTIFACTS: join(dataDir, 'artifacts') };
  const started = await personaact([
    'audit', 'start', '--persona', join(REPO_ROOT, 'examples', 'personas', 'user-a.json'), '--cultivation', '3', '--counterfactual', '3',
    '--id', 'dev-codec', '--no-screenshots', '--wait',
  ], stackKey);
  assert.equal(started.code, 0, started.stderr);
  assert.match(started.stdout, /Completed: 6 interactions/);

  const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
  try {
    const history = await new Client({ connection }).workflow.getHandle('dev-codec').fetchHistory();
    const raw = Buffer.from(proto.temporal.api.history.v1.History.encode(history).finish());
    assert.ok(raw.includes(ENCRYPTED_ENCODING), 'payloads are encrypted');
    assert.ok(!raw.includes('"narrative"'), 'the persona is not in the raw history');
  } finally {
    await connection.close();
  }

  const withoutKey = await personaact(['audit', 'status', 'dev-codec', '--json'], { PERSONAACT_ARTIFACTS: stackKey.PERSONAACT_ARTIFACTS });
  assert.notEqual(withoutKey.code, 0);
  assert.equal(withoutKey.stdout, '', 'the query fails with the key message, not with "no worker answered"');
  assert.match(withoutKey.stderr, /a payload is encrypted \(key [0-9a-f]+\) but no secret key is configured: set PERSONAACT_SECRET_KEY/);
});
