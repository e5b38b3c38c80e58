/**
 * Training pipeline numbers: dataset build time and counts for the paper's users a and b, then one
 * pipeline run (export → SFT → GRPO → evaluate → register) on a real Temporal dev server with the
 * local backend — the stand-in trainer by default (workflow overhead only), or the real trainer on
 * a tiny random Qwen2.5-VL (`--trainer real`, CPU) — printing wall time, history events and polls.
 *
 *   npm run bench:training [-- --trainer fake|real] [-- --json]
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import { importLogs } from '../behaviour-logs/import-logs';
import { TRAINER_MODULE } from '../activities/training/config';
import { exportDataset, storedInputKeys } from '../activities/training/dataset-export';
import { REPO_ROOT } from '../infra/stack/paths';
import { trainingProgressQuery } from '../workflows/training';
import { trainingPersona } from '../core/training-persona';
import { FAKE_TRAINER_COMMAND } from '../test/helpers/training-fixtures';
import { startWorkflowStack } from '../test/helpers/workflow-stack';
import { startTrainingRun } from '../clients/training';

const { values } = parseArgs({ options: { trainer: { type: 'string', default: 'fake' }, json: { type: 'boolean', default: false } } });
if (values.trainer !== 'fake' && values.trainer !== 'real') throw new Error('--trainer must be fake or real');
const real = values.trainer === 'real';
const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');

const harness = await startWorkflowStack();
try {
  const datasets = [];
  for (const user of ['a', 'b'] as const) {
    const began = performance.now();
    const log = await importLogs([path.join(REPO_ROOT, 'data', 'personaact', 'raw_data', user)]);
    const ref = await exportDataset({ logs: [log], persona: trainingPersona(log) }, harness.store);
    datasets.push({ user, datasetId: ref.datasetId, steps: log.steps.length, splits: ref.splits, ms: Math.round(performance.now() - began) });
  }

  let baseModel = '/models/stand-in';
  if (real) {
    baseModel = path.join(harness.root, 'tiny-qwen2.5-vl');
    await promisify(execFile)(PYTHON, ['-m', TRAINER_MODULE, 'make-tiny-model', '--output', baseModel]);
  }
  const worker = await harness.startWorker(real ? { command: [PYTHON, '-m', TRAINER_MODULE] } : { command: FAKE_TRAINER_COMMAND, env: { FAKE_TRAINER_STEP_MS: '20' } });
  const runId = 'bench-training';
  const inputs = storedInputKeys(runId);
  const log = await importLogs([path.join(REPO_ROOT, 'data', 'personaact', 'raw_data', 'b')]);
  await harness.store.putJson(inputs.logsKey, [log]);
  await harness.store.putJson(inputs.personaKey, trainingPersona(log));
  const began = performance.now();
  const handle = await startTrainingRun(harness.env.client, {
    schemaVersion: 1, runId,
    spec: {
      schemaVersion: 1, backend: 'local', baseModel, dataset: { build: { logsKey: inputs.logsKey, personaKey: inputs.personaKey } },
      sft: { maxSteps: real ? 2 : 20 }, grpo: { maxSteps: real ? 1 : 10, hyperparameters: real ? { num_generations: 2, max_completion_length: 16 } : {} },
      evaluate: { hyperparameters: { limit: 3, ...(real ? { max_new_tokens: 16 } : {}) } },
      poll: { initialSeconds: 0.5, maxSeconds: 2 },
    },
  });
  await handle.result();
  const wallMs = Math.round(performance.now() - began);
  const events = (await handle.fetchHistory()).events?.length ?? 0;
  const { polls } = await handle.query(trainingProgressQuery);
  await worker.stop();
  const pipeline = { trainer: values.trainer, wallMs, events, polls };

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ datasets, pipeline }, null, 2)}\n`);
  } else {
    for (const d of datasets) {
      process.stdout.write(`dataset build, user ${d.user}: ${d.steps} steps → train ${d.splits.train} / validation ${d.splits.validation} / test ${d.splits.test} in ${d.ms} ms (${d.datasetId})\n`);
    }
    process.stdout.write(`pipeline (${pipeline.trainer} trainer, user b, poll 0.5 → 2 s): ${(wallMs / 1000).toFixed(1)} s wall, ${events} history events, ${polls} polls\n`);
  }
} finally {
  await harness.close();
}
