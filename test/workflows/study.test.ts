/**
 * studyWorkflow on a real Temporal dev server with real workers, the sandbox and Chromium: small
 * audits (8 + 8 at 50x), 2 cells × 2 replicates at concurrency 2. Children and their search
 * attributes, the manifest, one sandbox serving two recommender profiles side by side, the
 * not-interested arm on the platform, continue-as-new, a failing cell retried then reported,
 * cancel, and a restart of the worker that runs the study.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { loadPhaseRecords } from '../../activities/analysis/analyze-audit';
import { listAudits } from '../../cli/audit/list';
import { parseCliConfig } from '../../cli/config';
import { listStudies, prepareStudy, startStudy, studyLines, studyStatusJson } from '../../cli/study/run';
import { loadStudyFile } from '../../cli/study/spec-file';
import { PersonaSchema } from '../../core/persona';
import { dominantCategories } from '../../core/study-arms';
import { StudyManifestSchema, studyManifestKey } from '../../core/study-manifest';
import type { StudySpecInput } from '../../core/study-spec';
import { loadProfiles } from '../../sandbox/profiles';
import { createMainWorker } from '../../workers/create-workers';
import { searchAttributes } from '../../workflows/search-attributes';
import { progressQuery } from '../../workflows/audit';
import { studyProgressQuery, type StudyWorkflowInput } from '../../workflows/study';
import { startStudyWorkflow } from '../../clients/study';
import { startAuditStack, type AuditStack } from '../helpers/audit-stack';

const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../../examples/personas/user-a.json', import.meta.url), 'utf8')));
const TIME_SCALE = 50;
/** The bubble: the cultivation's 5 most frequent categories (8 steps show few more). */
const DOMINANT = 5;
/** A profile the sandbox was not started with: its definition travels with the sign-in. */
const custom = { ...loadProfiles().get('responsive')!, name: 'test-fast', description: 'responsive, under another name' };

let stack: AuditStack;

before(async () => {
  stack = await startAuditStack({ timeScale: TIME_SCALE });
});

after(() => stack?.stop());

function studyInput(spec: Partial<StudySpecInput> & { id: string }, extra: Partial<StudyWorkflowInput> = {}): StudyWorkflowInput {
  return {
    schemaVersion: 1,
    spec: {
      seed: 11, platforms: [{ platform: 'sandbox', profiles: ['sticky', 'test-fast'] }], personas: ['user-a.json'],
      arms: ['mitigate-not-interested'], replicates: 2, cultivationSteps: 8, counterfactualSteps: 8, concurrency: 2,
      mitigation: { dominantCategories: DOMINANT },
      ...spec,
    },
    personas: [persona], profileDefinitions: { 'test-fast': custom }, timeScale: TIME_SCALE, ...extra,
  };
}

const start = (input: StudyWorkflowInput) => startStudyWorkflow(stack.env.client, input);

async function manifestOf(studyId: string) {
  return StudyManifestSchema.parse(await stack.store.getJson(studyManifestKey(studyId)));
}

async function accountProfile(accountId: string): Promise<string> {
  const response = await fetch(`${stack.sandbox.url}/admin/accounts/${accountId}/interests`, { headers: { 'x-admin-token': stack.sandbox.adminToken } });
  return ((await response.json()) as { profile: string }).profile;
}

