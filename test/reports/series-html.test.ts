/**
 * `series report --html`: from a series' stored session list (docs/series.md layout), the real CLI
 * writes report.html beside report.md; headless Chromium shows every plot, no console errors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { seriesSessionKey, seriesSpecKey } from '../../activities/series/series-store';
import { launchChromium } from '../../activities/browser/chromium';
import { openArtifactStore } from '../../artifacts/open-store';
import { SeriesSpecSchema, sessionAuditId, type SeriesSession } from '../../core/series';
import { plotIds } from '../../reports/html';
import { seriesHtmlReport } from '../../reports/series-report';
import { seriesMetrics } from '../../core/series';
import { personaFixture } from '../core/persona-fixture';
import { viewReport } from '../helpers/report-in-chromium';
import { personaact } from '../infra/helpers';

let dir: string;
let browser: Browser;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'personaact-series-html-'));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const T0 = Date.parse('2026-10-01T08:00:00.000Z');

test('series report --html writes report.html and report.md; Chromium shows both plots and no console errors', async () => {
  const artifacts = join(dir, 'artifacts');
  const store = openArtifactStore(artifacts);
  const spec = SeriesSpecSchema.parse({
    schemaVersion: 1, seriesId: 'series-html', platform: 'sandbox', persona: personaFixture(), accountId: 'acc', sessionSteps: 40,
    reverseAfter: 3, everyMs: DAY, seed: 1, until: new Date(T0 + 5.5 * DAY).toISOString(),
  });
  await store.putJson(seriesSpecKey(spec.seriesId), spec);
  const mixes: Record<string, number>[] = [{ food: 20, pets: 20 }, { food: 30, pets: 10 }, { food: 36, pets: 4 }, { food: 20, pets: 12, travel: 8 }, { food: 10, pets: 15, travel: 15 }];
  // Day 4 ran nothing: the report must list it.
  const days = [0, 1, 2, 3, 5];
  const sessions: SeriesSession[] = mixes.map((counts, index) => ({
    schemaVersion: 1, seriesId: spec.seriesId, index, auditId: sessionAuditId(spec.seriesId, index), role: index >= 3 ? 'reversed' : 'original',
    scheduledAt: new Date(T0 + days[index]! * DAY).toISOString(), startedAt: new Date(T0 + days[index]! * DAY).toISOString(),
    endedAt: new Date(T0 + days[index]! * DAY + 60_000).toISOString(), status: 'COMPLETED', steps: 40, categoryCounts: counts, meanDiversity: 1 + index / 4,
  }));
  for (const session of sessions) await store.putJson(seriesSessionKey(spec.seriesId, session.index), session);

  const result = await personaact(['series', 'report', spec.seriesId, '--html'], {
    env: { PERSONAACT_TEMPORAL_ADDRESS: '127.0.0.1:1', PERSONAACT_ARTIFACTS: artifacts }, timeoutMs: 60_000,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Missed windows: 1\n\s+2026-10-05T08:00:00.000Z/);
  assert.match(result.stdout, /BEP around the reversal: \d\.\d{4} \(session 2 as p vs session 3 as p'\)/);
  const file = store.locate('series/series-html/report.html');
  assert.match(result.stdout, new RegExp(`HTML report: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.ok(await store.get('series/series-html/report.md'), 'report.md beside it');
  const html = readFileSync(file, 'utf8');
  assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org)/, 'self-contained');

  const expected = plotIds(seriesHtmlReport({ ...seriesMetrics(spec, sessions, []), spec: { ...spec, persona: spec.persona.id } }));
  assert.deepEqual(expected, ['session-metrics', 'session-categories']);
  const view = await viewReport(browser, file);
  assert.deepEqual(view.consoleErrors, []);
  assert.deepEqual(view.drawnPlots, expected);
  assert.ok(view.inkShare > 0.02, `not blank (${(view.inkShare * 100).toFixed(1)} % ink)`);
  assert.match(html, /2026-10-05T08:00:00.000Z/, 'the missed window is in the page');
});
