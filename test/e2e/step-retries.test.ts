/**
 * envStep's retries, on a real sandbox, real Chromium and a real local store, each step run as
 * Temporal runs an activity attempt (MockActivityEnvironment: the SDK's activity context with the
 * attempt number). Checked against the platform's own ground truth (the admin API's impressions):
 * - a record write that fails (the store is down) keeps the session, the swipe and the measured
 *   timings; the retry writes that record and goes on with the next video (before: SessionLost,
 *   and the workflow replaced the step by an "unconfirmed" record);
 * - a retried attempt that arrives while the first still acts waits for it: one like, one swipe
 *   (before: the like was toggled twice);
 * - idle sessions are reaped, except those a person is at (their live view is open).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createBrowserActivities, type StepInput } from '../../activities/browser/activities';
import { launchChromium } from '../../activities/browser/chromium';
import { LiveViewServer } from '../../activities/browser/live-view';
import { SandboxAdapter } from '../../activities/browser/sandbox/adapter';
import { SessionPool } from '../../activities/browser/session-pool';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { openArtifactStore } from '../../artifacts/open-store';
import { recordKey, type InteractionRecord } from '../../core/interaction-record';
import { startSandbox, type SandboxServer } from '../../sandbox/server';
import { testSecrets } from '../helpers/secrets';

const TIME_SCALE = 20;

/** The local store, with a switch that makes every write fail as a full disk does. */
class OutageStore implements ArtifactStore {
  down = false;
  constructor(private readonly inner: ArtifactStore) {}
  get location() { return this.inner.location; }
  private check(key: string) {
    if (this.down) throw Object.assign(new Error(`ENOSPC: no space left on device, write '${key}'`), { code: 'ENOSPC' });
  }
  async put(key: string, body: Uint8Array | string, contentType?: string) { this.check(key); return this.inner.put(key, body, contentType); }
  async putJson(key: string, value: unknown) { this.check(key); return this.inner.putJson(key, value); }
  get(key: string) { return this.inner.get(key); }
  getJson<T>(key: string) { return this.inner.getJson<T>(key); }
  list(prefix: string) { return this.inner.list(prefix); }
  delete(key: string) { return this.inner.delete(key); }
  locate(key: string) { return this.inner.locate(key); }
}

let dir: string;
let sandbox: SandboxServer;
let pool: SessionPool;
let liveView: LiveViewServer;
let store: OutageStore;
let activities: ReturnType<typeof createBrowserActivities>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'personaact-step-retries-'));
  sandbox = await startSandbox({ port: 0, dataDir: join(dir, 'sandbox'), timeScale: TIME_SCALE, rateLimitPerMinute: 0 });
  pool = new SessionPool(() => launchChromium(), 4);
  liveView = new LiveViewServer({ port: 0 });
  store = new OutageStore(openArtifactStore(join(dir, 'artifacts')));
  activities = createBrowserActivities({
    pool, store, keyring: testSecrets().keyring, taskQueue: 'step-retries',
    adapterFor: () => new SandboxAdapter(sandbox.url), liveView, sendHumanUpdate: async () => 'unused',
  });
});

after(async () => {
  await liveView?.stop();
  await pool?.closeAll();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

const attempt = <R>(n: number, run: () => Promise<R>): Promise<R> => new MockActivityEnvironment({ attempt: n }).run(run) as Promise<R>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- admin JSON, checked by the assertions
const impressions = async (account: string): Promise<any[]> => (await (await fetch(`${sandbox.url}/admin/accounts/${account}/impressions`, { headers: { 'x-admin-token': sandbox.adminToken } })).json()).impressions;

async function acquire(account: string) {
  return attempt(1, () => activities.acquireSession({ platform: 'sandbox', accountId: account, screenshots: false }));
}

const stepInput = (auditId: string, sessionId: string, videoKey: string, index: number, like: boolean): StepInput => ({
  sessionId, auditId, phase: 'cultivation', index, videoKey, timeScale: TIME_SCALE, screenshots: false, decisionLatencyMs: 5,
  decision: { watchSeconds: 10, like, notInterested: false },
});

test('a record write that fails keeps the session: the retry writes the measured record and goes on', async () => {
  const session = await acquire('write-fails');
  const first = stepInput('write-fails', session.sessionId, session.onScreen.videoKey, 0, false);
  store.down = true;
  await assert.rejects(attempt(1, () => activities.envStep(first)), /ENOSPC/);
  store.down = false;
  const result = await attempt(2, () => activities.envStep(first));
  assert.notEqual(result.next.videoKey, first.videoKey, 'the retry goes on from the video after the swipe');

  const record = await store.getJson<InteractionRecord>(recordKey('write-fails', 'cultivation', 0));
  assert.ok(record, 'the record is stored');
  assert.equal(record.attempt, 2);
  assert.equal(record.unconfirmed, undefined, 'the measured record, not an unconfirmed stand-in');
  assert.ok(record.executedDwellMs >= 9_000, `executed dwell measured at the swipe (${record.executedDwellMs} ms)`);
  // The session goes on: the next step runs as usual.
  await attempt(1, () => activities.envStep(stepInput('write-fails', session.sessionId, result.next.videoKey, 1, false)));
  const closed = (await impressions('write-fails')).filter((i) => i.closedAt !== null);
  assert.deepEqual(closed.map((i) => String(i.id)), [first.videoKey, result.next.videoKey], 'one swipe per step');
});

test('a retried attempt waits for the attempt still acting on its session: one like, one swipe', async () => {
  const session = await acquire('overlap');
  const input = stepInput('overlap', session.sessionId, session.onScreen.videoKey, 0, true);
  const first = attempt(1, () => activities.envStep(input));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const second = attempt(2, () => activities.envStep(input));
  const [a, b] = await Promise.all([first, second]);
  assert.deepEqual(b, a, 'the second attempt returns the first one\'s result');
  const shown = await impressions('overlap');
  const stepped = shown.find((i) => String(i.id) === input.videoKey);
  assert.equal(stepped.liked, true, 'liked once (a second click would have taken the like back)');
  assert.equal(shown.filter((i) => i.closedAt !== null).length, 1, 'swiped once');
});

test('idle sessions are reaped, except those with a live view open', async () => {
  const idle = await acquire('idle');
  const held = await acquire('held');
  await liveView.open(held.sessionId, { purpose: 'test', page: pool.get(held.sessionId).page, done: async () => 'done' });
  const reaped = await pool.reapIdle(0, (id) => liveView.isOpen(id));
  assert.ok(reaped.includes(idle.sessionId));
  assert.ok(!reaped.includes(held.sessionId));
  assert.throws(() => pool.get(idle.sessionId), /not on this worker/);
  assert.ok(pool.get(held.sessionId));
});
