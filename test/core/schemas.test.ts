import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { z } from 'zod';
import {
  AuditSpecSchema,
  InteractionRecordSchema,
  ObservationSchema,
  PersonaSchema,
  formatZodError,
  recordKey,
  screenshotKey,
} from '../../core';
import { personaFixture } from './persona-fixture';

/** The formatted message for an input the schema must reject. */
function rejection(schema: z.ZodType, input: unknown, source?: string): string {
  const result = schema.safeParse(input);
  assert.ok(!result.success, 'expected the input to be rejected');
  return formatZodError(result.error, source);
}

const observation = {
  platform: 'sandbox',
  videoId: 'v-1',
  title: 'Dumplings',
  creator: 'chef',
  level1: ['food'],
  level2: ['cooking'],
  durationSeconds: 42,
  observedAt: '2025-03-01T10:00:00.000Z',
};

test('a valid persona parses and gets an empty provenance when none is given', () => {
  const persona = PersonaSchema.parse(personaFixture());
  assert.equal(persona.id, 'persona-a');
  const { provenance: _omitted, ...withoutProvenance } = personaFixture();
  assert.deepEqual(PersonaSchema.parse(withoutProvenance).provenance, {});
});

test('a persona error names the file and the field path, one line per issue', () => {
  const input = personaFixture();
  const stats = { ...input.stats, watchSeconds: { ...input.stats.watchSeconds, p50: '6' }, likeRate: 1.5 };
  const message = rejection(PersonaSchema, { ...input, stats }, 'persona.json');
  assert.deepEqual(message.split('\n'), [
    'persona.json: stats.likeRate: expected number to be <=1',
    'persona.json: stats.watchSeconds.p50: expected number, received string',
  ]);
});

test('watch-time quantiles that decrease are rejected at the quantile that drops', () => {
  const input = personaFixture();
  const stats = { ...input.stats, watchSeconds: { ...input.stats.watchSeconds, p75: 5 } };
  assert.equal(
    rejection(PersonaSchema, { ...input, stats }),
    'stats.watchSeconds.p75: p75 (5) is below p50 (6): quantiles must be non-decreasing from min to max',
  );
});

test('a category affinity keyed by an unknown category is rejected naming the key; a Chinese name gets its slug suggested', () => {
  const input = personaFixture();
  const message = rejection(PersonaSchema, { ...input, stats: { ...input.stats, categoryAffinities: { 美食: 0.5, cooking: 0.2 } } });
  const [first, second] = message.split('\n');
  assert.equal(first, 'stats.categoryAffinities.美食: unknown level-1 category "美食": use its slug "food"');
  assert.match(second ?? '', /^stats\.categoryAffinities\.cooking: unknown level-1 category "cooking": expected one of entertainment, /);
});

test('a missing field is reported as required', () => {
  const { name: _omitted, ...input } = personaFixture();
  assert.equal(rejection(PersonaSchema, input), 'name: required (expected string)');
});

test('persona ids must be slugs and the schema version must be 1', () => {
  const message = rejection(PersonaSchema, { ...personaFixture(), id: 'Persona A', schemaVersion: 2 });
  assert.match(message, /^id: expected a lowercase slug/m);
  assert.match(message, /^schemaVersion: expected 1$/m);
});

test('traits may be named (the paper\'s key_traits) or a list', () => {
  assert.ok(PersonaSchema.safeParse({ ...personaFixture(), traits: ['patient', 'curious'] }).success);
  assert.match(rejection(PersonaSchema, { ...personaFixture(), traits: 3 }), /^traits: expected record, received number, or expected array, received number$/);
});

test('an observation may have no category, and its level-2 labels must sit under one of its level-1 labels', () => {
  assert.ok(ObservationSchema.safeParse({ ...observation, level1: [], level2: [] }).success);
  assert.deepEqual(rejection(ObservationSchema, { ...observation, level2: ['cooking', 'cats', 'made-up'] }).split('\n'), [
    'level2[1]: level-2 category "cats" belongs to "pets-animals", which is not among level1 [food]',
    'level2[2]: unknown level-2 category "made-up"',
  ]);
  assert.match(rejection(ObservationSchema, { ...observation, level1: ['food', 'cooking'] }), /^level1\[1\]: unknown level-1 category "cooking"/);
});

