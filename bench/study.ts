/**
 * npm run bench:study [-- --json] [-- --audits N] [-- --concurrency C] [-- --steps S] [-- --time-scale X]
 * A study of N audits (the demo's persona user a, S + S interactions each, reversed arm) run by
 * `studyWorkflow` at concurrency C on the sandbox at the demo's clock (DEMO_TIME_SCALE), everything real and started here (Temporal
 * dev server, sandbox, one main and one browser worker with C sessions). In the same run, first one
 * audit alone: `speedup` is the study's throughput over that one's. Overhead and dwell error are
 * measured from the records as in bench/audit.ts; the dwell error also in platform time (what the
 * recommender sees: wall time × the clock) with the share of the persona's quick skips (< 3 s) that
 * still reached the platform as quick skips. Memory (PSS) and CPU are sampled for this process
 * (the workers) and its Chromium processes, not for the Temporal server: what a worker host carries.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadPhaseRecords } from '../activities/analysis/analyze-audit';
import type { InteractionRecord } from '../core/interaction-record';
import { nearestRank } from '../core/metrics';
import { PersonaSchema } from '../core/persona';
import { StudyManifestSchema, studyManifestKey } from '../core/study-manifest';
import { startStudyWorkflow } from '../clients/study';
import { startAuditStack, type AuditStack } from '../test/helpers/audit-stack';
import { cpuSeconds, processTree } from '../test/helpers/proc';
import { DEMO_TIME_SCALE } from '../cli/commands/demo';
import { QUICK_SKIP_SECONDS } from '../core/persona-features';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    audits: { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '4' },
    steps: { type: 'string', default: '30' },
    'time-scale': { type: 'string', default: String(DEMO_TIME_SCALE) },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write('Usage: npm run bench:study -- [--json] [--audits N (default 8)] [--concurrency C (default 4)] [--steps S per phase (default 30)] [--time-scale X (default ${DEMO_TIME_SCALE}, the demo\'s)]\n');
  process.exit(0);
}
const positive = (name: string, raw: string | undefined): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${raw}"`);
  return n;
};
const audits = positive('audits', values.audits);
const concurrency = positive('concurrency', values.concurrency);
const steps = positive('steps', values.steps);
const timeScale = Number(values['time-scale']);
if (!(timeScale > 0 && timeScale <= 1000)) throw new Error(`--time-scale must be in (0, 1000], got "${values['time-scale']}"`);

const say = (line: string) => values.json || process.stderr.write(`[bench:study] ${line}\n`);
const percentile = (xs: number[], q: number) => (xs.length === 0 ? NaN : nearestRank([...xs].sort((a, b) => a - b), q));
const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../examples/personas/user-a.json', import.meta.url), 'utf8')));

/** This process and its descendants except the Temporal server: the worker host's share. */
function workerProcesses(): number[] {
  return processTree().filter((pid) => {
    try {
      return !/temporal/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
    } catch {
      return false;
    }
  });
}

