/**
 * A study's report as Markdown (report.md, and what `study report` prints) and as a self-contained
 * HTML page with plots (report.html): a table per cell, the escape effect of each arm against the
 * control, and the feeds' diversity per arm.
 */
import type { AuditFeed } from '../activities/analysis/analyze-study';
import { DIVERSITY_WINDOW } from '../core/audit-progress';
import { groupName, type ArmEffect, type AuditOutcome, type CellSummary, type Estimate, type StudyAnalysis } from '../core/study-analysis';
import { diversityRows } from './feed-rows';
import type { HtmlReport, ReportBlock, ReportSection } from './html';
import { diversityPlot, intervalPlot, type DiversityRow, type IntervalRow } from './plots';

const fixed = (x: number, digits: number) => x.toFixed(digits);

function estimate(e: Estimate | null, digits: number, unit = ''): string {
  if (e === null) return 'n/a';
  const ci = e.ci ? ` [${fixed(e.ci[0], digits)}, ${fixed(e.ci[1], digits)}]` : ' (1 replicate: no interval)';
  return `${fixed(e.mean, digits)}${unit}${ci}`;
}

const pValue = (effect: ArmEffect) => (effect.pValue < 0.001 ? '< 0.001' : fixed(effect.pValue, 3));

/** "excludes 0" / "reaches 0" / "no interval": what the reader should take from the interval. */
function verdict(effect: ArmEffect): string {
  if (!effect.ci) return 'no interval (an arm has 1 replicate)';
  return effect.ci[0] > 0 || effect.ci[1] < 0 ? 'the interval excludes 0' : 'the interval reaches 0: no clear effect';
}

export const CELL_HEADER = ['cell', 'replicates', 'BEP [95 % CI]', 'diversity change, cultivation', 'diversity change, counterfactual', 'escape steps [95 % CI]', 'bubble depth'] as const;

export function cellRow(cell: CellSummary): string[] {
  const censored = cell.escapeSteps.censored > 0 ? ` (${cell.escapeSteps.censored} never escaped)` : '';
  return [
    cell.name, String(cell.bep.n), estimate(cell.bep, 4),
    estimate(cell.cultivationDiversityChangePct, 1, ' %'), estimate(cell.counterfactualDiversityChangePct, 1, ' %'),
    `${estimate(cell.escapeSteps, 0)}${censored}`, fixed(cell.separation.mean, 3),
  ];
}

export const EFFECT_HEADER = ['platform / persona', 'comparison', 'ΔBEP [95 % CI]', 'p (permutation)', 'replicates', 'Δ escape steps'] as const;

export function effectRow(effect: ArmEffect): string[] {
  const ci = effect.ci ? ` [${fixed(effect.ci[0], 4)}, ${fixed(effect.ci[1], 4)}]` : '';
  return [
    effect.group, `${effect.arm} − control`, `${effect.delta >= 0 ? '+' : ''}${fixed(effect.delta, 4)}${ci}`,
    `${pValue(effect)}${effect.exact ? '' : ` (${effect.permutations} draws)`}`, `${effect.n.arm} vs ${effect.n.control}`,
    `${effect.escapeDelta >= 0 ? '+' : ''}${fixed(effect.escapeDelta, 0)}`,
  ];
}

function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

export function renderStudyMarkdown(analysis: StudyAnalysis, { outcomes }: { outcomes: readonly AuditOutcome[] }): string {
  const lines = [`# Study ${analysis.studyId}`, ''];
  lines.push(`${outcomes.length} completed audit(s) analysed in ${analysis.cells.length} cell(s)${analysis.notAnalysed.length > 0 ? `; ${analysis.notAnalysed.length} not analysed (below)` : ''}. Intervals are 95 % percentile bootstraps across replicate accounts; see docs/analysis.md.`, '');
  lines.push('## Cells (platform / profile / persona / arm)', '', ...markdownTable(CELL_HEADER, analysis.cells.map(cellRow)), '');
  lines.push('BEP: Jensen–Shannon divergence of the last cultivation vs the first counterfactual steps (up to 400 each). Escape steps: counterfactual steps until the feed stays closer to where it settles than to the cultivated bubble (lower = escapes faster). Bubble depth: JS divergence of those two states.', '');
  lines.push('## Escape effect (each arm vs the control arm)', '');
  if (analysis.effects.length === 0) {
    lines.push('No comparison: a study needs a control arm and another arm for the same platform and persona.', '');
  } else {
    lines.push(...markdownTable(EFFECT_HEADER, analysis.effects.map(effectRow)), '');
    for (const effect of analysis.effects) lines.push(`- ${effect.group}, ${effect.arm} − control: ${verdict(effect)}; p = ${pValue(effect)} (two-sided, ${effect.exact ? `exact over ${effect.permutations} label assignments` : `${effect.permutations} random label assignments`}).`);
    lines.push('');
  }
  if (analysis.notAnalysed.length > 0) {
    lines.push('## Not analysed', '', ...markdownTable(['audit', 'cell', 'status', 'error'], analysis.notAnalysed.map((a) => [a.auditId, a.cell, a.status, a.error ?? ''])), '');
  }
  return lines.join('\n');
}

