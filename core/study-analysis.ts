/**
 * A study's analysis from its audits' categorised feeds (docs/analysis.md): per cell, BEP, diversity
 * change and escape speed with intervals across replicate accounts; per platform × persona, each
 * arm's effect against the control arm (ΔBEP) with an interval and a permutation-test p-value.
 * Pure and seeded, so the same study always gives the same report.
 */
import { escapeSpeed } from './escape-speed';
import { bubbleEscapePotential, diversityChangePct, diversityWindows, mean, percentileInterval, type CategorizedStep } from './metrics';
import { createRng, type Rng } from './rng';
import { cellName, type StudyArm, type StudyAuditEntry, type StudyCell, type StudyManifest } from './study-manifest';

/** As a single audit: the last 400 cultivation vs the first 400 counterfactual steps (fewer in short audits). */
export const STUDY_BEP_WINDOW = 400;
export const STUDY_RESAMPLES = 2000;
/** Label assignments of the permutation test: all of them up to this many, else this many drawn at random. */
export const PERMUTATIONS = 20000;

/** What one completed audit contributes. */
export interface AuditOutcome {
  auditId: string;
  cell: StudyCell;
  replicate: number;
  accountId: string;
  steps: { cultivation: number; counterfactual: number };
  /** Plug-in BEP (the paper's); its small-sample bias is the same in every arm, so ΔBEP cancels it. */
  bep: number;
  bepWindow: number;
  cultivationDiversityChangePct: number | null;
  counterfactualDiversityChangePct: number | null;
  /** Counterfactual steps until the feed left the bubble; null when it never did (censored). */
  escapeSteps: number | null;
  /** JS divergence of the cultivated and the counterfactual steady states (the bubble's depth). */
  separation: number;
}

export function auditOutcome(entry: StudyAuditEntry, cultivation: readonly CategorizedStep[], counterfactual: readonly CategorizedStep[]): AuditOutcome {
  const bepWindow = Math.min(STUDY_BEP_WINDOW, cultivation.length, counterfactual.length);
  if (bepWindow === 0) throw new RangeError(`audit ${entry.auditId} has no ${cultivation.length === 0 ? 'cultivation' : 'counterfactual'} records`);
  const escape = escapeSpeed(cultivation, counterfactual);
  return {
    auditId: entry.auditId, cell: entry.cell, replicate: entry.replicate, accountId: entry.accountId,
    steps: { cultivation: cultivation.length, counterfactual: counterfactual.length },
    bep: bubbleEscapePotential(cultivation, counterfactual, bepWindow),
    bepWindow,
    cultivationDiversityChangePct: diversityChangePct(diversityWindows(cultivation)),
    counterfactualDiversityChangePct: diversityChangePct(diversityWindows(counterfactual)),
    escapeSteps: escape.steps,
    separation: escape.separation,
  };
}

/** A mean across replicate accounts with a percentile bootstrap interval over replicates (null with fewer than 2). */
export interface Estimate {
  mean: number;
  ci: [number, number] | null;
  n: number;
}

function resampledMeans(rng: Rng, values: readonly number[], resamples: number): number[] {
  return Array.from({ length: resamples }, () => mean(Array.from(values, () => rng.pick(values))));
}

export function replicateEstimate(values: readonly number[], seed: string, resamples = STUDY_RESAMPLES): Estimate | null {
  if (values.length === 0) return null;
  const ci = values.length < 2 ? null : percentileInterval(resampledMeans(createRng(seed), values, resamples), 0.95);
  return { mean: mean(values), ci, n: values.length };
}

export interface CellSummary {
  name: string;
  cell: StudyCell;
  auditIds: string[];
  bep: Estimate;
  cultivationDiversityChangePct: Estimate | null;
  counterfactualDiversityChangePct: Estimate | null;
  /** Censored runs count as their phase length (a lower bound on their escape). */
  escapeSteps: Estimate & { censored: number };
  separation: Estimate;
}

export interface ArmEffect {
  /** "sandbox/sticky/user-a": the cell without its arm. */
  group: string;
  arm: StudyArm;
  versus: 'control';
  /** mean BEP(arm) − mean BEP(control) across replicates. */
  delta: number;
  /** Percentile bootstrap, replicates resampled within each arm; null when an arm has a single replicate. */
  ci: [number, number] | null;
  /** Two-sided permutation test of the difference in means (arm labels shuffled among the replicates). */
  pValue: number;
  permutations: number;
  exact: boolean;
  n: { arm: number; control: number };
  /** The same comparison for escape steps (negative: the arm escapes faster than the control). */
  escapeDelta: number;
}

export interface StudyAnalysis {
  schemaVersion: 1;
  studyId: string;
  seed: string;
  cells: CellSummary[];
  effects: ArmEffect[];
  /** Audits of the manifest that are not in the analysis, and why. */
  notAnalysed: { auditId: string; cell: string; status: string; error?: string }[];
}

export const groupName = (cell: StudyCell): string => cellName(cell).split('/').slice(0, -1).join('/');

const presentValues = (values: readonly (number | null)[]) => values.filter((v): v is number => v !== null);

