/**
 * Features and template synthesis on a small log whose numbers are computed by hand below (the
 * neutral JSONL fixture: six steps, two sessions, categories, creators and view counts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { importLogs } from '../../behaviour-logs/import-logs';
import { sessionsOf, type BehaviourLog, type LogStep } from '../../core/behaviour-log';
import type { InterviewTranscript } from '../../core/interview';
import { PersonaSchema } from '../../core/persona';
import { extractFeatures, keyTraits } from '../../core/persona-features';
import { affinityOf, personaFacts, synthesizePersona } from '../../core/persona-synthesis';
import { REPO_ROOT } from '../infra/helpers';

const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'logs', 'neutral.jsonl');
const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} vs ${expected}`);

const TRANSCRIPT: InterviewTranscript = {
  schemaVersion: 1,
  interviewId: 'iv-neutral',
  interviewer: 'question-bank',
  turns: [
    { section: 'skipping', question: 'You skip ads within two seconds. Why?', answer: 'Ads feel like a waste of my evening. I skip them on reflex.', cites: ['ads-promotion: 1 of 1 within 3 s'] },
    { section: 'liking', question: 'What makes you like a food video?', answer: 'When I want to cook it myself. I saved 3 recipes last week', cites: [] },
  ],
};

test('watch quantiles, rates and sessions of the fixture, by hand', async () => {
  const f = extractFeatures(await importLogs([FIXTURE]));
  // watch times 5, 1.5, 30, 2, 10, 4 → sorted 1.5, 2, 4, 5, 10, 30; position h = 5·p, linear between neighbours.
  const { percentiles, ...named } = f.watchSeconds;
  assert.deepEqual(named, { min: 1.5, p10: 1.75, p25: 2.5, p50: 4.5, p75: 8.75, p90: 20, max: 30, mean: 8.75 });
  // Percentile i at position h = 5·i/100: 30 → h = 1.5 → 2 + 0.5·(4 − 2) = 3; 90 → h = 4.5 → 10 + 0.5·20 = 20.
  assert.equal(percentiles?.length, 101);
  close(percentiles?.[30] as number, 3, 'p30');
  close(percentiles?.[90] as number, 20, 'p90');
  assert.equal(f.steps, 6);
  assert.equal(f.sessions, 2);
  assert.deepEqual(f.platforms, { tiktok: 6 });
  assert.equal(f.quickSkipRate, 2 / 6); // 1.5 and 2 s
  assert.deepEqual([f.likeRate, f.commentRate, f.shareRate, f.favoriteRate], [2 / 6, 1 / 6, 1 / 6, 0]);
  assert.equal(f.watchSecondsInferredRate, 0);
  assert.deepEqual(f.sessionLength.steps, { min: 2, p50: 3, mean: 3, max: 4 });
  // s1: from 20:00:05 − 5 s to 20:00:39 = 39 s; s2: from 08:10:10 − 10 s to 08:10:14 = 14 s.
  close(f.sessionLength.minutes.min, 14 / 60, 'shortest session');
  close(f.sessionLength.minutes.max, 39 / 60, 'longest session');
  close(f.sessionLength.minutes.mean, 53 / 120, 'mean session');
});

test('time of day reads the clock each timestamp is written in', async () => {
  const log = await importLogs([FIXTURE]);
  const f = extractFeatures(log);
  assert.equal(f.timeOfDay.clock, 'local');
  assert.equal(f.timeOfDay.hours.length, 24);
  assert.equal(f.timeOfDay.hours[20], 4 / 6);
  assert.equal(f.timeOfDay.hours[8], 2 / 6);
  assert.deepEqual(f.timeOfDay.dayparts, { night: 0, morning: 2 / 6, afternoon: 0, evening: 4 / 6 });
  // The same instants written in UTC move to hours 19 and 7, and the clock says so.
  const utc: BehaviourLog = { ...log, steps: log.steps.map((s) => ({ ...s, time: new Date(s.time).toISOString() })) };
  const g = extractFeatures(utc);
  assert.equal(g.timeOfDay.clock, 'utc');
  assert.deepEqual([g.timeOfDay.hours[19], g.timeOfDay.hours[7]], [4 / 6, 2 / 6]);
  assert.equal(extractFeatures({ ...log, steps: [...utc.steps.slice(0, 1), ...log.steps.slice(1)] }).timeOfDay.clock, 'mixed');
});

test('categories: distribution, coverage and per-category watch, skip and like stats', async () => {
  const f = extractFeatures(await importLogs([FIXTURE]));
  const c = f.categories!;
  // Five of six steps carry a category; step 5 carries two (food and daily life).
  assert.equal(c.coverage, 5 / 6);
  assert.deepEqual(c.distribution, { 'food': 0.4, 'gaming': 0.4, 'ads-promotion': 0.2, 'daily-life': 0.2 });
  assert.deepEqual(c.perCategory.map((x) => x.category), ['food', 'gaming', 'ads-promotion', 'daily-life']);
  const gaming = c.perCategory[1]!;
  assert.deepEqual(
    [gaming.steps, gaming.share, gaming.medianWatchSeconds, gaming.meanWatchSeconds, gaming.quickSkipRate, gaming.likeRate],
    [2, 2 / 6, 3.25, 3.25, 0.5, 0.5],
  );
  // Mid-ranks among the six: 5 s → (3 + 4)/2/6, 1.5 s → (0 + 1)/2/6; 30 s → 5.5/6, 10 s → 4.5/6.
  close(gaming.meanWatchRank, 1 / 3, 'gaming rank');
  close(c.perCategory[0]!.meanWatchRank, 5 / 6, 'food rank');
  close(c.perCategory[2]!.meanWatchRank, 0.25, 'ads rank');
  assert.deepEqual(f.signals.topCategories, ['food', 'gaming', 'ads-promotion']);
});

test('creators: concentration (top share, HHI) and liked creators', async () => {
  const f = extractFeatures(await importLogs([FIXTURE]));
  const c = f.creators!;
  assert.equal(c.distinct, 4);
  assert.deepEqual(c.top.map((x) => [x.creator, x.steps, x.likes]), [['alpha', 2, 1], ['beta', 2, 1], ['delta', 1, 0], ['gamma', 1, 0]]);
  assert.equal(c.topShare, 1);
  close(c.hhi, 2 * (2 / 6) ** 2 + 2 * (1 / 6) ** 2, 'HHI');
  // beta's second video got a comment, not a like; equal likes list by name.
  assert.deepEqual(f.signals.likedCreators, ['alpha', 'beta']);
});

test('popularity splits at the median view count; a log without view counts has no preference', async () => {
  const log = await importLogs([FIXTURE]);
  const f = extractFeatures(log);
  // counts 100, 200, 1000, 3000, 20000, 50000 → median 2000; liked: 50000 (popular) and 1000 (other).
  assert.deepEqual(f.popularity, { popularSteps: 3, popularLikeRate: 1 / 3, otherLikeRate: 1 / 3, medianViewCount: 2000 });
  assert.equal(f.signals.prefersPopular, false);
  const withoutCounts = extractFeatures({ ...log, steps: log.steps.map(({ viewCount: _v, ...s }) => s as LogStep) });
  assert.equal(withoutCounts.popularity, undefined);
  assert.equal(withoutCounts.signals.prefersPopular, null);
  // Liking the most-viewed video instead of the 1000-view one makes the viewer prefer popular content.
  const steps = log.steps.map((s) => (s.videoId === 'v1' ? { ...s, actions: [] } : s.videoId === 'v5' ? { ...s, actions: [{ type: 'like' as const }] } : s));
  const popular = extractFeatures({ ...log, steps });
  assert.equal(popular.signals.prefersPopular, true);
  assert.equal(popular.keyTraits.social_sensitivity, 'high');
});

test('key traits follow the paper\'s rules at their thresholds', async () => {
  const base = { likeRate: 0.1, averageWatchSeconds: 10, quickSkipRate: 0.2, likedCreators: ['a', 'b'], prefersPopular: null };
  assert.deepEqual(keyTraits(base), { emotion_regulation: 'low', novelty_tolerance: 'medium', content_vs_creator: 'content-driven', social_sensitivity: 'moderate' });
  assert.equal(keyTraits({ ...base, averageWatchSeconds: 10.01 }).emotion_regulation, 'high');
  assert.equal(keyTraits({ ...base, quickSkipRate: 0.19 }).novelty_tolerance, 'high');
  assert.equal(keyTraits({ ...base, quickSkipRate: 0.4 }).novelty_tolerance, 'medium');
  assert.equal(keyTraits({ ...base, quickSkipRate: 0.41 }).novelty_tolerance, 'low');
  assert.equal(keyTraits({ ...base, likedCreators: ['a', 'b', 'c'] }).content_vs_creator, 'creator-driven');
  assert.equal(keyTraits({ ...base, prefersPopular: true }).social_sensitivity, 'high');
  assert.equal(keyTraits({ ...base, prefersPopular: false }).social_sensitivity, 'moderate');
  // The fixture: mean 8.75 s, a third quick skips, two liked creators, no popularity preference.
  const f = extractFeatures(await importLogs([FIXTURE]));
  assert.deepEqual(f.keyTraits, { emotion_regulation: 'low', novelty_tolerance: 'medium', content_vs_creator: 'content-driven', social_sensitivity: 'moderate' });
});

test('features are plain JSON (they travel as workflow payloads) and an empty log is refused', async () => {
  const log = await importLogs([FIXTURE]);
  const f = extractFeatures(log);
  assert.deepEqual(JSON.parse(JSON.stringify(f)), f);
  assert.throws(() => extractFeatures({ ...log, steps: [] }), /has no steps/);
});

test('affinity inverts the persona-stat policy: neutral rank → 0.5, shrunk towards it, clamped to [0, 1]', () => {
  assert.equal(affinityOf({ steps: 40, meanWatchRank: 0.5 }), 0.5);
  assert.equal(affinityOf({ steps: 1000, meanWatchRank: 0.99 }), 1);
  assert.equal(affinityOf({ steps: 1000, meanWatchRank: 0.01 }), 0);
  // Food in the fixture: rank 5/6 over 2 steps → (2·5/6 + 5·0.5)/7 = 0.5952; (0.5952 − 0.2)/0.6 = 0.6587.
  assert.equal(affinityOf({ steps: 2, meanWatchRank: 5 / 6 }), 0.66);
  assert.ok(affinityOf({ steps: 2, meanWatchRank: 5 / 6 }) < affinityOf({ steps: 50, meanWatchRank: 5 / 6 }), 'more evidence, stronger affinity');
});

test('template synthesis: a valid persona, no numbers in the narrative, the answers in it, stats and provenance from the facts', async () => {
  const log = await importLogs([FIXTURE]);
  const features = extractFeatures(log);
  const persona = synthesizePersona({ id: 'viewer-7', name: 'Viewer 7', log, features, transcript: TRANSCRIPT, sources: ['logs/neutral.jsonl'] });
  assert.deepEqual(PersonaSchema.parse(persona), persona);
  assert.doesNotMatch(persona.narrative, /\d/);
  assert.match(persona.narrative, /^I watch short videos on TikTok, in short bursts, mostly in the evening\./);
  assert.match(persona.narrative, /Most of what I watch is food, gaming and ads & promotion\./);
  assert.match(persona.narrative, /Ads feel like a waste of my evening\. I skip them on reflex\. When I want to cook it myself\.$/);
  assert.doesNotMatch(persona.narrative, /recipes/, 'the sentence with a number is left out');
  const { percentiles, ...namedQuantiles } = persona.stats.watchSeconds;
  assert.equal(percentiles?.length, 101);
  assert.deepEqual([percentiles?.[0], percentiles?.[50], percentiles?.[100]], [1.5, 4.5, 30]);
  // Far too few steps to fit a dependence: the steps are drawn independently.
  assert.deepEqual({ ...persona.stats.dependence, pairs: 0 }, { lag1: 0, level: 0, residualSd: 1, pairs: 0 });
  assert.deepEqual({ ...persona.stats, watchSeconds: namedQuantiles, dependence: undefined }, {
    dependence: undefined,
    steps: 6, likeRate: 0.3333, commentRate: 0.1667, shareRate: 0.1667, quickSkipRate: 0.3333,
    watchSeconds: { min: 1.5, p10: 1.75, p25: 2.5, p50: 4.5, p75: 8.75, p90: 20, max: 30, mean: 8.75 },
    // Taxonomy order; daily life: rank 0.75 over 1 step → (0.75 + 2.5)/6 → 0.57.
    categoryAffinities: { 'food': 0.66, 'gaming': 0.42, 'ads-promotion': 0.43, 'daily-life': 0.57 },
  });
  assert.deepEqual(persona.provenance, { logs: ['logs/neutral.jsonl'], sessions: sessionsOf(log.steps).map((x) => ({ id: x.sessionId, steps: x.steps.length })), interview: { interviewId: 'iv-neutral', interviewer: 'question-bank', turns: 2 }, model: 'template' });
  assert.deepEqual(persona.traits, {
    emotion_regulation: 'low', novelty_tolerance: 'medium', content_vs_creator: 'content-driven', social_sensitivity: 'moderate',
    platform: 'TikTok', pace: 'skips plenty of videos within seconds, gives the rest a fair chance',
    engagement: 'likes often, comments now and then and shares often', interests: 'food, gaming and ads & promotion',
  });
  // The chat-model path writes its own prose and takes the same facts.
  const facts = personaFacts({ log, features, transcript: TRANSCRIPT, model: 'qwen2.5-7b-instruct', sources: ['logs/neutral.jsonl'] });
  assert.deepEqual(facts.stats, persona.stats);
  assert.equal(facts.provenance.model, 'qwen2.5-7b-instruct');
  assert.equal(synthesizePersona({ id: 'viewer-7', name: 'Viewer 7', log, features, sources: [] }).provenance.interview, undefined);
});
