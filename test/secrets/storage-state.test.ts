/** Account storage states at rest: encrypted in the artifact store, bound to their account. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStorageState, saveStorageState, storageStateKey, type StorageState } from '../../activities/accounts/storage-state';
import { LocalArtifactStore } from '../../artifacts/local-store';
import { Keyring } from '../../secrets/keyring';
import { testSecrets } from '../helpers/secrets';

const COOKIE = 'c00kie-value-that-must-stay-secret';
const state: StorageState = {
  cookies: [{ name: 'sandbox_session', value: COOKIE, domain: '127.0.0.1', path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Lax' }],
  origins: [{ origin: 'http://127.0.0.1:8300', localStorage: [{ name: 'token', value: COOKIE }] }],
};

function withStore(fn: (store: LocalArtifactStore, dir: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'personaact-storage-state-'));
    try {
      await fn(new LocalArtifactStore(dir), dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('saved encrypted (no cookie value on disk), loaded back whole', withStore(async (store, dir) => {
  const { keyring } = testSecrets();
  assert.equal(await loadStorageState(store, keyring, 'sandbox', 'a1'), undefined);
  await saveStorageState(store, keyring, 'sandbox', 'a1', state);
  const onDisk = readFileSync(join(dir, storageStateKey('sandbox', 'a1')), 'utf8');
  assert.ok(!onDisk.includes(COOKIE) && !onDisk.includes('sandbox_session'));
  assert.match(onDisk, /"format": "personaact\/aes-256-gcm"/);
  assert.deepEqual(await loadStorageState(store, keyring, 'sandbox', 'a1'), state);
}));

test('another key, or the file copied to another account, does not open', withStore(async (store) => {
  const { keyring } = testSecrets();
  await saveStorageState(store, keyring, 'sandbox', 'a1', state);
  await assert.rejects(loadStorageState(store, testSecrets().keyring, 'sandbox', 'a1'), /storage-state.enc.json: encrypted with key [0-9a-f]+, which is not configured/);
  await store.put(storageStateKey('sandbox', 'a2'), (await store.get(storageStateKey('sandbox', 'a1'))) ?? '');
  await assert.rejects(loadStorageState(store, keyring, 'sandbox', 'a2'), /authentication failed/);
}));

test('after rotation the old state still loads and is saved again under the new key', withStore(async (store) => {
  const old = testSecrets();
  await saveStorageState(store, old.keyring, 'sandbox', 'a1', state);
  const rotated = new Keyring(testSecrets().keyring.current, [old.keyring.current]);
  const loaded = await loadStorageState(store, rotated, 'sandbox', 'a1');
  assert.deepEqual(loaded, state);
  await saveStorageState(store, rotated, 'sandbox', 'a1', state);
  assert.equal(((await store.getJson(storageStateKey('sandbox', 'a1'))) as { keyId: string }).keyId, rotated.current.id);
}));
