/**
 * `study report ID --html` and `audit report ID --html` on audits that drove the real sandbox
 * recommender (virtual clock): the printed paths exist, and each page, opened in headless
 * Chromium, draws every plot with no console errors.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { Browser } from 'playwright-core';
import { createAnalysisActivities } from '../../activities/analysis/analyze-audit';
import { loadStudy } from '../../activities/analysis/analyze-study';
import { launchChromium } from '../../activities/browser/chromium';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { openArtifactStore } from '../../artifacts/open-store';
import { addStudyReportCommand } from '../../cli/commands/study-report';
import { UserError } from '../../cli/errors';
import type { StudyAnalysis } from '../../core/study-analysis';
import { plotIds } from '../../reports/html';
import { studyHtmlReport } from '../../reports/study-report';
import { personaact } from '../infra/helpers';
import { viewReport } from '../helpers/report-in-chromium';
import { writeSandboxStudy } from '../helpers/study-records';

let dir: string;
let artifacts: string;
let store: ArtifactStore;
let browser: Browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'personaact-study-html-'));
  artifacts = join(dir, 'artifacts');
  store = openArtifactStore(artifacts);
  await writeSandboxStudy(store, { studyId: 'sh', profiles: ['sticky', 'responsive'], arms: ['reversed', 'control'], replicates: 2, cultivation: 80, counterfactual: 80 });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `personaact study report …` in process through commander, capturing stdout. */
async function studyReport(args: string[]): Promise<string> {
  const program = new Command('personaact').exitOverride();
  addStudyReportCommand(program.command('study'));
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => { stdout += String(chunk); return true; }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['study', 'report', ...args], { from: 'user' });
  } finally {
    process.stdout.write = write;
  }
  return stdout;
}

test('study report --html writes report.{md,json,html}, prints the tables and the path; Chromium draws every plot', async () => {
  process.env.PERSONAACT_ARTIFACTS = artifacts;
  const stdout = await studyReport(['sh', '--html']);
  assert.match(stdout, /\| sandbox\/responsive\/calibration-0\/reversed \| 2 \|/, 'a row per cell');
  assert.match(stdout, /sandbox\/sticky\/calibration-0 \| reversed − control \|/, 'a ΔBEP row per platform and persona');
  const path = /HTML report: (.+)/.exec(stdout)?.[1];
  assert.equal(path, join(artifacts, 'studies', 'sh', 'report.html'));
  for (const name of ['report.md', 'report.json']) assert.ok(existsSync(join(artifacts, 'studies', 'sh', name)), name);

  const analysis = JSON.parse(readFileSync(join(artifacts, 'studies', 'sh', 'report.json'), 'utf8')) as StudyAnalysis;
  const expected = plotIds(studyHtmlReport(analysis, (await loadStudy(store, 'sh')).feeds));
  assert.deepEqual(expected, ['delta-bep', 'bep-per-cell', 'escape-steps', 'diversity:sandbox/responsive/calibration-0', 'diversity:sandbox/sticky/calibration-0']);
  const view = await viewReport(browser, path!);
  assert.deepEqual(view.consoleErrors, []);
  assert.deepEqual(view.drawnPlots, expected);
  assert.ok(view.inkShare > 0.02, `the screenshot is not blank (${(view.inkShare * 100).toFixed(1)} % ink)`);

  const json = JSON.parse(await studyReport(['sh', '--json'])) as StudyAnalysis;
  assert.equal(json.effects.length, 2);
});

test('study report refuses a bad or unknown study id, naming it', async () => {
  process.env.PERSONAACT_ARTIFACTS = artifacts;
  await assert.rejects(studyReport(['../sh']), (error: Error) => error instanceof UserError && /STUDY "\.\.\/sh"/.test(error.message));
  await assert.rejects(studyReport(['nope']), (error: Error) => error instanceof UserError && /no study nope: nothing at .*manifest\.json/.test(error.message));
  assert.ok(!existsSync(join(artifacts, 'studies', 'nope')), 'nothing written');
});

test('audit report --html prints the path of a page Chromium draws', async () => {
  await createAnalysisActivities({ store }).analyzeAudit({ auditId: 'sh-sticky-reversed-r0', seed: 'sh' });
  const result = await personaact(['audit', 'report', 'sh-sticky-reversed-r0', '--html'], { env: { PERSONAACT_ARTIFACTS: artifacts } });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /Bubble Escape Potential/);
  const path = /HTML report: (.+)/.exec(result.stdout)?.[1];
  assert.equal(path, join(artifacts, 'audits', 'sh-sticky-reversed-r0', 'report.html'));
  const view = await viewReport(browser, path!);
  assert.deepEqual(view.consoleErrors, []);
  assert.deepEqual(view.drawnPlots, ['diversity', 'category-share']);
});
