/**
 * infra/setup.sh is idempotent: a second run does nothing (quickly), and its stamps notice a
 * changed lockfile or changed pins.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { makeTempDir, REPO_ROOT, run } from './helpers';

const SETUP = path.join(REPO_ROOT, 'infra', 'setup.sh');

/** The stamp setup.sh writes: sha256 of `sha256sum <file>`'s output line. */
/** What setup.sh's hash_of prints for these files: sha256sum's listing, hashed. */
function stampOf(dir: string, ...relFiles: string[]): string {
  const listing = relFiles.map((file) => `${createHash('sha256').update(fs.readFileSync(path.join(dir, file))).digest('hex')}  ${file}\n`).join('');
  return createHash('sha256').update(listing).digest('hex');
}

const TRAINER_FILES = ['trainer/requirements.txt', 'trainer/requirements-dev.txt', 'trainer/pyproject.toml'];

test('a second run of infra/setup.sh is a fast no-op', async (t) => {
  const check = await run('bash', [SETUP, '--check'], { cwd: REPO_ROOT });
  if (check.code !== 0) {
    // Never run the real installs from inside the suite (npm ci would replace node_modules
    // under the running tests): `npm test` runs setup before the tests.
    t.skip(`setup has work to do; run \`npm run setup\` first:\n${check.stdout}`);
    return;
  }
  const second = await run('bash', [SETUP], { cwd: REPO_ROOT });
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /nothing to do/);
  assert.doesNotMatch(second.stdout, /npm ci|installing|apt-get/);
  // "nothing to do" and no install step are the check; how long the no-op takes is a number, not a pass/fail.
  t.diagnostic(`setup no-op took ${second.ms} ms`);
});

test('setup.sh --check sees a changed lockfile and changed pins', async () => {
  const root = makeTempDir('personaact-setup-');
  try {
    fs.mkdirSync(path.join(root, 'infra'));
    fs.copyFileSync(SETUP, path.join(root, 'infra', 'setup.sh'));
    fs.copyFileSync(path.join(REPO_ROOT, 'infra', 'requirements-bin.txt'), path.join(root, 'infra', 'requirements-bin.txt'));
    fs.writeFileSync(path.join(root, 'package-lock.json'), '{"lockfileVersion":3}\n');
    fs.mkdirSync(path.join(root, 'node_modules'));
    fs.writeFileSync(path.join(root, 'node_modules', '.personaact-lock.sha256'), `${stampOf(root, 'package-lock.json')}\n`);
    fs.mkdirSync(path.join(root, '.venv', 'bin'), { recursive: true });
    for (const bin of ['python', 'temporal', 'weed']) {
      fs.writeFileSync(path.join(root, '.venv', 'bin', bin), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    }
    fs.writeFileSync(path.join(root, '.venv', '.personaact-bin.sha256'), `${stampOf(root, 'infra/requirements-bin.txt')}\n`);
    fs.mkdirSync(path.join(root, 'trainer'));
    for (const file of TRAINER_FILES) fs.copyFileSync(path.join(REPO_ROOT, file), path.join(root, file));
    fs.writeFileSync(path.join(root, '.venv', '.personaact-trainer.sha256'), `${stampOf(root, ...TRAINER_FILES)}\n`);

    const env = { ...process.env, PERSONAACT_SKIP_CHROMIUM: '1' };
    const check = () => run('bash', [path.join(root, 'infra', 'setup.sh'), '--check'], { cwd: root, env });

    const clean = await check();
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.match(clean.stdout, /up to date/);

    fs.appendFileSync(path.join(root, 'package-lock.json'), '\n');
    const lockChanged = await check();
    assert.equal(lockChanged.code, 3);
    assert.match(lockChanged.stdout, /would: npm ci/);
    assert.doesNotMatch(lockChanged.stdout, /requirements-bin/);

    fs.writeFileSync(path.join(root, 'node_modules', '.personaact-lock.sha256'), `${stampOf(root, 'package-lock.json')}\n`);
    fs.appendFileSync(path.join(root, 'infra', 'requirements-bin.txt'), 'extra-pin==1.0\n');
    const pinsChanged = await check();
    assert.equal(pinsChanged.code, 3);
    assert.match(pinsChanged.stdout, /would: install infra\/requirements-bin\.txt/);
    assert.doesNotMatch(pinsChanged.stdout, /npm ci/);

    fs.rmSync(path.join(root, 'node_modules'), { recursive: true });
    const noModules = await check();
    assert.equal(noModules.code, 3);
    assert.match(noModules.stdout, /would: npm ci/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