test('a study runs its audits as children with study and arm attributes, keeps the manifest, and continues as new', async (t) => {
  const handle = await start(studyInput({ id: 'st1' }, { maxHistoryEvents: 20 }));
  const result = await handle.result();
  t.diagnostic(`runs ${result.runs}, counts ${JSON.stringify(result.counts)}`);
  assert.equal(result.status, 'COMPLETED');
  assert.equal(result.counts.completed, 4);
  assert.ok(result.runs >= 2, 'a small history limit made the study continue as new');

  const manifest = await manifestOf('st1');
  assert.deepEqual(manifest.audits.map((a) => a.auditId), [
    'st1-sandbox.sticky.user-a.mitigate-not-interested-r0', 'st1-sandbox.sticky.user-a.mitigate-not-interested-r1',
    'st1-sandbox.test-fast.user-a.mitigate-not-interested-r0', 'st1-sandbox.test-fast.user-a.mitigate-not-interested-r1',
  ]);
  assert.ok(manifest.audits.every((a) => a.status === 'completed'));
  assert.equal(new Set(manifest.audits.map((a) => a.seed)).size, 4, 'every audit has its own seed, derived from the study seed');

  const startedAt = new Map<string, number>();
  for (const audit of manifest.audits) {
    // One sandbox, two recommender profiles side by side: each account got its cell's.
    assert.equal(await accountProfile(audit.accountId), audit.cell.profile);
    const child = await stack.env.client.workflow.getHandle(audit.auditId).describe();
    startedAt.set(`${audit.cell.profile}/r${audit.replicate}`, child.startTime.getTime());
    assert.equal(child.status.name, 'COMPLETED');
    assert.equal(child.typedSearchAttributes.get(searchAttributes.study), 'st1');
    assert.equal(child.typedSearchAttributes.get(searchAttributes.arm), 'mitigate-not-interested');
  }

  // Interleaved (core/study-spec.ts interleavedOrder): at concurrency 2 both cells' r0 start before either r1.
  const [r0, r1] = [['sticky/r0', 'test-fast/r0'], ['sticky/r1', 'test-fast/r1']].map((keys) => keys.map((key) => startedAt.get(key)!));
  assert.ok(Math.max(...r0!) <= Math.min(...r1!), `replicate 0 of every cell starts first: ${JSON.stringify(Object.fromEntries(startedAt))}`);

  // The not-interested arm marks exactly the counterfactual videos of the cultivated bubble, recomputed from the records.
  let marked = 0;
  for (const audit of manifest.audits) {
    const cultivation = await loadPhaseRecords(stack.store, audit.auditId, 'cultivation');
    const counterfactual = await loadPhaseRecords(stack.store, audit.auditId, 'counterfactual');
    assert.equal(counterfactual.length, 8);
    assert.ok(cultivation.every((r) => !r.decision.notInterested), 'cultivation is never changed by the arm');
    const counts: Record<string, number> = {};
    for (const r of cultivation) for (const label of r.observation.level1) counts[label] = (counts[label] ?? 0) + 1;
    const bubble = dominantCategories(counts, DOMINANT);
    for (const r of counterfactual) {
      const inBubble = r.observation.level1.some((label) => bubble.includes(label));
      assert.equal(r.decision.notInterested, inBubble, `${audit.auditId} counterfactual ${r.index}`);
      if (inBubble) assert.ok(r.actionsPerformed.includes('not-interested') && r.decision.watchSeconds <= 1, 'tapped on the page, then a quick skip');
      if (inBubble) marked += 1;
    }
  }
  t.diagnostic(`${marked} of 32 counterfactual videos were in the bubble`);
  assert.ok(marked > 0, 'some counterfactual videos were in the bubble');
});

