import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LEVEL1_SLUGS, PersonaSchema } from '../../core';
import { buildExamplePersonas, REPO_ROOT } from '../../examples/personas/build';
import { readRawUser, stepsInOrder } from '../../examples/personas/raw-data';
import { logStats, quantile } from '../../examples/personas/stats';

const statsOf = (user: string) =>
  logStats(stepsInOrder(readRawUser(join(REPO_ROOT, 'data', 'personaact', 'raw_data', user)).map((f) => f.session)));

test('quantile interpolates linearly between order statistics, like numpy', () => {
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([0, 10], 0.25), 2.5);
  assert.equal(quantile([7], 0.9), 7);
  assert.equal(quantile([1, 2, 3, 4], 1), 4);
});

// The published facts of data/personaact/README.md; like rate = steps with a like / steps.
for (const [user, steps, likeRatePercent, median] of [
  ['a', 939, 6.2, 4.95],
  ['b', 780, 6.9, 7.35],
] as const) {
  test(`user ${user}: ${steps} steps, like rate ${likeRatePercent} %, median watch ${median} s`, () => {
    const stats = statsOf(user);
    assert.equal(stats.steps, steps);
    assert.ok(Math.abs(stats.likeRate * 100 - likeRatePercent) <= 0.05, `like rate ${stats.likeRate}`);
    assert.ok(Math.abs(stats.watchSeconds.p50 - median) <= 0.005, `median ${stats.watchSeconds.p50}`);
  });
}

test('the remaining statistics match an independent numpy computation', () => {
  const a = statsOf('a');
  const b = statsOf('b');
  assert.deepEqual([a.commentRate, a.shareRate, a.quickSkipRate], [0, 2 / 939, 266 / 939]);
  assert.deepEqual([b.commentRate, b.shareRate, b.quickSkipRate], [1 / 780, 3 / 780, 223 / 780]);
  const close = (x: number, y: number) => assert.ok(Math.abs(x - y) < 1e-9, `${x} vs ${y}`);
  close(a.watchSeconds.p25, 2.745);
  close(a.watchSeconds.p90, 15.446);
  close(a.watchSeconds.mean, 7.790628328008519);
  close(b.watchSeconds.p90, 55.509);
  close(b.watchSeconds.max, 436.77);
  close(b.watchSeconds.mean, 21.91071794871795);
});

test('the committed example personas equal a fresh build and are valid personas', () => {
  for (const { path, persona, text } of buildExamplePersonas()) {
    const committed = readFileSync(path, 'utf8');
    assert.equal(committed, text, `${path} is stale: run npx tsx examples/personas/build.ts`);
    const parsed = PersonaSchema.parse(JSON.parse(committed));
    assert.deepEqual(Object.keys(parsed.stats.categoryAffinities), [...LEVEL1_SLUGS]);
    assert.doesNotMatch(persona.narrative, /\d/, 'the narrative leaves numbers to the statistics');
    assert.match(persona.provenance.notes ?? '', /ASSUMPTIONS/);
  }
});

test('a malformed session file gives an error naming the file and the field', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'raw-data-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const good = readFileSync(join(REPO_ROOT, 'data/personaact/raw_data/a/session_20251125_165859.json'), 'utf8');
  const file = join(dir, 'session_bad.json');

  writeFileSync(file, good.slice(0, good.length / 2));
  assert.throws(() => readRawUser(dir), (e: Error) => e.message.startsWith(`${file}: not valid JSON`));

  const session = JSON.parse(good);
  session.actions[1].viewing_duration = -1;
  writeFileSync(file, JSON.stringify(session));
  assert.throws(() => readRawUser(dir), (e: Error) => e.message.startsWith(`${file}: actions[1].viewing_duration: `));
});
