import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PersonaSchema } from '../../core/persona';
import { affinityFor, decidePersonaStat, NEUTRAL_AFFINITY } from '../../core/persona-stat-policy';
import { createRng } from '../../core/rng';

const persona = PersonaSchema.parse({
  id: 'fixture', schemaVersion: 1, name: 'Fixture', narrative: 'I watch food and skip gaming.', traits: [],
  stats: {
    steps: 100, likeRate: 0.1, commentRate: 0.02, shareRate: 0.05, quickSkipRate: 0.3,
    watchSeconds: { min: 0, p10: 1, p25: 2, p50: 5, p75: 10, p90: 20, max: 60, mean: 8 },
    categoryAffinities: { food: 1, gaming: 0 },
  },
});
const longVideo = (level1: string[]) => ({ level1, durationSeconds: 600 });

function sample(level1: string[], n: number, reversal?: Parameters<typeof decidePersonaStat>[3]) {
  const rng = createRng('policy-test');
  return Array.from({ length: n }, () => decidePersonaStat(persona, longVideo(level1), rng, reversal));
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test('affinity averages the known labels and is neutral for unknown categories', () => {
  assert.equal(affinityFor(persona, ['food', 'gaming']), 0.5);
  assert.equal(affinityFor(persona, ['music']), NEUTRAL_AFFINITY);
  assert.equal(affinityFor(persona, []), NEUTRAL_AFFINITY);
});

test('affinity 1 watches in the upper part of the distribution, affinity 0 in the lower part', () => {
  // u = 0.6·a + 0.4·U(0,1): a = 1 gives u ∈ [0.6, 1] (t ≥ Q(0.6) = 7 s); a = 0 gives u ∈ [0, 0.4] (t ≤ Q(0.4) = 3.8 s).
  for (const d of sample(['food'], 200)) assert.ok(d.watchSeconds >= 7 - 1e-9, `food watched ${d.watchSeconds}`);
  for (const d of sample(['gaming'], 200)) assert.ok(d.watchSeconds <= 3.8 + 1e-9, `gaming watched ${d.watchSeconds}`);
});

test('watch time is capped by the video length', () => {
  const rng = createRng('cap');
  for (let i = 0; i < 50; i++) assert.ok(decidePersonaStat(persona, { level1: ['food'], durationSeconds: 4 }, rng).watchSeconds <= 4);
});

test('likes follow the logged rate scaled by affinity: 2× at affinity 1, none at affinity 0', () => {
  const liked = (level1: string[]) => mean(sample(level1, 4000).map((d) => (d.like ? 1 : 0)));
  assert.ok(Math.abs(liked(['food']) - 0.2) < 0.02, `food like rate ${liked(['food'])}`);
  assert.equal(liked(['gaming']), 0);
});

test('the quantile-flipped persona watches what p skips and skips what p watches, with no engagement by default', () => {
  const flipped = sample(['food'], 200, { strategy: 'quantile-flip', engagement: 'suppress' });
  // Q(1 − u) with u ∈ [0.6, 1] lies in [Q(0), Q(0.4)] = [0, 3.8] s.
  for (const d of flipped) assert.ok(d.watchSeconds <= 3.8 + 1e-9, `p' watched food for ${d.watchSeconds}`);
  assert.ok(flipped.every((d) => !d.like && d.comment === undefined && d.share === undefined));
});

test('inverted engagement aims likes at what p passes over', () => {
  const settings = { strategy: 'quantile-flip', engagement: 'invert' } as const;
  const liked = (level1: string[]) => mean(sample(level1, 4000, settings).map((d) => (d.like ? 1 : 0)));
  assert.equal(liked(['food']), 0);
  assert.ok(Math.abs(liked(['gaming']) - 0.2) < 0.02, `gaming like rate ${liked(['gaming'])}`);
});

test('the same seed gives the same decisions', () => {
  assert.deepEqual(sample(['food', 'music'], 20), sample(['food', 'music'], 20));
});
