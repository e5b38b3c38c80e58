/** The CLI faces of secrets: keygen, and the commands that refuse to run without a usable key. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSecretKey } from '../../secrets/keyring';
import { devKeyFile, devKeyVariables, ensureDevKey } from '../../infra/stack/secret-key';
import { BIN, personaact, run } from '../infra/helpers';

/** `personaact` with no key in its environment but `extra`, whatever the caller's environment holds. */
function withoutKeys(args: string[], extra: Record<string, string> = {}) {
  const env = { ...process.env };
  for (const name of ['PERSONAACT_SECRET_KEY', 'PERSONAACT_SECRET_KEY_FILE', 'PERSONAACT_PREVIOUS_SECRET_KEYS', 'PERSONAACT_ENCRYPT_PAYLOADS']) delete env[name];
  return run(process.execPath, [BIN, ...args], { cwd: tmpdir(), env: { ...env, ...extra } });
}

test('secrets keygen prints a fresh 32-byte key each time', async () => {
  const [a, b] = await Promise.all([personaact(['secrets', 'keygen']), personaact(['secrets', 'keygen'])]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(parseSecretKey(a.stdout, 'stdout').key.length, 32);
  assert.notEqual(a.stdout, b.stdout);
});

test('a browser worker without a key refuses to start, before connecting anywhere', async () => {
  const result = await withoutKeys(['worker', '--role', 'browser'], { PERSONAACT_TEMPORAL_ADDRESS: '127.0.0.1:1' });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^personaact: no secret key configured: browser workers keep account cookies only encrypted; set PERSONAACT_SECRET_KEY/);
});

test('a malformed key is named, never echoed; the codec server needs a key', async () => {
  const bad = await withoutKeys(['codec-server'], { PERSONAACT_SECRET_KEY: 'hunter2hunter2' });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /PERSONAACT_SECRET_KEY must be a 32-byte key/);
  assert.ok(!bad.stderr.includes('hunter2'));
  const none = await withoutKeys(['codec-server']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no secret key configured: the codec server decrypts with it/);
});

test('the local stack makes its key once (mode 0600) and lets a key in the environment win', () => {
  const dir = mkdtempSync(join(tmpdir(), 'personaact-devkey-'));
  try {
    const file = devKeyFile(dir);
    assert.deepEqual(devKeyVariables(dir, {}), { PERSONAACT_SECRET_KEY_FILE: file });
    assert.deepEqual(devKeyVariables(dir, { PERSONAACT_SECRET_KEY: 'x' }), {});
    assert.deepEqual(devKeyVariables(dir, { PERSONAACT_SECRET_KEY_FILE: '/elsewhere' }), {});
    assert.equal(ensureDevKey(file), true);
    const key = readFileSync(file, 'utf8');
    assert.equal(parseSecretKey(key, file).key.length, 32);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(ensureDevKey(file), false);
    assert.equal(readFileSync(file, 'utf8'), key, 'an existing key is kept');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
