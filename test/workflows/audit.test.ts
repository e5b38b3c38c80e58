/**
 * auditWorkflow on a real Temporal dev server with real workers, the real sandbox server and
 * Chromium, at short lengths (60 + 60).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { openArtifactStore } from '../../activities/artifacts/open-store';
import { loadPhaseRecords, type AuditMetrics } from '../../activities/analysis/analyze-audit';
import type { ArtifactStore } from '../../activities/artifacts/artifact-store';
import { bepBootstrapCi, diversityChangePct, diversityWindows } from '../../core/metrics';
import { PersonaSchema } from '../../core/persona';
import { createBrowserWorkers, createMainWorker, type BrowserWorkers } from '../../workers/create-workers';
import { auditWorkflow, progressQuery } from '../../workflows/audit';
import { MAIN_TASK_QUEUE } from '../../workflows/task-queues';
import { startSandbox, type SandboxServer } from '../../sandbox/server';
import { startTestTemporal } from '../helpers/temporal';

const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../../examples/personas/user-b.json', import.meta.url), 'utf8')));
const TIME_SCALE = 50;

let env: TestWorkflowEnvironment;
let sandbox: SandboxServer;
let store: ArtifactStore;
let mainWorker: Worker;
let browser: BrowserWorkers;
let running: Promise<unknown>;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'personaact-audit-'));
  env = await startTestTemporal();
  sandbox = await startSandbox({ port: 0, dataDir: join(dir, 'sandbox'), timeScale: TIME_SCALE });
  store = openArtifactStore(join(dir, 'artifacts'));
  const common = { connection: env.nativeConnection, namespace: env.namespace ?? 'default', store };
  mainWorker = await createMainWorker(common);
  browser = await createBrowserWorkers({ ...common, sandboxUrl: sandbox.url, maxSessions: 2, chromium: '/usr/bin/chromium' });
  running = Promise.all([mainWorker.run(), browser.run()]);
});

after(async () => {
  mainWorker?.shutdown();
  browser?.shutdown();
  await running;
  await sandbox?.close();
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

function spec(accountId: string, steps: number) {
  return {
    schemaVersion: 1 as const, platform: 'sandbox' as const, persona, accountId,
    cultivationSteps: steps, counterfactualSteps: steps, seed: 7, timeScale: TIME_SCALE,
    reversal: { strategy: 'quantile-flip' as const, engagement: 'suppress' as const },
    policy: 'persona-stat',
  };
}

test('an audit of 60 + 60 records contiguous steps and a report that recomputes from the records', async (t) => {
  const handle = await env.client.workflow.start(auditWorkflow, {
    taskQueue: MAIN_TASK_QUEUE, workflowId: 'audit-test-1',
    args: [{ schemaVersion: 1, auditId: 'audit-test-1', spec: spec('audit-test-1', 60), screenshots: true }],
  });
  const result = await handle.result();
  t.diagnostic(`BEP ${result.metrics.bep?.value.toFixed(4)} · diversity change ${result.metrics.phases.cultivation.diversityChangePct?.toFixed(1)} %`);
  assert.equal(result.status, 'COMPLETED');
  const progress = await handle.query(progressQuery);
  assert.equal(progress.interactions, 120);

  for (const phase of ['cultivation', 'counterfactual'] as const) {
    const records = await loadPhaseRecords(store, 'audit-test-1', phase);
    assert.deepEqual(records.map((r) => r.index), Array.from({ length: 60 }, (_, i) => i), `${phase} indices 0..59`);
    assert.ok(await store.get(records[0]!.screenshotKey!), 'screenshots are stored beside the records');
  }
  const cultivation = await loadPhaseRecords(store, 'audit-test-1', 'cultivation');
  const counterfactual = await loadPhaseRecords(store, 'audit-test-1', 'counterfactual');
  const steps = (rs: typeof cultivation) => rs.map((r) => ({ level1: r.observation.level1 }));
  const recomputed = bepBootstrapCi(steps(cultivation), steps(counterfactual), { window: 60, seed: '7/bep' });
  const stored = (await store.getJson<AuditMetrics>('audits/audit-test-1/metrics.json'))!;
  assert.equal(stored.bep?.value, recomputed.bep);
  assert.deepEqual(stored.bep?.ci, recomputed.ci);
  assert.equal(stored.phases.cultivation.diversityChangePct, diversityChangePct(diversityWindows(steps(cultivation))));
  assert.ok(counterfactual.every((r) => !r.decision.like), 'p\' never likes under suppressed engagement');
  assert.ok(await store.get('audits/audit-test-1/report.md'));
  assert.ok(await store.getJson('audits/audit-test-1/reversed-persona.json'));

  const { events } = await handle.fetchHistory();
  t.diagnostic(`${events?.length} history events for 120 interactions`);
  assert.ok((events?.length ?? Infinity) <= 8 * 120 + 60, `history ${events?.length} events`);
});