function summariseCell(name: string, outcomes: readonly AuditOutcome[], seed: string): CellSummary {
  const estimate = (label: string, values: readonly number[]) => replicateEstimate(values, `${seed}/${name}/${label}`);
  const escape = outcomes.map((o) => o.escapeSteps ?? o.steps.counterfactual);
  return {
    name,
    cell: outcomes[0]!.cell,
    auditIds: outcomes.map((o) => o.auditId),
    bep: estimate('bep', outcomes.map((o) => o.bep))!,
    cultivationDiversityChangePct: estimate('cultivation-diversity', presentValues(outcomes.map((o) => o.cultivationDiversityChangePct))),
    counterfactualDiversityChangePct: estimate('counterfactual-diversity', presentValues(outcomes.map((o) => o.counterfactualDiversityChangePct))),
    escapeSteps: { ...estimate('escape', escape)!, censored: outcomes.filter((o) => o.escapeSteps === null).length },
    separation: estimate('separation', outcomes.map((o) => o.separation))!,
  };
}

function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return Math.round(result);
}

/** Every way to choose `k` of `n` indices, in lexicographic order. */
function* combinations(n: number, k: number): Generator<number[]> {
  const chosen = Array.from({ length: k }, (_, i) => i);
  while (true) {
    yield chosen;
    let i = k - 1;
    while (i >= 0 && chosen[i] === n - k + i) i--;
    if (i < 0) return;
    chosen[i]!++;
    for (let j = i + 1; j < k; j++) chosen[j] = chosen[j - 1]! + 1;
  }
}

/**
 * Two-sided permutation test of mean(a) − mean(b): the share of label assignments whose difference
 * is at least as far from 0 as the observed one. Exact when there are at most `limit` assignments;
 * otherwise `limit` random ones, with the observed counted in ((hits + 1) / (limit + 1)).
 */
export function permutationTest(a: readonly number[], b: readonly number[], seed: string, limit = PERMUTATIONS): { pValue: number; permutations: number; exact: boolean } {
  if (a.length === 0 || b.length === 0) throw new RangeError('permutationTest: both groups need at least one value');
  const pooled = [...a, ...b];
  const total = pooled.reduce((s, v) => s + v, 0);
  const k = a.length;
  const n = pooled.length;
  const difference = (sumA: number) => sumA / k - (total - sumA) / (n - k);
  const observed = Math.abs(difference(a.reduce((s, v) => s + v, 0)));
  // Sums of floating-point values in another order differ in the last bits: such ties count as ties.
  const atLeast = (d: number) => Math.abs(d) >= observed - 1e-12 * Math.max(1, observed);
  const assignments = binomial(n, k);
  if (assignments <= limit) {
    let hits = 0;
    for (const chosen of combinations(n, k)) if (atLeast(difference(chosen.reduce((s, i) => s + pooled[i]!, 0)))) hits++;
    return { pValue: hits / assignments, permutations: assignments, exact: true };
  }
  const rng = createRng(seed);
  let hits = 0;
  for (let r = 0; r < limit; r++) {
    // Partial Fisher–Yates: the first k positions are a uniform random subset.
    const order = [...pooled];
    for (let i = 0; i < k; i++) {
      const j = i + rng.int(n - i);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    if (atLeast(difference(order.slice(0, k).reduce((s, v) => s + v, 0)))) hits++;
  }
  return { pValue: (hits + 1) / (limit + 1), permutations: limit, exact: false };
}

/** Percentile bootstrap of mean(a) − mean(b), each group resampled on its own; null when a group has one value. */
export function differenceInterval(a: readonly number[], b: readonly number[], seed: string, resamples = STUDY_RESAMPLES): [number, number] | null {
  if (a.length < 2 || b.length < 2) return null;
  const rng = createRng(seed);
  const aRng = rng.fork('arm');
  const bRng = rng.fork('control');
  const aMeans = resampledMeans(aRng, a, resamples);
  const bMeans = resampledMeans(bRng, b, resamples);
  return percentileInterval(aMeans.map((m, i) => m - bMeans[i]!), 0.95);
}

/** The whole analysis; `outcomes` are those of the manifest's completed audits. */
export function analyzeStudy(manifest: StudyManifest, outcomes: readonly AuditOutcome[], seed: string): StudyAnalysis {
  const byCell = new Map<string, AuditOutcome[]>();
  for (const outcome of [...outcomes].sort((x, y) => x.replicate - y.replicate)) {
    const name = cellName(outcome.cell);
    byCell.set(name, [...(byCell.get(name) ?? []), outcome]);
  }
  const cells = [...byCell.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([name, members]) => summariseCell(name, members, seed));
  const effects: ArmEffect[] = [];
  for (const control of cells.filter((c) => c.cell.arm === 'control')) {
    const group = groupName(control.cell);
    const controlOutcomes = byCell.get(control.name)!;
    for (const other of cells.filter((c) => c.cell.arm !== 'control' && groupName(c.cell) === group)) {
      const armOutcomes = byCell.get(other.name)!;
      const a = armOutcomes.map((o) => o.bep);
      const b = controlOutcomes.map((o) => o.bep);
      const label = `${seed}/${group}/${other.cell.arm}-vs-control`;
      effects.push({
        group, arm: other.cell.arm, versus: 'control',
        delta: mean(a) - mean(b),
        ci: differenceInterval(a, b, `${label}/interval`),
        ...permutationTest(a, b, `${label}/permutation`),
        n: { arm: a.length, control: b.length },
        escapeDelta: other.escapeSteps.mean - control.escapeSteps.mean,
      });
    }
  }
  const analysed = new Set(outcomes.map((o) => o.auditId));
  const notAnalysed = manifest.audits.filter((entry) => !analysed.has(entry.auditId)).map((entry) => ({
    auditId: entry.auditId, cell: cellName(entry.cell), status: entry.status, ...(entry.error === undefined ? {} : { error: entry.error }),
  }));
  return { schemaVersion: 1, studyId: manifest.studyId, seed, cells, effects, notAnalysed };
}
