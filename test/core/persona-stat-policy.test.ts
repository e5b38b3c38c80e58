import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PersonaSchema } from '../../core/persona';
import { normalQuantile } from '../../core/normal';
import { affinityFor, decidePersonaStat, MIN_PLATFORM_STEPS, NEUTRAL_AFFINITY, PERSISTENCE_WINDOW, personaStatPolicy, profileFor } from '../../core/persona-stat-policy';
import type { PolicyHistoryEntry } from '../../core/policy';
import { watchCdf } from '../../core/reversal';
import { createRng } from '../../core/rng';

const persona = PersonaSchema.parse({
  id: 'fixture', schemaVersion: 1, name: 'Fixture', narrative: 'I watch food and skip gaming.', traits: [],
  stats: {
    steps: 100, likeRate: 0.1, commentRate: 0.02, shareRate: 0.05, quickSkipRate: 0.3,
    watchSeconds: { min: 0, p10: 1, p25: 2, p50: 5, p75: 10, p90: 20, max: 60, mean: 8 },
    categoryAffinities: { food: 1, gaming: 0 },
    // Streaks: each step's normal score carries half of the last one's (an AR(1) with lag-1 correlation 0.5).
    dependence: { lag1: 0.5, level: 0, residualSd: Math.sqrt(0.75), pairs: 500 },
  },
});
const longVideo = (level1: string[]) => ({ level1, durationSeconds: 600 });

function sample(level1: string[], n: number) {
  const rng = createRng('policy-test');
  return Array.from({ length: n }, () => decidePersonaStat(persona, longVideo(level1), rng));
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test('affinity averages the known labels and is neutral for unknown categories', () => {
  assert.equal(affinityFor(persona, ['food', 'gaming']), 0.5);
  assert.equal(affinityFor(persona, ['music']), NEUTRAL_AFFINITY);
  assert.equal(affinityFor(persona, []), NEUTRAL_AFFINITY);
});

test('affinity 1 watches in the upper part of the distribution, affinity 0 in the lower part', () => {
  // u = 0.6·a + 0.4·U(0,1): a = 1 gives u ∈ [0.6, 1], t ≥ Q(0.6) = expm1(log 6 + 0.4·(log 11 − log 6)) = 6.65 s (Q interpolates
  // log(1 + t)); a = 0 gives u ∈ [0, 0.4], t ≤ Q(0.4) = expm1(log 3 + 0.6·(log 6 − log 3)) = 3.55 s.
  for (const d of sample(['food'], 200)) assert.ok(d.watchSeconds >= 6.64, `food watched ${d.watchSeconds}`);
  for (const d of sample(['gaming'], 200)) assert.ok(d.watchSeconds <= 3.56, `gaming watched ${d.watchSeconds}`);
});

test('watch time is capped by the video length', () => {
  const rng = createRng('cap');
  for (let i = 0; i < 50; i++) assert.ok(decidePersonaStat(persona, { level1: ['food'], durationSeconds: 4 }, rng).watchSeconds <= 4);
});

test('likes run at the logged rate over what is served, even deep in a bubble, and go to what the persona likes', () => {
  const like = (level1: string[], history: PolicyHistoryEntry[]) => {
    const rng = createRng('likes');
    return mean(Array.from({ length: 4000 }, () => (decidePersonaStat(persona, longVideo(level1), rng, history).like ? 1 : 0)));
  };
  const entry = (level1: string[]): PolicyHistoryEntry => ({ level1, watchSeconds: 5, like: false, comment: false, share: false });
  // Inside a food bubble (a = 1 everywhere): the logged 10 %, not 2 × 10 %.
  const bubble = Array.from({ length: PERSISTENCE_WINDOW }, () => entry(['food']));
  assert.ok(Math.abs(like(['food'], bubble) - 0.1) < 0.015, `food in a food bubble: ${like(['food'], bubble)}`);
  // A mixed feed (half food, half gaming, ā ≈ 0.5): food at a / ā ≈ 2 × the rate, gaming never.
  const mixed = Array.from({ length: PERSISTENCE_WINDOW }, (_, i) => entry(i % 2 === 0 ? ['food'] : ['gaming']));
  assert.ok(Math.abs(like(['food'], mixed) - 0.2) < 0.02, `food in a mixed feed: ${like(['food'], mixed)}`);
  assert.equal(like(['gaming'], mixed), 0);
});

test('the same seed gives the same decisions', () => {
  assert.deepEqual(sample(['food', 'music'], 20), sample(['food', 'music'], 20));
});

// History: the persona's fitted step-to-step dependence (core/watch-dependence.ts) under the watch quantile.

const unlabelled = { level1: [] as string[] };
const cdf = watchCdf(persona.stats.watchSeconds);
const score = (t: number) => normalQuantile(Math.min(0.9999, Math.max(1e-4, cdf(t))));

/** Normal scores of a seeded run that feeds its own decisions back as history (a window of PERSISTENCE_WINDOW). */
function run(n: number, withHistory: boolean): number[] {
  const rng = createRng('streaks');
  const history: PolicyHistoryEntry[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = decidePersonaStat(persona, unlabelled, rng, withHistory ? history : []);
    history.push({ level1: [], watchSeconds: d.watchSeconds, like: d.like, comment: false, share: false });
    if (history.length > PERSISTENCE_WINDOW) history.shift();
    scores.push(score(d.watchSeconds));
  }
  return scores;
}

/** Lag-1 autocorrelation. */
function lag1Autocorrelation(xs: number[]): number {
  const m = mean(xs);
  const variance = mean(xs.map((x) => (x - m) ** 2));
  let s = 0;
  for (let i = 1; i < xs.length; i++) s += (xs[i]! - m) * (xs[i - 1]! - m);
  return s / (xs.length - 1) / variance;
}

test('with history, watch quantiles follow the persona\'s fitted dependence (lag-1 ≈ 0.5); without, they do not', () => {
  const n = 20_000;
  const persistent = lag1Autocorrelation(run(n, true));
  const independent = lag1Autocorrelation(run(n, false));
  // Standard error of the estimate ≈ 1/√n = 0.007.
  assert.ok(Math.abs(persistent - 0.5) < 0.03, `with history: ${persistent}`);
  assert.ok(Math.abs(independent) < 0.02, `without history: ${independent}`);
});

test('a persona without a fitted dependence (an older persona file) draws every step afresh', () => {
  const { dependence: _, ...stats } = persona.stats;
  const older = PersonaSchema.parse({ ...persona, stats });
  const rng = createRng('older');
  const history: PolicyHistoryEntry[] = [];
  const scores: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const d = decidePersonaStat(older, unlabelled, rng, history);
    history.push({ level1: [], watchSeconds: d.watchSeconds, like: false, comment: false, share: false });
    if (history.length > PERSISTENCE_WINDOW) history.shift();
    scores.push(score(d.watchSeconds));
  }
  assert.ok(Math.abs(lag1Autocorrelation(scores)) < 0.03);
});