test('an interaction record parses, and one that ends before it starts is rejected', () => {
  const record = {
    schemaVersion: 1,
    auditId: 'audit-1',
    phase: 'cultivation',
    index: 0,
    observation,
    decision: { watchSeconds: 6.5, like: true },
    intendedDwellMs: 6500,
    executedDwellMs: 6620,
    decisionLatencyMs: 340,
    startedAt: '2025-03-01T10:00:00.000Z',
    endedAt: '2025-03-01T10:00:06.620Z',
    actionsPerformed: ['like', 'swipe'],
  };
  const parsed = InteractionRecordSchema.parse(record);
  assert.equal(parsed.decision.notInterested, false, 'decision defaults are filled in');
  assert.equal(
    rejection(InteractionRecordSchema, { ...record, endedAt: '2025-03-01T09:59:59Z' }),
    'endedAt: endedAt (2025-03-01T09:59:59Z) is before startedAt (2025-03-01T10:00:00.000Z)',
  );
  assert.match(rejection(InteractionRecordSchema, { ...record, phase: 'warmup' }), /^phase: expected one of "cultivation"\|"counterfactual"$/);
});

test('an audit spec fills the paper\'s defaults: 800 + 800 steps, persona-stat policy, quantile flip with suppressed engagement', () => {
  const spec = AuditSpecSchema.parse({ schemaVersion: 1, platform: 'douyin', persona: personaFixture(), accountId: 'douyin-1', seed: 7 });
  assert.equal(spec.cultivationSteps, 800);
  assert.equal(spec.counterfactualSteps, 800);
  assert.equal(spec.policy, 'persona-stat');
  assert.deepEqual(spec.reversal, { strategy: 'quantile-flip', engagement: 'suppress' });
  const linear = AuditSpecSchema.parse({ schemaVersion: 1, platform: 'sandbox', persona: personaFixture(), accountId: 'a', seed: 's', reversal: { strategy: 'linear-30' } });
  assert.deepEqual(linear.reversal, { strategy: 'linear-30', engagement: 'suppress' });
});

test('an audit spec error reaches into the nested persona', () => {
  const persona = { ...personaFixture(), stats: { ...personaFixture().stats, steps: 1.5 } };
  const message = rejection(AuditSpecSchema, { schemaVersion: 1, platform: 'myspace', persona, accountId: 'a/b', seed: 1 }, 'spec.json');
  assert.match(message, /^spec\.json: platform: expected one of "sandbox"\|"douyin"\|"bilibili"\|"kuaishou"\|"xiaohongshu"\|"tiktok"\|"youtube-shorts"$/m);
  assert.match(message, /^spec\.json: persona\.stats\.steps: expected int, received number$/m);
  assert.match(message, /^spec\.json: accountId: expected letters, digits/m);
});

test('record keys are zero-padded per (audit, phase, index), so a retried step overwrites the same key', () => {
  assert.equal(recordKey('audit-1', 'cultivation', 7), 'audits/audit-1/cultivation/000007.json');
  assert.equal(recordKey('audit-1', 'counterfactual', 123456), 'audits/audit-1/counterfactual/123456.json');
  assert.equal(screenshotKey('audit-1', 'cultivation', 7), 'audits/audit-1/cultivation/000007.jpg');
  assert.equal(recordKey('a', 'cultivation', 3), recordKey('a', 'cultivation', 3));
});

test('record keys refuse ids that could escape their folder and indexes that are not non-negative integers', () => {
  assert.throws(() => recordKey('../x', 'cultivation', 0), RangeError);
  assert.throws(() => recordKey('a/b', 'cultivation', 0), RangeError);
  assert.throws(() => recordKey('a', 'cultivation', -1), RangeError);
  assert.throws(() => recordKey('a', 'cultivation', 1.5), RangeError);
});
