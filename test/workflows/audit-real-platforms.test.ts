/**
 * The audit workflow, unchanged, on every registered real platform: one short audit per fixture
 * site (test/helpers/fixture-sites/), all six at once on one stack, each checked against what its site
 * served and saw. The 50 + 50 runs are `npm run bench:platforms` (suite time).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Browser } from 'playwright-core';
import { loadStorageState } from '../../activities/accounts/storage-state';
import { launchChromium } from '../../activities/browser/chromium';
import { PLATFORM_NOT_SUPPORTED } from '../../core/platforms';
import { loginProgressQuery } from '../../workflows/account-login';
import { PersonaSchema } from '../../core/persona';
import type { AuditSpec } from '../../core/audit-spec';
import { runAudit, startAudit } from '../../clients/audit';
import { loadPhaseRecords } from '../../activities/analysis/analyze-audit';
import { accountLockId, releaseAccountSignal } from '../../workflows/account-lock';
import { MAIN_TASK_QUEUE } from '../../workflows/task-queues';
import { pollUntil } from '../helpers/poll';
import { startAccountLogin } from '../../clients/account-login';
import { fixtureAccountId, fixtureAuditSpec, runFixtureAudit, startFixtureStack, WEB_PLATFORMS, type FixtureStack } from '../helpers/fixture-sites/audit';
import { pressDone } from '../helpers/live-view-solver';

const STEPS = 10;
const TIME_SCALE = 200;
const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../../examples/personas/user-a.json', import.meta.url), 'utf8')));

let fixtures: FixtureStack;
before(async () => {
  fixtures = await startFixtureStack(TIME_SCALE);
});
after(() => fixtures?.stop());

test(`the unchanged audit workflow runs ${STEPS} + ${STEPS} steps on each real platform's fixture site`, async (t) => {
  const started = performance.now();
  let classified = 0;
  await Promise.all(WEB_PLATFORMS.map(async (platform) => {
    const site = fixtures.sites.get(platform)!;
    const { result, records } = await runFixtureAudit(fixtures, platform, persona, STEPS);
    assert.equal(result.status, 'COMPLETED', platform);
    for (const phase of ['cultivation', 'counterfactual'] as const) {
      assert.deepEqual(records[phase].map((r) => r.index), Array.from({ length: STEPS }, (_, i) => i), `${platform} ${phase}`);
      for (const record of records[phase]) {
        assert.equal(record.observation.platform, platform);
        const served = site.served.find((item) => item.id === record.observation.videoId);
        assert.equal(served?.kind, 'video', `${platform}: ${record.observation.videoId} is a video the feed API served`);
        const { label } = record.observation;
        if (served.tagged !== false) {
          assert.deepEqual(record.observation.level1, [served.category.slug], `${platform}: labelled from the platform's own tags`);
          assert.deepEqual(label, { source: 'platform', level1: served.category.slug, confidence: 1 }, `${platform}: the record says the platform labelled it`);
        } else {
          // No hashtag: the labelling activity's classifier read the title (right or wrong, it says so).
          classified += 1;
          assert.equal(label?.source, 'classifier', `${platform} ${record.observation.videoId}: labelled by the classifier`);
          assert.ok(label.confidence >= 0 && label.confidence <= 1);
          assert.deepEqual(record.observation.level1, label.level1 ? [label.level1] : [], 'level1 is the classifier\'s label ("other": none)');
        }
        for (const action of record.actionsPerformed.filter((a) => a !== 'swipe')) {
          assert.ok(site.events.some((e) => e.type === action && e.id === record.observation.videoId), `${platform}: the site saw ${action} on ${record.observation.videoId}`);
        }
      }
    }
  }));
  assert.ok(classified > 0, 'the YouTube Shorts fixture served shorts without hashtags, and the classifier labelled them');
  t.diagnostic(`${classified} records labelled by the classifier`);
  t.diagnostic(`${WEB_PLATFORMS.length} audits of ${STEPS} + ${STEPS} at ${TIME_SCALE}x, concurrently: ${((performance.now() - started) / 1000).toFixed(1)} s`);
});

test('a platform outside the registry fails the audit at once, by name, whoever started it', async () => {
  const spec = { ...fixtureAuditSpec('douyin', persona, 1, 1), platform: 'weibo' };
  await assert.rejects(
    // Deliberately outside the input's type: as an untyped client would send it.
    runAudit(fixtures.stack.env.client, { schemaVersion: 1, auditId: 'audit-weibo', spec: spec as unknown as AuditSpec, screenshots: false }),
    (error: unknown) => error instanceof WorkflowFailedError && error.cause instanceof ApplicationFailure
      && error.cause.type === PLATFORM_NOT_SUPPORTED && error.cause.nonRetryable && /platform "weibo" has no browser adapter/.test(error.cause.message),
  );
});

test('account login on a real platform: the person signs in through the live view; the session cookie decides, and is saved encrypted', async () => {
  const handle = await startAccountLogin(fixtures.stack.env.client, { platform: 'tiktok', accountId: 'tt-01', timeoutSeconds: 120 });
  assert.equal(handle.workflowId, 'account-login-tiktok-tt-01');
  let liveViewUrl: string | undefined;
  while (!liveViewUrl) {
    liveViewUrl = (await handle.query(loginProgressQuery)).liveViewUrl;
    if (!liveViewUrl) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const viewer: Browser = await launchChromium();
  try {
    const page = await viewer.newPage({ viewport: { width: 700, height: 1000 } });
    await page.goto(liveViewUrl);
    await page.waitForFunction(`Number(document.querySelector('[data-testid="live-screen"]')?.dataset.frames ?? 0) > 0`);
    assert.match(await pressDone(page, 1), /not signed in as tt-01 yet/, 'no session cookie yet: refused');
    // The fixture's sign-in button sits in the page's top-left corner; click it through the streamed frame.
    const box = (await page.getByTestId('live-screen').boundingBox())!;
    const width = await page.evaluate<number>(`document.querySelector('[data-testid="live-screen"]').width`);
    await page.mouse.click(box.x + (40 * box.width) / width, box.y + (14 * box.width) / width);
    await page.waitForFunction(`document.querySelector('[data-testid="live-screen"]').dataset.pending === '0'`);
    assert.match(await pressDone(page), /signed in as tt-01 on tiktok/);
  } finally {
    await viewer.close();
  }
  await handle.result();
  const state = await loadStorageState(fixtures.stack.store, fixtures.stack.keyring, 'tiktok', 'tt-01');
  assert.ok(state?.cookies.some((cookie) => cookie.name === 'sessionid' && cookie.value.startsWith('fixture-')), 'TikTok\'s session cookie is saved');
});

/** The account lock's state, as Temporal knows it ('NONE' before it ever ran). */
const lockStatus = async (platform: 'douyin', accountId: string) => {
  try {
    return (await fixtures.stack.env.client.workflow.getHandle(accountLockId(platform, accountId)).describe()).status.name;
  } catch {
    return 'NONE';
  }
};

