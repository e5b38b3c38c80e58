/**
 * The local backend against a real detached subprocess (the stand-in trainer): progress from its
 * JSON lines, completion with metrics, failure reasons, a dead trainer resumed from its checkpoint
 * by a describe() that knows nothing but the job folder, and stop() killing the process group.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalArtifactStore } from '../../artifacts/local-store';
import type { TrainingJobRequest } from '../../activities/training/backend';
import { exportDataset } from '../../activities/training/dataset-export';
import { hyperparameterFlags, LocalTrainingBackend } from '../../activities/training/local-backend';
import { SageMakerRunOptionsSchema, type JobDescription, type JobHandle } from '../../core/training';
import { examplePersona, FAKE_TRAINER_COMMAND, syntheticLog } from '../helpers/training-fixtures';
import { pollUntil } from '../helpers/poll';

let root: string;
let store: LocalArtifactStore;
let datasetId: string;

before(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'local-backend-'));
  store = new LocalArtifactStore(path.join(root, 'artifacts'));
  ({ datasetId } = await exportDataset({ logs: [syntheticLog('u', 4, 5)], persona: examplePersona() }, store));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

const backend = (env: Record<string, string> = {}, maxAttempts = 3) =>
  new LocalTrainingBackend({ root: path.join(root, 'jobs'), command: FAKE_TRAINER_COMMAND, store, env, maxAttempts, stopGraceMs: 2000 });

const job = (jobName: string, maxSteps: number, stage: TrainingJobRequest['stage'] = 'sft'): TrainingJobRequest => ({
  jobName, stage, datasetId, model: '/models/base', maxSteps, hyperparameters: { learning_rate: 0.001 }, sagemaker: SageMakerRunOptionsSchema.parse({}),
});

async function until(backendInstance: LocalTrainingBackend, handle: JobHandle, done: (d: JobDescription) => boolean, timeoutMs = 20_000): Promise<JobDescription> {
  return pollUntil(`job ${handle.jobName}`, () => backendInstance.describe(handle), done, { timeoutMs, intervalMs: 50 });
}

const invocations = async (jobName: string) =>
  (await readFile(path.join(root, 'jobs', jobName, 'output', 'invocations.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { pid: number; resume: boolean; from: number; argv: string[] });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('a job runs detached, reports progress, completes with its metrics, and a second start does not start it again', async () => {
  const local = backend({ FAKE_TRAINER_STEP_MS: '40' });
  const handle = await local.start(job('run1-evaluate', 6, 'evaluate'));
  assert.deepEqual(handle, { backend: 'local', jobName: 'run1-evaluate' });
  const running = await until(local, handle, (d) => (d.progress?.step ?? 0) >= 2);
  assert.equal(running.status, 'InProgress');
  assert.equal(running.progress?.maxSteps, 6);
  await local.start(job('run1-evaluate', 6, 'evaluate'));
  const done = await until(local, handle, (d) => d.status !== 'InProgress');
  assert.equal(done.status, 'Completed');
  assert.deepEqual(done.metrics, { smape: 0.42, action_accuracy: 0.9, samples: 3 });
  assert.equal(done.modelLocation, path.join(root, 'jobs', 'run1-evaluate', 'output'));
  const runs = await invocations('run1-evaluate');
  assert.equal(runs.length, 1, 'started once');
  const argv = runs[0]?.argv ?? [];
  assert.deepEqual(argv.slice(0, 1), ['evaluate']);
  assert.ok(argv.includes('--learning-rate') && argv.includes('0.001'), 'hyperparameters become the trainer flags');
  assert.equal(argv[argv.indexOf('--data') + 1], path.dirname(store.locate(`datasets/${datasetId}/dataset.json`)));
});

test('a failing trainer surfaces its error event as the failure reason', async () => {
  const local = backend({ FAKE_TRAINER_STEP_MS: '5', FAKE_TRAINER_FAIL_STAGE: 'sft' });
  const handle = await local.start(job('run2-sft', 2));
  const done = await until(local, handle, (d) => d.status !== 'InProgress');
  assert.equal(done.status, 'Failed');
  assert.match(done.failureReason ?? '', /CUDA out of memory in sft \(simulated\) \(exit code 1\)/);
});

test('a trainer killed mid-job is resumed from its checkpoint by the next describe, which needs only the job folder', async () => {
  const first = backend({ FAKE_TRAINER_STEP_MS: '60' });
  const handle = await first.start(job('run3-sft', 12));
  await until(first, handle, (d) => (d.progress?.step ?? 0) >= 3);
  const [{ pid } = { pid: 0 }] = await invocations('run3-sft');
  process.kill(-Number(await readFile(path.join(root, 'jobs', 'run3-sft', 'pid'), 'utf8')), 'SIGKILL');
  while (alive(pid)) await sleep(20);
  // A new backend object (as after a worker restart) finds the job from its folder alone.
  const second = backend({ FAKE_TRAINER_STEP_MS: '20' });
  const resumed = await second.describe(handle);
  assert.equal(resumed.status, 'InProgress');
  assert.match(resumed.progress?.message ?? '', /resumed from the last checkpoint \(start 2 of at most 3\)/);
  const done = await until(second, handle, (d) => d.status !== 'InProgress');
  assert.equal(done.status, 'Completed');
  const runs = await invocations('run3-sft');
  assert.equal(runs.length, 2);
  assert.equal(runs[1]?.resume, true);
  assert.ok((runs[1]?.from ?? 0) >= 3, `resumed from step ${runs[1]?.from}, not from scratch`);
});

test('a trainer that keeps dying fails the job after maxAttempts starts', async () => {
  const local = backend({ FAKE_TRAINER_STEP_MS: '1000' }, 2);
  const handle = await local.start(job('run4-sft', 50));
  for (let attempt = 1; attempt <= 2; attempt++) {
    await until(local, handle, () => true);
    const pidFile = path.join(root, 'jobs', 'run4-sft', 'pid');
    let pid = 0;
    while (!pid) pid = Number(await readFile(pidFile, 'utf8').catch(() => '0'));
    process.kill(-pid, 'SIGKILL');
    while (alive(pid)) await sleep(20);
    if (attempt === 1) assert.equal((await local.describe(handle)).status, 'InProgress');
  }
  const failed = await local.describe(handle);
  assert.equal(failed.status, 'Failed');
  assert.match(failed.failureReason ?? '', /died 2 times/);
});

test('stop() kills the whole process group and the job reads Stopped from then on', async () => {
  const local = backend({ FAKE_TRAINER_STEP_MS: '1000' });
  const handle = await local.start(job('run5-sft', 50));
  await until(local, handle, (d) => d.progress?.stage === 'sft');
  const [{ pid } = { pid: 0 }] = await invocations('run5-sft');
  assert.ok(alive(pid));
  await local.stop(handle);
  assert.equal(alive(pid), false, 'the trainer (a child of the wrapper shell) is gone');
  assert.equal((await local.describe(handle)).status, 'Stopped');
  await local.stop(handle); // idempotent
});

test('hyperparameters become the trainer\'s flags', () => {
  assert.deepEqual(hyperparameterFlags({ lora_r: 8, learning_rate: 1e-5, resume: false, bf16: true, reward_weights: '1,1,0.5' }),
    ['--lora-r', '8', '--learning-rate', '0.00001', '--bf16', '--reward-weights', '1,1,0.5']);
});
