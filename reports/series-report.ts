/**
 * A longitudinal series' HTML report (`series/<id>/report.html`): metrics per session over days
 * with the reversal marked, the category mix of each session, the session table and every missed
 * window (docs/series.md).
 */
import type { ArtifactStore } from '../artifacts/artifact-store';
import type { SeriesMetrics, SeriesSpec } from '../core/series';
import { categoryName } from './feed-rows';
import { renderHtmlReport, type HtmlReport } from './html';
import { sessionMetricsPlot, type PlotSpec, type SessionMetricRow } from './plots';

export const seriesHtmlKey = (seriesId: string): string => `series/${seriesId}/report.html`;

export interface SeriesReportInput extends SeriesMetrics {
  spec: Pick<SeriesSpec, 'platform' | 'accountId' | 'sessionSteps' | 'everyMs' | 'reverseAfter'> & { persona: string };
}

const num = (x: number | null, digits = 3) => (x === null ? '–' : x.toFixed(digits));

/** Each session's category mix as one stacked bar (sessions are visits, not a continuous feed). */
function sessionSharePlot(report: SeriesReportInput): PlotSpec {
  const rows = report.sessions.flatMap((s) => Object.entries(s.categoryShare).map(([slug, share]) => ({ session: s.index, category: categoryName(slug), share })));
  return {
    title: 'Category share per session',
    width: 640, height: 220,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      x: { field: 'session', type: 'ordinal', title: "session (p, then p' from the reversal on)" },
      y: { field: 'share', type: 'quantitative', stack: 'normalize', title: 'share of the session', axis: { format: '%' } },
      color: { field: 'category', type: 'nominal', title: 'category', scale: { scheme: 'tableau20' } },
    },
  };
}

export function seriesHtmlReport(report: SeriesReportInput): HtmlReport {
  const { spec } = report;
  const metricRows: SessionMetricRow[] = report.sessions.filter((s) => s.status === 'COMPLETED').flatMap((s) => [
    ...(s.meanDiversity === null ? [] : [{ at: s.scheduledAt, metric: 'diversity (distinct categories per 20)', value: s.meanDiversity }]),
    ...(s.normalizedEntropy === null ? [] : [{ at: s.scheduledAt, metric: 'normalised entropy', value: s.normalizedEntropy }]),
    ...(s.driftFromPrevious === null ? [] : [{ at: s.scheduledAt, metric: 'drift from previous session (JS)', value: s.driftFromPrevious }]),
  ]);
  const firstReversed = report.sessions.find((s) => s.role === 'reversed');
  const bep = report.bep
    ? `BEP around the reversal: ${report.bep.adjacent.toFixed(4)} (session ${report.bep.beforeIndex} as p vs session ${report.bep.afterIndex} as p′), ${report.bep.pooled.toFixed(4)} over all sessions on each side (plug-in Jensen–Shannon divergences; one account, so no interval).`
    : 'BEP around the reversal: n/a until the series has completed sessions as p and as p′.';
  return {
    title: `Series ${report.seriesId}`,
    subtitle: [
      `persona ${spec.persona} on ${spec.platform}, account ${spec.accountId}; ${spec.sessionSteps} interactions every ${spec.everyMs / 1000} s`
        + (spec.reverseAfter === undefined ? ', never reversed' : `, p′ from session ${spec.reverseAfter} on`),
    ],
    sections: [
      {
        heading: 'Summary',
        blocks: [
          { kind: 'paragraph', text: bep },
          { kind: 'paragraph', text: report.missed.length === 0 ? 'Missed windows: none.' : `Missed windows: ${report.missed.length} (listed below).` },
        ],
      },
      {
        heading: 'Sessions over time',
        blocks: [
          {
            kind: 'plot', id: 'session-metrics',
            spec: sessionMetricsPlot(metricRows, firstReversed ? { reversalAt: firstReversed.scheduledAt } : {}),
            caption: 'Per completed session at its scheduled time; the dashed line marks the first session as p′.',
          },
          { kind: 'plot', id: 'session-categories', spec: sessionSharePlot(report), caption: 'Share of each level-1 category among the session\'s labels.' },
        ],
      },
      {
        heading: 'Sessions',
        blocks: [{
          kind: 'table',
          header: ['session', 'persona', 'scheduled', 'status', 'steps', 'diversity', 'entropy', 'drift', 'audit'],
          rows: report.sessions.map((s) => [
            String(s.index), s.role === 'original' ? 'p' : 'p′', s.scheduledAt, s.status, String(s.steps),
            num(s.meanDiversity, 2), num(s.normalizedEntropy), num(s.driftFromPrevious), s.auditId,
          ]),
        }],
      },
      {
        heading: 'Missed windows',
        blocks: report.missed.length === 0
          ? [{ kind: 'paragraph', text: 'None: every window of the schedule ran a session.' }]
          : [{ kind: 'table', header: ['window', 'why'], rows: report.missed.map((m) => [m.at, m.reason]) }],
      },
    ],
  };
}

/** Renders and stores the series' HTML report; returns its key. */
export async function writeSeriesHtmlReport(store: ArtifactStore, report: SeriesReportInput): Promise<string> {
  const key = seriesHtmlKey(report.seriesId);
  await store.put(key, await renderHtmlReport(seriesHtmlReport(report)), 'text/html; charset=utf-8');
  return key;
}
