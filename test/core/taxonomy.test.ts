import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LEVEL1_SLUGS, TAXONOMY, isLevel1, isLevel2Of, normalizeLevel1, parentLevel1 } from '../../core';

test('taxonomy has exactly 25 level-1 categories with unique slugs and Chinese names', () => {
  assert.equal(TAXONOMY.length, 25);
  assert.equal(new Set(LEVEL1_SLUGS).size, 25);
  assert.equal(new Set(TAXONOMY.map((c) => c.zh)).size, 25);
});

test('every level-1 category has at least 5 level-2 children and level-2 slugs are unique across the taxonomy', () => {
  for (const category of TAXONOMY) assert.ok(category.children.length >= 5, `${category.slug} has ${category.children.length} children`);
  const level2 = TAXONOMY.flatMap((c) => c.children.map((k) => k.slug));
  assert.equal(new Set(level2).size, level2.length);
});

test('slugs are lowercase kebab-case', () => {
  const slug = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
  for (const category of TAXONOMY) {
    assert.match(category.slug, slug);
    for (const child of category.children) assert.match(child.slug, slug);
  }
});

test('lookups: isLevel1, isLevel2Of, parentLevel1 and normalizeLevel1 (slug or Chinese name)', () => {
  assert.ok(isLevel1('food'));
  assert.ok(!isLevel1('baking'));
  assert.ok(isLevel2Of('food', 'baking'));
  assert.ok(!isLevel2Of('gaming', 'baking'));
  assert.equal(parentLevel1('baking'), 'food');
  assert.equal(parentLevel1('nope'), undefined);
  assert.equal(normalizeLevel1('美食'), 'food');
  assert.equal(normalizeLevel1(' Food '), 'food');
  assert.equal(normalizeLevel1('unknown'), undefined);
});
