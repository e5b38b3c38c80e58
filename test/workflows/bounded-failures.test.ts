/**
 * Failures that no retry can fix end the workflow at once, typed and naming the cause, instead of
 * a workflow-task retry loop (a spec that does not parse) or an activity retried forever (a key
 * that does not open the account's cookies). Each wait is bounded: before the fix these runs
 * never ended, and the test failed on its deadline.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { saveStorageState } from '../../activities/accounts/storage-state';
import { PersonaSchema } from '../../core/persona';
import { startAudit } from '../../clients/audit';
import { startTrainingRun } from '../../clients/training';
import { startAuditStack, type AuditStack } from '../helpers/audit-stack';
import { testSecrets } from '../helpers/secrets';

const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../../examples/personas/user-a.json', import.meta.url), 'utf8')));
/** Far longer than a failure takes (~1 s), far shorter than a retry loop would ever end. */
const DEADLINE_MS = 20_000;

let stack: AuditStack;

before(async () => {
  stack = await startAuditStack({ timeScale: 20 });
});

after(async () => {
  await stack?.stop();
});

const auditSpec = (accountId: string) => ({
  schemaVersion: 1 as const, platform: 'sandbox' as const, persona, accountId, cultivationSteps: 2, counterfactualSteps: 2,
  policy: 'persona-stat' as const, reversal: { strategy: 'quantile-flip' as const, engagement: 'suppress' as const }, seed: 1, timeScale: 20,
});

/** The workflow's failure, or a test failure if it has not failed within the deadline. */
async function failureOf(handle: WorkflowHandle): Promise<ApplicationFailure> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`workflow ${handle.workflowId} still running after ${DEADLINE_MS} ms (a retry loop)`)), DEADLINE_MS);
  });
  try {
    await Promise.race([handle.result(), deadline]);
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    let cause = error.cause;
    if (cause instanceof ActivityFailure) cause = cause.cause;
    assert.ok(cause instanceof ApplicationFailure, `an application failure, got ${String(cause)}`);
    return cause;
  } finally {
    clearTimeout(timer);
    await handle.terminate().catch(() => undefined);
  }
  assert.fail('the workflow completed');
}

test('an audit spec that does not parse fails the workflow at once, naming the field', async () => {
  const handle = await startAudit(stack.env.client, {
    schemaVersion: 1, auditId: 'bad-audit-spec', screenshots: false, spec: { ...auditSpec('bad'), cultivationSteps: -3 },
  });
  const failure = await failureOf(handle);
  assert.equal(failure.type, 'InvalidWorkflowInput');
  assert.equal(failure.nonRetryable, true);
  assert.match(failure.message, /^audit spec: cultivationSteps: /);
});

test('a training spec that does not parse fails the workflow at once, naming the field', async () => {
  const handle = await startTrainingRun(stack.env.client, {
    schemaVersion: 1, runId: 'bad-training-spec', spec: { schemaVersion: 1, backend: 'nowhere' } as never,
  });
  const failure = await failureOf(handle);
  assert.equal(failure.type, 'InvalidWorkflowInput');
  assert.match(failure.message, /^training spec: backend: /m);
});

test('cookies sealed under another key fail acquireSession once (DecryptionError), not forever', async () => {
  const other = testSecrets().keyring;
  await saveStorageState(stack.store, other, 'sandbox', 'wrong-key', { cookies: [], origins: [] });
  const handle = await startAudit(stack.env.client, {
    schemaVersion: 1, auditId: 'wrong-key', screenshots: false, spec: auditSpec('wrong-key'),
  });
  const failure = await failureOf(handle);
  assert.equal(failure.type, 'DecryptionError');
  assert.equal(failure.nonRetryable, true);
  assert.match(failure.message, /storage-state\.enc\.json/);
});
