import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  LEVEL1_SLUGS,
  PersonaSchema,
  quantileFlip,
  reversePersona,
  reverseWatchSeconds,
  watchCdf,
  watchQuantileFunction,
  type WatchSeconds,
} from '../../core';
import { personaFixture } from './persona-fixture';

const close = (actual: number, expected: number, tolerance = 1e-9): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

const ws: WatchSeconds = { min: 0, p10: 1, p25: 2.5, p50: 6, p75: 12, p90: 25, max: 60, mean: 9 };

/** Interpolation between two knots in log(1 + t), as Q does. */
const logLerp = (from: number, to: number, fraction: number) => Math.expm1(Math.log1p(from) + fraction * (Math.log1p(to) - Math.log1p(from)));
/** The fraction of the way from `from` to `to` that t lies at, in log(1 + t), as F reads it. */
const logFraction = (from: number, to: number, t: number) => (Math.log1p(t) - Math.log1p(from)) / (Math.log1p(to) - Math.log1p(from));

test('Q passes through the stored quantiles, interpolates log(1 + t) between them and clamps outside [0, 1]', () => {
  const q = watchQuantileFunction(ws);
  assert.deepEqual([0, 0.1, 0.25, 0.5, 0.75, 0.9, 1].map(q), [0, 1, 2.5, 6, 12, 25, 60]);
  // Q(0.3) lies 0.05 / 0.25 = 0.2 of the way from p25 to p50, in log(1 + t): below the straight line's 3.2 s.
  close(q(0.3), logLerp(2.5, 6, 0.2));
  assert.ok(q(0.3) < 3.2);
  assert.equal(q(-1), 0);
  assert.equal(q(2), 60);
});

test('with the 101 percentiles, Q runs through them instead of the seven named quantiles', () => {
  const percentiles = Array.from({ length: 101 }, (_, i) => i);
  const q = watchQuantileFunction({ ...ws, percentiles });
  assert.equal(q(0.37), 37);
  close(q(0.375), logLerp(37, 38, 0.5));
  close(watchCdf({ ...ws, percentiles })(37.5), 0.37 + 0.01 * logFraction(37, 38, 37.5));
});

test('F inverts Q and clamps to 0 below min and 1 above max', () => {
  const f = watchCdf(ws);
  assert.equal(f(6), 0.5);
  close(f(3.2), 0.25 + logFraction(2.5, 6, 3.2) * 0.25);
  close(f(watchQuantileFunction(ws)(0.3)), 0.3);
  assert.equal(f(-1), 0);
  assert.equal(f(100), 1);
});

test('quantile flip maps p10 → p90, p90 → p10, the median to itself, min → max and max → min', () => {
  const flip = quantileFlip(ws);
  assert.equal(flip(1), 25);
  assert.equal(flip(25), 1);
  assert.equal(flip(6), 6);
  assert.equal(flip(0), 60);
  assert.equal(flip(60), 0);
  // Q(0.3) ↦ Q(0.7) = 0.8 of the way from p50 to p75.
  close(flip(watchQuantileFunction(ws)(0.3)), logLerp(6, 12, 0.8));
});

test('quantile flip on a plateau (a mass point) uses the middle of its levels', () => {
  const manyZeros: WatchSeconds = { min: 0, p10: 0, p25: 0, p50: 4, p75: 8, p90: 10, max: 20, mean: 4 };
  // F(0) = (0 + 0.25)/2 = 0.125; Q(0.875) lies 0.125/0.15 = 5/6 of the way from p75 to p90.
  close(reverseWatchSeconds(0, manyZeros, 'quantile-flip'), logLerp(8, 10, 5 / 6));
  const constant: WatchSeconds = { min: 5, p10: 5, p25: 5, p50: 5, p75: 5, p90: 5, max: 5, mean: 5 };
  assert.equal(reverseWatchSeconds(5, constant, 'quantile-flip'), 5);
});

test('linear-30 is the released code\'s max(0, 30 − t)', () => {
  assert.equal(reverseWatchSeconds(12, ws, 'linear-30'), 18);
  assert.equal(reverseWatchSeconds(45, ws, 'linear-30'), 0);
  assert.equal(reverseWatchSeconds(0, ws, 'linear-30'), 30);
  assert.throws(() => reverseWatchSeconds(-1, ws, 'linear-30'), RangeError);
});

