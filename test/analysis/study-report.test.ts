/**
 * `writeStudyReport` on a study whose audits drove the real sandbox recommender (virtual clock, no
 * browser): ΔBEP, its interval and its p-value recomputed here from the stored records alone.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StudyNotFoundError, writeStudyReport } from '../../activities/analysis/analyze-study';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { openArtifactStore } from '../../artifacts/open-store';
import { bubbleEscapePotential, mean } from '../../core/metrics';
import { studyManifestKey } from '../../core/study-manifest';
import { writeSandboxStudy } from '../helpers/study-records';

let dir: string;
let store: ArtifactStore;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'personaact-study-report-'));
  store = openArtifactStore(join(dir, 'artifacts'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('ΔBEP, its interval and permutation p-value match a recomputation from the records', async () => {
  const failed = { auditId: 'st-failed', replicate: 4, accountId: 'acct-x', seed: 'x', status: 'failed' as const, error: 'browser gone', cell: { platform: 'sandbox', profile: 'responsive', personaId: 'calibration-0', arm: 'reversed' as const } };
  const { records } = await writeSandboxStudy(store, {
    studyId: 'st', profiles: ['responsive'], arms: ['reversed', 'control'], replicates: 4, cultivation: 150, counterfactual: 150, extra: [failed],
  });
  const { analysis, keys, markdown } = await writeStudyReport(store, 'st', { html: false });
  assert.deepEqual(keys, { json: 'studies/st/report.json', markdown: 'studies/st/report.md' });
  assert.ok(await store.get(keys.markdown));
  assert.deepEqual(analysis.notAnalysed, [{ auditId: 'st-failed', cell: 'sandbox/responsive/calibration-0/reversed', status: 'failed', error: 'browser gone' }]);

  const bepOf = (arm: string) => [0, 1, 2, 3].map((r) => {
    const audit = records.get(`st-responsive-${arm}-r${r}`)!;
    const steps = (phase: 'cultivation' | 'counterfactual') => audit[phase].map((x) => ({ level1: x.observation.level1 }));
    return bubbleEscapePotential(steps('cultivation'), steps('counterfactual'), 150);
  });
  const reversed = bepOf('reversed');
  const control = bepOf('control');
  assert.deepEqual(analysis.cells.map((c) => [c.name, c.bep.n]), [['sandbox/responsive/calibration-0/control', 4], ['sandbox/responsive/calibration-0/reversed', 4]]);
  assert.ok(Math.abs(analysis.cells[1]!.bep.mean - mean(reversed)) < 1e-12);

  const [effect] = analysis.effects;
  assert.equal(analysis.effects.length, 1);
  assert.equal(effect!.arm, 'reversed');
  assert.ok(Math.abs(effect!.delta - (mean(reversed) - mean(control))) < 1e-12, `${effect!.delta}`);
  // Exact permutation p by brute force: every way to pick 4 of the 8 BEPs as "reversed".
  const pooled = [...reversed, ...control];
  const observed = Math.abs(mean(reversed) - mean(control));
  let extreme = 0;
  let total = 0;
  for (let mask = 0; mask < 256; mask++) {
    if (mask.toString(2).split('1').length - 1 !== 4) continue;
    const a = pooled.filter((_, i) => mask & (1 << i));
    const b = pooled.filter((_, i) => !(mask & (1 << i)));
    total++;
    if (Math.abs(mean(a) - mean(b)) >= observed - 1e-12) extreme++;
  }
  assert.equal(total, 70);
  assert.equal(effect!.pValue, extreme / total);
  assert.equal(effect!.exact, true);
  // The interval: within the range any resample of the arms' means can reach, and around the estimate.
  const [low, high] = effect!.ci!;
  assert.ok(low <= effect!.delta && effect!.delta <= high);
  assert.ok(low >= Math.min(...reversed) - Math.max(...control) && high <= Math.max(...reversed) - Math.min(...control));
  // The real recommender: the reversal moves the feed far more than continuing as p does.
  assert.ok(low > 0, `ΔBEP interval excludes 0: ${effect!.delta} [${low}, ${high}]`);
  assert.equal(effect!.pValue, 2 / 70, 'the arms separate completely');
  assert.match(markdown, /reversed − control/);
  assert.match(markdown, /the interval excludes 0/);
});

test('a missing or malformed manifest is refused, naming the file', async () => {
  await assert.rejects(writeStudyReport(store, 'nope'), (error: Error) => error instanceof StudyNotFoundError && error.message.includes(join('studies', 'nope', 'manifest.json')));
  await store.putJson(studyManifestKey('bad'), { schemaVersion: 1, studyId: 'bad', audits: [{ auditId: 'a', replicate: -1 }] });
  await assert.rejects(writeStudyReport(store, 'bad'), /manifest\.json[\s\S]*replicate/);
  assert.equal(await store.get('studies/bad/report.md'), undefined, 'nothing written');
});