test('one session per account: a second audit on the same account waits until the first has ended, then runs', async () => {
  const client = fixtures.stack.env.client;
  const account = fixtureAccountId('douyin');
  const spec = fixtureAuditSpec('douyin', persona, 4, TIME_SCALE);
  const first = await startAudit(client, { schemaVersion: 1, auditId: 'audit-lock-first', spec, screenshots: false });
  await pollUntil('the first audit holds the account', () => lockStatus('douyin', account), (status) => status === 'RUNNING');
  const second = await startAudit(client, { schemaVersion: 1, auditId: 'audit-lock-second', spec, screenshots: false });
  assert.equal((await first.result()).status, 'COMPLETED');
  assert.equal((await second.result()).status, 'COMPLETED');

  const records = async (auditId: string) => [
    ...await loadPhaseRecords(fixtures.stack.store, auditId, 'cultivation'), ...await loadPhaseRecords(fixtures.stack.store, auditId, 'counterfactual'),
  ];
  const firstEnded = Math.max(...(await records('audit-lock-first')).map((r) => Date.parse(r.endedAt)));
  const secondRecords = await records('audit-lock-second');
  assert.equal(secondRecords.length, 8, 'the second audit ran all its steps');
  const secondStarted = Math.min(...secondRecords.map((r) => Date.parse(r.startedAt)));
  assert.ok(secondStarted >= firstEnded, `the second audit's first step (${new Date(secondStarted).toISOString()}) came after the first audit's last (${new Date(firstEnded).toISOString()})`);
  await pollUntil('the account is free again', () => lockStatus('douyin', account), (status) => status === 'COMPLETED');
});

test('an audit terminated while it holds its account frees the account (the lock watches its holder)', async () => {
  const client = fixtures.stack.env.client;
  const account = 'dy-terminated';
  const spec = { ...fixtureAuditSpec('douyin', persona, 50, TIME_SCALE), accountId: account };
  const audit = await startAudit(client, { schemaVersion: 1, auditId: 'audit-lock-terminated', spec, screenshots: false });
  await pollUntil('the audit holds the account', () => lockStatus('douyin', account), (status) => status === 'RUNNING');
  await audit.terminate('test: a person terminates the audit');
  await pollUntil('the account is free again', () => lockStatus('douyin', account), (status) => status === 'COMPLETED', { timeoutMs: 60_000 });
});

test('an audit whose caller holds the account (a series session, accountLocked) runs at once under that lock', async () => {
  const client = fixtures.stack.env.client;
  const account = fixtureAccountId('douyin');
  // What seriesSessionWorkflow does first: the account's lock, held by the session itself (no holder id).
  const lock = await client.workflow.start('accountLockWorkflow', { taskQueue: MAIN_TASK_QUEUE, workflowId: accountLockId('douyin', account) });
  try {
    const spec = fixtureAuditSpec('douyin', persona, 2, TIME_SCALE);
    const result = await runAudit(client, { schemaVersion: 1, auditId: 'audit-lock-series', spec, screenshots: false, accountLocked: true });
    assert.equal(result.status, 'COMPLETED', 'no wait for its own caller\'s lock');
    assert.equal(await lockStatus('douyin', account), 'RUNNING', 'the caller\'s lock is left to the caller');
  } finally {
    await lock.signal(releaseAccountSignal);
  }
  await pollUntil('the caller released the account', () => lockStatus('douyin', account), (status) => status === 'COMPLETED');
});
