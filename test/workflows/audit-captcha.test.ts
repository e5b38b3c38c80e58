/**
 * Captchas wait for a person: a real audit (Temporal dev server, workers, sandbox, Chromium) meets a
 * slider captcha forced through the sandbox's admin API, goes AWAITING_HUMAN with its browser
 * session kept open, and a second Chromium solves the slider through the live view (streamed
 * frames, forwarded mouse). Also: an Update sent while the captcha is still there is rejected,
 * and nobody solving it in time fails the audit.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { Browser } from 'playwright-core';
import { loadPhaseRecords } from '../../activities/analysis/analyze-audit';
import { launchChromium } from '../../activities/browser/chromium';
import type { AuditProgress } from '../../core/audit-progress';
import { PersonaSchema } from '../../core/persona';
import { progressQuery } from '../../workflows/audit';
import { challengeResolvedUpdate } from '../../workflows/challenge';
import { searchAttributes } from '../../workflows/search-attributes';
import { startAuditStack, type AuditStack } from '../helpers/audit-stack';
import { dragSliderInLiveView, pressDone } from '../helpers/live-view-solver';
import { startAudit } from '../../clients/audit';
import { pollUntil } from '../helpers/poll';
import { workflowBundle } from '../helpers/workflow-bundle';

const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../../examples/personas/user-b.json', import.meta.url), 'utf8')));
const TIME_SCALE = 50;

let stack: AuditStack;
let viewer: Browser;

before(async () => {
  stack = await startAuditStack({ timeScale: TIME_SCALE });
  viewer = await launchChromium();
});

after(async () => {
  await viewer?.close();
  await stack?.stop();
});

function start(auditId: string, steps: { cultivation: number; counterfactual: number }, challenges?: { timeoutSeconds: number; onTimeout: 'fail' | 'wait' }) {
  return startAudit(stack.env.client, {
    schemaVersion: 1, auditId, screenshots: false,
    spec: {
      schemaVersion: 1, platform: 'sandbox', persona, accountId: auditId, seed: 3, timeScale: TIME_SCALE, policy: 'persona-stat',
      cultivationSteps: steps.cultivation, counterfactualSteps: steps.counterfactual,
      reversal: { strategy: 'quantile-flip', engagement: 'suppress' },
      ...(challenges ? { challenges } : {}),
    },
  });
}

/** Forces a slider captcha on the account now; returns the gap's position (0–100), for messages. */
async function forceCaptcha(account: string): Promise<number> {
  const response = await fetch(`${stack.sandbox.url}/admin/accounts/${account}/challenge`, { method: 'POST', headers: { 'x-admin-token': stack.sandbox.adminToken } });
  assert.ok(response.ok, `forcing a captcha: ${response.status}`);
  return ((await response.json()) as { challenge: { target: number } }).challenge.target;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  return (await pollUntil(what, probe, (value) => value !== undefined, { timeoutMs, retryErrors: true })) as T;
}

const progressWhen = (handle: WorkflowHandle, ok: (p: AuditProgress) => boolean) =>
  until('progress', async () => {
    const progress = await handle.query(progressQuery);
    return ok(progress) ? progress : undefined;
  });

