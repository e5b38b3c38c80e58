import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalCdf, normalQuantile } from '../../core/normal';

const close = (actual: number, expected: number, tolerance: number) => assert.ok(Math.abs(actual - expected) < tolerance, `${actual} vs ${expected}`);

test('Φ⁻¹ at tabulated probabilities (lower tail, centre, upper tail)', () => {
  close(normalQuantile(0.001), -3.090232306, 1e-8);
  close(normalQuantile(0.025), -1.959963985, 1e-8);
  close(normalQuantile(0.5), 0, 1e-12);
  close(normalQuantile(0.8413447461), 1, 1e-8);
  close(normalQuantile(0.999), 3.090232306, 1e-8);
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.throws(() => normalQuantile(1.2), /normalQuantile needs a probability in \[0, 1\], got 1.2/);
});

test('Φ at tabulated points, and Φ(Φ⁻¹(p)) = p', () => {
  close(normalCdf(0), 0.5, 1e-7);
  close(normalCdf(1.959963985), 0.975, 1e-7);
  close(normalCdf(-1), 0.1586552539, 1e-7);
  for (const p of [1e-4, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 1 - 1e-4]) close(normalCdf(normalQuantile(p)), p, 2e-7);
});
