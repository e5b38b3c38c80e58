import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PersonaSchema } from '../../core/persona';
import { normalQuantile } from '../../core/normal';
import { affinityFor, decidePersonaStat, NEUTRAL_AFFINITY, PERSISTENCE_WINDOW, personaStatPolicy, WATCH_PERSISTENCE } from '../../core/persona-stat-policy';
import type { PolicyHistoryEntry } from '../../core/policy';
import { watchCdf } from '../../core/reversal';
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

test('the same seed gives the same decisions', () => {
  assert.deepEqual(sample(['food', 'music'], 20), sample(['food', 'music'], 20));
});

// History: a slowly moving level under the watch quantile (WATCH_PERSISTENCE, fitted on users a and b).

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

/** Mean autocorrelation over lags 1..PERSISTENCE_WINDOW. */
function meanAutocorrelation(xs: number[]): number {
  const m = mean(xs);
  const variance = mean(xs.map((x) => (x - m) ** 2));
  let total = 0;
  for (let lag = 1; lag <= PERSISTENCE_WINDOW; lag++) {
    let s = 0;
    for (let i = lag; i < xs.length; i++) s += (xs[i]! - m) * (xs[i - lag]! - m);
    total += s / (xs.length - lag) / variance;
  }
  return total / PERSISTENCE_WINDOW;
}

test('with history, watch quantiles persist (autocorrelation ≈ WATCH_PERSISTENCE at lags 1..20); without, they do not', () => {
  const n = 30_000;
  const persistent = meanAutocorrelation(run(n, true));
  const independent = meanAutocorrelation(run(n, false));
  // Standard error of one lag's estimate ≈ 1/√n = 0.006; the mean over 20 lags is tighter still.
  assert.ok(Math.abs(persistent - WATCH_PERSISTENCE) < 0.012, `with history: ${persistent}`);
  assert.ok(Math.abs(independent) < 0.01, `without history: ${independent}`);
  assert.ok(persistent > 0, 'streaks: positive autocorrelation');
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
