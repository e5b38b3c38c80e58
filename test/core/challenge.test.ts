/** The pure side of challenges: spec settings and how the tracker pauses and resumes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditTracker } from '../../core/audit-progress';
import { AuditSpecSchema } from '../../core/audit-spec';
import { ChallengeSettingsSchema, DEFAULT_CHALLENGE_TIMEOUT_SECONDS } from '../../core/challenge';
import { personaFixture } from './persona-fixture';

const spec = (challenges?: unknown) =>
  AuditSpecSchema.safeParse({ schemaVersion: 1, platform: 'sandbox', persona: personaFixture(), accountId: 'a', seed: 1, ...(challenges ? { challenges } : {}) });

test('challenge settings default to waiting two hours, then failing; bad values name the field', () => {
  assert.deepEqual(ChallengeSettingsSchema.parse({}), { timeoutSeconds: DEFAULT_CHALLENGE_TIMEOUT_SECONDS, onTimeout: 'fail' });
  assert.deepEqual(spec({ onTimeout: 'wait' }).data?.challenges, { timeoutSeconds: 7200, onTimeout: 'wait' });
  assert.equal(spec().data?.challenges, undefined, 'omitted: the workflow applies the defaults');
  const zero = spec({ timeoutSeconds: 0 });
  assert.equal(zero.success, false);
  assert.deepEqual(zero.error?.issues[0]?.path, ['challenges', 'timeoutSeconds']);
  assert.deepEqual(spec({ onTimeout: 'retry' }).error?.issues[0]?.path, ['challenges', 'onTimeout']);
});

test('the tracker pauses at the current step and resumes there; the challenge crosses getState', () => {
  const tracker = new AuditTracker(3, 3);
  tracker.recordStep(['food']);
  const challenge = { kind: 'captcha', detail: 'slider captcha', liveViewUrl: 'http://127.0.0.1:1/live/x', since: '2026-01-01T00:00:00.000Z' };
  tracker.awaitHuman(challenge);
  assert.equal(tracker.status, 'AWAITING_HUMAN');
  assert.deepEqual(tracker.progress().challenge, challenge);
  assert.equal(tracker.progress().index, 1);
  assert.deepEqual(new AuditTracker(3, 3, tracker.getState()).progress().challenge, challenge);
  tracker.humanDone();
  assert.equal(tracker.status, 'RUNNING');
  assert.equal(tracker.progress().challenge, undefined);
  assert.equal(tracker.progress().index, 1, 'the same step');
});
