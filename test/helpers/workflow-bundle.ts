/**
 * The workflow bundle every test stack's main worker runs, built once and cached on disk: webpack
 * takes 10–30 s of CPU per test file on a loaded machine, and the bundle changes only when the
 * code in it does. The key hashes everything a bundle can contain — workflows/ and core/ (the
 * layer rules keep workflows to those and to types from activities/) and package-lock.json, and the
 * data converter's failure/payload converter modules, which the bundle carries (payload encryption
 * encrypts failure messages inside the workflow sandbox).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DEFAULT_DATA_DIR, REPO_ROOT } from '../../infra/stack/paths';
import { WORKFLOWS_PATH } from '../../workers/create-workers';

const CACHE_DIR = join(DEFAULT_DATA_DIR, 'cache', 'workflow-bundle');
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

type Converters = Pick<DataConverter, 'failureConverterPath' | 'payloadConverterPath'>;

function sourceHash(converters: Converters): string {
  const hash = createHash('sha256');
  const add = (file: string) => hash.update(file).update(readFileSync(file));
  for (const folder of ['workflows', 'core']) {
    for (const entry of readdirSync(join(REPO_ROOT, folder), { recursive: true, withFileTypes: true }).sort((a, b) => join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)))) {
      if (entry.isFile() && entry.name.endsWith('.ts')) add(join(entry.parentPath, entry.name));
    }
  }
  add(join(REPO_ROOT, 'package-lock.json'));
  for (const converter of [converters.failureConverterPath, converters.payloadConverterPath]) if (converter) add(converter);
  return hash.digest('hex').slice(0, 24);
}

async function buildOrRead(converters: Converters): Promise<WorkflowBundleWithSourceMap> {
  const file = join(CACHE_DIR, `${sourceHash(converters)}.json`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as WorkflowBundleWithSourceMap;
  } catch {
    // Not built yet (or half-written by a crash: the rename below makes that unlikely).
  }
  const bundle = (await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH, logger: quiet,
    ...(converters.failureConverterPath ? { failureConverterPath: converters.failureConverterPath } : {}),
    ...(converters.payloadConverterPath ? { payloadConverterPath: converters.payloadConverterPath } : {}),
  })) as WorkflowBundleWithSourceMap;
  mkdirSync(CACHE_DIR, { recursive: true });
  // Test files run in parallel processes: write aside, then rename, so no reader sees half a file.
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, JSON.stringify({ code: bundle.code, sourceMap: bundle.sourceMap }));
  renameSync(temp, file);
  return bundle;
}

const cached = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/** This process's bundle for a worker with these converters (default: none): read from the cache, or built and cached. */
export function workflowBundle(converters: Converters = {}): Promise<WorkflowBundleWithSourceMap> {
  const key = `${converters.failureConverterPath ?? ''}|${converters.payloadConverterPath ?? ''}`;
  if (!cached.has(key)) cached.set(key, buildOrRead(converters));
  return cached.get(key)!;
}
