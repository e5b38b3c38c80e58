import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCatalogue } from '../../sandbox/catalogue';
import { emptyInterests, feedbackSignal, learn, recommend, servingDistribution } from '../../sandbox/recommender';
import { loadProfiles } from '../../sandbox/profiles';
import { TAXONOMY, isLevel2Of } from '../../core/taxonomy';
import { createRng } from '../../core/rng';

const catalogue = generateCatalogue({ seed: 'test', videoCount: 6000 });
const profiles = loadProfiles();
const sticky = profiles.get('sticky')!;
const video = catalogue.videos[0]!;
const noActions = { liked: false, shared: false, commented: false, notInterested: false };

test('the catalogue has ≥ 5,000 videos over all 25 level-1 categories with valid level-2 labels', () => {
  assert.ok(catalogue.videos.length >= 5000);
  assert.equal(catalogue.byLevel1.size, 25);
  for (const c of TAXONOMY) assert.ok((catalogue.byLevel1.get(c.slug)?.length ?? 0) >= 200, `${c.slug} is stocked`);
  for (const v of catalogue.videos) assert.ok(isLevel2Of(v.level1, v.level2), `${v.id}: ${v.level2} under ${v.level1}`);
  assert.equal(new Set(catalogue.videos.map((v) => v.id)).size, catalogue.videos.length);
});

test('durations and popularity are heavy-tailed', () => {
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const durations = sorted(catalogue.videos.map((v) => v.durationSeconds));
  const median = durations[durations.length >> 1]!;
  assert.ok(median > 20 && median < 60, `median duration ${median}`);
  assert.ok(durations.at(-1)! > 8 * median, `longest ${durations.at(-1)} vs median ${median}`);
  const views = sorted(catalogue.videos.map((v) => v.views));
  const top1pct = views.slice(-60).reduce((a, b) => a + b, 0) / views.reduce((a, b) => a + b, 0);
  assert.ok(top1pct > 0.1, `top 1 % of videos hold ${(top1pct * 100).toFixed(1)} % of views`);
});

test('the catalogue is deterministic from its seed', () => {
  assert.deepEqual(generateCatalogue({ seed: 'test', videoCount: 6000 }).videos.slice(0, 50), catalogue.videos.slice(0, 50));
  assert.notDeepEqual(generateCatalogue({ seed: 'other', videoCount: 6000 }).videos.slice(0, 50), catalogue.videos.slice(0, 50));
});

test('the signal rewards long views and engagement and punishes quick skips and "not interested"', () => {
  const skip = feedbackSignal(sticky, video, { dwellSeconds: 1, ...noActions });
  const short = feedbackSignal(sticky, video, { dwellSeconds: 4, ...noActions });
  const full = feedbackSignal(sticky, video, { dwellSeconds: 60, ...noActions });
  const liked = feedbackSignal(sticky, video, { dwellSeconds: 60, ...noActions, liked: true });
  const rejected = feedbackSignal(sticky, video, { dwellSeconds: 60, ...noActions, notInterested: true });
  assert.equal(skip, -sticky.skipPenalty);
  assert.ok(skip < short && short < full && full < liked, `${skip} < ${short} < ${full} < ${liked}`);
  assert.equal(rejected, -sticky.notInterestedPenalty);
});

test('learning moves the watched categories and inertia decays every score', () => {
  const state = emptyInterests();
  learn(state, sticky, video, { dwellSeconds: 60, ...noActions, liked: true });
  const after1 = state.level1[video.level1]!;
  assert.ok(after1 > 0);
  const other = catalogue.videos.find((v) => v.level1 !== video.level1)!;
  learn(state, sticky, other, { dwellSeconds: 1, ...noActions });
  assert.equal(state.level1[video.level1], after1 * sticky.inertia);
  assert.ok(state.level1[other.level1]! < 0);
  assert.equal(state.impressions, 2);
});

test('serving follows learned interests: a strongly liked category dominates', () => {
  const state = emptyInterests();
  const rng = createRng('serve');
  const uniform = servingDistribution(state, sticky);
  for (const p of Object.values(uniform)) assert.ok(Math.abs(p - 1 / 25) < 1e-12);
  state.level1.food = 5;
  const served = Array.from({ length: 500 }, () => recommend(catalogue, state, sticky, new Set(), rng).level1);
  const share = served.filter((c) => c === 'food').length / served.length;
  assert.ok(Math.abs(share - servingDistribution(state, sticky).food!) < 0.05, `food share ${share}`);
  assert.ok(share > 0.9);
});

test('recently served videos are not served again', () => {
  const state = emptyInterests();
  state.level2.cats = 50;
  state.level1['pets-animals'] = 50;
  const rng = createRng('recent');
  const recent = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const v = recommend(catalogue, state, sticky, recent, rng);
    assert.ok(!recent.has(v.id), `${v.id} repeated`);
    recent.add(v.id);
  }
});

test('the built-in profiles file has at least three documented profiles', () => {
  assert.ok(profiles.size >= 3);
  for (const p of profiles.values()) assert.ok(p.description.length > 40, `${p.name} is documented`);
});
