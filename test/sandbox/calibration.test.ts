/**
 * The calibration acceptance: on the known recommender, every built-in profile narrows diversity
 * under a consistent persona (the stickiest by ≥ 20 %), and BEP separates the profiles in the
 * documented order (sticky < exploratory < responsive) with non-overlapping 95 % intervals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadProfiles } from '../../sandbox/profiles';
import { runCalibration } from '../../sandbox/calibration';

test('calibration: every profile narrows, the stickiest by ≥ 20 %, BEP intervals are disjoint and in the documented order', (t) => {
  const results = runCalibration([...loadProfiles().values()]);
  for (const r of results) t.diagnostic(`${r.name}: diversity ${r.diversityChangePct.toFixed(1)} %, BEP ${r.bep.toFixed(4)} [${r.bepCi.map((x) => x.toFixed(4)).join(', ')}]`);
  const byName = new Map(results.map((r) => [r.name, r]));
  for (const r of results) {
    assert.ok(r.diversityChangePct < 0, `${r.name} narrows (${r.diversityChangePct.toFixed(1)} %)`);
    assert.ok(r.bepCi[0] <= r.bep && r.bep <= r.bepCi[1], `${r.name}: the interval covers its estimate`);
  }
  assert.ok(byName.get('sticky')!.diversityChangePct <= -20, 'the stickiest profile narrows by at least 20 %');
  const documented = ['sticky', 'exploratory', 'responsive'].map((name) => byName.get(name)!);
  for (let i = 1; i < documented.length; i++) {
    const [lower, upper] = [documented[i - 1]!, documented[i]!];
    assert.ok(lower.bepCi[1] < upper.bepCi[0], `${lower.name} [${lower.bepCi}] lies below ${upper.name} [${upper.bepCi}]`);
  }
});
