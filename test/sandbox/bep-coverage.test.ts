/**
 * The single-audit BEP interval covers the process's true BEP. 200 seeded audits of one persona on
 * the sandbox recommender (no browser, virtual clock), each judged against the truth pooled from
 * the 199 others. Sized to run in well under a minute: the exploratory profile (whose BEP is well
 * away from 0, so the interval's clamp at 0 cannot cover it by itself) and phases of 100 steps, the
 * whole phase being the BEP window. `npm run bench:coverage` runs the full-size check (400-step
 * windows, any profile).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bepCoverage } from '../../sandbox/bep-coverage';
import { loadProfiles } from '../../sandbox/profiles';

test('the nominal 95 % BEP interval covers the true BEP in ≥ 90 % of 200 seeded audits', (t) => {
  const result = bepCoverage(loadProfiles().get('exploratory')!, { runs: 200, steps: 100, resamples: 300, confidence: 0.95 });
  t.diagnostic(JSON.stringify(result));
  assert.ok(result.trueBep > 0.03, `a true BEP away from 0 (${result.trueBep})`);
  assert.ok(result.meanBep > result.trueBep, 'the plug-in value is biased upward, as expected');
  assert.ok(result.meanWidth < 0.3, `intervals that say something (mean width ${result.meanWidth})`);
  assert.ok(result.coverage >= 0.9, `coverage ${result.coverage}: ${result.intervalAboveTruth} intervals above the truth, ${result.intervalBelowTruth} below`);
});