test('a captcha mid-audit waits for a person, who solves it through the live view; the audit resumes at the same step', async (t) => {
  const started = performance.now();
  const auditId = 'captcha-live';
  const handle = await start(auditId, { cultivation: 12, counterfactual: 6 });
  await progressWhen(handle, (p) => p.interactions >= 4);
  const target = await forceCaptcha(auditId);

  const waiting = await progressWhen(handle, (p) => p.status === 'AWAITING_HUMAN');
  assert.equal(waiting.challenge?.kind, 'captcha');
  assert.match(waiting.challenge?.liveViewUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/live\/[A-Za-z0-9_-]{32}$/);
  const described = await handle.describe();
  assert.equal(described.typedSearchAttributes.get(searchAttributes.status), 'AWAITING_HUMAN');
  // Paused: no step runs while the captcha is on screen.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal((await handle.query(progressQuery)).interactions, waiting.interactions);

  await assert.rejects(handle.executeUpdate(challengeResolvedUpdate), (error: unknown) => {
    assert.ok(error instanceof WorkflowUpdateFailedError);
    assert.match(String((error.cause as Error | undefined)?.message), /still on screen/);
    return true;
  }, 'the Update is rejected while the captcha is still there');
  const wrongToken = waiting.challenge!.liveViewUrl.replace(/[^/]{32}$/, 'x'.repeat(32));
  assert.equal((await fetch(wrongToken)).status, 404, 'a wrong token sees nothing');
  const badInput = await fetch(`${waiting.challenge!.liveViewUrl}/input`, { method: 'POST', body: JSON.stringify({ kind: 'mouse', type: 'teleport', x: 1, y: 1 }) });
  assert.equal(badInput.status, 400, 'input events are checked before they reach the browser');
  assert.match(((await badInput.json()) as { error: string }).error, /bad input event/);

  const page = await viewer.newPage({ viewport: { width: 520, height: 900 } });
  await page.goto(waiting.challenge!.liveViewUrl);
  const seen = await dragSliderInLiveView(page);
  assert.match(await pressDone(page), new RegExp(`resumed at cultivation step ${waiting.index}`), `the same step index (gap at ${target}, seen ${JSON.stringify(seen)})`);
  await page.close();
  assert.equal((await fetch(waiting.challenge!.liveViewUrl)).status, 404, 'the live view\'s token is revoked once its challenge is resolved');

  const result = await handle.result();
  assert.equal(result.status, 'COMPLETED');
  const progress = await handle.query(progressQuery);
  assert.equal(progress.sessions, 1, 'the browser session stayed open through the captcha');
  assert.equal(progress.challenge, undefined);
  for (const [phase, n] of [['cultivation', 12], ['counterfactual', 6]] as const) {
    const records = await loadPhaseRecords(stack.store, auditId, phase);
    assert.deepEqual(records.map((r) => r.index), Array.from({ length: n }, (_, i) => i), `${phase}: contiguous, no duplicates`);
  }
  // Every record is one impression the platform closed: nothing swiped twice, nothing skipped.
  const impressions = await (await fetch(`${stack.sandbox.url}/admin/accounts/${auditId}/impressions?limit=1000`, { headers: { 'x-admin-token': stack.sandbox.adminToken } })).json() as { impressions: { closedAt: unknown }[] };
  assert.equal(impressions.impressions.filter((i) => i.closedAt !== null).length, 18);
  const history = await handle.fetchHistory();
  t.diagnostic(`${history.events?.length} history events for 18 interactions, a rejected and an accepted Update`);
  // Determinism: the pause, both Updates and the resume replay against today's workflow code.
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, auditId);
  t.diagnostic(`captcha audit wall time ${((performance.now() - started) / 1000).toFixed(1)} s`);
});

test('nobody solving the captcha in time fails the audit with a clear error', async () => {
  const auditId = 'captcha-timeout';
  // The captcha is there before the audit signs in: acquiring the session meets it.
  await fetch(`${stack.sandbox.url}/api/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account: auditId }) });
  await forceCaptcha(auditId);
  const handle = await start(auditId, { cultivation: 3, counterfactual: 3 }, { timeoutSeconds: 2, onTimeout: 'fail' });
  const waiting = await progressWhen(handle, (p) => p.status === 'AWAITING_HUMAN');
  assert.ok(waiting.challenge?.deadline, 'a failing wait has a deadline');
  await assert.rejects(handle.result(), (error: unknown) => {
    assert.ok(error instanceof WorkflowFailedError);
    assert.match(String((error.cause as Error | undefined)?.message), /nobody solved the captcha .* within 2 s/);
    return true;
  });
  assert.equal((await handle.describe()).typedSearchAttributes.get(searchAttributes.status), 'FAILED');
  assert.equal(stack.browser.pool.size, 0, 'the session was closed');
});

test('with onTimeout "wait" the audit stays paused past the timeout', async () => {
  const auditId = 'captcha-wait';
  await fetch(`${stack.sandbox.url}/api/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account: auditId }) });
  const target = await forceCaptcha(auditId);
  const handle = await start(auditId, { cultivation: 2, counterfactual: 2 }, { timeoutSeconds: 1, onTimeout: 'wait' });
  const waiting = await progressWhen(handle, (p) => p.status === 'AWAITING_HUMAN');
  assert.equal(waiting.challenge?.deadline, undefined);
  await new Promise((resolve) => setTimeout(resolve, 2500));
  assert.equal((await handle.query(progressQuery)).status, 'AWAITING_HUMAN');
  const page = await viewer.newPage({ viewport: { width: 520, height: 900 } });
  await page.goto(waiting.challenge!.liveViewUrl);
  const seen = await dragSliderInLiveView(page);
  await page.close();
  assert.match(await until(`an accepted Update (gap at ${target}, seen ${JSON.stringify(seen)})`, () => handle.executeUpdate(challengeResolvedUpdate)), /resumed at cultivation step 0/);
  assert.equal((await handle.result()).status, 'COMPLETED');
  const records = await loadPhaseRecords(stack.store, auditId, 'cultivation');
  assert.deepEqual(records.map((r) => r.index), [0, 1]);
});
