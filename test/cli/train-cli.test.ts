/**
 * `personaact train start | status | cancel` as a user runs them: the real CLI in a subprocess
 * against a real Temporal dev server and a main worker whose local backend runs the stand-in
 * trainer (test/training/fake-trainer.mjs) as real subprocesses.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunStatus } from '../../cli/training/status';
import { modelManifestKey, type ModelManifest } from '../../core/training';
import { exportDataset, readDatasetRef } from '../../activities/training/dataset-export';
import { BIN, REPO_ROOT, run, type RunResult } from '../infra/helpers';
import { examplePersona, FAKE_TRAINER_COMMAND, syntheticLog } from '../helpers/training-fixtures';
import { startWorkflowStack, type WorkflowStack } from '../helpers/workflow-stack';

let harness: WorkflowStack;
let cliEnv: NodeJS.ProcessEnv;
let baseModel: string;
let datasetId: string;

before(async () => {
  harness = await startWorkflowStack();
  await harness.startWorker({ command: FAKE_TRAINER_COMMAND, env: { FAKE_TRAINER_STEP_MS: '30' } });
  baseModel = join(harness.root, 'base-model');
  mkdirSync(baseModel);
  ({ datasetId } = await exportDataset({ logs: [syntheticLog('u', 4, 5)], persona: examplePersona() }, harness.store));
  cliEnv = {
    ...process.env,
    PERSONAACT_TEMPORAL_ADDRESS: harness.env.address,
    PERSONAACT_NAMESPACE: harness.env.namespace ?? 'default',
    PERSONAACT_ARTIFACTS: harness.store.location,
    PERSONAACT_UI_URL: 'http://127.0.0.1:1',
  };
});

after(async () => {
  await harness?.close();
});

const train = (...args: string[]): Promise<RunResult> => run(process.execPath, [BIN, 'train', ...args], { env: cliEnv, cwd: harness.root, timeoutMs: 120_000 });

async function statusJson(runId: string): Promise<RunStatus> {
  const result = await train('status', runId, '--json');
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as RunStatus;
}

test('start refuses bad options before anything is stored or started, each with a message that says what to fix', async () => {
  const cases: [string[], RegExp][] = [
    [['--base-model', baseModel], /give either --dataset ID or --logs PATH\.\.\. \[--persona FILE\]/],
    // The example persona is built from all of a's sessions: its statistics would leak the test session.
    [['--logs', join(REPO_ROOT, 'data/personaact/raw_data/a'), '--persona', join(REPO_ROOT, 'examples/personas/user-a.json'), '--base-model', baseModel], /persona "user-a" was built from 1 test session\(s\) of user "a"/],
    [['--dataset', datasetId, '--base-model', join(harness.root, 'no-model')], /--base-model .*no-model: no such folder/],
    [['--dataset', 'u-000000000000', '--base-model', baseModel], /no dataset "u-000000000000" in .*personaact dataset build/],
    [['--dataset', datasetId, '--base-model', baseModel, '--hp', 'sft.learning_rate'], /--hp "sft\.learning_rate": expected <stage>\.<name>=<value>/],
    [['--dataset', datasetId, '--base-model', baseModel, '--hp', 'pretrain.lr=1'], /with stage sft, grpo, evaluate/],
    [['--dataset', datasetId, '--base-model', 'Qwen/Qwen2.5-VL-7B-Instruct', '--backend', 'sagemaker'], /--backend sagemaker reads the dataset from S3, but PERSONAACT_ARTIFACTS is/],
    [['--dataset', datasetId, '--base-model', baseModel, '--id', 'bad_id'], /--id "bad_id": expected letters, digits and single hyphens/],
    [['--dataset', datasetId, '--base-model', baseModel, '--sft-steps', '0'], /--sft-steps.*must be a positive integer/],
  ];
  for (const [args, message] of cases) {
    const result = await train('start', ...args);
    assert.notEqual(result.code, 0, `${args.join(' ')} should fail:\n${result.stdout}`);
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.deepEqual(await harness.store.list('training/'), [], 'no inputs stored');
  assert.deepEqual(await harness.store.list('models/'), []);
});

test('start --logs runs the whole pipeline; status follows it to the metrics, --json has the result and the manifest', async () => {
  // No --persona: the persona is built from b's training sessions (user-b).
  const started = await train('start', '--logs', join(REPO_ROOT, 'data/personaact/raw_data/b'),
    '--base-model', baseModel, '--sft-steps', '4', '--grpo-steps', '2', '--eval-limit', '3', '--hp', 'sft.learning_rate=0.0002', '--poll-max', '0.3', '--id', 'cli-b');
  assert.equal(started.code, 0, started.stderr);
  assert.match(started.stdout, /^Started training run cli-b$/m);
  assert.match(started.stdout, /logs of user "b" \+ persona user-b: 558 train \/ 128 validation \/ 94 test samples/);
  assert.match(started.stdout, /personaact train status cli-b --follow/);

  const followed = await train('status', 'cli-b', '--follow');
  assert.equal(followed.code, 0, followed.stderr);
  assert.match(followed.stdout, /Training run cli-b · COMPLETED · dataset b-[0-9a-f]{12}/);
  assert.match(followed.stdout, /Metrics on the test split: smape 0\.4200 · action_accuracy 0\.9000 · samples 3/);
  assert.match(followed.stdout, /sft +Completed +step 4\/4/);

  const status = await statusJson('cli-b');
  assert.equal(status.temporalStatus, 'COMPLETED');
  assert.deepEqual(status.result?.metrics, { smape: 0.42, action_accuracy: 0.9, samples: 3 });
  const manifest = await harness.store.getJson<ModelManifest>(modelManifestKey('cli-b'));
  assert.equal(manifest?.dataset.id, status.result?.datasetId);
  assert.deepEqual(manifest?.dataset.splits, { train: 558, validation: 128, test: 94 });
  assert.deepEqual(manifest?.stages.sft.hyperparameters, { learning_rate: 0.0002 });
  assert.deepEqual(manifest?.stages.evaluate.hyperparameters, { limit: 3 });
  assert.equal(manifest?.baseModel, baseModel);
});

test('cancel stops the running job (the trainer process is killed) and the run ends CANCELLED', async () => {
  const started = await train('start', '--dataset', datasetId, '--base-model', baseModel, '--sft-steps', '100000', '--poll-max', '0.3', '--id', 'cli-cancel');
  assert.equal(started.code, 0, started.stderr);
  let status = await statusJson('cli-cancel');
  while (status.progress?.jobs.sft?.progress?.step === undefined || status.progress.jobs.sft.progress.step < 1) status = await statusJson('cli-cancel');
  const { pid } = JSON.parse((await readFile(join(harness.jobsRoot, 'cli-cancel-sft', 'output', 'invocations.jsonl'), 'utf8')).split('\n')[0] as string) as { pid: number };
  const cancelled = await train('cancel', 'cli-cancel');
  assert.equal(cancelled.code, 0, cancelled.stderr);
  assert.match(cancelled.stdout, /Training run cli-cancel is CANCELLED; its training job was stopped\./);
  assert.throws(() => process.kill(pid, 0), /ESRCH/, 'the trainer is gone');
  const again = await train('cancel', 'cli-cancel');
  assert.equal(again.code, 1);
  assert.match(again.stderr, /has already ended \(CANCELLED\); nothing to cancel/);
  const missing = await train('status', 'no-such-run');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no training run "no-such-run"/);
});

test('start --logs --images stores the frames for the export stage, and the dataset carries them', async () => {
  const frames = join(harness.root, 'frames', 'a', '20251125_173059');
  mkdirSync(frames, { recursive: true });
  writeFileSync(join(frames, '0.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
  writeFileSync(join(frames, '5.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const started = await train('start', '--logs', join(REPO_ROOT, 'data/personaact/raw_data/a'),
    '--images', join(harness.root, 'frames'), '--base-model', baseModel, '--sft-steps', '2', '--grpo-steps', '1', '--poll-max', '0.3', '--id', 'cli-frames');
  assert.equal(started.code, 0, started.stderr);
  assert.match(started.stdout, /284 train \/ 186 validation \/ 469 test samples, 2 images/);
  assert.deepEqual(await harness.store.list('training/cli-frames/inputs/images/'), [
    'training/cli-frames/inputs/images/a/20251125_173059/0.jpg', 'training/cli-frames/inputs/images/a/20251125_173059/5.png',
  ]);
  assert.equal((await train('status', 'cli-frames', '--follow')).code, 0);
  const status = await statusJson('cli-frames');
  const dataset = await readDatasetRef(harness.store, status.result?.datasetId ?? '');
  assert.equal(dataset?.images, 2);
  assert.deepEqual(await harness.store.list(`datasets/${dataset?.datasetId}/images/`), [
    `datasets/${dataset?.datasetId}/images/a-000009.jpg`, `datasets/${dataset?.datasetId}/images/a-000014.png`,
  ]);
});
