/**
 * What every ArtifactStore promises, written once and run against each store (local folder, S3).
 * `freshStore` returns an empty store for each test.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ArtifactKeyError, type ArtifactStore } from '../../artifacts/artifact-store';
import { recordKey, screenshotKey } from '../../core/interaction-record';

/** A PNG signature followed by random bytes: every byte value, no valid UTF-8. */
export function pngLikeBytes(size = 64 * 1024): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set(randomBytes(size));
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return bytes;
}

export const BAD_KEYS = ['', '/abs/key.json', 'a//b.json', 'a/b/', '../escape.json', 'a/../../b.json', 'a/./b', 'a/.hidden', 'a\\b.json', 'a/b\u0000.json'];

export function artifactStoreContract(freshStore: () => Promise<ArtifactStore>): void {
  test('a missing key reads as undefined', async () => {
    const store = await freshStore();
    assert.equal(await store.get('audits/none/cultivation/000000.json'), undefined);
    assert.equal(await store.getJson('audits/none/cultivation/000000.json'), undefined);
  });

  test('text and binary bodies round-trip byte for byte', async () => {
    const store = await freshStore();
    const png = pngLikeBytes();
    await store.put(screenshotKey('a1', 'cultivation', 7), png, 'image/jpeg');
    await store.put('reports/a1/summary.md', '# 审计 audit ✓\n');
    const got = await store.get(screenshotKey('a1', 'cultivation', 7));
    assert.ok(Buffer.isBuffer(got));
    assert.ok(got.equals(png));
    assert.equal((await store.get('reports/a1/summary.md'))?.toString('utf8'), '# 审计 audit ✓\n');
  });

  test('putJson / getJson round-trip', async () => {
    const store = await freshStore();
    const record = { schemaVersion: 1, auditId: 'a1', index: 7, decision: { actions: ['like'] }, note: '美食' };
    await store.putJson(recordKey('a1', 'cultivation', 7), record);
    assert.deepEqual(await store.getJson(recordKey('a1', 'cultivation', 7)), record);
  });

  test('put of an existing key overwrites it (a retried step never duplicates)', async () => {
    const store = await freshStore();
    const key = recordKey('a1', 'counterfactual', 3);
    await store.putJson(key, { attempt: 1, padding: 'x'.repeat(1000) });
    await store.putJson(key, { attempt: 2 });
    assert.deepEqual(await store.getJson(key), { attempt: 2 }, 'a shorter body leaves nothing of the longer one');
    assert.deepEqual(await store.list(''), [key]);
  });

  test('list returns the keys under a prefix, sorted', async () => {
    const store = await freshStore();
    const keys = [
      recordKey('a1', 'cultivation', 10),
      recordKey('a1', 'cultivation', 2),
      screenshotKey('a1', 'cultivation', 2),
      recordKey('a1', 'counterfactual', 0),
      recordKey('a10', 'cultivation', 0),
      'reports/a1.json',
    ];
    for (const key of keys) await store.put(key, key);
    assert.deepEqual(await store.list(''), [...keys].sort());
    assert.deepEqual(await store.list('audits/a1/cultivation/'), [
      'audits/a1/cultivation/000002.jpg',
      'audits/a1/cultivation/000002.json',
      'audits/a1/cultivation/000010.json',
    ]);
    assert.deepEqual(await store.list('audits/a1/'), keys.filter((k) => k.startsWith('audits/a1/')).sort());
    assert.deepEqual(await store.list('audits/a1'), keys.filter((k) => k.startsWith('audits/a1')).sort(), 'a plain string prefix');
    assert.deepEqual(await store.list('audits/a1/cultivation/00001'), ['audits/a1/cultivation/000010.json']);
    assert.deepEqual(await store.list('audits/zz/'), []);
    assert.deepEqual(await store.list('reports/a1.json/'), [], 'an object is not a folder');
  });

  test('delete removes an object; deleting a missing key is fine', async () => {
    const store = await freshStore();
    await store.putJson('accounts/sandbox/a1/account.json', { a: 1 });
    await store.putJson('accounts/sandbox/a1/other.json', { b: 2 });
    await store.delete('accounts/sandbox/a1/account.json');
    assert.equal(await store.get('accounts/sandbox/a1/account.json'), undefined);
    assert.deepEqual(await store.list('accounts/sandbox/a1/'), ['accounts/sandbox/a1/other.json']);
    await store.delete('accounts/sandbox/a1/account.json');
    await assert.rejects(store.delete('../escape.json'), /invalid artifact key/);
  });

  test('locate names the key inside the store location', async () => {
    const store = await freshStore();
    const key = recordKey('a1', 'cultivation', 7);
    assert.ok(store.locate(key).startsWith(store.location));
    assert.ok(store.locate(key).endsWith('audits/a1/cultivation/000007.json'));
  });

  test('invalid keys are refused with a message naming the key', async () => {
    const store = await freshStore();
    for (const key of BAD_KEYS) {
      const named = (error: unknown) => error instanceof ArtifactKeyError && error.message.includes(JSON.stringify(key));
      await assert.rejects(store.put(key, 'x'), named, `put(${JSON.stringify(key)})`);
      await assert.rejects(store.get(key), named, `get(${JSON.stringify(key)})`);
      assert.throws(() => store.locate(key), named);
    }
    for (const prefix of ['/', '/audits', '../', 'a//', 'a/../']) {
      await assert.rejects(store.list(prefix), ArtifactKeyError, `list(${JSON.stringify(prefix)})`);
    }
    assert.deepEqual(await store.list(''), [], 'nothing was written');
  });

  test('getJson of a body that is not JSON names where it is', async () => {
    const store = await freshStore();
    await store.put('reports/broken.json', '{"half":');
    await assert.rejects(store.getJson('reports/broken.json'), (error: Error) => {
      assert.match(error.message, /not valid JSON/);
      assert.ok(error.message.includes(store.locate('reports/broken.json')));
      return true;
    });
  });
}
