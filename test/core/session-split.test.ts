/** The session split on the paper's users (which sessions are held out) and on the edge cases. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { importLogs } from '../../behaviour-logs/import-logs';
import type { LogStep } from '../../core/behaviour-log';
import { fitSteps, sessionIdsOf, SessionSplitError, splitBySession } from '../../core/session-split';
import { REPO_ROOT } from '../infra/helpers';

const RAW = join(REPO_ROOT, 'data', 'personaact', 'raw_data');

/** Sessions of the given sizes, one minute apart, in this order. */
function log(...sizes: number[]): LogStep[] {
  let minute = 0;
  return sizes.flatMap((size, s) =>
    Array.from({ length: size }, () => ({
      sessionId: `s${s}`, time: new Date(Date.UTC(2025, 10, 1, 0, minute++)).toISOString(), platform: 'douyin' as const, watchSeconds: 1, actions: [],
    })),
  );
}

test('user a: the last session (469 of 939 steps) is the test set, the one before it validation', async () => {
  const { steps } = await importLogs([join(RAW, 'a')]);
  const split = splitBySession(steps);
  assert.deepEqual(sessionIdsOf(split.test), ['20251211_204126']);
  assert.deepEqual(sessionIdsOf(split.validation), ['20251203_230614']);
  assert.equal(sessionIdsOf(split.train).length, 6);
  assert.deepEqual([split.train.length, split.validation.length, split.test.length], [284, 186, 469]);
  assert.equal(fitSteps(split).length, 470);
});

test('user b: one test session (94 of 780 steps ≥ 78), two validation sessions, sixteen to train on', async () => {
  const { steps } = await importLogs([join(RAW, 'b')]);
  const split = splitBySession(steps);
  assert.deepEqual(sessionIdsOf(split.test), ['20251201_130544']);
  assert.deepEqual(sessionIdsOf(split.validation), ['20251201_110423', '20251201_114843']);
  assert.equal(sessionIdsOf(split.train).length, 16);
  assert.deepEqual([split.train.length, split.validation.length, split.test.length], [558, 128, 94]);
  // No session straddles the cut, and every step is somewhere, once.
  const test_ = new Set(sessionIdsOf(split.test));
  assert.ok(fitSteps(split).every((s) => !test_.has(s.sessionId)));
  assert.equal(new Set([...split.train, ...split.validation, ...split.test]).size, steps.length);
});

test('held-out parts take whole sessions from the end until they hold ≥ 10 % of the steps', () => {
  // 100 steps: 10 % = 10. Test: s4 (5) + s3 (6) = 11; validation: s2 (10); train: s0, s1.
  const split = splitBySession(log(40, 39, 10, 6, 5));
  assert.deepEqual(sessionIdsOf(split.test), ['s3', 's4']);
  assert.deepEqual(sessionIdsOf(split.validation), ['s2']);
  assert.deepEqual(sessionIdsOf(split.train), ['s0', 's1']);
});

test('sessions go by time, not by their place in the log', () => {
  const steps = log(5, 5, 5);
  // Move the earliest session to the end of the log: it is still the first in time.
  const reordered = [...steps.slice(5), ...steps.slice(0, 5)];
  assert.deepEqual(sessionIdsOf(splitBySession(reordered).test), ['s2']);
});

test('validation is empty when it cannot reach 10 % and leave a session to train on', () => {
  const split = splitBySession(log(50, 50));
  assert.deepEqual(sessionIdsOf(split.test), ['s1']);
  assert.deepEqual(split.validation, []);
  assert.equal(split.train.length, 50);
});

test('a log that cannot be split fails with a clear error', () => {
  assert.throws(() => splitBySession(log(30)), (error) =>
    error instanceof SessionSplitError && /needs at least 2 sessions .*the log has 1/.test(error.message));
  assert.throws(() => splitBySession([]), /the log has 0/);
  // The last session holds 1 of 100 steps, and reaching 10 % would take the first one too.
  assert.throws(() => splitBySession(log(99, 1)), /cannot hold 10 % of the 100 steps without taking every session/);
  const [a, b, c] = [log(2, 2).slice(0, 2), log(2, 2).slice(2), log(2, 2).slice(0, 1)];
  assert.throws(() => splitBySession([...(a as LogStep[]), ...(b as LogStep[]), ...(c as LogStep[])]), /session "s0" appears in two places/);
});
