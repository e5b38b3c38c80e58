/**
 * auditWorkflow on a real Temporal dev server with real workers, the real sandbox server and
 * Chromium, at short lengths (60 + 60).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { loadPhaseRecords, type AuditMetrics } from '../../activities/analysis/analyze-audit';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { bepBootstrapCi, diversityChangePct, diversityWindows } from '../../core/metrics';
import { reversalCheckLines } from '../../core/reversal-check';
import { PersonaSchema } from '../../core/persona';
import { progressQuery } from '../../workflows/audit';
import { startAuditStack, type AuditStack } from '../helpers/audit-stack';
import { startAudit } from '../../clients/audit';
import { firstStartTime } from '../../clients/workflow-state';
import { workflowBundle } from '../helpers/workflow-bundle';

const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../../examples/personas/user-b.json', import.meta.url), 'utf8')));
const TIME_SCALE = 50;

let stack: AuditStack;
let env: TestWorkflowEnvironment;
let store: ArtifactStore;

before(async () => {
  stack = await startAuditStack({ timeScale: TIME_SCALE });
  ({ env, store } = stack);
});

after(() => stack?.stop());

function spec(accountId: string, steps: number) {
  return {
    schemaVersion: 1 as const, platform: 'sandbox' as const, persona, accountId,
    cultivationSteps: steps, counterfactualSteps: steps, seed: 7, timeScale: TIME_SCALE,
    reversal: { strategy: 'quantile-flip' as const, engagement: 'suppress' as const },
    policy: 'persona-stat',
  };
}

test('an audit of 60 + 60 records contiguous steps and a report that recomputes from the records', async (t) => {
  const handle = await startAudit(env.client, { schemaVersion: 1, auditId: 'audit-test-1', spec: spec('audit-test-1', 60), screenshots: true });
  const result = await handle.result();
  t.diagnostic(`BEP ${result.metrics.bep?.value.toFixed(4)} · diversity change ${result.metrics.phases.cultivation.diversityChangePct?.toFixed(1)} %`);
  assert.equal(result.status, 'COMPLETED');
  const progress = await handle.query(progressQuery);
  assert.equal(progress.interactions, 120);

  for (const phase of ['cultivation', 'counterfactual'] as const) {
    const records = await loadPhaseRecords(store, 'audit-test-1', phase);
    assert.deepEqual(records.map((r) => r.index), Array.from({ length: 60 }, (_, i) => i), `${phase} indices 0..59`);
    assert.ok(await store.get(records[0]!.screenshotKey!), 'screenshots are stored beside the records');
    assert.ok(records.every((r) => r.observation.label?.source === 'sandbox' && r.observation.label.level1 === r.observation.level1[0]), 'the sandbox labels its own videos (ground truth)');
  }
  const cultivation = await loadPhaseRecords(store, 'audit-test-1', 'cultivation');
  const counterfactual = await loadPhaseRecords(store, 'audit-test-1', 'counterfactual');
  const steps = (rs: typeof cultivation) => rs.map((r) => ({ level1: r.observation.level1 }));
  const recomputed = bepBootstrapCi(steps(cultivation), steps(counterfactual), { window: 60, seed: '7/bep' });
  const stored = (await store.getJson<AuditMetrics>('audits/audit-test-1/metrics.json'))!;
  assert.equal(stored.bep?.value, recomputed.bep);
  assert.deepEqual(stored.bep?.ci, recomputed.ci);
  assert.equal(stored.bep?.biasCorrected, recomputed.biasCorrected);
  assert.equal(stored.phases.cultivation.diversityChangePct, diversityChangePct(diversityWindows(steps(cultivation))));
  assert.ok(counterfactual.every((r) => !r.decision.like), 'p\' never likes under suppressed engagement');
  assert.ok(counterfactual.every((r) => r.policyDecision !== undefined), 'persona-stat decided as p, its output reversed like any policy\'s');
  assert.equal(stored.reversalCheck?.transformedSteps, 60);
  t.diagnostic(reversalCheckLines(stored.reversalCheck).join(' '));
  assert.equal(stored.reversalCheck?.tookHold, true, 'the report sees the reversal take hold');
  assert.ok(await store.get('audits/audit-test-1/report.md'));
  assert.ok(await store.getJson('audits/audit-test-1/reversed-persona.json'));

  const history = await handle.fetchHistory();
  t.diagnostic(`${history.events?.length} history events for 120 interactions`);
  assert.ok((history.events?.length ?? Infinity) <= 8 * 120, `history ${history.events?.length} events`);

  // Determinism: the recorded history replays against today's workflow code.
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, 'audit-test-1');
});

test('an audit continued as new many times carries its session, cursor and counts across runs', async () => {
  const auditId = 'audit-can';
  const handle = await startAudit(env.client, { schemaVersion: 1, auditId, spec: spec(auditId, 20), screenshots: false, maxHistoryEvents: 60 });
  const result = await handle.result();
  assert.equal(result.status, 'COMPLETED');
  const runs: string[] = [];
  for await (const execution of env.client.workflow.list({ query: `WorkflowId = "${auditId}"` })) runs.push(execution.runId);
  assert.ok(runs.length >= 3, `${runs.length} runs`);
  // `audit list` and `audit status` show the audit's own start, not its latest run's.
  const first = await env.client.workflow.getHandle(auditId, handle.firstExecutionRunId).describe();
  const latest = await handle.describe();
  assert.notEqual(latest.runId, first.runId);
  assert.equal((await firstStartTime(env.client, latest)).toISOString(), first.startTime.toISOString());
  for await (const listed of env.client.workflow.list({ query: `WorkflowId = "${auditId}" AND ExecutionStatus != 'ContinuedAsNew'` })) {
    assert.equal((await firstStartTime(env.client, listed)).toISOString(), first.startTime.toISOString());
  }
  const progress = await handle.query(progressQuery);
  assert.equal(progress.interactions, 40);
  assert.equal(progress.sessions, 1, 'the browser session crossed every continue-as-new');
  const counted = Object.values(progress.counts.cultivation).reduce((a, b) => a + b, 0);
  assert.equal(counted, 20, 'category counts survive continue-as-new');
  for (const phase of ['cultivation', 'counterfactual'] as const) {
    const records = await loadPhaseRecords(store, auditId, phase);
    assert.deepEqual(records.map((r) => r.index), Array.from({ length: 20 }, (_, i) => i));
  }
});

