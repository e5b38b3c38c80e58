/**
 * The workflow bundle every test stack's main worker runs, built once and cached on disk: webpack
 * takes 10–30 s of CPU per test file on a loaded machine, and the bundle changes only when the
 * code in it does. The key hashes everything a bundle can contain — workflows/ and core/ (the
 * layer rules keep workflows to those and to types from activities/) and package-lock.json.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DEFAULT_DATA_DIR, REPO_ROOT } from '../../infra/stack/paths';
import { WORKFLOWS_PATH } from '../../workers/create-workers';

const CACHE_DIR = join(DEFAULT_DATA_DIR, 'cache', 'workflow-bundle');
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

function sourceHash(): string {
  const hash = createHash('sha256');
  const add = (file: string) => hash.update(file).update(readFileSync(file));
  for (const folder of ['workflows', 'core']) {
    for (const entry of readdirSync(join(REPO_ROOT, folder), { recursive: true, withFileTypes: true }).sort((a, b) => join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)))) {
      if (entry.isFile() && entry.name.endsWith('.ts')) add(join(entry.parentPath, entry.name));
    }
  }
  add(join(REPO_ROOT, 'package-lock.json'));
  return hash.digest('hex').slice(0, 24);
}

async function buildOrRead(): Promise<WorkflowBundleWithSourceMap> {
  const file = join(CACHE_DIR, `${sourceHash()}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as WorkflowBundleWithSourceMap;
  } catch {
    // Not built yet (or half-written by a crash: the rename below makes that unlikely).
  }
  const bundle = (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet })) as WorkflowBundleWithSourceMap;
  mkdirSync(CACHE_DIR, { recursive: true });
  // Test files run in parallel processes: write aside, then rename, so no reader sees half a file.
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, JSON.stringify({ code: bundle.code, sourceMap: bundle.sourceMap }));
  renameSync(temp, file);
  return bundle;
}

let cached: Promise<WorkflowBundleWithSourceMap> | undefined;

/** This process's bundle: read from the cache, or built and cached. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  cached ??= buildOrRead();
  return cached;
}