test('the audited platform\'s statistics apply when the persona has enough steps of it, else the overall ones', () => {
  const douyin = { steps: MIN_PLATFORM_STEPS, sessions: 3, likeRate: 0.3, commentRate: 0, shareRate: 0, quickSkipRate: 0, watchSeconds: { min: 40, p10: 41, p25: 42, p50: 45, p75: 50, p90: 55, max: 60, mean: 46 } };
  const withPlatforms = PersonaSchema.parse({ ...persona, stats: { ...persona.stats, platforms: { douyin, bilibili: { ...douyin, steps: MIN_PLATFORM_STEPS - 1 } } } });
  assert.equal(profileFor(withPlatforms.stats, 'douyin').likeRate, 0.3);
  assert.deepEqual(profileFor(withPlatforms.stats, 'douyin').dependence, persona.stats.dependence, 'no dependence of its own: the overall one');
  assert.equal(profileFor(withPlatforms.stats, 'bilibili').likeRate, 0.1, 'too few bilibili steps');
  assert.equal(profileFor(withPlatforms.stats, 'kuaishou').likeRate, 0.1, 'a platform the logs never show');
  const rng = createRng('platform');
  for (let i = 0; i < 50; i++) {
    assert.ok(decidePersonaStat(withPlatforms, { ...unlabelled, platform: 'douyin' }, rng).watchSeconds >= 40);
  }
});

test('history keeps the persona\'s watch-time distribution (the level only reorders it)', () => {
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const scores = sorted(run(20_000, true));
  // Normal scores of a uniform quantile: N(0, 1) quartiles at ±0.674.
  for (const [p, z] of [[0.25, -0.674], [0.5, 0], [0.75, 0.674]] as const) {
    const q = scores[Math.floor(p * scores.length)]!;
    assert.ok(Math.abs(q - z) < 0.05, `quantile ${p}: ${q} vs ${z}`);
  }
});

test('a long-watch history pulls the next watch up, a quick-skip history down', () => {
  const decideAfter = (watchSeconds: number) => {
    const rng = createRng('pull');
    const history = Array.from({ length: PERSISTENCE_WINDOW }, () => ({ level1: [], watchSeconds, like: false, comment: false, share: false }));
    return mean(Array.from({ length: 2000 }, () => cdf(decidePersonaStat(persona, unlabelled, rng, history).watchSeconds)));
  };
  const neutral = 0.5; // the mean quantile without history
  assert.ok(decideAfter(40) > neutral + 0.05, `after long watches: ${decideAfter(40)}`);
  assert.ok(decideAfter(0.5) < neutral - 0.05, `after quick skips: ${decideAfter(0.5)}`);
});

test('videos the persona has no affinity for follow its whole logged distribution', () => {
  const rng = createRng('unknown');
  const quantiles = Array.from({ length: 4000 }, () => cdf(decidePersonaStat(persona, unlabelled, rng).watchSeconds));
  assert.ok(Math.min(...quantiles) < 0.05 && Math.max(...quantiles) > 0.95, 'from the bottom to the top of the distribution');
  assert.ok(Math.abs(mean(quantiles) - 0.5) < 0.02);
});

test('persona-stat behind the Policy seam decides as decidePersonaStat with the context\'s seed', async () => {
  const history: PolicyHistoryEntry[] = [{ level1: ['food'], watchSeconds: 30, like: true, comment: false, share: false }];
  const video = { platform: 'sandbox', title: 't', creator: 'c', level1: ['food'], durationSeconds: 600 };
  const outcome = await personaStatPolicy.decide({ persona, video, history, seed: 's/cultivation/4' });
  assert.deepEqual(outcome, { decision: decidePersonaStat(persona, video, createRng('s/cultivation/4'), history), exchanges: [] });
});
