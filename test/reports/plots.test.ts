/** Every plot of the reports renders to SVG in Node, from plain rows, with no browser. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { categorySharePlot, diversityPlot, intervalPlot, renderSvg, sessionMetricsPlot } from '../../reports/plots';

const svgOf = async (spec: Parameters<typeof renderSvg>[0]) => {
  const svg = await renderSvg(spec);
  assert.match(svg, /^<svg[^>]+width="\d+"/);
  return svg;
};

test('diversity, category-share, interval and per-session plots render to SVG', async () => {
  const diversity = await svgOf(diversityPlot([{ step: 20, phase: 'cultivation', diversity: 9 }, { step: 40, phase: 'counterfactual', diversity: 12 }], 30));
  assert.match(diversity, /reversal/);
  assert.match(await svgOf(categorySharePlot([{ step: 0, category: 'Food', share: 0.6 }, { step: 0, category: 'Music', share: 0.4 }], 20)), /Music/);
  const intervals = await svgOf(intervalPlot([
    { label: 'sandbox/sticky/u/reversed − control', estimate: 0.2, low: 0.1, high: 0.3, group: 'reversed' },
    { label: 'sandbox/sticky/u/mitigate-explore − control', estimate: -0.01, low: -0.05, high: 0.04, group: 'mitigate-explore' },
  ], { title: 'ΔBEP', axisTitle: 'ΔBEP' }));
  assert.match(intervals, /mitigate-explore − control/);
  const sessions = await svgOf(sessionMetricsPlot([
    { at: '2026-01-05T09:00:00Z', metric: 'diversity', value: 9 },
    { at: '2026-01-06T09:00:00Z', metric: 'diversity', value: 7 },
    { at: '2026-01-05T09:00:00Z', metric: 'drift', value: 0.1 },
    { at: '2026-01-06T09:00:00Z', metric: 'drift', value: 0.2 },
  ], { reversalAt: '2026-01-06T00:00:00Z' }));
  assert.match(sessions, /drift/);
});