test('reversePersona builds a valid p\': new id, reversal set, a\' = 1 − a over all 25 categories, no engagement', () => {
  const persona = PersonaSchema.parse(personaFixture());
  const reversed = reversePersona(persona, { strategy: 'quantile-flip', engagement: 'suppress' });
  assert.ok(PersonaSchema.safeParse(reversed).success);
  assert.equal(reversed.id, 'persona-a-reversed');
  assert.deepEqual(reversed.reversal, { of: 'persona-a', strategy: 'quantile-flip', engagement: 'suppress' });
  const a = reversed.stats.categoryAffinities;
  assert.deepEqual(Object.keys(a).sort(), [...LEVEL1_SLUGS].sort());
  close(a.food as number, 0.1);
  close(a.gaming as number, 0.9);
  close(a['pets-animals'] as number, 0.4);
  assert.equal(a.music, 1, 'a category p never showed interest in is fully attractive to p\'');
  assert.deepEqual([reversed.stats.likeRate, reversed.stats.commentRate, reversed.stats.shareRate], [0, 0, 0]);
  // A uniform U gives a uniform 1 − U: the flip keeps the watch-time distribution.
  assert.deepEqual(reversed.stats.watchSeconds, persona.stats.watchSeconds);
  assert.equal(reversed.stats.quickSkipRate, persona.stats.quickSkipRate);
  assert.match(reversed.narrative, /^I am the counterfactual of Persona A \(persona persona-a\)/);
  assert.match(reversed.narrative, /What they seek most bores me: Food, Pets & animals, Gaming\./);
  assert.match(reversed.narrative, /I never like, comment or share\./);
});

test('reversePersona with linear-30 mirrors the quantiles around 30 s and derives mean and quick-skip rate', () => {
  const persona = PersonaSchema.parse(personaFixture());
  const reversed = reversePersona(persona, { strategy: 'linear-30', engagement: 'invert' });
  const { mean, ...quantiles } = reversed.stats.watchSeconds;
  // min = max(0, 30 − 60) = 0, p10 = 30 − p90 = 5, p25 = 30 − 12 = 18, p50 = 24, p75 = 27.5, p90 = 29, max = 30
  assert.deepEqual(quantiles, { min: 0, p10: 5, p25: 18, p50: 24, p75: 27.5, p90: 29, max: 30 });
  // ∫ max(0, 30 − Q(u)) du, integrated here segment by segment with a fine midpoint rule.
  const knots: [number, number][] = [[0, 0], [0.1, 1], [0.25, 2.5], [0.5, 6], [0.75, 12], [0.9, 25], [1, 60]];
  let integral = 0;
  for (let k = 1; k < knots.length; k++) {
    const [[u0, t0], [u1, t1]] = [knots[k - 1]!, knots[k]!];
    for (let i = 0; i < 10_000; i++) integral += ((u1 - u0) / 10_000) * Math.max(0, 30 - logLerp(t0, t1, (i + 0.5) / 10_000));
  }
  close(mean, integral, 1e-2);
  // 30 − t < 3 ⇔ t > 27; F(27) = 0.9 + 0.1 · (fraction of the way from p90 = 25 to max = 60)
  close(reversed.stats.quickSkipRate, 1 - (0.9 + logFraction(25, 60, 27) * 0.1));
  const { likeRate, commentRate, shareRate } = persona.stats;
  assert.deepEqual(
    [reversed.stats.likeRate, reversed.stats.commentRate, reversed.stats.shareRate],
    [likeRate, commentRate, shareRate],
    'invert keeps the engagement rates; the policy aims them at what p passes over',
  );
});

test('a reversed persona cannot be reversed again', () => {
  const reversed = reversePersona(PersonaSchema.parse(personaFixture()), { strategy: 'quantile-flip', engagement: 'suppress' });
  assert.throws(() => reversePersona(reversed, { strategy: 'quantile-flip', engagement: 'suppress' }), /already the reversal of "persona-a"/);
});
