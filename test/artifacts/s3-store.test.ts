/** The S3 store against a real SeaweedFS that this file starts (S3 on 19433, weed on 19434..19440). */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openArtifactStore } from '../../artifacts/open-store';
import { S3ArtifactStore } from '../../artifacts/s3-store';
import { recordKey, screenshotKey } from '../../core/interaction-record';
import { startSeaweed, type Seaweed } from './seaweed';
import { artifactStoreContract, pngLikeBytes } from './store-contract';

const S3_PORT = 19433;
const BUCKET = 'personaact-artifacts';

describe('S3ArtifactStore on SeaweedFS', { timeout: 180_000 }, () => {
  let dataDir = '';
  let seaweed: Seaweed | undefined;
  let endpoint = '';
  let n = 0;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'personaact-s3-store-'));
    seaweed = await startSeaweed(dataDir, S3_PORT);
    endpoint = seaweed.endpoint;
  });

  after(async () => {
    await seaweed?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('ensureBucket creates a missing bucket, and is idempotent', async () => {
    assert.equal((await fetch(`${endpoint}/${BUCKET}`, { method: 'HEAD' })).status, 404);
    const store = new S3ArtifactStore({ bucket: BUCKET, endpoint });
    await store.ensureBucket();
    assert.equal((await fetch(`${endpoint}/${BUCKET}`, { method: 'HEAD' })).status, 200);
    await store.ensureBucket();
    await new S3ArtifactStore({ bucket: BUCKET, prefix: 'other', endpoint }).ensureBucket();
  });

  describe('the store contract (each test under its own prefix)', () => {
    artifactStoreContract(async () => {
      const store = new S3ArtifactStore({ bucket: BUCKET, prefix: `contract/run-${n++}`, endpoint });
      await store.ensureBucket();
      return store;
    });
  });

  test('keys live under the prefix, with a content type from the extension', async () => {
    const store = openArtifactStore(`s3://${BUCKET}/studies/s1/`, { s3Endpoint: endpoint });
    assert.equal(store.location, `s3://${BUCKET}/studies/s1`);
    const png = pngLikeBytes(4096);
    await store.put(screenshotKey('a1', 'cultivation', 7), png);
    await store.putJson(recordKey('a1', 'cultivation', 7), { ok: true });
    assert.equal(store.locate(recordKey('a1', 'cultivation', 7)), `s3://${BUCKET}/studies/s1/audits/a1/cultivation/000007.json`);

    // Plain HTTP (the gateway has no identities): what another S3 tool would see.
    const raw = await fetch(`${endpoint}/${BUCKET}/studies/s1/audits/a1/cultivation/000007.jpg`);
    assert.equal(raw.status, 200);
    assert.equal(raw.headers.get('content-type'), 'image/jpeg');
    assert.ok(Buffer.from(await raw.arrayBuffer()).equals(png));
    const json = await fetch(`${endpoint}/${BUCKET}/studies/s1/audits/a1/cultivation/000007.json`);
    assert.equal(json.headers.get('content-type'), 'application/json');

    const sibling = openArtifactStore(`s3://${BUCKET}/studies/s10`, { s3Endpoint: endpoint });
    await sibling.put('x.txt', 'x');
    assert.deepEqual(await sibling.list(''), ['x.txt'], 's3://b/studies/s1 and s3://b/studies/s10 do not see each other');
    assert.deepEqual(await store.list(''), [screenshotKey('a1', 'cultivation', 7), recordKey('a1', 'cultivation', 7)]);
  });

  test('list follows continuation tokens across pages', async () => {
    const store = new S3ArtifactStore({ bucket: BUCKET, prefix: 'paged', endpoint, pageSize: 2 });
    const keys = Array.from({ length: 7 }, (_, i) => recordKey('a1', 'cultivation', i));
    await Promise.all(keys.map((key) => store.put(key, key)));
    assert.deepEqual(await store.list('audits/a1/'), keys);
    assert.deepEqual(await store.list('audits/a1/cultivation/00000'), keys);
  });

  test('objects that are not keys of this store are not listed', async () => {
    const store = new S3ArtifactStore({ bucket: BUCKET, prefix: 'foreign', endpoint });
    await store.put('ok.json', '{}');
    assert.equal((await fetch(`${endpoint}/${BUCKET}/foreign/folder/`, { method: 'PUT' })).status, 200);
    assert.deepEqual(await store.list(''), ['ok.json']);
  });

  test('explicit credentials work too (the local gateway accepts any pair)', async () => {
    const store = new S3ArtifactStore({
      bucket: BUCKET,
      prefix: 'signed',
      endpoint,
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
    });
    await store.put('k.txt', 'v');
    assert.equal((await store.get('k.txt'))?.toString(), 'v');
  });

  test('errors name the operation, the bucket and key, and the endpoint', async () => {
    const store = new S3ArtifactStore({ bucket: 'no-such-bucket', prefix: 'p', endpoint });
    for (const attempt of [() => store.put('a/b.json', '{}'), () => store.get('a/b.json'), () => store.list('a/')]) {
      await assert.rejects(attempt(), (error: Error) => {
        assert.match(error.message, /^S3 (PutObject|GetObject|ListObjectsV2) of s3:\/\/no-such-bucket\/p\/a\//);
        assert.ok(error.message.includes(endpoint), error.message);
        // SeaweedFS answers a put into a missing bucket with AccessDenied, the rest with NoSuchBucket.
        assert.match(error.message, /NoSuchBucket|AccessDenied/);
        assert.match(error.message, /ensureBucket\(\)/, 'with a hint');
        return true;
      });
    }
  });
});
