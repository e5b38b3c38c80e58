import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { LocalArtifactStore } from '../../artifacts/local-store';
import { recordKey } from '../../core/interaction-record';
import { artifactStoreContract, pngLikeBytes } from './store-contract';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'personaact-artifacts-'));
let n = 0;
const freshFolder = () => path.join(root, `store-${n++}`);

/** Every file under `dir`, hidden ones included, relative with '/'. */
function allFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((entry) => fs.statSync(path.join(dir, entry)).isFile())
    .map((entry) => entry.split(path.sep).join('/'))
    .sort();
}

after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('LocalArtifactStore: the store contract', () => {
  artifactStoreContract(async () => new LocalArtifactStore(freshFolder()));
});

describe('LocalArtifactStore', () => {
  test('folders are 0700 and files 0600, whatever the umask', async () => {
    const previous = process.umask(0o022);
    try {
      const folder = freshFolder();
      const store = new LocalArtifactStore(folder);
      await store.putJson(recordKey('a1', 'cultivation', 0), { ok: true });
      const file = store.locate(recordKey('a1', 'cultivation', 0));
      assert.equal(fs.statSync(file).mode & 0o777, 0o600);
      assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
      assert.equal(fs.statSync(path.join(folder, 'audits')).mode & 0o777, 0o700);
    } finally {
      process.umask(previous);
    }
  });

  test('keys are files under the folder with the same layout', async () => {
    const folder = freshFolder();
    const store = new LocalArtifactStore(path.relative(process.cwd(), folder));
    assert.equal(store.location, folder, 'the location is resolved');
    await store.putJson(recordKey('a1', 'cultivation', 7), { ok: true });
    const file = path.join(folder, 'audits', 'a1', 'cultivation', '000007.json');
    assert.equal(store.locate(recordKey('a1', 'cultivation', 7)), file);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { ok: true });
  });

  test('writes leave no temporary files, even when racing on one key', async () => {
    const folder = freshFolder();
    const store = new LocalArtifactStore(folder);
    const key = recordKey('a1', 'cultivation', 0);
    const bodies = Array.from({ length: 20 }, () => Buffer.from(pngLikeBytes(256 * 1024)));
    await Promise.all(bodies.map((body) => store.put(key, body)));
    const got = await store.get(key);
    assert.ok(got && bodies.some((body) => body.equals(got)), 'the object is one whole body, not a mix');
    await store.put('reports/r.md', 'report');
    assert.deepEqual(allFiles(folder), [key, 'reports/r.md']);
  });

  test('a half-written temporary file left by a crash is invisible', async () => {
    const folder = freshFolder();
    const store = new LocalArtifactStore(folder);
    const key = recordKey('a1', 'cultivation', 7);
    await store.putJson(key, { attempt: 1 });
    fs.writeFileSync(path.join(folder, 'audits', 'a1', 'cultivation', '.000007.json.0badc0ffee00.tmp'), '{"attempt":');
    assert.deepEqual(await store.list(''), [key]);
    assert.deepEqual(await store.getJson(key), { attempt: 1 });
    await store.putJson(key, { attempt: 2 });
    assert.deepEqual(await store.getJson(key), { attempt: 2 });
  });

  test('a failed write names the key and the file, and cleans up its temporary file', async () => {
    const folder = freshFolder();
    const store = new LocalArtifactStore(folder);
    await store.put('a/b/c.json', '{}');
    // 'a/b' is a folder here: the rename over it fails after the temporary file was written.
    await assert.rejects(store.put('a/b', 'x'), (error: Error) => {
      assert.match(error.message, /could not write artifact a\/b to /);
      assert.ok(error.message.includes(path.join(folder, 'a', 'b')));
      return true;
    });
    assert.deepEqual(allFiles(folder), ['a/b/c.json']);
    assert.equal(await store.get('a/b'), undefined, 'a folder is not an object');
    assert.equal(await store.get('a/b/c.json/d'), undefined, 'nor is a path through a file');
  });
});
