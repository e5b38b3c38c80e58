import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AuditTracker } from '../../core/audit-progress';
import { AuditSpecSchema } from '../../core/audit-spec';
import { jsDivergence } from '../../core/metrics';
import {
  missedWindows, parseDurationMs, seriesMetrics, SeriesSpecSchema, sessionAuditId, sessionRole, type SeriesSession,
} from '../../core/series';
import { personaFixture } from './persona-fixture';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

function session(index: number, role: SeriesSession['role'], counts: Record<string, number>, extra: Partial<SeriesSession> = {}): SeriesSession {
  return {
    schemaVersion: 1, seriesId: 's1', index, auditId: sessionAuditId('s1', index), role, scheduledAt: at(index * 10), startedAt: at(index * 10),
    endedAt: at(index * 10 + 5), status: 'COMPLETED', steps: Object.values(counts).reduce((a, b) => a + b, 0), categoryCounts: counts, meanDiversity: 2, ...extra,
  };
}

test('durations: s, m, h and d; anything else is refused', () => {
  assert.equal(parseDurationMs('10s'), 10_000);
  assert.equal(parseDurationMs('6h'), 6 * 3_600_000);
  assert.equal(parseDurationMs('1d'), 86_400_000);
  assert.equal(parseDurationMs('30m'), 1_800_000);
  for (const bad of ['', '1', 'd', '1.5h', '-1h', '1w', '1 day']) assert.equal(parseDurationMs(bad), undefined, bad);
});

test('sessions run as p before reverseAfter and as p\' from it on; no reverseAfter never reverses', () => {
  assert.deepEqual([0, 1, 2, 3].map((i) => sessionRole({ reverseAfter: 2 }, i)), ['original', 'original', 'reversed', 'reversed']);
  assert.deepEqual([0, 5].map((i) => sessionRole({}, i)), ['original', 'original']);
  assert.deepEqual([0].map((i) => sessionRole({ reverseAfter: 0 }, i)), ['reversed']);
  assert.equal(sessionAuditId('series-x', 7), 'series-x-s007');
});

test('a series spec names the field it refuses', () => {
  const base = { schemaVersion: 1, seriesId: 's1', platform: 'sandbox', persona: personaFixture(), accountId: 'acc', sessionSteps: 5, everyMs: 10_000, seed: 1 };
  assert.ok(SeriesSpecSchema.safeParse(base).success);
  const paths = (value: object) => SeriesSpecSchema.safeParse({ ...base, ...value }).error?.issues.map((i) => i.path.join('.'));
  assert.deepEqual(paths({ sessionSteps: 0 }), ['sessionSteps']);
  assert.deepEqual(paths({ everyMs: 10 }), ['everyMs']);
  assert.deepEqual(paths({ jitterMs: 10_000 }), ['jitterMs']);
  assert.deepEqual(paths({ until: 'tomorrow' }), ['until']);
});

test('an audit spec may leave one phase empty, not both; an empty cultivation starts in the counterfactual phase', () => {
  const base = { schemaVersion: 1, platform: 'sandbox', persona: personaFixture(), accountId: 'acc', seed: 1 };
  assert.ok(AuditSpecSchema.safeParse({ ...base, cultivationSteps: 0, counterfactualSteps: 3 }).success);
  assert.ok(AuditSpecSchema.safeParse({ ...base, cultivationSteps: 3, counterfactualSteps: 0 }).success);
  const both = AuditSpecSchema.safeParse({ ...base, cultivationSteps: 0, counterfactualSteps: 0 });
  assert.match(both.error?.issues[0]?.message ?? '', /at least one step/);

  const reversedOnly = new AuditTracker(0, 2);
  assert.equal(reversedOnly.phase, 'counterfactual');
  reversedOnly.recordStep(['food']);
  reversedOnly.recordStep(['food']);
  assert.ok(reversedOnly.done);
  assert.deepEqual(reversedOnly.progress().counts, { cultivation: {}, counterfactual: { food: 2 } });

  const originalOnly = new AuditTracker(2, 0);
  originalOnly.recordStep(['pets']);
  assert.ok(!originalOnly.done);
  originalOnly.recordStep(['pets']);
  assert.ok(originalOnly.done, 'done once the only phase has its steps');
  assert.equal(originalOnly.interactions, 2);
});

test('series metrics: drift between consecutive completed sessions, BEP around the reversal, per-session shares', () => {
  const sessions = [
    session(2, 'reversed', { food: 1, pets: 3 }),
    session(0, 'original', { food: 4 }),
    session(1, 'original', { food: 3, pets: 1 }),
    session(3, 'reversed', {}, { status: 'FAILED', steps: 0 }),
    session(4, 'reversed', { pets: 4 }),
  ];
  const metrics = seriesMetrics({ seriesId: 's1', everyMs: 10_000 }, sessions, []);
  assert.deepEqual(metrics.sessions.map((s) => s.index), [0, 1, 2, 3, 4]);
  assert.equal(metrics.sessions[0]!.driftFromPrevious, null);
  assert.equal(metrics.sessions[1]!.driftFromPrevious, jsDivergence({ food: 4 }, { food: 3, pets: 1 }));
  assert.equal(metrics.sessions[3]!.driftFromPrevious, null, 'a failed session has no drift');
  assert.equal(metrics.sessions[4]!.driftFromPrevious, jsDivergence({ food: 1, pets: 3 }, { pets: 4 }), 'drift skips the failed session');
  assert.deepEqual(metrics.sessions[2]!.categoryShare, { food: 0.25, pets: 0.75 });
  assert.deepEqual(metrics.bep, {
    adjacent: jsDivergence({ food: 3, pets: 1 }, { food: 1, pets: 3 }),
    pooled: jsDivergence({ food: 7, pets: 1 }, { food: 1, pets: 7 }),
    beforeIndex: 1, afterIndex: 2,
  });
  assert.deepEqual(metrics.missed, []);
  assert.equal(seriesMetrics({ seriesId: 's1', everyMs: 10_000 }, sessions.filter((s) => s.role === 'original'), []).bep, null);
});

test('missed windows: gaps in the schedule, a recorded miss and the windows after the last session are reported', () => {
  assert.deepEqual(missedWindows([at(0), at(10), at(40)], 10_000, undefined), [at(20), at(30)]);
  assert.deepEqual(missedWindows([at(0), at(10), at(14), at(20)], 10_000, undefined), [], 'a trigger between windows misses nothing');
  assert.deepEqual(missedWindows([at(0)], 10_000, at(25)), [at(10), at(20)]);
  const metrics = seriesMetrics({ seriesId: 's1', everyMs: 10_000 }, [session(0, 'original', { food: 1 }), session(3, 'original', { food: 1 })],
    [{ schemaVersion: 1, seriesId: 's1', scheduledAt: at(10), workflowId: 'w', reason: 'account busy' }]);
  assert.deepEqual(metrics.missed.map((m) => [m.at, m.reason.split(' ')[0]]), [[at(10), 'account'], [at(20), 'no']]);
});
