/**
 * The training pipeline end to end with everything real: the Temporal dev server, the export stage
 * building the dataset from stored logs + persona, and the Python trainer (trainer/, in .venv)
 * running SFT → GRPO → evaluate on CPU on a tiny random Qwen2.5-VL built from a config, as detached
 * subprocesses of the local backend; then the model manifest. And the trainer's own --resume: an
 * SFT process killed after a checkpoint continues from it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { exportDataset, storedInputKeys } from '../../activities/training/dataset-export';
import { LocalTrainingBackend } from '../../activities/training/local-backend';
import { TRAINER_MODULE } from '../../activities/training/config';
import { modelManifestKey, SageMakerRunOptionsSchema, type ModelManifest } from '../../core/training';
import { REPO_ROOT } from '../../infra/stack/paths';
import { trainingProgressQuery } from '../../workflows/training';
import { examplePersona, syntheticLog } from '../helpers/training-fixtures';
import { startWorkflowStack, type WorkflowStack } from '../helpers/workflow-stack';
import { startTrainingRun } from '../../clients/training';
import { pollUntil } from '../helpers/poll';

const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');
const run = promisify(execFile);

let harness: WorkflowStack;
let tinyModel: string;

before(async () => {
  harness = await startWorkflowStack();
  tinyModel = path.join(harness.root, 'tiny-qwen2.5-vl');
  await run(PYTHON, ['-m', TRAINER_MODULE, 'make-tiny-model', '--output', tinyModel]);
});

after(async () => {
  await harness?.close();
});

test('export → SFT → GRPO → evaluate → register with the real trainer on a tiny Qwen2.5-VL', { timeout: 15 * 60_000 }, async (t) => {
  const worker = await harness.startWorker({ command: [PYTHON, '-m', TRAINER_MODULE] });
  t.after(() => worker.stop());
  const runId = 'tiny-e2e';
  const inputs = storedInputKeys(runId);
  await harness.store.putJson(inputs.logsKey, [syntheticLog('u', 4, 5)]);
  await harness.store.putJson(inputs.personaKey, examplePersona());

  const began = Date.now();
  const handle = await startTrainingRun(harness.env.client, {
    schemaVersion: 1, runId,
    spec: {
      schemaVersion: 1, backend: 'local', baseModel: tinyModel, personaId: 'user-a',
      dataset: { build: { logsKey: inputs.logsKey, personaKey: inputs.personaKey } },
      sft: { maxSteps: 2 },
      grpo: { maxSteps: 1, hyperparameters: { num_generations: 2, max_completion_length: 16 } },
      evaluate: { hyperparameters: { limit: 3, max_new_tokens: 16 } },
      poll: { initialSeconds: 0.5, maxSeconds: 2 },
    },
  });
  const result = await handle.result();
  const wallMs = Date.now() - began;
  const events = (await handle.fetchHistory()).events?.length ?? 0;
  const progress = await handle.query(trainingProgressQuery);
  t.diagnostic(`wall ${(wallMs / 1000).toFixed(1)} s, ${events} history events, ${progress.polls} polls`);

  assert.equal(progress.status, 'COMPLETED');
  for (const stage of ['sft', 'grpo', 'evaluate'] as const) assert.equal(progress.jobs[stage]?.status, 'Completed');
  const smape = result.metrics.smape;
  assert.ok(smape !== undefined && smape >= 0 && smape <= 2, `SMAPE ${smape} lies in [0, 2]`);
  assert.equal(result.metrics.samples, 3);
  const manifest = await harness.store.getJson<ModelManifest>(modelManifestKey(runId));
  assert.ok(manifest);
  assert.equal(manifest.dataset.id, result.datasetId);
  assert.deepEqual(manifest.dataset.splits, { train: 10, validation: 5, test: 5 });
  assert.equal(manifest.dataset.promptVersion, 'personaact-prompt/1');
  assert.deepEqual(manifest.metrics, result.metrics);
  assert.equal(manifest.model, path.join(harness.jobsRoot, `${runId}-grpo`, 'output'));
  assert.equal(manifest.stages.sft.maxSteps, 2);
  assert.deepEqual(manifest.stages.grpo.hyperparameters, { num_generations: 2, max_completion_length: 16 });
});

test('a real SFT process killed after a checkpoint is resumed from that checkpoint', { timeout: 10 * 60_000 }, async () => {
  const { datasetId } = await exportDataset({ logs: [syntheticLog('u', 4, 5)], persona: examplePersona() }, harness.store);
  const backend = new LocalTrainingBackend({ root: harness.jobsRoot, command: [PYTHON, '-m', TRAINER_MODULE], store: harness.store });
  const handle = await backend.start({
    jobName: 'resume-sft', stage: 'sft', datasetId, model: tinyModel, maxSteps: 6, hyperparameters: { save_steps: 1 }, sagemaker: SageMakerRunOptionsSchema.parse({}),
  });
  const jobFile = (name: string) => path.join(harness.jobsRoot, 'resume-sft', name);
  const events = async () => (await readFile(jobFile('events.jsonl'), 'utf8')).split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  await pollUntil('a checkpoint at step 2', () => events().catch(() => []), (seen) => seen.some((e) => e.event === 'checkpoint' && Number(e.step) >= 2), { timeoutMs: 5 * 60_000, intervalMs: 200 });
  process.kill(-Number(await readFile(jobFile('pid'), 'utf8')), 'SIGKILL');
  const description = await pollUntil('the resumed job to end', () => backend.describe(handle), (d) => d.status !== 'InProgress', { timeoutMs: 5 * 60_000, intervalMs: 300 });
  assert.equal(description.status, 'Completed', description.failureReason);
  const starts = (await events()).filter((e) => e.event === 'start');
  assert.equal(starts.length, 2);
  assert.equal(starts[0]?.resumeFrom, null);
  assert.match(String(starts[1]?.resumeFrom), /checkpoint-[2-6]$/, 'the second start resumed from a checkpoint');
  const steps = (await events()).filter((e) => e.event === 'progress' && e.stage === 'sft').map((e) => Number(e.step));
  assert.equal(Math.max(...steps), 6);
});
