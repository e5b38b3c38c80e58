/**
 * trainingPipelineWorkflow's durability on a real Temporal dev server, with the local backend
 * running the stand-in trainer (same JSON-lines protocol, milliseconds per step) as a real
 * detached subprocess: a worker restart mid-job re-attaches to the running trainer; a trainer
 * that died while no worker was up resumes from its checkpoint; cancel kills the trainer; a failed
 * stage fails the run with the trainer's reason. (training-e2e.test.ts runs the real trainer.)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { exportDataset } from '../../activities/training/dataset-export';
import { modelManifestKey, type ModelManifest, type TrainingSpecInput } from '../../core/training';
import { searchAttributes } from '../../workflows/search-attributes';
import { pollUntil } from '../helpers/poll';
import { trainingPipelineWorkflow, trainingProgressQuery } from '../../workflows/training';
import { examplePersona, FAKE_TRAINER_COMMAND, syntheticLog } from '../helpers/training-fixtures';
import { startWorkflowStack, type WorkflowStack } from '../helpers/workflow-stack';
import { startTrainingRun } from '../../clients/training';

let harness: WorkflowStack;
let datasetId: string;

before(async () => {
  harness = await startWorkflowStack();
  ({ datasetId } = await exportDataset({ logs: [syntheticLog('u', 4, 5)], persona: examplePersona() }, harness.store));
});

after(async () => {
  await harness?.close();
});

const spec = (sftSteps: number): TrainingSpecInput => ({
  schemaVersion: 1, backend: 'local', dataset: { datasetId }, baseModel: '/models/tiny', personaId: 'user-a',
  sft: { maxSteps: sftSteps }, grpo: { maxSteps: 3 }, evaluate: { hyperparameters: { limit: 2 } },
  poll: { initialSeconds: 0.1, maxSeconds: 0.4 },
});

function start(runId: string, sftSteps: number): Promise<WorkflowHandle<typeof trainingPipelineWorkflow>> {
  return startTrainingRun(harness.env.client, { schemaVersion: 1, runId, spec: spec(sftSteps) });
}

async function untilSftStep(handle: WorkflowHandle<typeof trainingPipelineWorkflow>, step: number): Promise<void> {
  while (((await handle.query(trainingProgressQuery)).jobs.sft?.progress?.step ?? 0) < step) await sleep(100);
}

const jobFile = (jobName: string, file: string) => path.join(harness.jobsRoot, jobName, file);
const invocations = async (jobName: string) =>
  (await readFile(jobFile(jobName, 'output/invocations.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { pid: number; resume: boolean; from: number });
const lastStep = async (jobName: string) => Number(await readFile(jobFile(jobName, 'output/checkpoints/last-step'), 'utf8').catch(() => '0'));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('a worker restart in the middle of SFT re-attaches to the running trainer and the pipeline completes', async (t) => {
  const first = await harness.startWorker({ command: FAKE_TRAINER_COMMAND, env: { FAKE_TRAINER_STEP_MS: '100' } });
  t.after(() => first.stop());
  const began = Date.now();
  const handle = await start('restart', 40);
  await untilSftStep(handle, 3);
  await first.stop();
  // No worker: the trainer goes on by itself.
  const stepAtStop = await lastStep('restart-sft');
  // Event-based, not a fixed sleep: on a loaded machine the trainer's next checkpoint may take a while.
  await pollUntil('the trainer to keep training while no worker is up', () => lastStep('restart-sft'), (step) => step > stepAtStop, { timeoutMs: 15_000 });
  const second = await harness.startWorker({ command: FAKE_TRAINER_COMMAND, env: { FAKE_TRAINER_STEP_MS: '20' } });
  t.after(() => second.stop());
  const result = await handle.result();
  const history = await handle.fetchHistory();
  t.diagnostic(`wall ${Date.now() - began} ms, ${history.events?.length} history events`);
  assert.equal((await invocations('restart-sft')).length, 1, 're-attached, not started again');
  assert.deepEqual(result.metrics, { smape: 0.42, action_accuracy: 0.9, samples: 3 });
  assert.equal(result.model, jobFile('restart-grpo', 'output'));
  const manifest = await harness.store.getJson<ModelManifest>(modelManifestKey('restart'));
  assert.equal(manifest?.dataset.id, datasetId);
  assert.match(manifest?.dataset.hash ?? '', /^[0-9a-f]{64}$/);
  assert.match(manifest?.code.version ?? '', /^([0-9a-f]{40}(-dirty)?|unknown)$/);
  assert.equal(manifest?.stages.grpo.modelLocation, jobFile('restart-grpo', 'output'));
  assert.equal(manifest?.stages.sft.maxSteps, 40);
  // Each stage starts from the one before it.
  const grpoArgv = JSON.parse(await readFile(jobFile('restart-grpo', 'job.json'), 'utf8')) as { argv: string[] };
  assert.equal(grpoArgv.argv[grpoArgv.argv.indexOf('--model') + 1], jobFile('restart-sft', 'output'));
  const description = await handle.describe();
  assert.equal(description.typedSearchAttributes.get(searchAttributes.status), 'COMPLETED');
  assert.equal(description.typedSearchAttributes.get(searchAttributes.persona), 'user-a');
});

test('a trainer that died while no worker was up is resumed from its checkpoint by the next worker', async (t) => {
  const first = await harness.startWorker({ command: FAKE_TRAINER_COMMAND, env: { FAKE_TRAINER_STEP_MS: '100' } });
  t.after(() => first.stop());
  const handle = await start('died', 30);
  await untilSftStep(handle, 3);
  await first.stop();
  const [{ pid } = { pid: 0 }] = await invocations('died-sft');
  process.kill(-Number(await readFile(jobFile('died-sft', 'pid'), 'utf8')), 'SIGKILL');
  while (alive(pid)) await sleep(20);
  const second = await harness.startWorker({ command: FAKE_TRAINER_COMMAND, env: { FAKE_TRAINER_STEP_MS: '20' } });
  t.after(() => second.stop());
  await handle.result();
  const runs = await invocations('died-sft');
  assert.equal(runs.length, 2);
  assert.equal(runs[1]?.resume, true);
  assert.ok((runs[1]?.from ?? 0) >= 3, `resumed at step ${runs[1]?.from}`);
});

test('cancelling the run kills the trainer subprocess and marks the run CANCELLED', async () => {
  const worker = await harness.startWorker({ command: FAKE_TRAINER_COMMAND, env: { FAKE_TRAINER_STEP_MS: '200' } });
  try {
    const handle = await start('cancel', 500);
    await untilSftStep(handle, 2);
    const [{ pid } = { pid: 0 }] = await invocations('cancel-sft');
    assert.ok(alive(pid));
    await handle.cancel();
    await assert.rejects(handle.result(), (error: unknown) => error instanceof WorkflowFailedError && error.cause instanceof CancelledFailure);
    assert.equal(alive(pid), false, 'the trainer was killed');
    assert.equal((await worker.backend?.describe({ backend: 'local', jobName: 'cancel-sft' }))?.status, 'Stopped');
    assert.equal((await handle.describe()).typedSearchAttributes.get(searchAttributes.status), 'CANCELLED');
  } finally {
    await worker.stop();
  }
});

test('a failing stage fails the run with the trainer\'s reason, and nothing is registered', async () => {
  const worker = await harness.startWorker({ command: FAKE_TRAINER_COMMAND, env: { FAKE_TRAINER_STEP_MS: '5', FAKE_TRAINER_FAIL_STAGE: 'grpo' } });
  try {
    const handle = await start('fails', 2);
    await assert.rejects(handle.result(), (error: unknown) => {
      assert.ok(error instanceof WorkflowFailedError);
      assert.match(String(error.cause?.message), /grpo job fails-grpo failed: CUDA out of memory in grpo \(simulated\) \(exit code 1\)/);
      return true;
    });
    assert.equal(await harness.store.getJson(modelManifestKey('fails')), undefined);
    assert.equal((await handle.describe()).typedSearchAttributes.get(searchAttributes.status), 'FAILED');
  } finally {
    await worker.stop();
  }
});

test('a long job continues as new while it is polled, carrying the finished stages, the job and the progress', async (t) => {
  const worker = await harness.startWorker({ command: FAKE_TRAINER_COMMAND, env: { FAKE_TRAINER_STEP_MS: '60' } });
  t.after(() => worker.stop());
  const handle = await startTrainingRun(harness.env.client, { schemaVersion: 1, runId: 'long', spec: { ...spec(30), poll: { initialSeconds: 0.1, maxSeconds: 0.1 } }, maxHistoryEvents: 60 });
  const result = await handle.result();
  const first = await harness.env.client.workflow.getHandle('long', handle.firstExecutionRunId).describe();
  assert.equal(first.status.name, 'CONTINUED_AS_NEW');
  assert.ok(['TRAINING', 'EVALUATING'].includes(String(first.typedSearchAttributes.get(searchAttributes.status))), 'continuing as new is not a failure');
  const latest = await harness.env.client.workflow.getHandle('long').describe();
  assert.notEqual(latest.runId, handle.firstExecutionRunId);
  assert.ok((latest.historyLength ?? 0) < 150, `the last run's history stays short: ${latest.historyLength}`);
  assert.equal((await invocations('long-sft')).length, 1, 'the job was started once across runs');
  const progress = await harness.env.client.workflow.getHandle('long').query(trainingProgressQuery);
  assert.deepEqual(Object.keys(progress.jobs), ['sft', 'grpo', 'evaluate']);
  t.diagnostic(`${progress.polls} polls over the runs`);
  assert.ok(progress.polls >= 3, `${progress.polls} polls`);
  assert.deepEqual(result.metrics, { smape: 0.42, action_accuracy: 0.9, samples: 3 });
  const manifest = await harness.store.getJson<ModelManifest>(modelManifestKey('long'));
  assert.equal(manifest?.stages.sft.maxSteps, 30, 'the SFT record crossed continue-as-new');
});

test('with spec.taskQueue the jobs run on a training-only worker (a GPU host); the main worker has no backend at all', async (t) => {
  const main = await harness.startWorker();
  const gpu = await harness.startTrainingWorker({ command: FAKE_TRAINER_COMMAND, env: { FAKE_TRAINER_STEP_MS: '5' } }, 'gpu-host-1');
  t.after(async () => {
    await main.stop();
    await gpu.stop();
  });
  const handle = await startTrainingRun(harness.env.client, { schemaVersion: 1, runId: 'gpu', spec: { ...spec(3), taskQueue: 'gpu-host-1' } });
  const result = await handle.result();
  assert.deepEqual(result.metrics, { smape: 0.42, action_accuracy: 0.9, samples: 3 });
  const history = await handle.fetchHistory();
  const queues = new Set(history.events?.flatMap((event) => {
    const scheduled = event.activityTaskScheduledEventAttributes;
    return scheduled ? [`${scheduled.activityType?.name}@${scheduled.taskQueue?.name}`] : [];
  }));
  assert.deepEqual([...queues].sort(), [
    'describeTrainingJob@gpu-host-1', 'exportTrainingDataset@personaact', 'registerModel@personaact', 'startTrainingJob@gpu-host-1',
  ]);
});
