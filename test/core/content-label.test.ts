import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObservationSchema } from '../../core/observation';
import { classifierLabel, DEFAULT_LABEL_SETTINGS, givenLabel, needsClassifier, withLabel } from '../../core/content-label';
import { labelPrototypes, level2Label } from '../../core/label-prototypes';
import { LEVEL1_SLUGS, TAXONOMY } from '../../core/taxonomy';

/** Every label the classifier scores, all at `base`, with some overrides. */
function scores(base: number, overrides: Record<string, number>): Record<string, number> {
  return { ...Object.fromEntries(Object.keys(labelPrototypes()).map((label) => [label, base])), ...overrides };
}

test('prototypes: every level-1 category has Chinese and English passages, every level-2 category one of each', () => {
  const prototypes = labelPrototypes();
  for (const category of TAXONOMY) {
    const passages = prototypes[category.slug]!;
    assert.ok(passages.some((p) => /[\u4e00-\u9fff]/.test(p)) && passages.some((p) => /^[\x20-\x7e]+$/.test(p)), `${category.slug}: zh and en passages`);
    for (const child of category.children) assert.equal(prototypes[level2Label(category.slug, child.slug)]!.length, 2);
  }
  assert.equal(Object.keys(prototypes).length, TAXONOMY.length + TAXONOMY.reduce((n, c) => n + c.children.length, 0));
});

test('classifierLabel: the top level-1 category, its softmax share as confidence, and the best level-2 under it', () => {
  const label = classifierLabel(scores(0.80, { food: 0.86, [level2Label('food', 'baking')]: 0.85, [level2Label('gaming', 'esports')]: 0.9 }));
  assert.equal(label.source, 'classifier');
  assert.equal(label.level1, 'food');
  assert.equal(label.level2, 'baking', 'level-2 only under the chosen level-1 category, not the best level-2 overall');
  // exp(6) against 24 others at exp(0): 403 / (403 + 24).
  assert.equal(label.confidence, Math.round((Math.exp(6) / (Math.exp(6) + LEVEL1_SLUGS.length - 1)) * 1000) / 1000);
});

test('classifierLabel: below the threshold the label is "other" (no level-1 category), and the settings are checked', () => {
  const flat = classifierLabel(scores(0.8, { music: 0.8001 }));
  assert.deepEqual(Object.keys(flat).sort(), ['confidence', 'source'], 'about 1/25 each: "other"');
  assert.ok(flat.confidence < DEFAULT_LABEL_SETTINGS.threshold);
  assert.equal(classifierLabel(scores(0.8, { music: 0.8001 }), { temperature: 0.01, threshold: 0 }).level1, 'music');
  assert.throws(() => classifierLabel(scores(0.8, {}), { temperature: 0, threshold: 0 }), /temperature must be > 0/);
  assert.throws(() => classifierLabel({}), /no level-1 scores/);
});

test('needsClassifier: only a real platform\'s item that no source labelled', () => {
  assert.equal(needsClassifier('sandbox', { level1: [] }), false);
  assert.equal(needsClassifier('douyin', { level1: ['food'] }), false);
  assert.equal(needsClassifier('douyin', { level1: [], label: { source: 'classifier', confidence: 0.1 } }), false, 'already classified ("other")');
  assert.equal(needsClassifier('youtube-shorts', { level1: [] }), true);
});

test('givenLabel and withLabel: platform and sandbox labels keep the categories; a classifier label sets them; records stay valid', () => {
  assert.deepEqual(givenLabel('sandbox', ['food'], ['baking']), { source: 'sandbox', level1: 'food', level2: 'baking', confidence: 1 });
  assert.deepEqual(givenLabel('platform', ['food'], ['esports']), { source: 'platform', level1: 'food', confidence: 1 }, 'a level-2 from elsewhere is not the label\'s');
  assert.equal(givenLabel('platform', []), undefined);
  const observation = ObservationSchema.parse({
    platform: 'youtube-shorts', videoId: 'v1', title: 'Homemade ramen', creator: 'c', level1: [], level2: [], durationSeconds: 30, observedAt: '2026-01-01T00:00:00Z',
  });
  const labelled = ObservationSchema.parse(withLabel(observation, { source: 'classifier', level1: 'food', level2: 'cooking', confidence: 0.6 }));
  assert.deepEqual([labelled.level1, labelled.level2, labelled.label?.source], [['food'], ['cooking'], 'classifier']);
  const other = withLabel(observation, { source: 'classifier', confidence: 0.05 });
  assert.deepEqual([other.level1, other.level2], [[], []]);
  assert.throws(() => ObservationSchema.parse({ ...observation, label: { source: 'guess', confidence: 2 } }), /source|confidence/);
  assert.equal(ObservationSchema.parse(observation).label, undefined, 'records written before labels existed stay readable');
});