test('a failing audit is retried on a new account, then reported failed: never dropped', async () => {
  const handle = await start(studyInput({ id: 'st-fail', platforms: [{ platform: 'sandbox', profiles: ['no-such-profile'] }], replicates: 1, retries: 1 }));
  const result = await handle.result();
  assert.equal(result.counts.failed, 1);
  const progress = await handle.query(studyProgressQuery);
  assert.deepEqual(progress.retried.map((r) => r.auditId), ['st-fail-sandbox.no-such-profile.user-a.mitigate-not-interested-r0']);
  const [entry] = (await manifestOf('st-fail')).audits;
  assert.equal(entry?.status, 'failed');
  assert.equal(entry?.auditId, 'st-fail-sandbox.no-such-profile.user-a.mitigate-not-interested-r0-a1');
  assert.equal(entry?.accountId, 'st-fail-c0-r0-a1', 'the retry ran on a new account');
  assert.match(entry?.error ?? '', /unknown profile \\+"no-such-profile/);
});

test('cancelling a study cancels its running audits and keeps their records', async () => {
  const handle = await start(studyInput({ id: 'st-cancel', arms: ['control'], replicates: 1, cultivationSteps: 400, counterfactualSteps: 400 }));
  // Both audits running and stepping.
  for (;;) {
    const { audits } = await handle.query(studyProgressQuery);
    const stepped = await Promise.all(audits.map((a) => a.status === 'running'
      ? stack.env.client.workflow.getHandle(a.auditId).query(progressQuery).then((p) => p.interactions).catch(() => 0)
      : 0));
    if (stepped.every((n) => n >= 3)) break;
    await sleep(300);
  }
  await handle.cancel();
  await assert.rejects(handle.result(), (error: unknown) => error instanceof WorkflowFailedError && error.cause instanceof CancelledFailure);
  const manifest = await manifestOf('st-cancel');
  assert.deepEqual(manifest.audits.map((a) => a.status), ['cancelled', 'cancelled']);
  for (const audit of manifest.audits) {
    const child = await stack.env.client.workflow.getHandle(audit.auditId).describe();
    assert.equal(child.status.name, 'CANCELLED');
  }
  const kept = await loadPhaseRecords(stack.store, manifest.audits[0]!.auditId, 'cultivation');
  assert.ok(kept.length > 0, 'the cancelled audit kept its records');
});

test('the study CLI: start from a YAML file (a duplicate id refused), status --json, list, and audit list --study', async () => {
  const file = join(stack.dir, 'cli-study.yaml');
  const personaFile = new URL('../../examples/personas/user-a.json', import.meta.url).pathname;
  writeFileSync(file, [
    'id: st-cli', 'seed: 3', 'platforms:', '  - platform: sandbox', '    profiles: [exploratory]',
    `personas: [${personaFile}]`, 'arms: [control]', 'replicates: 1', 'cultivationSteps: 4', 'counterfactualSteps: 4',
  ].join('\n'));
  const config = parseCliConfig({
    PERSONAACT_TEMPORAL_ADDRESS: stack.env.address, PERSONAACT_SANDBOX_URL: stack.sandbox.url, PERSONAACT_ARTIFACTS: join(stack.dir, 'artifacts'),
  });
  const loaded = await loadStudyFile(file);
  const input = await prepareStudy(loaded, config);
  assert.equal(input.timeScale, TIME_SCALE, "the sandbox's own clock");
  const lines: string[] = [];
  await startStudy(loaded, input, config, (line = '') => lines.push(line));
  assert.match(lines.join('\n'), /1 cells × 1 replicates = 1 audits/);
  await assert.rejects(startStudy(loaded, input, config, () => undefined), /a study \(or audit\) with id "st-cli" already exists; change "id" in .*cli-study\.yaml/);
  await stack.env.client.workflow.getHandle('st-cli').result();
  await assert.rejects(startStudy(loaded, input, config, () => undefined), /already exists/, 'an ended study too');
  await assert.rejects(studyStatusJson(config, 'st-none'), /no study "st-none" in namespace default/);
  const status = await studyStatusJson(config, 'st-cli');
  assert.equal(status.temporalStatus, 'COMPLETED');
  assert.equal(status.progress?.counts.completed, 1);
  assert.match(studyLines(status.progress!).join('\n'), /sandbox\/exploratory\/user-a\/control\s+1\/1 done/);
  assert.ok((await listStudies(config, 50)).some((s) => s.studyId === 'st-cli'));
  // Visibility is eventually consistent: the child's attributes arrive shortly after it closes.
  let audits: Awaited<ReturnType<typeof listAudits>> = [];
  for (let i = 0; i < 50 && audits.length === 0; i++, await sleep(200)) audits = await listAudits(config, { study: 'st-cli', limit: 10 });
  assert.deepEqual(audits.map((a) => a.auditId), ['st-cli-sandbox.exploratory.user-a.control-r0']);
});

// Last: it leaves the stack without its original main worker.
test('the study survives a restart of the worker that runs it', async () => {
  const handle = await start(studyInput({ id: 'st-restart', arms: ['control'], replicates: 1, concurrency: 1 }));
  while ((await handle.query(studyProgressQuery)).counts.completed < 1) await sleep(200);
  stack.mainWorker.shutdown();
  while (stack.mainWorker.getState() !== 'STOPPED') await sleep(100);
  const replacement = await createMainWorker({
    connection: stack.env.nativeConnection, namespace: stack.env.namespace ?? 'default', store: stack.store, dataConverter: stack.dataConverter,
  });
  const running = replacement.run();
  try {
    const result = await handle.result();
    assert.equal(result.counts.completed, 2);
    assert.ok((await manifestOf('st-restart')).audits.every((a) => a.status === 'completed'));
  } finally {
    replacement.shutdown();
    await running;
  }
});
