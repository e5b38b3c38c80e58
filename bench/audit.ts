/**
 * npm run bench:audit [-- --json] [-- --steps N] [-- --time-scale X] [-- --encrypt-payloads]
 * Runs a short audit (N + N interactions, persona user-b) on the sandbox at a fast clock with
 * everything real but started here — Temporal dev server, sandbox, Chromium, workers — and stops
 * it all afterwards. Prints where the time goes per interaction and how big the history is, and,
 * in the same run on the same sandbox, the overhead of a bare Playwright loop doing the same
 * interactions without Temporal or records (bench/bare-loop.ts): the cost of durability.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Client } from '@temporalio/client';
import { loadPhaseRecords } from '../activities/analysis/analyze-audit';
import { nearestRank } from '../core/metrics';
import { PersonaSchema } from '../core/persona';
import { startAuditStack } from '../test/helpers/audit-stack';
import { startAudit } from '../clients/audit';
import { bareOverheads, runBareLoop } from './bare-loop';

const { values } = parseArgs({
  allowNegative: true,
  options: {
    json: { type: 'boolean', default: false },
    steps: { type: 'string', default: '100' },
    'time-scale': { type: 'string', default: '1000' },
    screenshots: { type: 'boolean', default: true },
    'encrypt-payloads': { type: 'boolean', default: false },
    bare: { type: 'boolean', default: true },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write('Usage: npm run bench:audit -- [--json] [--steps N (per phase, default 100)] [--time-scale X (default 1000)] [--no-screenshots] [--encrypt-payloads] [--no-bare (skip the bare Playwright loop)]\n');
  process.exit(0);
}
const steps = Number(values.steps);
const timeScale = Number(values['time-scale']);
if (!Number.isInteger(steps) || steps < 1) throw new Error(`--steps must be a positive integer, got "${values.steps}"`);
if (!(timeScale > 0 && timeScale <= 1000)) throw new Error(`--time-scale must be in (0, 1000], got "${values['time-scale']}"`);

const percentile = (xs: number[], q: number) => nearestRank([...xs].sort((a, b) => a - b), q);
const say = (line: string) => values.json || process.stderr.write(`[bench:audit] ${line}\n`);

const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../examples/personas/user-b.json', import.meta.url), 'utf8')));
say('starting Temporal dev server, sandbox, workers');
const stack = await startAuditStack({ timeScale, encryptPayloads: values['encrypt-payloads'] });
try {
  const auditId = `bench-${Date.now()}`;
  say(`running ${steps} + ${steps} interactions at ${timeScale}x`);
  const started = performance.now();
  // With the workers' codec: with --encrypt-payloads the result comes back encrypted.
  const client = new Client({ connection: stack.env.connection, namespace: stack.env.namespace ?? 'default', dataConverter: stack.dataConverter });
  const handle = await startAudit(client, {
    schemaVersion: 1, auditId, screenshots: values.screenshots,
    spec: {
      schemaVersion: 1, platform: 'sandbox', persona, accountId: auditId, cultivationSteps: steps, counterfactualSteps: steps,
      policy: 'persona-stat', reversal: { strategy: 'quantile-flip', engagement: 'suppress' }, seed: 1, timeScale,
    },
  });
  await handle.result();
  const wallSeconds = (performance.now() - started) / 1000;

  const records = [
    ...(await loadPhaseRecords(stack.store, auditId, 'cultivation')),
    ...(await loadPhaseRecords(stack.store, auditId, 'counterfactual')),
  ];
  // Wall time of interaction i: from the previous swipe to this one.
  const overheads: number[] = [];
  const dwellErrors: number[] = [];
  records.forEach((record, i) => {
    const intendedRealMs = record.intendedDwellMs / timeScale;
    dwellErrors.push(Math.abs(record.executedDwellMs - record.intendedDwellMs) / timeScale);
    if (i === 0) return;
    const wallMs = Date.parse(record.endedAt) - Date.parse(records[i - 1]!.endedAt);
    overheads.push(wallMs - intendedRealMs - record.decisionLatencyMs);
  });
  let events = 0;
  for await (const execution of stack.env.client.workflow.list({ query: `WorkflowId = "${auditId}"` })) {
    events += (await stack.env.client.workflow.getHandle(auditId, execution.runId).fetchHistory()).events?.length ?? 0;
  }
  let bare: { bareOverheadMsP50: number; bareOverheadMsP95: number; overheadRatioP50: number } | undefined;
  if (values.bare) {
    say(`running the same ${steps} + ${steps} interactions in a bare Playwright loop (no Temporal, no records)`);
    const bareSteps = await runBareLoop({ sandboxUrl: stack.sandbox.url, persona, steps, timeScale, accountId: `${auditId}-bare`, seed: 1 });
    const bareOverhead = bareOverheads(bareSteps);
    const p50 = percentile(bareOverhead, 0.5);
    bare = {
      bareOverheadMsP50: Number(p50.toFixed(1)),
      bareOverheadMsP95: Number(percentile(bareOverhead, 0.95).toFixed(1)),
      overheadRatioP50: Number((percentile(overheads, 0.5) / Math.max(p50, 1e-9)).toFixed(2)),
    };
  }
  const result = {
    interactions: records.length,
    wallSeconds: Number(wallSeconds.toFixed(2)),
    overheadMsP50: Number(percentile(overheads, 0.5).toFixed(1)),
    overheadMsP95: Number(percentile(overheads, 0.95).toFixed(1)),
    dwellErrorMsP95: Number(percentile(dwellErrors, 0.95).toFixed(1)),
    eventsPerInteraction: Number((events / records.length).toFixed(2)),
    ...bare,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(`
interactions            ${result.interactions} (${steps} + ${steps} at ${timeScale}x, screenshots ${values.screenshots ? 'on' : 'off'}, payloads ${values['encrypt-payloads'] ? 'encrypted' : 'plain'})
wall time               ${result.wallSeconds} s
overhead / interaction  p50 ${result.overheadMsP50} ms, p95 ${result.overheadMsP95} ms   (goal ≤ 150 / ≤ 400)
dwell error             p95 ${result.dwellErrorMsP95} ms of wall time              (goal ≤ 100)
history events          ${result.eventsPerInteraction} per interaction                (goal ≤ 8)
${bare ? `bare Playwright loop    p50 ${bare.bareOverheadMsP50} ms, p95 ${bare.bareOverheadMsP95} ms   (ours / bare at p50: ${bare.overheadRatioP50}x, goal ≤ 2)\n` : ''}`);
  }
} finally {
  await stack.stop();
}
