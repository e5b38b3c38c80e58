import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LEVEL1_SLUGS, PersonaSchema } from '../../core';
import { buildExamplePersonas } from '../../examples/personas/build';

// The statistics themselves (939 / 780 steps, like rates, medians) are checked in test/logs/import-logs.test.ts.
test('the committed example personas equal a fresh build and are valid personas', async () => {
  const built = await buildExamplePersonas();
  assert.deepEqual(built.map((b) => b.persona.id), ['user-a', 'user-b']);
  for (const { path, persona, text } of built) {
    const committed = readFileSync(path, 'utf8');
    assert.equal(committed, text, `${path} is stale: run npx tsx examples/personas/build.ts`);
    const parsed = PersonaSchema.parse(JSON.parse(committed));
    assert.deepEqual(Object.keys(parsed.stats.categoryAffinities), [...LEVEL1_SLUGS]);
    assert.doesNotMatch(persona.narrative, /\d/, 'the narrative leaves numbers to the statistics');
    assert.match(persona.provenance.notes ?? '', /ASSUMPTIONS/);
    assert.equal(persona.provenance.logs?.length, persona.id === 'user-a' ? 8 : 19);
  }
});

test('the example personas carry the paper\'s key traits measured from their logs', async () => {
  const [a, b] = (await buildExamplePersonas()).map((x) => x.persona.traits as Record<string, string>);
  // a: mean watch 7.8 s (≤ 10 s), 28 % quick skips; b: mean 21.9 s, 29 % quick skips; no creators, no view counts.
  assert.deepEqual([a?.emotion_regulation, a?.novelty_tolerance, a?.content_vs_creator, a?.social_sensitivity], ['low', 'medium', 'content-driven', 'moderate']);
  assert.deepEqual([b?.emotion_regulation, b?.novelty_tolerance], ['high', 'medium']);
});
