/**
 * Longitudinal series on a real Temporal dev server (its Schedules), real workers, the sandbox and
 * Chromium: sessions of 3 steps at 1000x, intervals of seconds. trigger, backfill, pause, the
 * overlap policy and the account lock.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { Client } from '@temporalio/client';
import { loadPhaseRecords } from '../../activities/analysis/analyze-audit';
import { readSeriesMisses, readSeriesSessions } from '../../activities/series/series-store';
import { PersonaSchema } from '../../core/persona';
import { seriesMetrics, SeriesSpecSchema, type SeriesSession, type SeriesSpec } from '../../core/series';
import { backfillSeries, createSeriesSchedule, describeSeriesSchedule, startSeriesSession, triggerSeries } from '../../clients/series';
import { searchAttributes } from '../../workflows/search-attributes';
import { startAuditStack, type AuditStack } from '../helpers/audit-stack';
import { personaact, REPO_ROOT, type RunResult } from '../infra/helpers';

const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../../examples/personas/user-a.json', import.meta.url), 'utf8')));
const TIME_SCALE = 1000;
const HOUR = 3_600_000;

let stack: AuditStack;
let client: Client;

before(async () => {
  stack = await startAuditStack({ timeScale: TIME_SCALE });
  client = new Client({ connection: stack.env.connection, namespace: stack.env.namespace ?? 'default', dataConverter: stack.dataConverter });
});
after(() => stack?.stop());

function spec(seriesId: string, everyMs: number, extra: Partial<SeriesSpec> = {}): SeriesSpec {
  return SeriesSpecSchema.parse({
    schemaVersion: 1, seriesId, platform: 'sandbox', persona, accountId: `${seriesId}-account`, sessionSteps: 3,
    everyMs, seed: 5, timeScale: TIME_SCALE, ...extra,
  });
}

async function sessionsOf(seriesId: string, count: number, timeoutMs = 120_000): Promise<SeriesSession[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const sessions = (await readSeriesSessions(stack.store, seriesId)).sort((a, b) => a.index - b.index);
    if (sessions.filter((s) => s.status !== 'RUNNING').length >= count) return sessions;
    if (Date.now() > deadline) assert.fail(`series ${seriesId}: ${count} finished sessions expected, found ${JSON.stringify(sessions.map((s) => [s.index, s.status]))}`);
    await sleep(250);
  }
}

function assertNoOverlap(sessions: readonly SeriesSession[]): void {
  for (let i = 1; i < sessions.length; i++) {
    assert.ok(sessions[i - 1]!.endedAt, `session ${i - 1} ended`);
    assert.ok(Date.parse(sessions[i]!.startedAt) >= Date.parse(sessions[i - 1]!.endedAt!),
      `session ${i} started ${sessions[i]!.startedAt}, before session ${i - 1} ended ${sessions[i - 1]!.endedAt}`);
  }
}

test('trigger runs sessions one after another on one account, as p and then as p\'; scheduled runs carry the search attributes', async () => {
  const s = spec('series-trigger', HOUR, { reverseAfter: 2 });
  await createSeriesSchedule(client, s, { startNow: false });
  await triggerSeries(client, s.seriesId);
  await sessionsOf(s.seriesId, 1);
  // A second trigger while a session runs waits for it, never runs beside it. (A schedule action's
  // workflow id has second resolution: triggers in one second are one action, so they are 1.1 s apart.)
  await triggerSeries(client, s.seriesId);
  await sleep(1100);
  await triggerSeries(client, s.seriesId);
  const sessions = await sessionsOf(s.seriesId, 3);
  assert.deepEqual(sessions.map((x) => [x.index, x.role, x.status, x.steps]), [[0, 'original', 'COMPLETED', 3], [1, 'original', 'COMPLETED', 3], [2, 'reversed', 'COMPLETED', 3]]);
  assertNoOverlap(sessions);
  // p acts in the cultivation phase, p' in the counterfactual phase of its session's audit, on the same account.
  assert.equal((await loadPhaseRecords(stack.store, sessions[0]!.auditId, 'cultivation')).length, 3);
  assert.equal((await loadPhaseRecords(stack.store, sessions[2]!.auditId, 'cultivation')).length, 0);
  assert.equal((await loadPhaseRecords(stack.store, sessions[2]!.auditId, 'counterfactual')).length, 3);
  for (const session of sessions) {
    const audit = await stack.store.getJson<{ accountId: string }>(`audits/${session.auditId}/spec.json`);
    assert.equal(audit?.accountId, s.accountId);
  }

  const tagged = new Set<string>();
  for await (const w of client.workflow.list({ query: `${searchAttributes.series.name} = "${s.seriesId}" AND WorkflowType = "seriesSessionWorkflow"` })) {
    assert.equal(w.typedSearchAttributes.get(searchAttributes.persona), persona.id);
    assert.equal(w.typedSearchAttributes.get(searchAttributes.platform), 'sandbox');
    assert.ok(w.workflowId.startsWith(`${s.seriesId}-`), w.workflowId);
    tagged.add(w.workflowId);
  }
  assert.deepEqual([...tagged].sort(), sessions.map((x) => x.workflowId).sort(), `the session workflows carry ${searchAttributes.series.name}`);
  const audits = [];
  for await (const w of client.workflow.list({ query: `${searchAttributes.series.name} = "${s.seriesId}" AND WorkflowType = "auditWorkflow"` })) audits.push(w.workflowId);
  assert.deepEqual(audits.sort(), sessions.map((x) => x.auditId));

  const metrics = seriesMetrics(s, sessions, []);
  assert.ok(metrics.bep && metrics.bep.beforeIndex === 1 && metrics.bep.afterIndex === 2, 'BEP around the reversal');
  assert.ok(metrics.sessions[1]!.driftFromPrevious !== null);
});

test('backfill runs the windows of a past period, one after another, at their own scheduled times', async () => {
  const s = spec('series-backfill', HOUR);
  await createSeriesSchedule(client, s, { startNow: false });
  const now = Date.now();
  // Windows are aligned to the creation time: three of them lie in [now − 3.5 h, now − 0.5 h].
  await backfillSeries(client, s.seriesId, new Date(now - 3.5 * HOUR), new Date(now - 0.5 * HOUR));
  const sessions = await sessionsOf(s.seriesId, 3);
  assert.equal(sessions.length, 3);
  assertNoOverlap(sessions);
  // Temporal picks the order the buffered windows run in; the index is the order the account lived them.
  const scheduled = sessions.map((x) => Date.parse(x.scheduledAt)).sort((a, b) => a - b);
  for (let i = 1; i < scheduled.length; i++) assert.equal(scheduled[i]! - scheduled[i - 1]!, HOUR, 'the past windows, an interval apart');
  assert.ok(scheduled[0]! < now - 2 * HOUR, 'a backfilled session keeps its window\'s time');
  assert.deepEqual(seriesMetrics(s, sessions, [], new Date(now - HOUR).toISOString()).missed, []);
});

test('a second-scale schedule takes sessions on its own and never two at once; paused, it takes none and the gap is reported', async () => {
  const s = spec('series-timer', 1000);
  await createSeriesSchedule(client, s, { startNow: true });
  await sessionsOf(s.seriesId, 2);
  const { handle } = await describeSeriesSchedule(client, s.seriesId);
  await handle.pause('test');
  // Let a session that was running finish, then nothing more may start.
  for (let i = 0; (await handle.describe()).info.runningActions.length > 0; i++) await sleep(250);
  const before = await readSeriesSessions(stack.store, s.seriesId);
  await sleep(4000);
  const described = await handle.describe();
  assert.equal(described.state.paused, true);
  const sessions = (await readSeriesSessions(stack.store, s.seriesId)).sort((a, b) => a.index - b.index);
  assert.equal(sessions.length, before.length, 'a paused schedule starts no session');
  assertNoOverlap(sessions);
  const metrics = seriesMetrics(s, sessions, await readSeriesMisses(stack.store, s.seriesId), new Date(Date.now() - 1000).toISOString());
  assert.ok(metrics.missed.length >= 2, `the paused windows are reported missed: ${metrics.missed.length}`);
  await handle.delete();
});

test('the account lock: a session that finds its account busy records a missed window instead of running beside it', async () => {
  const s = spec('series-lock', HOUR);
  const start = (id: string) => startSeriesSession(client, id, { schemaVersion: 1, spec: s });
  const [a, b] = await Promise.all([start('series-lock-a'), start('series-lock-b')]);
  const results = await Promise.all([a.result(), b.result()]);
  assert.deepEqual(results.map((r) => r.session !== null).sort(), [false, true], 'one ran, one was refused');
  assert.match(results.find((r) => r.session === null)!.missed!, /account series-lock-account was busy/);
  const misses = await readSeriesMisses(stack.store, s.seriesId);
  assert.equal(misses.length, 1);
  assert.equal((await readSeriesSessions(stack.store, s.seriesId)).length, 1);
  // Released: the next session takes the account.
  assert.ok((await (await start('series-lock-c')).result()).session);
});

test('the CLI: schedule create | list | describe | trigger | pause | unpause | delete, and series report', async () => {
  const env = {
    PERSONAACT_TEMPORAL_ADDRESS: stack.env.address, PERSONAACT_NAMESPACE: stack.env.namespace ?? 'default',
    PERSONAACT_ARTIFACTS: join(stack.dir, 'artifacts'), PERSONAACT_SANDBOX_URL: stack.sandbox.url, PERSONAACT_UI_URL: 'http://127.0.0.1:1',
  };
  const cli = async (...args: string[]): Promise<RunResult> => {
    const result = await personaact(args, { env, timeoutMs: 60_000 });
    assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    return result;
  };
  const id = 'series-cli';
  const created = await cli('schedule', 'create', '--persona', join(REPO_ROOT, 'examples', 'personas', 'user-a.json'), '--every', '1h',
    '--session-steps', '2', '--reverse-after', '1', '--id', id, '--no-start-now');
  assert.match(created.stdout, new RegExp(`Created series ${id}[\\s\\S]*as p' from session 1 on[\\s\\S]*time scale ${TIME_SCALE}`));
  const again = await personaact(['schedule', 'create', '--persona', join(REPO_ROOT, 'examples', 'personas', 'user-a.json'), '--every', '1h', '--session-steps', '2', '--id', id], { env, timeoutMs: 60_000 });
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, new RegExp(`a schedule "${id}" already exists; choose another --id`));
  const listed = JSON.parse((await cli('schedule', 'list', '--json')).stdout) as { seriesId: string; persona: string; paused: boolean }[];
  assert.deepEqual(listed.find((e) => e.seriesId === id), { ...listed.find((e) => e.seriesId === id), persona: persona.id, paused: false });
  await cli('schedule', 'trigger', id);
  await sessionsOf(id, 1);
  await cli('schedule', 'pause', id);
  const described = JSON.parse((await cli('schedule', 'describe', id, '--json')).stdout) as { paused: boolean; spec: { sessionSteps: number; persona: string }; actionsTaken: number };
  assert.deepEqual([described.paused, described.spec.sessionSteps, described.spec.persona], [true, 2, persona.id]);
  assert.ok(described.actionsTaken >= 1);
  await cli('schedule', 'unpause', id);
  const report = JSON.parse((await cli('series', 'report', id, '--json')).stdout) as { sessions: { index: number; role: string; steps: number }[]; schedule: { paused: boolean } };
  assert.deepEqual(report.sessions.map((x) => [x.index, x.role, x.steps]), [[0, 'original', 2]]);
  assert.equal(report.schedule.paused, false);
  await cli('schedule', 'delete', id);
  const gone = await personaact(['schedule', 'describe', id], { env, timeoutMs: 60_000 });
  assert.notEqual(gone.code, 0);
  assert.match(gone.stderr, new RegExp(`no schedule "${id}"`));
  assert.match((await cli('series', 'report', id)).stdout, /Schedule: none/, 'the report stands on the store once the schedule is gone');
});
