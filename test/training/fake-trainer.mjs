#!/usr/bin/env node
// A stand-in for `python -m personaact_trainer` that speaks the same protocol (JSON lines on
// stdout: start, progress, checkpoint, done | error; --resume from output/checkpoints) in
// milliseconds per step, so the workflow's restart and cancel tests can stop things mid-job.
// Environment: FAKE_TRAINER_STEP_MS (default 50), FAKE_TRAINER_FAIL_STAGE (fail that stage).
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

const [stage, ...rest] = process.argv.slice(2);
const flags = {};
for (let i = 0; i < rest.length; i++) {
  const name = rest[i].replace(/^--/, '');
  if (rest[i + 1] === undefined || rest[i + 1].startsWith('--')) flags[name] = true;
  else flags[name] = rest[++i];
}
const emit = (event, fields) => process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);

if (!existsSync(path.join(flags.data, 'dataset.json'))) {
  emit('error', { message: `${flags.data}/dataset.json is missing` });
  process.exit(2);
}
const maxSteps = Number(flags['max-steps'] ?? 5);
const stepMs = Number(process.env.FAKE_TRAINER_STEP_MS ?? 50);
const checkpoints = path.join(flags.output, 'checkpoints');
mkdirSync(checkpoints, { recursive: true });
const lastFile = path.join(checkpoints, 'last-step');
const from = flags.resume && existsSync(lastFile) ? Number(readFileSync(lastFile, 'utf8')) : 0;
appendFileSync(path.join(flags.output, 'invocations.jsonl'), `${JSON.stringify({ pid: process.pid, resume: Boolean(flags.resume), from, argv: process.argv.slice(2) })}\n`);
emit('start', { stage, model: flags.model, output: flags.output, resumeFrom: from || null });
emit('progress', { stage, step: from, maxSteps });

for (let step = from + 1; step <= maxSteps; step++) {
  await sleep(stepMs);
  emit('progress', { stage, step, maxSteps, loss: 1 / step });
  writeFileSync(lastFile, String(step));
  emit('checkpoint', { stage, step, path: lastFile });
}
if (process.env.FAKE_TRAINER_FAIL_STAGE === stage) {
  emit('error', { message: `CUDA out of memory in ${stage} (simulated)` });
  process.exit(1);
}
writeFileSync(path.join(flags.output, 'model.json'), JSON.stringify({ stage, from: flags.model }));
const metrics = stage === 'evaluate' ? { smape: 0.42, action_accuracy: 0.9, samples: 3 } : { train_loss: 1 / maxSteps };
emit('done', { stage, output: flags.output, steps: maxSteps, metrics });
