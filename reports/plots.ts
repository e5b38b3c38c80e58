/**
 * The reports' plots: Vega-Lite specs built from plain rows, rendered to SVG in Node (vega's
 * headless view; no browser, no canvas). Audit, study and series reports share them, so a plot
 * looks the same wherever it appears.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';

export type PlotSpec = vl.TopLevelSpec;

const WIDTH = 640;
const HEIGHT = 220;
const REVERSAL_COLOUR = '#c0392b';

/** Renders a Vega-Lite spec to a standalone SVG string. */
export async function renderSvg(spec: PlotSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A vertical rule with a label at the step where the persona was reversed. */
function reversalLayer(reversalAt: number) {
  return [
    { mark: { type: 'rule' as const, color: REVERSAL_COLOUR, strokeDash: [4, 3] }, encoding: { x: { datum: reversalAt, type: 'quantitative' as const } } },
    {
      mark: { type: 'text' as const, color: REVERSAL_COLOUR, align: 'left' as const, dx: 4, dy: -4, baseline: 'top' as const },
      encoding: { x: { datum: reversalAt, type: 'quantitative' as const }, y: { value: 0 }, text: { value: 'reversal' } },
    },
  ];
}

export interface DiversityRow {
  /** Step index across both phases (counterfactual steps follow the cultivation ones). */
  step: number;
  phase: string;
  /** Distinct level-1 categories in the 20 steps ending here. */
  diversity: number;
  /** Several runs on one plot (replicates, arms): one line each. */
  series?: string;
}

/** Diversity per 20-step window across both phases, the reversal marked. */
export function diversityPlot(rows: readonly DiversityRow[], reversalAt: number, title = 'Diversity per 20-step window'): PlotSpec {
  const bySeries = rows.some((row) => row.series !== undefined);
  return {
    title, width: WIDTH, height: HEIGHT,
    data: { values: rows as DiversityRow[] },
    // One line per (series, phase): no line is drawn across the reversal, where windows restart.
    transform: [{ calculate: bySeries ? "datum.series + '/' + datum.phase" : 'datum.phase', as: 'line' }],
    layer: [
      {
        mark: { type: 'line', interpolate: 'linear', strokeWidth: 1.5 },
        encoding: {
          detail: { field: 'line', type: 'nominal' },
          x: { field: 'step', type: 'quantitative', title: 'step (cultivation, then counterfactual)' },
          y: { field: 'diversity', type: 'quantitative', title: 'distinct categories in 20' },
          color: bySeries ? { field: 'series', type: 'nominal', title: null } : { field: 'phase', type: 'nominal', title: 'phase', sort: ['cultivation', 'counterfactual'] },
        },
      },
      ...reversalLayer(reversalAt),
    ],
  };
}

export interface CategoryShareRow {
  /** First step of the bin, across both phases. */
  step: number;
  category: string;
  /** Share of the bin's steps that carry the category, in [0, 1]. */
  share: number;
}

/** Category share over time as a stacked area, cultivation and counterfactual on one axis. */
export function categorySharePlot(rows: readonly CategoryShareRow[], reversalAt: number, title = 'Category share over time'): PlotSpec {
  return {
    title, width: WIDTH, height: HEIGHT + 60,
    data: { values: rows as CategoryShareRow[] },
    layer: [
      {
        mark: { type: 'area', interpolate: 'step-after' },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step (cultivation, then counterfactual)' },
          y: { field: 'share', type: 'quantitative', stack: 'normalize', title: 'share of the feed', axis: { format: '%' } },
          color: { field: 'category', type: 'nominal', title: 'category', scale: { scheme: 'tableau20' } },
          order: { field: 'category', type: 'nominal' },
        },
      },
      ...reversalLayer(reversalAt),
    ],
  };
}

export interface IntervalRow {
  /** What the row estimates (a cell, or "reversed − control" within a cell). */
  label: string;
  estimate: number;
  low: number;
  high: number;
  /** Colours the point (e.g. the arm). */
  group?: string;
}

/** Point estimates with their intervals, one row each, with a rule at zero (BEP, ΔBEP per cell). */
export function intervalPlot(rows: readonly IntervalRow[], { title, axisTitle }: { title: string; axisTitle: string }): PlotSpec {
  const colour = rows.some((row) => row.group !== undefined) ? { color: { field: 'group', type: 'nominal' as const, title: null } } : {};
  // Headless vega estimates text width generously (no canvas to measure), so the limit is high.
  const y = { field: 'label', type: 'nominal' as const, title: null, sort: null, axis: { labelLimit: 600 } };
  return {
    title, width: WIDTH - 200, height: { step: 22 },
    data: { values: rows as IntervalRow[] },
    layer: [
      { mark: { type: 'rule', color: '#888', strokeDash: [2, 2] }, encoding: { x: { datum: 0, type: 'quantitative' } } },
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { y, x: { field: 'low', type: 'quantitative', title: axisTitle }, x2: { field: 'high' }, ...colour },
      },
      { mark: { type: 'point', filled: true, size: 60 }, encoding: { y, x: { field: 'estimate', type: 'quantitative' }, ...colour } },
    ],
  };
}

export interface SessionMetricRow {
  /** When the session ran (ISO timestamp). */
  at: string;
  /** E.g. "diversity", "entropy", "drift from previous session". */
  metric: string;
  value: number;
}

/** A series' metrics per session over days, one panel per metric (their scales differ). */
export function sessionMetricsPlot(rows: readonly SessionMetricRow[], { title = 'Metrics per session', reversalAt }: { title?: string; reversalAt?: string } = {}): PlotSpec {
  const line = {
    mark: { type: 'line' as const, point: true },
    encoding: {
      x: { field: 'at', type: 'temporal' as const, title: 'session' },
      y: { field: 'value', type: 'quantitative' as const, title: null, scale: { zero: false } },
    },
  };
  const reversal = { mark: { type: 'rule' as const, color: REVERSAL_COLOUR, strokeDash: [4, 3] }, encoding: { x: { datum: { expr: `toDate(${JSON.stringify(reversalAt)})` }, type: 'temporal' as const } } };
  const layers = reversalAt === undefined ? [line] : [line, reversal];
  return {
    title,
    data: { values: rows as SessionMetricRow[] },
    facet: { row: { field: 'metric', type: 'nominal', title: null } },
    spec: { width: WIDTH, height: 120, layer: layers },
    resolve: { scale: { y: 'independent' } },
  };
}
