/**
 * `personaact demo` (npm run demo): the main job end to end on one machine, ending in a finding.
 * Starts the local stack (Temporal + UI, sandbox at an accelerated clock, audit worker), runs a
 * small study (examples/studies/demo.yaml: the paper's user a on the sandbox's `responsive`
 * recommender, reversed vs control, each replicate on a fresh account) through the study code,
 * follows it per cell, writes the study report (report.md + report.html) and prints each arm's
 * BEP, ΔBEP = BEP(reversed) − BEP(control) with its interval and permutation p-value, and what
 * that means. One audit cannot say whether the reversal, rather than simply going on, moved the
 * feed; the control arm can. The clock runs at 5x (DEMO_TIME_SCALE): a step cannot swipe before
 * its round trip (observe → decide → act) has passed, and that round trip times the clock lands on
 * every dwell the platform measures. At 5x a round trip of up to ~0.4 s, what a loaded 2-core
 * machine gives, stays under the 3 s quick-skip threshold with a skip's own second, so the reversed
 * persona's skips still reach the recommender as skips; at 20x anything over ~0.1 s turned them
 * into views and hid the reversal (bench/demo-lengths.ts --round-trip-ms --time-scale).
 */
import path from 'node:path';
import { Command } from 'commander';
import { auditPrefix, loadPhaseRecords } from '../../activities/analysis/analyze-audit';
import { median } from '../../core/fidelity-baselines';
import { QUICK_SKIP_SECONDS } from '../../core/persona-features';
import type { ArmEffect, CellSummary, Estimate } from '../../core/study-analysis';
import { MAX_STUDY_ID_LENGTH } from '../../core/study-spec';
import { REPO_ROOT } from '../../infra/stack/paths';
import { stackUp } from '../../infra/stack/stack';
import { positiveInt, timeScale } from '../arguments';
import { uiLink } from '../../clients/connection';
import { readPersonaFile } from '../persona/files';
import { openCliStore } from '../audit/store';
import { cliConfig, type CliConfig } from '../config';
import { UserError } from '../errors';
import { localStackTarget } from '../../clients/temporal-config';
import { out } from '../output';
import { writeCliStudyReport } from '../study/report';
import { followStudy, prepareStudy, startStudy } from '../study/run';
import { loadStudyFile, type LoadedStudy } from '../study/spec-file';

const say = (line: string) => out(`[demo] ${line}`);

const DEMO_STUDY = path.join(REPO_ROOT, 'examples', 'studies', 'demo.yaml');
/** The demo's clock: why 5x, in the header above (bench:study runs at it too). */
export const DEMO_TIME_SCALE = 5;

interface DemoOptions {
  persona?: string;
  replicates?: number;
  cultivation?: number;
  counterfactual?: number;
  concurrency?: number;
  timeScale: number;
  dataDir?: string;
}

