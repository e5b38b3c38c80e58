/**
 * An audit's HTML report, built from records of a real (virtual-clock) sandbox audit, opened in
 * headless Chromium: every plot drawn, something on screen, no console errors, and self-contained.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { createAnalysisActivities } from '../../activities/analysis/analyze-audit';
import { launchChromium } from '../../activities/browser/chromium';
import { openArtifactStore } from '../../artifacts/open-store';
import { auditHtmlReport, writeAuditHtmlReport } from '../../reports/audit-report';
import { plotIds } from '../../reports/html';
import { viewReport } from '../helpers/report-in-chromium';
import { writeSandboxAudit } from '../helpers/study-records';

let dir: string;
let browser: Browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'personaact-audit-html-'));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('audit report.html shows every plot in Chromium without console errors', async () => {
  const store = openArtifactStore(join(dir, 'artifacts'));
  const records = await writeSandboxAudit(store, { auditId: 'html-audit', profile: 'responsive', arm: 'reversed', seed: 'html', cultivation: 120, counterfactual: 120 });
  const metrics = await createAnalysisActivities({ store }).analyzeAudit({ auditId: 'html-audit', seed: 'html' });
  const key = await writeAuditHtmlReport(store, metrics);
  assert.equal(key, 'audits/html-audit/report.html');
  const file = store.locate(key);
  const html = readFileSync(file, 'utf8');
  assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org)/, 'no scripts and nothing fetched from the network');

  const expected = plotIds(auditHtmlReport(metrics, records));
  assert.deepEqual(expected, ['diversity', 'category-share']);
  const view = await viewReport(browser, file);
  assert.deepEqual(view.consoleErrors, []);
  assert.deepEqual(view.drawnPlots, expected);
  assert.ok(view.inkShare > 0.02, `the screenshot is not blank (${(view.inkShare * 100).toFixed(1)} % ink)`);
  assert.match(html, /reversal/, 'the reversal is marked');
});