/** Proportional set size (shared pages split between the processes that share them), in MB. */
function pssMb(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

interface Sampled { peakMb: number; meanMb: number; cpuCores: number }

/** Samples memory and CPU while `run` runs. CPU: seconds used per wall second (exited processes count until they exit). */
async function sampled<T>(run: () => Promise<T>): Promise<{ value: T; usage: Sampled; wallSeconds: number }> {
  const seen = new Map<number, number>();
  let peakMb = 0;
  let sumMb = 0;
  let samples = 0;
  const sample = () => {
    const pids = workerProcesses();
    const mb = pssMb(pids);
    peakMb = Math.max(peakMb, mb);
    sumMb += mb;
    samples += 1;
    for (const pid of pids) seen.set(pid, cpuSeconds([pid]));
  };
  const cpuBefore = new Map(workerProcesses().map((pid) => [pid, cpuSeconds([pid])]));
  const started = performance.now();
  sample();
  const timer = setInterval(sample, 1000);
  try {
    const value = await run();
    sample();
    const wallSeconds = (performance.now() - started) / 1000;
    let cpu = 0;
    for (const [pid, last] of seen) cpu += last - (cpuBefore.get(pid) ?? 0);
    return { value, usage: { peakMb, meanMb: sumMb / samples, cpuCores: cpu / wallSeconds }, wallSeconds };
  } finally {
    clearInterval(timer);
  }
}

async function runStudy(stack: AuditStack, id: string, replicates: number, studyConcurrency: number): Promise<InteractionRecord[][]> {
  const handle = await startStudyWorkflow(stack.env.client, {
    schemaVersion: 1, personas: [persona], timeScale,
    spec: {
      id, seed: id, platforms: [{ platform: 'sandbox' }], personas: ['user-a.json'], arms: ['reversed'], replicates,
      cultivationSteps: steps, counterfactualSteps: steps, concurrency: studyConcurrency, retries: 0,
    },
  });
  const result = await handle.result();
  if (result.counts.completed !== replicates) throw new Error(`study ${id}: ${JSON.stringify(result.counts)}`);
  const manifest = StudyManifestSchema.parse(await stack.store.getJson(studyManifestKey(id)));
  return Promise.all(manifest.audits.map(async (audit) => [
    ...(await loadPhaseRecords(stack.store, audit.auditId, 'cultivation')),
    ...(await loadPhaseRecords(stack.store, audit.auditId, 'counterfactual')),
  ]));
}

const load1AtStart = round(loadavg()[0] ?? 0, 2);
say(`starting Temporal dev server, sandbox, workers (${concurrency} browser sessions) at ${timeScale}x`);
const stack = await startAuditStack({ timeScale, maxSessions: concurrency });
try {
  const stamp = Date.now();
  say(`one audit alone: ${steps} + ${steps} interactions`);
  const single = await sampled(() => runStudy(stack, `bench-one-${stamp}`, 1, 1));
  const singleInteractions = single.value.flat().length;
  say(`  ${singleInteractions} interactions in ${single.wallSeconds.toFixed(1)} s`);

  say(`a study of ${audits} audits at concurrency ${concurrency}`);
  const study = await sampled(() => runStudy(stack, `bench-study-${stamp}`, audits, concurrency));
  const interactions = study.value.flat().length;

  const overheads: number[] = [];
  const dwellErrors: number[] = [];
  let quickSkips = 0;
  let quickSkipsKept = 0;
  for (const records of study.value) {
    records.forEach((record, i) => {
      dwellErrors.push(Math.abs(record.executedDwellMs - record.intendedDwellMs) / timeScale);
      if (record.intendedDwellMs < QUICK_SKIP_SECONDS * 1000) {
        quickSkips += 1;
        if (record.executedDwellMs < QUICK_SKIP_SECONDS * 1000) quickSkipsKept += 1;
      }
      if (i === 0) return;
      const wallMs = Date.parse(record.endedAt) - Date.parse(records[i - 1]!.endedAt);
      overheads.push(wallMs - record.intendedDwellMs / timeScale - record.decisionLatencyMs);
    });
  }
  const singleRate = singleInteractions / single.wallSeconds;
  const rate = interactions / study.wallSeconds;
  const result = {
    audits,
    concurrency,
    wallSeconds: round(study.wallSeconds, 2),
    interactionsPerSecond: round(rate, 3),
    speedup: round(rate / singleRate, 2),
    overheadMsP95: round(percentile(overheads, 0.95)),
    dwellErrorMsP95: round(percentile(dwellErrors, 0.95)),
    // What the recommender sees: the same error on the platform's clock, and whether skips stayed skips.
    dwellErrorPlatformMsP95: round(percentile(dwellErrors, 0.95) * timeScale),
    quickSkipsKeptShare: quickSkips === 0 ? null : round(quickSkipsKept / quickSkips, 3),
    timeScale,
    peakRssMb: Math.round(study.usage.peakMb),
    // For the sizing in docs/sizing.md: what one more concurrent browser session costs.
    memoryMbPerSession: round((study.usage.peakMb - single.usage.peakMb) / Math.max(1, concurrency - 1)),
    cpuCoresPerSession: round(study.usage.cpuCores / concurrency, 3),
    // Cores busy are capped by what a loaded machine grants; CPU time per interaction is what a session needs.
    cpuSecondsPerInteraction: round((study.usage.cpuCores * study.wallSeconds) / interactions, 3),
    single: {
      interactions: singleInteractions, wallSeconds: round(single.wallSeconds, 2), interactionsPerSecond: round(singleRate, 3),
      peakRssMb: Math.round(single.usage.peakMb), cpuCores: round(single.usage.cpuCores, 3),
      cpuSecondsPerInteraction: round((single.usage.cpuCores * single.wallSeconds) / singleInteractions, 3),
    },
    overheadMsP50: round(percentile(overheads, 0.5)),
    load1: round(loadavg()[0] ?? 0, 2),
    load1AtStart,
  };
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(`
study                   ${audits} audits × (${steps} + ${steps}) at ${timeScale}x, concurrency ${concurrency}
wall time               ${result.wallSeconds} s (one audit alone: ${result.single.wallSeconds} s)
throughput              ${result.interactionsPerSecond} interactions/s (alone ${result.single.interactionsPerSecond}); speedup ${result.speedup}   (goal ≥ 3 at concurrency 4)
overhead / interaction  p50 ${result.overheadMsP50} ms, p95 ${result.overheadMsP95} ms   (goal p95 ≤ 400)
dwell error             p95 ${result.dwellErrorMsP95} ms of wall time   (goal ≤ 100) = ${result.dwellErrorPlatformMsP95} ms of platform time at ${timeScale}x
quick skips kept        ${result.quickSkipsKeptShare ?? 'none intended'} of the persona's dwells under ${QUICK_SKIP_SECONDS} s reached the platform under ${QUICK_SKIP_SECONDS} s
memory (PSS)            peak ${result.peakRssMb} MB for the workers and Chromium (alone ${result.single.peakRssMb} MB); ≈ ${result.memoryMbPerSession} MB per extra session
CPU                     ${round(study.usage.cpuCores, 2)} cores busy (alone ${result.single.cpuCores}); ≈ ${result.cpuCoresPerSession} cores per session; ${result.cpuSecondsPerInteraction} CPU s per interaction (alone ${result.single.cpuSecondsPerInteraction})
load average (1 min)    ${result.load1AtStart} at the start, ${result.load1} at the end
`);
  }
} finally {
  await stack.stop();
}