/** The demo's study: demo.yaml with the flags' overrides, under a fresh id (a study id is never reused, so neither are its accounts). */
async function demoStudy(options: DemoOptions): Promise<LoadedStudy> {
  const loaded = await loadStudyFile(DEMO_STUDY);
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const id = `${loaded.spec.id}-${stamp}`.slice(0, MAX_STUDY_ID_LENGTH);
  let { personas } = loaded;
  if (options.persona !== undefined) {
    const persona = await readPersonaFile(options.persona);
    if (persona.reversal) throw new UserError(`--persona: ${options.persona} holds a counterfactual persona (p' of "${persona.reversal.of}"); pass the original persona`);
    personas = [persona];
  }
  return {
    ...loaded, personas,
    spec: {
      ...loaded.spec, id,
      ...(options.persona !== undefined ? { personas: [path.resolve(options.persona)] } : {}),
      ...(options.replicates !== undefined ? { replicates: options.replicates } : {}),
      ...(options.cultivation !== undefined ? { cultivationSteps: options.cultivation } : {}),
      ...(options.counterfactual !== undefined ? { counterfactualSteps: options.counterfactual } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    },
  };
}

const number = (x: number) => x.toFixed(3);
const interval = (ci: [number, number] | null) => (ci ? `[${number(ci[0])}, ${number(ci[1])}]` : '(no interval: one replicate)');
const estimate = (e: Estimate) => `${number(e.mean)}  95 % interval ${interval(e.ci)} across ${e.n} account(s)`;

/** The finding in words: the interval and the p-value read together, never over-claimed. */
export function findingSentence(effect: ArmEffect): string {
  const { ci, pValue, delta } = effect;
  const n = `${effect.n.arm} reversed vs ${effect.n.control} control accounts`;
  if (!ci) return `With ${n}, ΔBEP = ${number(delta)} has no interval; run more replicates to judge it.`;
  const direction = delta > 0 ? 'further' : 'less far';
  if (ci[0] > 0 || ci[1] < 0) {
    return `The reversed persona moved the feed ${direction} from the cultivated bubble than simply going on did: ` +
      `ΔBEP's 95 % interval ${interval(ci)} excludes 0 (permutation p = ${pValue.toFixed(3)}, ${n}). ` +
      `The recommender responded to the reversal, not just to more watching.`;
  }
  return `ΔBEP's 95 % interval ${interval(ci)} includes 0 (permutation p = ${pValue.toFixed(3)}, ${n}): ` +
    `this study cannot tell the reversal's effect from simply going on. More replicates or longer phases would.`;
}

/**
 * The median over audits and phases of each phase's median dwell error (executed − intended, platform
 * time, from each audit's metrics.json). On a loaded machine a step's round trip, times the clock's
 * speed-up, lands on every dwell: once it passes the quick-skip threshold, skips reach the
 * recommender as views, so the reversal is partly invisible to it and the arms' timing can differ.
 */
async function medianDwellErrorSeconds(config: CliConfig, auditIds: readonly string[]): Promise<number | null> {
  type Metrics = { phases?: Record<string, { dwellErrorMs?: { p50: number } | null }> };
  const store = openCliStore(config);
  const errors: number[] = [];
  for (const auditId of auditIds) {
    const metrics = await store.getJson<Metrics>(`${auditPrefix(auditId)}metrics.json`);
    for (const phase of Object.values(metrics?.phases ?? {})) if (phase.dwellErrorMs) errors.push(phase.dwellErrorMs.p50 / 1000);
  }
  return errors.length > 0 ? median(errors) : null;
}

/** The persona's quick skips (intended under the threshold) in the audits' records, and how many the platform saw as such. */
async function quickSkipsKept(config: CliConfig, auditIds: readonly string[]): Promise<QuickSkips> {
  const store = openCliStore(config);
  const threshold = QUICK_SKIP_SECONDS * 1000;
  const skips: QuickSkips = { intended: 0, kept: 0 };
  for (const auditId of auditIds) {
    for (const phase of ['cultivation', 'counterfactual'] as const) {
      for (const record of await loadPhaseRecords(store, auditId, phase)) {
        if (record.intendedDwellMs >= threshold) continue;
        skips.intended += 1;
        if (record.executedDwellMs < threshold) skips.kept += 1;
      }
    }
  }
  return skips;
}

export interface QuickSkips { intended: number; kept: number }

/**
 * Below this share of quick skips kept, the recommender learned from views where the persona
 * skipped: a median dwell error can stay small while the round trip's tail eats the skips (a real
 * run at load 20 kept 38 of 207 in cultivation with a median error of 0.26 s; README.md).
 */
const MIN_QUICK_SKIPS_KEPT = 0.75;

/** Said beside the finding when too many of the persona's quick skips reached the platform as views. */
export function skipCaution(skips: QuickSkips, timeScale: number): string | null {
  if (skips.intended === 0 || skips.kept / skips.intended >= MIN_QUICK_SKIPS_KEPT) return null;
  return `Caution: only ${skips.kept} of the persona's ${skips.intended} quick skips (< ${QUICK_SKIP_SECONDS} s) reached the platform ` +
    `as quick skips; the others ran past ${QUICK_SKIP_SECONDS} s of platform time, as each step's round trip at ${timeScale}x on this ` +
    `machine's load, and counted as views. Run it on a less loaded machine, or with a slower clock (--time-scale ${Math.max(1, Math.floor(timeScale / 2))}).`;
}

/** Said beside the finding when the timing cannot carry it. */
export function timingCaution(dwellErrorSeconds: number | null, timeScale: number): string | null {
  if (dwellErrorSeconds === null || dwellErrorSeconds < QUICK_SKIP_SECONDS) return null;
  return `Caution: steps ran ${dwellErrorSeconds.toFixed(1)} s of platform time longer than the persona meant (median), ` +
    `above the ${QUICK_SKIP_SECONDS} s quick-skip threshold: at ${timeScale}x on this machine's load, quick skips reached the ` +
    'recommender as views and the arms may have run under different load, so this finding reflects the timing as much as ' +
    `the reversal. Run it on a less loaded machine, or with a slower clock (--time-scale ${Math.max(1, Math.floor(timeScale / 2))}, about twice as long).`;
}

function printFinding(cells: readonly CellSummary[], effects: readonly ArmEffect[], caution: string | null): void {
  out('Finding');
  for (const cell of cells) out(`  BEP ${cell.cell.arm.padEnd(9)} ${estimate(cell.bep)}`);
  for (const effect of effects) {
    out(`  ΔBEP = BEP(${effect.arm}) − BEP(control) = ${number(effect.delta)}  95 % interval ${interval(effect.ci)}  permutation p = ${effect.pValue.toFixed(3)}${effect.exact ? ' (exact)' : ''}`);
    out();
    out(`  ${findingSentence(effect)}`);
  }
  if (effects.length === 0) out('  No ΔBEP: an arm has no completed audit (see the report).');
  if (caution) {
    out();
    out(`  ${caution}`);
  }
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('start the local stack and run a small study on the sandbox, live: does the reversal move the feed more than going on?')
    .option('--persona <file>', "persona to audit with (default: the study's, examples/personas/user-a.json)")
    .option('--replicates <n>', 'fresh accounts per arm (default 4: with 4 vs 4 the permutation p-value can reach 2/70 ≈ 0.029)', positiveInt)
    .option('--cultivation <n>', 'cultivation interactions per audit (default 150)', positiveInt)
    .option('--counterfactual <n>', 'counterfactual interactions per audit (default 150)', positiveInt)
    .option('--concurrency <n>', 'audits running at once (default 8: every audit of the study, so both arms run side by side)', positiveInt)
    .option('--time-scale <x>', 'sandbox clock when the stack is started here (platform seconds per real second; faster clocks turn quick skips into views)', timeScale, DEMO_TIME_SCALE)
    .option('--data-dir <dir>', 'data folder of the local stack (default: .personaact/)')
    .addHelpText('after', `
The study (examples/studies/demo.yaml; the flags override it) has two arms on the sandbox's
responsive recommender. In both, the agent acts out the paper's user a (statistics from the real
logs, category tastes assumed) with the persona-stat policy on a fresh account; in the reversed
arm, its quantile-flipped reversal takes over for the counterfactual phase, in the control arm
the persona simply goes on. The demo prints each arm's BEP across accounts, ΔBEP = BEP(reversed)
− BEP(control) with a bootstrap interval and a permutation p-value, and writes the study report
(report.md, report.html with plots) into the artifact store. Each run is a new study
(demo-<UTC time>); watch it in the Temporal UI while it runs. The stack keeps running afterwards
(personaact dev status / dev down); \`personaact study report ID --html\` rewrites the report.`)
    .action(async (options: DemoOptions) => {
      const started = performance.now();
      const loaded = await demoStudy(options);
      // Every concurrent audit holds a browser session: the worker started here must carry them
      // all (its default is 4; a stack already running keeps its own, and audits wait for a slot).
      process.env.PERSONAACT_MAX_SESSIONS ??= String(loaded.spec.concurrency);
      const up = await stackUp({ dataDir: options.dataDir, timeScale: options.timeScale }, say);
      for (const warning of up.warnings) say(`warning: ${warning}`);
      const services = Object.fromEntries(up.status.services.map((s) => [s.name, s]));
      const [temporal, sandbox, worker] = [services.temporal, services.sandbox, services.worker];
      if (!temporal?.urls.grpc || !sandbox?.urls.http || !worker?.urls.artifacts) {
        throw new UserError('the local stack did not report Temporal, the sandbox and the worker; see `personaact dev status`');
      }
      // Talk to the stack just started, whatever the environment says.
      const config: CliConfig = {
        ...cliConfig(),
        temporal: localStackTarget(temporal.urls.grpc, temporal.urls.ui ?? cliConfig().temporal.uiUrl),
        PERSONAACT_SANDBOX_URL: sandbox.urls.http,
        PERSONAACT_ARTIFACTS: worker.urls.artifacts,
        // The stack's own key, when its worker uses it: what the worker encrypts must read here too.
        ...(worker.urls.secretKeyFile ? { PERSONAACT_SECRET_KEY_FILE: worker.urls.secretKeyFile } : {}),
      };
      const input = await prepareStudy(loaded, config);
      if (input.timeScale !== options.timeScale) {
        throw new UserError(
          `the running sandbox's clock is ${input.timeScale}x, not ${options.timeScale}x: ` +
            `stop the stack first (personaact dev down), or pass --time-scale ${input.timeScale}`,
        );
      }
      const studyStarted = performance.now();
      out();
      const studyId = await startStudy(loaded, input, config, out);
      out();
      await followStudy(config, studyId, out);
      const { report, where } = await writeCliStudyReport(studyId, { html: true }, config);
      out();
      const auditIds = report.analysis.cells.flatMap((cell) => cell.auditIds);
      const clock = input.timeScale ?? options.timeScale;
      const cautions = [timingCaution(await medianDwellErrorSeconds(config, auditIds), clock), skipCaution(await quickSkipsKept(config, auditIds), clock)];
      printFinding(report.analysis.cells, report.analysis.effects, cautions.filter((c) => c !== null).join('\n\n  ') || null);
      out();
      out(`HTML report:  ${where.html ?? '(not written)'}`);
      out(`Markdown:     ${where.markdown}`);
      out(`Temporal UI:  ${uiLink(config.temporal, studyId)}`);
      const minutes = (ms: number) => (ms / 1000 / 60).toFixed(1);
      out(`Wall time:    ${minutes(performance.now() - started)} min (study ${minutes(performance.now() - studyStarted)} min; npm run demo's setup before it excluded).`);
      out(`The stack keeps running: personaact dev down${options.dataDir ? ` --data-dir ${options.dataDir}` : ''} stops it.`);
    });
}
