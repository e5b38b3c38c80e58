import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LEVEL1_SLUGS, TAXONOMY, isLevel1, isLevel2Of, normalizeLevel1, parentLevel1 } from '../../core';
import { PAPER_CATEGORY_OF_LEVEL1, PAPER_CATEGORY_OF_LEVEL2, PAPER_LEVEL1, paperCategoriesOf, paperCategory, paperDiversityWindows } from '../../core/paper-taxonomy';
import { diversityWindows } from '../../core/metrics';
import { REPO_ROOT } from '../infra/helpers';

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

test('every level-1 category maps onto one of the paper\'s 23 annotation categories, and every paper category but 其他 is reached', () => {
  assert.equal(PAPER_LEVEL1.length, 23);
  assert.deepEqual(Object.keys(PAPER_CATEGORY_OF_LEVEL1).sort(), [...LEVEL1_SLUGS].sort());
  for (const label of Object.keys(PAPER_CATEGORY_OF_LEVEL2)) assert.ok(parentLevel1(label), `${label} is not a level-2 category`);
  const reached = new Set(TAXONOMY.flatMap((c) => [paperCategory(c.slug), ...c.children.map((k) => paperCategory(k.slug))]));
  assert.deepEqual(PAPER_LEVEL1.filter((c) => !reached.has(c)), ['其他']);
  assert.equal(paperCategory('knowledge-education'), '知识');
  assert.equal(paperCategory('language-learning'), '教育');
  assert.equal(paperCategory('no-such-label'), '其他');
  // Level-2 labels refine a step's level-1 label; labels under another level-1 label do not.
  assert.deepEqual(paperCategoriesOf({ level1: ['knowledge-education'], level2: ['science', 'exam-prep'] }), ['知识', '教育']);
  assert.deepEqual(paperCategoriesOf({ level1: ['food'], level2: ['exam-prep'] }), ['美食']);
});

test('diversity in paper categories counts distinct paper categories per window, fewer where ours share one', () => {
  const steps = [['finance'], ['news-current-affairs'], ['pets-animals'], ['daily-life'], ['gaming']].map((level1) => ({ level1 }));
  assert.deepEqual(paperDiversityWindows(steps, 5), [3]);
  assert.deepEqual(diversityWindows(steps, 5), [5]);
  assert.deepEqual(paperDiversityWindows(steps, 4), [2, 3]);
});

test('docs/taxonomy.md lists the mapping the code uses', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'taxonomy.md'), 'utf8');
  for (const category of TAXONOMY) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${category.slug}\` |`));
    assert.ok(row, `no row for ${category.slug}`);
    const cells = row.split('|').map((cell) => cell.trim());
    assert.equal(cells[3], PAPER_CATEGORY_OF_LEVEL1[category.slug], category.slug);
    for (const child of category.children) {
      const exception = PAPER_CATEGORY_OF_LEVEL2[child.slug];
      if (exception) assert.ok(cells[4]?.includes(`\`${child.slug}\` → ${exception}`), `${child.slug} in ${row}`);
    }
  }
});
