import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { assertKey, contentTypeFor } from '../../artifacts/artifact-store';
import { LocalArtifactStore } from '../../artifacts/local-store';
import { openArtifactStore, parseS3Location } from '../../artifacts/open-store';
import { S3ArtifactStore } from '../../artifacts/s3-store';
import { recordKey, screenshotKey } from '../../core/interaction-record';
import { BAD_KEYS } from './store-contract';

describe('openArtifactStore', () => {
  test('a path opens a local folder, resolved against the working directory', () => {
    const store = openArtifactStore('runs/artifacts');
    assert.ok(store instanceof LocalArtifactStore);
    assert.equal(store.location, path.resolve('runs/artifacts'));
  });

  test('s3://bucket/prefix opens S3 (without touching the network)', () => {
    const store = openArtifactStore('s3://my-bucket/studies/s1/', { s3Endpoint: 'http://127.0.0.1:8333' });
    assert.ok(store instanceof S3ArtifactStore);
    assert.equal(store.location, 's3://my-bucket/studies/s1');
    assert.equal(store.locate('audits/a1/x.json'), 's3://my-bucket/studies/s1/audits/a1/x.json');
    assert.equal(openArtifactStore('s3://my-bucket').location, 's3://my-bucket');
    assert.equal(openArtifactStore('s3://my-bucket/').location, 's3://my-bucket');
    assert.throws(() => openArtifactStore('s3://my-bucket', { s3Endpoint: '127.0.0.1:8333' }), /invalid S3 endpoint "127\.0\.0\.1:8333"/);
  });

  test('parseS3Location splits bucket and prefix', () => {
    assert.deepEqual(parseS3Location('s3://b-1.x/a/b//'), { bucket: 'b-1.x', prefix: 'a/b' });
    assert.equal(parseS3Location('./s3-copy'), undefined);
  });

  test('a malformed S3 location fails with a message naming it', () => {
    const cases: Array<[string, RegExp]> = [
      ['s3://', /names no bucket/],
      ['s3:///prefix', /names no bucket/],
      ['s3://ab/prefix', /3-63 characters/],
      ['s3://My_Bucket', /lowercase letters/],
      ['s3:bucket/prefix', /expected s3:\/\/bucket/],
      ['s3://bucket/a//b', /empty segment/],
      ['s3://bucket/../up', /starts with '\.'/],
    ];
    for (const [location, reason] of cases) {
      assert.throws(
        () => openArtifactStore(location),
        (error: Error) => error.message.includes(location) && reason.test(error.message),
        location,
      );
    }
  });
});

describe('artifact keys', () => {
  test("the keys core builds for records and screenshots are valid", () => {
    for (const key of [recordKey('a1', 'cultivation', 7), screenshotKey('audit-2.b_c', 'counterfactual', 123456)]) {
      assert.doesNotThrow(() => assertKey(key));
    }
  });

  test('keys that escape, are absolute, hidden or have empty segments are refused', () => {
    for (const key of BAD_KEYS) assert.throws(() => assertKey(key), /invalid artifact key/, JSON.stringify(key));
  });

  test('content types follow the extension', () => {
    assert.equal(contentTypeFor('a/b.json'), 'application/json');
    assert.equal(contentTypeFor('a/b.PNG'), 'image/png');
    assert.equal(contentTypeFor('a/b'), 'application/octet-stream');
    assert.equal(contentTypeFor('reports/json'), 'application/octet-stream');
  });
});
