/**
 * The log importers on real files: the paper's users a and b (the published numbers), the
 * neutral JSONL and TikTok fixtures, and every kind of malformed input the issue names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importLogs } from '../../behaviour-logs/import-logs';
import { MAX_INFERRED_WATCH_SECONDS } from '../../behaviour-logs/tiktok-export';
import { sessionsOf } from '../../core/behaviour-log';
import { extractFeatures } from '../../core/persona-features';
import { REPO_ROOT } from '../infra/helpers';

const RAW = join(REPO_ROOT, 'data', 'personaact', 'raw_data');
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'logs');
const SESSION_A = join(RAW, 'a', 'session_20251125_165859.json');

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'import-logs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// The published facts of data/personaact/README.md; like rate = steps with a like / steps.
for (const [user, steps, sessions, likeRatePercent, median] of [
  ['a', 939, 8, 6.2, 4.95],
  ['b', 780, 19, 6.9, 7.35],
] as const) {
  test(`user ${user}: ${steps} steps in ${sessions} sessions, like rate ${likeRatePercent} %, median watch ${median} s`, async () => {
    const log = await importLogs([join(RAW, user)]);
    const features = extractFeatures(log);
    assert.equal(log.user, user);
    assert.equal(log.sources.length, sessions);
    assert.equal(features.steps, steps);
    assert.equal(features.sessions, sessions);
    assert.equal(sessionsOf(log.steps).length, sessions);
    assert.ok(Math.abs(features.likeRate * 100 - likeRatePercent) <= 0.05, `like rate ${features.likeRate}`);
    assert.ok(Math.abs(features.watchSeconds.p50 - median) <= 0.005, `median ${features.watchSeconds.p50}`);
  });
}

test('the remaining statistics of users a and b match an independent numpy computation', async () => {
  const a = extractFeatures(await importLogs([join(RAW, 'a')]));
  const b = extractFeatures(await importLogs([join(RAW, 'b')]));
  assert.deepEqual([a.commentRate, a.shareRate, a.quickSkipRate], [0, 2 / 939, 266 / 939]);
  assert.deepEqual([b.commentRate, b.shareRate, b.quickSkipRate], [1 / 780, 3 / 780, 223 / 780]);
  const close = (x: number, y: number) => assert.ok(Math.abs(x - y) < 1e-9, `${x} vs ${y}`);
  close(a.watchSeconds.p25, 2.745);
  close(a.watchSeconds.p90, 15.446);
  close(a.watchSeconds.mean, 7.790628328008519);
  close(b.watchSeconds.p90, 55.509);
  close(b.watchSeconds.max, 436.77);
  close(b.watchSeconds.mean, 21.91071794871795);
  assert.deepEqual(b.platforms, { bilibili: 780 - b.platforms.douyin!, douyin: b.platforms.douyin });
});

test('paper steps keep the UTC instant and carry the session\'s local offset (UTC+8 from start_time)', async () => {
  const log = await importLogs([SESSION_A]);
  const raw = JSON.parse(readFileSync(SESSION_A, 'utf8')) as { start_time: string; actions: { timestamp: string; viewing_duration: number }[] };
  assert.equal(log.steps.length, raw.actions.length);
  const first = log.steps[0]!;
  const stamp = raw.actions[0]!.timestamp; // yyyymmddTHHMMSSmmm, UTC
  const utc = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}.${stamp.slice(15)}Z`;
  assert.match(first.time, /\+08:00$/);
  assert.equal(Date.parse(first.time), Date.parse(utc));
  assert.equal(first.watchSeconds, raw.actions[0]!.viewing_duration);
  assert.equal(first.time.slice(0, 13), raw.start_time.slice(0, 13), 'local hour of the first step = hour of the local start');
});

test('the neutral JSONL fixture imports field for field, blank lines skipped', async () => {
  const file = join(FIXTURES, 'neutral.jsonl');
  const log = await importLogs([file]);
  assert.equal(log.user, 'neutral');
  assert.deepEqual(log.sources, [file]);
  assert.equal(log.steps.length, 6);
  assert.deepEqual(log.steps[2], {
    sessionId: 's1', time: '2025-03-01T20:00:37+01:00', platform: 'tiktok', watchSeconds: 30,
    actions: [{ type: 'like' }, { type: 'share', text: 'sister' }], videoId: 'v3', level1: ['food'], creator: 'beta', videoSeconds: 30, viewCount: 50000,
  });
  assert.deepEqual(sessionsOf(log.steps).map((s) => s.steps.length), [4, 2]);
  assert.equal((await importLogs([file], { user: 'p07' })).user, 'p07');
});

test('the TikTok export: views in time order, sessions split on 30 min gaps, watch inferred and capped, likes and favourites matched', async () => {
  const log = await importLogs([join(FIXTURES, 'tiktok')]);
  assert.equal(log.user, 'tiktok', 'a folder is named by its own name');
  const ids = log.steps.map((s) => s.videoId?.slice(-4));
  assert.deepEqual(ids, ['1001', '1002', '1003', '1004', '1005', '1006', '1007']);
  assert.deepEqual(sessionsOf(log.steps).map((s) => s.steps.length), [5, 2]);
  // Gaps to the next view: 12, 3, 300 → capped, 45; next session 20. Last views: median of [3, 12, 20, 45, 180] = 20.
  assert.equal(MAX_INFERRED_WATCH_SECONDS, 180);
  assert.deepEqual(log.steps.map((s) => s.watchSeconds), [12, 3, 180, 45, 20, 20, 20]);
  assert.ok(log.steps.every((s) => s.watchSecondsInferred === true && s.platform === 'tiktok'));
  // A step ends when its view ends: start 21:00:00 UTC + 12 s.
  assert.equal(log.steps[0]!.time, '2024-05-01T21:00:12.000Z');
  const actions = log.steps.map((s) => s.actions.map((a) => a.type).join('+'));
  // 1002 liked two seconds before its listed view (slack), 1003 favourited, 1006 liked; the like of 9999 has no view.
  assert.deepEqual(actions, ['', 'like', 'favorite', '', '', 'like', '']);
  const features = extractFeatures(log);
  assert.equal(features.watchSecondsInferredRate, 1);
  assert.equal(features.timeOfDay.clock, 'utc');
});

test('a truncated JSON file: error names the file and says it ends early', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'session_cut.json');
  const text = readFileSync(SESSION_A, 'utf8');
  writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
  await assert.rejects(importLogs([dir]), (e: Error) => e.message.startsWith(`${file}: truncated JSON: the text ends at line `));
});

test('a negative duration: error names the file, the step and the field', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'session_neg.json');
  const session = JSON.parse(readFileSync(SESSION_A, 'utf8'));
  session.actions[1].viewing_duration = -1;
  writeFileSync(file, JSON.stringify(session));
  await assert.rejects(importLogs([file]), (e: Error) => e.message.startsWith(`${file}: actions[1].viewing_duration: `) && /0/.test(e.message));
});

test('an unknown action type: error names the file, the path and the allowed types', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'session_dislike.json');
  const session = JSON.parse(readFileSync(SESSION_A, 'utf8'));
  session.actions[1].actions = [{ type: 'dislike' }];
  writeFileSync(file, JSON.stringify(session));
  await assert.rejects(importLogs([file]), (e: Error) => e.message.startsWith(`${file}: actions[1].actions[0].type: `) && /"like"/.test(e.message));

  const jsonl = join(dir, 'log.jsonl');
  writeFileSync(jsonl, readFileSync(join(FIXTURES, 'neutral.jsonl'), 'utf8').replace('{"type":"comment","text":"yum"}', '{"type":"dislike"}'));
  await assert.rejects(importLogs([jsonl]), (e: Error) => e.message.startsWith(`${jsonl}:6: actions[0].type: `));
});

test('non-UTF-8 bytes: error names the file and the line', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'latin1.jsonl');
  const lines = readFileSync(join(FIXTURES, 'neutral.jsonl'), 'utf8').split('\n');
  const bad = Buffer.concat([Buffer.from(`${lines.slice(0, 2).join('\n')}\n`), Buffer.from('{"title":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]);
  writeFileSync(file, bad);
  await assert.rejects(importLogs([file]), (e: Error) => e.message.startsWith(`${file}: not UTF-8 text: invalid byte sequence at line 3, column 14`));
});

test('an empty folder, a missing path and no paths are clear errors', async (t) => {
  const dir = tempDir(t);
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  writeFileSync(join(empty, 'notes.txt'), 'not a log');
  await assert.rejects(importLogs([empty]), (e: Error) => e.message === `${empty}: empty folder: no .json or .jsonl log files in it`);
  await assert.rejects(importLogs([join(dir, 'nope')]), (e: Error) => e.message === `${join(dir, 'nope')}: no such file or folder`);
  await assert.rejects(importLogs([]), /no log paths given/);
});

test('JSONL: a bad line names the file, the line number and the field', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'log.jsonl');
  const good = readFileSync(join(FIXTURES, 'neutral.jsonl'), 'utf8').split('\n');
  const withLine = (n: number, line: string) => good.map((l, i) => (i === n - 1 ? line : l)).join('\n');

  writeFileSync(file, withLine(2, good[1]!.replace('"watchSeconds":1.5', '"watchSeconds":-3')));
  await assert.rejects(importLogs([file]), (e: Error) => e.message.startsWith(`${file}:2: watchSeconds: `));

  writeFileSync(file, withLine(2, good[1]!.replace('"watchSeconds"', '"watch_seconds"')));
  await assert.rejects(importLogs([file]), (e: Error) => e.message.includes(`${file}:2: watchSeconds: required`) && e.message.includes('watch_seconds'));

  writeFileSync(file, withLine(4, '{"sessionId": "s1", "time": '));
  await assert.rejects(importLogs([file]), (e: Error) => e.message.startsWith(`${file}:4: truncated JSON`));

  writeFileSync(file, withLine(1, good[0]!.replace('"gaming"', '"video games"')));
  await assert.rejects(importLogs([file]), (e: Error) => e.message.startsWith(`${file}:1: level1[0]: unknown level-1 category "video games"`));
});

test('logs of any platform import: known names are normalised, unknown ones kept as given, only an empty name is refused', async (t) => {
  const dir = tempDir(t);
  // A paper session recorded on Xiaohongshu, written in Chinese (the paper's collection has such sessions).
  const session = JSON.parse(readFileSync(SESSION_A, 'utf8'));
  session.platform = '小红书';
  writeFileSync(join(dir, 'session_xhs.json'), JSON.stringify(session));
  assert.ok((await importLogs([join(dir, 'session_xhs.json')])).steps.every((s) => s.platform === 'xiaohongshu'));

  const file = join(dir, 'log.jsonl');
  const good = readFileSync(join(FIXTURES, 'neutral.jsonl'), 'utf8').split('\n').filter(Boolean);
  const names = ['Douyin', '抖音', 'B站', ' rednote ', 'YouTube', 'kuaishou', 'myspace', 'Vine 2'];
  writeFileSync(file, good.map((line, i) => line.replace('"platform":"tiktok"', `"platform":${JSON.stringify(names[i % names.length])}`)).join('\n'));
  const log = await importLogs([file]);
  const expected = ['douyin', 'douyin', 'bilibili', 'xiaohongshu', 'youtube-shorts', 'kuaishou', 'myspace', 'Vine 2'];
  assert.deepEqual(log.steps.map((s) => s.platform), good.map((_, i) => expected[i % expected.length]));

  writeFileSync(file, good.map((line, i) => (i === 1 ? line.replace('"platform":"tiktok"', '"platform":"  "') : line)).join('\n'));
  await assert.rejects(importLogs([file]), (e: Error) => e.message.startsWith(`${file}:2: platform: platform must not be empty`));
});

test('features of a log that covers several platforms keep per-platform statistics (user b: bilibili 16 sessions, douyin 3)', async () => {
  const b = extractFeatures(await importLogs([join(RAW, 'b')]));
  const perPlatform = b.perPlatform ?? {};
  assert.deepEqual(Object.keys(perPlatform), ['bilibili', 'douyin']);
  assert.deepEqual([perPlatform.bilibili?.sessions, perPlatform.douyin?.sessions], [16, 3]);
  assert.equal(perPlatform.bilibili!.steps + perPlatform.douyin!.steps, 780);
  assert.equal(perPlatform.douyin?.watchSeconds.percentiles?.length, 101);
  // A single-platform log has nothing to split.
  assert.equal(extractFeatures(await importLogs([join(RAW, 'a')])).perPlatform, undefined);
});

test('a bad TikTok date names the JSON path; an export without views is an error', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'user_data.json');
  const data = JSON.parse(readFileSync(join(FIXTURES, 'tiktok', 'user_data.json'), 'utf8'));
  data.Activity['Video Browsing History'].VideoList[1].Date = 'yesterday';
  writeFileSync(file, JSON.stringify(data));
  await assert.rejects(importLogs([file]), (e: Error) => e.message.startsWith(`${file}: Activity["Video Browsing History"].VideoList[1].Date: expected "YYYY-MM-DD HH:MM:SS"`));

  data.Activity['Video Browsing History'].VideoList = [];
  writeFileSync(file, JSON.stringify(data));
  await assert.rejects(importLogs([file]), (e: Error) => e.message.includes('no viewed videos'));
});

test('an unknown document, an unsupported extension and two users at once are refused', async (t) => {
  const dir = tempDir(t);
  const other = join(dir, 'other.json');
  writeFileSync(other, '{"hello": "world"}');
  await assert.rejects(importLogs([other]), (e: Error) => e.message.startsWith(`${other}: unknown log format`));
  const csv = join(dir, 'log.csv');
  writeFileSync(csv, 'a,b\n');
  await assert.rejects(importLogs([csv]), (e: Error) => e.message.startsWith(`${csv}: unsupported file type ".csv"`));
  await assert.rejects(importLogs([join(RAW, 'a'), join(RAW, 'b')]), /several users: "a" \(.*\), "b" \(.*\)/);
});
