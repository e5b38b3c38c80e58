/**
 * A browser worker dies mid-audit: the workflow notices (the step cannot be scheduled on the dead
 * worker's own queue), re-acquires a session on another browser worker from the account's saved
 * cookies, and goes on at the same cursor — no step lost, none recorded twice.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadPhaseRecords } from '../../activities/analysis/analyze-audit';
import { PersonaSchema } from '../../core/persona';
import { createBrowserWorkers, type BrowserWorkers } from '../../workers/create-workers';
import { progressQuery } from '../../workflows/audit';
import { startAuditStack, type AuditStack } from '../helpers/audit-stack';
import { startAudit } from '../../clients/audit';
import { pollUntil } from '../helpers/poll';

const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../../examples/personas/user-a.json', import.meta.url), 'utf8')));
const TIME_SCALE = 20;

let stack: AuditStack;
let spare: BrowserWorkers;
let spareRun: Promise<void>;

before(async () => {
  stack = await startAuditStack({ timeScale: TIME_SCALE });
});

after(async () => {
  spare?.shutdown();
  await spareRun;
  await stack?.stop();
});

test('when the browser worker holding the session stops, the audit re-acquires a session elsewhere and loses no step', async (t) => {
  const handle = await startAudit(stack.env.client, {
    schemaVersion: 1, auditId: 'recovery', screenshots: false,
    spec: {
      schemaVersion: 1, platform: 'sandbox', persona, accountId: 'recovery', cultivationSteps: 25, counterfactualSteps: 15,
      policy: 'persona-stat', reversal: { strategy: 'quantile-flip', engagement: 'suppress' }, seed: 3, timeScale: TIME_SCALE,
    },
  });
  await pollUntil('10 interactions', () => handle.query(progressQuery), (p) => p.interactions >= 10, { intervalMs: 200 });
  // The first browser worker goes away; only then does a second one join to take over.
  stack.browser.shutdown();
  while ([stack.browser.shared, stack.browser.own].some((w) => w.getState() !== 'STOPPED')) await sleep(100);
  spare = await createBrowserWorkers({
    connection: stack.env.nativeConnection, namespace: stack.env.namespace ?? 'default', store: stack.store, keyring: stack.keyring,
    sandboxUrl: stack.sandbox.url, maxSessions: 2, chromium: '/usr/bin/chromium',
  });
  spareRun = spare.run();
  const result = await handle.result();
  const progress = await handle.query(progressQuery);
  t.diagnostic(`sessions ${progress.sessions}, status ${result.status}`);
  assert.equal(result.status, 'COMPLETED');
  assert.equal(progress.sessions, 2, 'a second session was acquired');
  for (const [phase, steps] of [['cultivation', 25], ['counterfactual', 15]] as const) {
    const records = await loadPhaseRecords(stack.store, 'recovery', phase);
    assert.deepEqual(records.map((r) => r.index), Array.from({ length: steps }, (_, i) => i));
  }
  assert.equal(spare.pool.size, 0, 'the session was closed at the end');
});
