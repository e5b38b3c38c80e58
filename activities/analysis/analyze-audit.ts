/**
 * Analysis of a finished (or cancelled) audit from its stored records alone: diversity over time,
 * Bubble Escape Potential with a bootstrap interval, category distributions and dwell fidelity.
 * Writes `metrics.json` and a readable `report.md` beside the records.
 */
import {
  bepBootstrapCi, categoryCounts, nearestRank, diversityChangePct, diversityWindows, normalizedEntropy, weightedDiversityWindows,
} from '../../core/metrics';
import { DIVERSITY_WINDOW } from '../../core/audit-progress';
import { InteractionRecordSchema, PHASES, type InteractionRecord, type Phase } from '../../core/interaction-record';
import { formatZodError } from '../../core/zod-error';
import { bepHeadline } from '../../core/bep-summary';
import { PersonaSchema } from '../../core/persona';
import { checkReversal, reversalCheckLines, type ReversalCheck } from '../../core/reversal-check';
import { level1Label } from '../../core/taxonomy';
import type { ArtifactStore } from '../../artifacts/artifact-store';

/** docs/method.md, BEP: last 400 cultivation steps vs first 400 counterfactual steps (fewer in short audits). */
export const BEP_WINDOW = 400;
/** Diversity is reported per block of this many steps, for the report's table. */
const BLOCK = 100;

export interface PhaseMetrics {
  steps: number;
  diversityByBlock: { from: number; to: number; meanDiversity: number }[];
  diversityChangePct: number | null;
  meanWeightedDiversity: number | null;
  normalizedEntropy: number;
  categoryCounts: Record<string, number>;
  dwellErrorMs: { p50: number; p95: number } | null;
  /** Steps whose record took more than one attempt of the step activity (a retry after a fault). */
  retriedSteps: number;
  /** Steps recorded by the workflow after their activity was lost past the swipe (timings unmeasured). */
  unconfirmedSteps: number;
}

export interface AuditMetrics {
  schemaVersion: 1;
  auditId: string;
  phases: Record<Phase, PhaseMetrics>;
  /**
   * `value` is the plug-in JS divergence (the paper's BEP); `biasCorrected` and `ci` remove its
   * small-sample upward bias; `blockLength`: the stationary bootstrap's automatic mean block lengths.
   */
  bep: { value: number; biasCorrected: number; ci: [number, number]; window: number; blockLength?: { cultivation: number; counterfactual: number } } | null;
  /** Whether p' acted opposite to p (core/reversal-check.ts); null when the audit's persona document is missing. */
  reversalCheck: ReversalCheck | null;
  /** Browser sessions the audit needed: 1 when nothing broke, one more per recovery (crash, lost worker). */
  sessions: number | null;
  keys: { metrics: string; report: string };
}

export const auditPrefix = (auditId: string) => `audits/${auditId}/`;

