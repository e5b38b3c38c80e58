/**
 * npm run bench:faults [-- --json] [-- --seeds N] [-- --steps N] [-- --time-scale X] [-- --faults a,b]
 * The fault matrix on the real local stack (separate processes, real kill -9): every fault of
 * test/helpers/fault-stack.ts (BENCH_FAULTS: kills, full disk, storage outage, a new worker
 * version, a slow page; the storage faults mount a tmpfs, so run as root) × N seeds, each striking an audit of steps + steps interactions at a
 * seeded random point. Prints how many audits completed, records lost or duplicated against the
 * platform's own log of swipes, and the longest time from a fault to the next recorded step,
 * in all and per fault kind (`byKind`).
 */
import { parseArgs } from 'node:util';
import { BENCH_FAULTS, FaultStack, type Fault, type TrialResult } from '../test/helpers/fault-stack';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    seeds: { type: 'string', default: '2' },
    steps: { type: 'string', default: '150' },
    'time-scale': { type: 'string', default: '1000' },
    faults: { type: 'string', default: BENCH_FAULTS.join(',') },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(`Usage: npm run bench:faults -- [--json] [--seeds N (default 2)] [--steps N per phase (default 150)] [--time-scale X (default 1000)] [--faults ${BENCH_FAULTS.join(',')}]\n`);
  process.exit(0);
}
const seeds = Number(values.seeds);
const steps = Number(values.steps);
const timeScale = Number(values['time-scale']);
if (!Number.isInteger(seeds) || seeds < 1) throw new Error(`--seeds must be a positive integer, got "${values.seeds}"`);
if (!Number.isInteger(steps) || steps < 10) throw new Error(`--steps must be an integer of at least 10, got "${values.steps}"`);
if (!(timeScale > 0 && timeScale <= 1000)) throw new Error(`--time-scale must be in (0, 1000], got "${values['time-scale']}"`);
const faults = values.faults.split(',').map((f) => f.trim()).filter(Boolean) as Fault[];
const unknown = faults.filter((f) => !(BENCH_FAULTS as readonly string[]).includes(f));
if (faults.length === 0 || unknown.length > 0) throw new Error(`--faults: unknown ${unknown.join(', ') || '(none given)'}; known: ${BENCH_FAULTS.join(', ')}`);

const say = (line: string) => values.json || process.stderr.write(`[bench:faults] ${line}\n`);
say(`starting the local stack (Temporal, sandbox, worker as separate processes)`);
const stack = await FaultStack.start(timeScale);
const trials: TrialResult[] = [];
try {
  for (let seed = 1; seed <= seeds; seed++) {
    for (const fault of faults) {
      const result = await stack.trial({ fault, seed, steps, timeScale, log: say });
      say(`${fault} seed ${seed}: ${result.completed ? 'completed' : `FAILED (${result.error})`}, resumed in ${result.resumeSeconds.toFixed(1)} s, lost ${result.lostRecords}, duplicated ${result.duplicateRecords}`);
      trials.push(result);
    }
  }
} finally {
  await stack.stop();
}
const totals = (of: TrialResult[]) => ({
  trials: of.length,
  completed: of.filter((t) => t.completed).length,
  lostRecords: of.reduce((n, t) => n + t.lostRecords, 0),
  duplicateRecords: of.reduce((n, t) => n + t.duplicateRecords, 0),
  maxResumeSeconds: Math.round(Math.max(...of.map((t) => t.resumeSeconds)) * 10) / 10,
});
const summary = {
  ...totals(trials),
  byKind: Object.fromEntries(faults.map((fault) => {
    const of = trials.filter((t) => t.fault === fault);
    return [fault, { ...totals(of), sessionsReacquired: of.reduce((n, t) => n + t.sessionsReacquired, 0), retriedSteps: of.reduce((n, t) => n + t.retriedSteps, 0) }];
  })),
};
if (values.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
else {
  for (const [fault, kind] of Object.entries(summary.byKind)) {
    say(`${fault.padEnd(18)} ${kind.completed}/${kind.trials} completed, resume max ${kind.maxResumeSeconds.toFixed(1)} s, lost ${kind.lostRecords}, duplicated ${kind.duplicateRecords}, sessions re-acquired ${kind.sessionsReacquired}, steps retried ${kind.retriedSteps}`);
  }
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}
process.exitCode = summary.completed === summary.trials && summary.lostRecords === 0 && summary.duplicateRecords === 0 ? 0 : 1;
