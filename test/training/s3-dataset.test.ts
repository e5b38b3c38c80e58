/**
 * Datasets in an S3 artifact store (a real SeaweedFS): `personaact dataset build --out s3://…`
 * uploads them, and the local backend copies one into the job folder for the trainer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { S3ArtifactStore } from '../../artifacts/s3-store';
import { readDatasetRef } from '../../activities/training/dataset-export';
import { LocalTrainingBackend } from '../../activities/training/local-backend';
import type { DatasetBuildResult } from '../../cli/training/dataset-build';
import { SageMakerRunOptionsSchema } from '../../core/training';
import { startSeaweed, type Seaweed } from '../artifacts/seaweed';
import { BIN, REPO_ROOT, run } from '../infra/helpers';
import { FAKE_TRAINER_COMMAND } from '../helpers/training-fixtures';

let dir: string;
let seaweed: Seaweed;

/** SeaweedFS takes the S3 port and the seven above it: try random bases until one is free. */
async function startOnFreePorts(dataDir: string): Promise<Seaweed> {
  let last: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await startSeaweed(dataDir, 20_000 + Math.floor(Math.random() * 20_000));
    } catch (error) {
      last = error;
      if (!/ports already in use/.test(String(error))) throw error;
    }
  }
  throw last;
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'personaact-s3-dataset-'));
  seaweed = await startOnFreePorts(path.join(dir, 'weed'));
});

after(async () => {
  await seaweed?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('dataset build uploads to S3, and the local backend trains from a copy in the job folder', { timeout: 120_000 }, async () => {
  const built = await run(process.execPath, [BIN, 'dataset', 'build', '--logs', path.join(REPO_ROOT, 'data/personaact/raw_data/b'),
    '--out', 's3://research/personaact', '--json'],
  { cwd: dir, env: { ...process.env, PERSONAACT_S3_ENDPOINT: seaweed.endpoint } });
  assert.equal(built.code, 0, built.stderr);
  const result = JSON.parse(built.stdout) as DatasetBuildResult;
  assert.equal(result.location, `s3://research/personaact/datasets/${result.datasetId}`);

  const store = new S3ArtifactStore({ bucket: 'research', prefix: 'personaact', endpoint: seaweed.endpoint });
  assert.deepEqual((await readDatasetRef(store, result.datasetId))?.splits, { train: 558, validation: 128, test: 94 });

  const backend = new LocalTrainingBackend({ root: path.join(dir, 'jobs'), command: FAKE_TRAINER_COMMAND, store, env: { FAKE_TRAINER_STEP_MS: '5' } });
  const handle = await backend.start({
    jobName: 's3-sft', stage: 'sft', datasetId: result.datasetId, model: '/models/base', maxSteps: 3, hyperparameters: {}, sagemaker: SageMakerRunOptionsSchema.parse({}),
  });
  let description = await backend.describe(handle);
  while (description.status === 'InProgress') {
    await sleep(50);
    description = await backend.describe(handle);
  }
  assert.equal(description.status, 'Completed', description.failureReason);
  const copy = path.join(dir, 'jobs', 's3-sft', 'data');
  const train = (await store.get(`datasets/${result.datasetId}/sft/train.jsonl`))?.toString('utf8');
  assert.equal(readFileSync(path.join(copy, 'sft', 'train.jsonl'), 'utf8'), train);
  const { argv } = JSON.parse(readFileSync(path.join(dir, 'jobs', 's3-sft', 'job.json'), 'utf8')) as { argv: string[] };
  assert.equal(argv[argv.indexOf('--data') + 1], copy);
});
