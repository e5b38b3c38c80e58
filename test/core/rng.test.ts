import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng } from '../../core';

const draw = (seed: string | number, n = 20): number[] => {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => rng.next());
};

test('the same seed gives the same sequence, a different seed a different one', () => {
  assert.deepEqual(draw('audit-1'), draw('audit-1'));
  assert.notDeepEqual(draw('audit-1'), draw('audit-2'));
  assert.deepEqual(draw(42), draw('42'));
});

test('fork is deterministic, independent of how far the parent has drawn, and does not advance the parent', () => {
  const three = (rng: ReturnType<typeof createRng>): number[] => [rng.next(), rng.next(), rng.next()];
  const parent = createRng('s');
  const forked = three(parent.fork('x'));
  assert.deepEqual(forked, three(createRng('s').fork('x')));
  assert.deepEqual(three(parent), draw('s', 3), 'forking did not advance the parent');
  assert.deepEqual(three(parent.fork('x')), forked, 'the fork ignores draws already taken from the parent');
  assert.notDeepEqual(forked, draw('s', 3));
  assert.notDeepEqual(forked, three(createRng('s').fork('y')));
});

test('draws stay in range: next in [0,1), int in [0,n), pick from the list', () => {
  const rng = createRng(7);
  for (let i = 0; i < 1000; i++) {
    const u = rng.next();
    assert.ok(u >= 0 && u < 1);
    const k = rng.int(5);
    assert.ok(Number.isInteger(k) && k >= 0 && k < 5);
    assert.ok(['a', 'b'].includes(rng.pick(['a', 'b'])));
  }
});

test('weightedIndex never picks a zero-weight index and rejects an all-zero list', () => {
  const rng = createRng(3);
  for (let i = 0; i < 500; i++) assert.notEqual(rng.weightedIndex([1, 0, 2]), 1);
  assert.throws(() => rng.weightedIndex([0, 0]), RangeError);
  assert.throws(() => rng.pick([]), RangeError);
});
