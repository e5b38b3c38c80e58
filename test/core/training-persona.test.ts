/**
 * No leakage into training datasets (issue 11): the persona built from the training sessions only,
 * the guard against a persona that has seen a test session, and the reversed samples' targets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importLogs } from '../../behaviour-logs/import-logs';
import { PersonaSchema } from '../../core/persona';
import { isReversedSample, reversedOutcome } from '../../core/reversed-sample';
import { quantileFlip, watchCdf } from '../../core/reversal';
import { sessionIdsOf, splitBySession } from '../../core/session-split';
import { heldOutLeak, trainingPersona, trainingPersonaId } from '../../core/training-persona';
import { REPO_ROOT } from '../infra/helpers';
import { personaFixture } from './persona-fixture';

const LOGS_A = join(REPO_ROOT, 'data', 'personaact', 'raw_data', 'a');
const EXAMPLE_A = join(REPO_ROOT, 'examples', 'personas', 'user-a.json');

test('the training persona is built from the training sessions only, and says so in its provenance', async () => {
  const log = await importLogs([LOGS_A]);
  const split = splitBySession(log.steps);
  const persona = trainingPersona(log);
  assert.equal(persona.id, 'user-a');
  assert.equal(persona.stats.steps, split.train.length);
  assert.deepEqual(persona.provenance.sessions?.map((s) => s.id), sessionIdsOf(split.train));
  assert.equal(heldOutLeak(persona, 'a', split), undefined);
  assert.equal(trainingPersonaId('Ann Lee #2'), 'user-ann-lee-2');
});

test('a persona whose provenance covers a test session, or does not say which sessions it saw, is refused; a hand-written one is not', async () => {
  const log = await importLogs([LOGS_A]);
  const split = splitBySession(log.steps);
  const example = PersonaSchema.parse(JSON.parse(readFileSync(EXAMPLE_A, 'utf8')));
  assert.match(heldOutLeak(example, 'a', split) ?? '', /persona "user-a" was built from 1 test session\(s\) of user "a" \(20251211_204126\)/);
  const { sessions: _, ...unrecorded } = example.provenance;
  assert.match(heldOutLeak({ ...example, provenance: unrecorded }, 'a', split) ?? '', /does not record which sessions/);
  const handWritten = PersonaSchema.parse(personaFixture());
  assert.equal(handWritten.provenance.logs, undefined);
  assert.equal(heldOutLeak(handWritten, 'a', split), undefined);
});

test('reversed samples: a seeded share of ids; targets flipped on p\'s distribution, engagement suppressed or moved to the shortest watches', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => `u/s/${i}`);
  assert.equal(ids.filter((id) => isReversedSample(id, 0)).length, 0);
  assert.equal(ids.filter((id) => isReversedSample(id, 1)).length, ids.length);
  const half = ids.filter((id) => isReversedSample(id, 0.5)).length;
  assert.ok(Math.abs(half / ids.length - 0.5) < 0.04, `${half}`);
  assert.deepEqual(ids.map((id) => isReversedSample(id, 0.3)), ids.map((id) => isReversedSample(id, 0.3)));

  const { stats } = PersonaSchema.parse(personaFixture());
  const long = { watchSeconds: stats.watchSeconds.p90, like: true, comment: false, share: true };
  const suppressed = reversedOutcome(long, stats, 'sandbox', { strategy: 'quantile-flip', engagement: 'suppress' });
  assert.deepEqual(suppressed, { watchSeconds: Math.round(quantileFlip(stats.watchSeconds)(long.watchSeconds) * 100) / 100, like: false, comment: false, share: false });
  assert.equal(reversedOutcome(long, stats, 'sandbox', { strategy: 'linear-30', engagement: 'suppress' }).watchSeconds, Math.max(0, 30 - long.watchSeconds));
  // invert: p liked its long watch; p' likes a step where p's watch quantile lies below p's like rate.
  const invert = { strategy: 'quantile-flip', engagement: 'invert' } as const;
  assert.equal(reversedOutcome(long, stats, 'sandbox', invert).like, false);
  const quickest = { watchSeconds: stats.watchSeconds.min, like: false, comment: false, share: false };
  assert.ok(watchCdf(stats.watchSeconds)(quickest.watchSeconds) < stats.likeRate);
  assert.equal(reversedOutcome(quickest, stats, 'sandbox', invert).like, true);
});
