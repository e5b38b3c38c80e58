/**
 * Shipping a workflow change while an audit runs (docs/upgrading.md): an audit starts on version
 * N, the main worker is replaced by one running N+1 (auditWorkflow with a new command behind
 * `patched()`), and the audit completes on N+1 with every step recorded once. The same change
 * without `patched()` fails to replay that audit's history (a nondeterminism error: the workflow
 * task would retry forever, the audit stuck RUNNING with its browser open).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeterminismViolationError } from '@temporalio/workflow';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { loadPhaseRecords } from '../../activities/analysis/analyze-audit';
import { PersonaSchema } from '../../core/persona';
import { createMainWorker } from '../../workers/create-workers';
import { startAudit } from '../../clients/audit';
import { progressQuery } from '../../workflows/audit';
import { startAuditStack, type AuditStack } from '../helpers/audit-stack';

const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../../examples/personas/user-a.json', import.meta.url), 'utf8')));
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/workflows-next/${name}.ts`, import.meta.url));
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

let stack: AuditStack;
let next: Worker | undefined;
let nextRun: Promise<void> | undefined;

before(async () => {
  stack = await startAuditStack({ timeScale: 20 });
});

after(async () => {
  if (next?.getState() === 'RUNNING') next.shutdown();
  await nextRun;
  await stack?.stop();
});

test('an audit started on version N completes after N+1 (a patched change) replaces the main worker', async () => {
  const bundle = bundleWorkflowCode({ workflowsPath: fixture('patched'), logger: quiet });
  const handle = await startAudit(stack.env.client, {
    schemaVersion: 1, auditId: 'upgrade', screenshots: false,
    spec: {
      schemaVersion: 1, platform: 'sandbox', persona, accountId: 'upgrade', cultivationSteps: 10, counterfactualSteps: 10,
      policy: 'persona-stat', reversal: { strategy: 'quantile-flip', engagement: 'suppress' }, seed: 5, timeScale: 20,
    },
  });
  while ((await handle.query(progressQuery)).interactions < 4) await sleep(100);
  // Deploy N+1: the old main worker drains and stops, the new one takes over the running audit.
  stack.mainWorker.shutdown();
  while (stack.mainWorker.getState() !== 'STOPPED') await sleep(50);
  next = await createMainWorker({
    connection: stack.env.nativeConnection, namespace: stack.env.namespace ?? 'default', store: stack.store, workflowBundle: await bundle,
  });
  nextRun = next.run();
  const result = await handle.result();
  assert.equal(result.status, 'COMPLETED');
  for (const phase of ['cultivation', 'counterfactual'] as const) {
    const records = await loadPhaseRecords(stack.store, 'upgrade', phase);
    assert.deepEqual(records.map((r) => r.index), Array.from({ length: 10 }, (_, i) => i), `${phase}: every step once`);
  }

  // The same change without patched() cannot replay what N wrote.
  const history = await handle.fetchHistory();
  await assert.rejects(Worker.runReplayHistory({ workflowsPath: fixture('unguarded') }, history, 'upgrade'), DeterminismViolationError);
  // And N+1 replays it, as it just did live.
  await Worker.runReplayHistory({ workflowsPath: fixture('patched') }, history, 'upgrade');
});
