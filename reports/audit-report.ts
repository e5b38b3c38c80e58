/**
 * One audit's HTML report (`audits/<id>/report.html`, beside report.md): the stored metrics as
 * text and tables, and plots of the feed from the stored records.
 */
import { auditPrefix, loadPhaseRecords, type AuditMetrics } from '../activities/analysis/analyze-audit';
import type { ArtifactStore } from '../artifacts/artifact-store';
import { PHASES, type InteractionRecord } from '../core/interaction-record';
import { feedRows, categoryName } from './feed-rows';
import { renderHtmlReport, type HtmlReport, type ReportSection } from './html';
import { categorySharePlot, diversityPlot } from './plots';

export const auditHtmlKey = (auditId: string): string => `${auditPrefix(auditId)}report.html`;

const pct = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`);

export function bepSentence(bep: NonNullable<AuditMetrics['bep']>): string {
  const { value, biasCorrected, ci, window } = bep;
  const reachesZero = ci[0] <= 0 ? ' The interval reaches 0: this audit alone cannot tell the feed changed more than chance would.' : '';
  return `Bubble Escape Potential ${value.toFixed(4)} (bias-corrected ${biasCorrected.toFixed(4)}, 95 % CI ${ci[0].toFixed(4)}–${ci[1].toFixed(4)}), `
    + `Jensen–Shannon divergence of the last ${window} cultivation vs the first ${window} counterfactual steps.${reachesZero}`;
}

export function auditHtmlReport(metrics: AuditMetrics, records: Record<'cultivation' | 'counterfactual', readonly InteractionRecord[]>): HtmlReport {
  const steps = (phase: 'cultivation' | 'counterfactual') => records[phase].map((r) => ({ level1: r.observation.level1, level2: r.observation.level2 }));
  const rows = feedRows(steps('cultivation'), steps('counterfactual'));
  const summary: ReportSection = {
    heading: 'Summary',
    blocks: [
      { kind: 'paragraph', text: metrics.bep ? bepSentence(metrics.bep) : 'Bubble Escape Potential: n/a (a phase recorded no steps).' },
      {
        kind: 'table',
        header: ['phase', 'steps', 'diversity change', 'normalised entropy', 'dwell error p50 / p95 (ms)', 'most served'],
        rows: PHASES.map((phase) => {
          const m = metrics.phases[phase];
          const top = Object.entries(m.categoryCounts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3);
          return [
            phase, String(m.steps), pct(m.diversityChangePct), m.normalizedEntropy.toFixed(3),
            m.dwellErrorMs ? `${m.dwellErrorMs.p50.toFixed(0)} / ${m.dwellErrorMs.p95.toFixed(0)}` : 'n/a',
            top.map(([slug, n]) => `${categoryName(slug)} ${((n / Math.max(1, m.steps)) * 100).toFixed(0)} %`).join(', '),
          ];
        }),
        caption: 'Diversity change: last vs first quarter of the 20-step windows (negative = the feed narrowed).',
      },
    ],
  };
  const plots: ReportSection = {
    heading: 'The feed',
    blocks: [
      { kind: 'plot', id: 'diversity', spec: diversityPlot(rows.diversity, rows.reversalAt), caption: 'Distinct level-1 categories among the 20 videos up to each step; the dashed line marks the reversal (p → p′).' },
      { kind: 'plot', id: 'category-share', spec: categorySharePlot(rows.shares, rows.reversalAt), caption: 'Share of each level-1 category per 20 steps, cultivation then counterfactual.' },
    ],
  };
  return { title: `Audit ${metrics.auditId}`, subtitle: [`${metrics.phases.cultivation.steps} cultivation + ${metrics.phases.counterfactual.steps} counterfactual steps`], sections: [summary, plots] };
}

/** Renders the audit's HTML report from its metrics.json and records and stores it; returns its key. */
export async function writeAuditHtmlReport(store: ArtifactStore, metrics: AuditMetrics): Promise<string> {
  const [cultivation, counterfactual] = await Promise.all(PHASES.map((phase) => loadPhaseRecords(store, metrics.auditId, phase)));
  const html = await renderHtmlReport(auditHtmlReport(metrics, { cultivation: cultivation!, counterfactual: counterfactual! }));
  const key = auditHtmlKey(metrics.auditId);
  await store.put(key, html, 'text/html; charset=utf-8');
  return key;
}