const mean = (xs: readonly number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Reads and validates one phase's records; they must be exactly indices 0..n−1. */
export async function loadPhaseRecords(store: ArtifactStore, auditId: string, phase: Phase): Promise<InteractionRecord[]> {
  const keys = (await store.list(`${auditPrefix(auditId)}${phase}/`)).filter((key) => key.endsWith('.json'));
  const records = await Promise.all(keys.map(async (key) => {
    const parsed = InteractionRecordSchema.safeParse(await store.getJson(key));
    if (!parsed.success) throw new Error(formatZodError(parsed.error, store.locate(key)));
    return parsed.data;
  }));
  records.sort((a, b) => a.index - b.index);
  records.forEach((record, i) => {
    if (record.index !== i) throw new Error(`${phase} records of audit ${auditId} are not contiguous: expected index ${i}, found ${record.index}`);
  });
  return records;
}

function phaseMetrics(records: readonly InteractionRecord[]): PhaseMetrics {
  const steps = records.map((r) => ({ level1: r.observation.level1, level2: r.observation.level2 }));
  const windows = diversityWindows(steps);
  // Window i covers steps i .. i + width − 1; a block averages the windows that end inside it.
  const width = Math.min(DIVERSITY_WINDOW, records.length);
  const byBlock = [];
  for (let from = 0; from < records.length; from += BLOCK) {
    const to = Math.min(records.length, from + BLOCK);
    const inBlock = windows.filter((_, i) => i + width - 1 >= from && i + width - 1 < to);
    byBlock.push({ from, to, meanDiversity: mean(inBlock) ?? 0 });
  }
  const errors = records.filter((r) => !r.unconfirmed).map((r) => Math.abs(r.executedDwellMs - r.intendedDwellMs)).sort((a, b) => a - b);
  const counts = categoryCounts(steps);
  return {
    steps: records.length,
    diversityByBlock: byBlock,
    diversityChangePct: diversityChangePct(windows),
    meanWeightedDiversity: mean(weightedDiversityWindows(steps)),
    normalizedEntropy: Object.keys(counts).length > 0 ? normalizedEntropy(counts) : 0,
    categoryCounts: counts,
    dwellErrorMs: errors.length > 0 ? { p50: nearestRank(errors, 0.5), p95: nearestRank(errors, 0.95) } : null,
    retriedSteps: records.filter((r) => (r.attempt ?? 1) > 1).length,
    unconfirmedSteps: records.filter((r) => r.unconfirmed).length,
  };
}

/** The records' side of the reversal check, against p (the audit's persona.json, written at its start). */
async function reversalCheckOf(store: ArtifactStore, auditId: string, records: Record<Phase, readonly InteractionRecord[]>): Promise<ReversalCheck | null> {
  const persona = PersonaSchema.safeParse(await store.getJson(`${auditPrefix(auditId)}persona.json`));
  if (!persona.success) return null;
  const steps = (phase: Phase) => records[phase].map((r) => ({ level1: r.observation.level1, watchSeconds: r.decision.watchSeconds, transformed: r.policyDecision !== undefined }));
  return checkReversal(persona.data, { cultivation: steps('cultivation'), counterfactual: steps('counterfactual') });
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`);

function renderReport(metrics: AuditMetrics, store: ArtifactStore): string {
  const lines = [`# Audit ${metrics.auditId}`, ''];
  if (metrics.bep) {
    const blocks = metrics.bep.blockLength;
    lines.push(`**Bubble Escape Potential:** ${bepHeadline(metrics.bep)}.`, '',
      `Last ${metrics.bep.window} cultivation vs first ${metrics.bep.window} counterfactual steps; basic interval from a stationary block bootstrap${blocks ? ` (mean block length ${blocks.cultivation.toFixed(1)} / ${blocks.counterfactual.toFixed(1)} steps, Politis–White)` : ''}.`, '');
  }
  lines.push(...reversalCheckLines(metrics.reversalCheck), '');
  for (const phase of PHASES) {
    const m = metrics.phases[phase];
    lines.push(`## ${phase} (${m.steps} steps)`, '', `Diversity change: ${pct(m.diversityChangePct)} (last vs first quarter of 20-step windows). Normalised entropy: ${m.normalizedEntropy.toFixed(3)}.`, '');
    if (m.diversityByBlock.length > 0) {
      lines.push('| steps | mean distinct categories in 20 |', '|---|---|');
      for (const block of m.diversityByBlock) lines.push(`| ${block.from}–${block.to - 1} | ${block.meanDiversity.toFixed(2)} |`);
      lines.push('');
    }
    const top = Object.entries(m.categoryCounts).sort((a, b) => b[1] - a[1]).slice(0, 5);
    if (top.length > 0) lines.push(`Most served: ${top.map(([slug, n]) => `${level1Label(slug)} ${((n / m.steps) * 100).toFixed(0)} %`).join(', ')}.`, '');
    if (m.dwellErrorMs) lines.push(`Dwell error (executed vs intended, platform time): p50 ${m.dwellErrorMs.p50.toFixed(0)} ms, p95 ${m.dwellErrorMs.p95.toFixed(0)} ms.`, '');
  }
  const total = (field: 'retriedSteps' | 'unconfirmedSteps') => PHASES.reduce((n, phase) => n + metrics.phases[phase][field], 0);
  const recoveries = metrics.sessions === null ? 'n/a' : String(Math.max(0, metrics.sessions - 1));
  lines.push(`Faults survived: ${total('retriedSteps')} step(s) retried, ${recoveries} browser session(s) re-acquired, ${total('unconfirmedSteps')} step(s) recorded after their activity was lost past the swipe.`, '');
  lines.push(`Records, screenshots and these metrics: beside ${store.locate(metrics.keys.metrics)}`, '');
  return lines.join('\n');
}

export function createAnalysisActivities(deps: { store: ArtifactStore }) {
  const { store } = deps;
  return {
    async analyzeAudit(input: { auditId: string; seed: string | number; sessions?: number }): Promise<AuditMetrics> {
      const [cultivation, counterfactual] = await Promise.all(PHASES.map((phase) => loadPhaseRecords(store, input.auditId, phase)));
      const window = Math.min(BEP_WINDOW, cultivation!.length, counterfactual!.length);
      const toSteps = (records: readonly InteractionRecord[]) => records.map((r) => ({ level1: r.observation.level1 }));
      const bep = window > 0
        ? bepBootstrapCi(toSteps(cultivation!), toSteps(counterfactual!), { window, seed: `${input.seed}/bep` })
        : undefined;
      const keys = { metrics: `${auditPrefix(input.auditId)}metrics.json`, report: `${auditPrefix(input.auditId)}report.md` };
      const metrics: AuditMetrics = {
        schemaVersion: 1,
        auditId: input.auditId,
        phases: { cultivation: phaseMetrics(cultivation!), counterfactual: phaseMetrics(counterfactual!) },
        bep: bep ? { value: bep.bep, biasCorrected: bep.biasCorrected, ci: bep.ci, window, blockLength: bep.blockLength } : null,
        reversalCheck: await reversalCheckOf(store, input.auditId, { cultivation: cultivation!, counterfactual: counterfactual! }),
        sessions: input.sessions ?? null,
        keys,
      };
      await store.putJson(keys.metrics, metrics);
      await store.put(keys.report, renderReport(metrics, store), 'text/markdown; charset=utf-8');
      return metrics;
    },

    /** The audit's inputs beside its records: the spec, p and p'. */
    async saveAuditDocuments(input: { auditId: string; documents: Record<string, unknown> }): Promise<string[]> {
      const keys = Object.keys(input.documents).map((name) => `${auditPrefix(input.auditId)}${name}.json`);
      await Promise.all(Object.entries(input.documents).map(([name, value]) => store.putJson(`${auditPrefix(input.auditId)}${name}.json`, value)));
      return keys;
    },
  };
}

export type AnalysisActivities = ReturnType<typeof createAnalysisActivities>;