/** Mean diversity across a cell's replicates at each step (replicates of one cell have equal lengths). */
function meanDiversityByArm(feeds: readonly AuditFeed[], group: string): { rows: DiversityRow[]; reversalAt: number } {
  const sums = new Map<string, { row: DiversityRow; total: number; n: number }>();
  let reversalAt = 0;
  for (const feed of feeds.filter((f) => groupName(f.entry.cell) === group)) {
    reversalAt = Math.max(reversalAt, feed.cultivation.length);
    for (const row of diversityRows(feed.cultivation, feed.counterfactual, feed.entry.cell.arm)) {
      const key = `${row.series}/${row.step}`;
      const sum = sums.get(key) ?? { row, total: 0, n: 0 };
      sum.total += row.diversity;
      sum.n += 1;
      sums.set(key, sum);
    }
  }
  return { rows: [...sums.values()].map(({ row, total, n }) => ({ ...row, diversity: total / n })), reversalAt };
}

const intervalRow = (label: string, e: Estimate, group: string): IntervalRow => ({ label, estimate: e.mean, low: e.ci?.[0] ?? e.mean, high: e.ci?.[1] ?? e.mean, group });

export function studyHtmlReport(analysis: StudyAnalysis, feeds: readonly AuditFeed[]): HtmlReport {
  const cells: ReportSection = {
    heading: 'Cells',
    blocks: [
      { kind: 'table', header: CELL_HEADER, rows: analysis.cells.map(cellRow), caption: 'Means across replicate accounts with 95 % percentile-bootstrap intervals over replicates.' },
      { kind: 'plot', id: 'bep-per-cell', spec: intervalPlot(analysis.cells.map((c) => intervalRow(c.name, c.bep, c.cell.arm)), { title: 'BEP per cell', axisTitle: 'BEP (JS divergence, log 2)' }), caption: 'BEP per cell, mean and 95 % interval across replicates.' },
      { kind: 'plot', id: 'escape-steps', spec: intervalPlot(analysis.cells.map((c) => intervalRow(c.name, c.escapeSteps, c.cell.arm)), { title: 'Escape steps per cell (lower = escapes faster)', axisTitle: 'counterfactual steps' }), caption: 'Counterfactual steps until the feed stays closer to its new steady state than to the cultivated bubble.' },
    ],
  };
  const effectBlocks: ReportBlock[] = analysis.effects.length === 0
    ? [{ kind: 'paragraph', text: 'No comparison: a study needs a control arm and another arm for the same platform and persona.' }]
    : [
      { kind: 'table', header: EFFECT_HEADER, rows: analysis.effects.map(effectRow), caption: 'ΔBEP = mean BEP(arm) − mean BEP(control); p: two-sided permutation test of the difference in means.' },
      {
        kind: 'plot', id: 'delta-bep',
        spec: intervalPlot(analysis.effects.map((e) => ({ label: `${e.group}: ${e.arm} − control`, estimate: e.delta, low: e.ci?.[0] ?? e.delta, high: e.ci?.[1] ?? e.delta, group: e.arm })), { title: 'ΔBEP against the control arm', axisTitle: 'ΔBEP' }),
        caption: 'An interval clear of the dashed zero line is an escape effect beyond what the control arm shows.',
      },
    ];
  const groups = [...new Set(feeds.map((feed) => groupName(feed.entry.cell)))].sort();
  const diversity: ReportSection = {
    heading: 'The feeds',
    blocks: groups.map((group): ReportBlock => {
      const { rows, reversalAt } = meanDiversityByArm(feeds, group);
      return { kind: 'plot', id: `diversity:${group}`, spec: diversityPlot(rows, reversalAt, `Diversity per ${DIVERSITY_WINDOW}-step window: ${group}`), caption: 'Mean over replicates, one line per arm; the dashed line marks the start of the counterfactual phase.' };
    }),
  };
  const notAnalysed: ReportSection[] = analysis.notAnalysed.length === 0 ? [] : [{
    heading: 'Not analysed',
    blocks: [{ kind: 'table', header: ['audit', 'cell', 'status', 'error'], rows: analysis.notAnalysed.map((a) => [a.auditId, a.cell, a.status, a.error ?? '']) }],
  }];
  return {
    title: `Study ${analysis.studyId}`,
    subtitle: [`${analysis.cells.reduce((n, c) => n + c.bep.n, 0)} completed audits in ${analysis.cells.length} cells; analysis seed ${analysis.seed}`],
    sections: [{ heading: 'Escape effect (each arm vs control)', blocks: effectBlocks }, cells, diversity, ...notAnalysed],
  };
}
