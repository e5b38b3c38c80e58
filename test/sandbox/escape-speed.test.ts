/**
 * Escape speed on the sandbox recommender itself (no browser, no HTTP): profiles that differ only in
 * learning rate and inertia must rank by how fast they adapt, which BEP cannot promise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEFAULT_CALIBRATION, runCalibration } from '../../sandbox/calibration';
import { loadProfiles } from '../../sandbox/profiles';
import { REPO_ROOT } from '../infra/helpers';

test('escape steps rank profiles that vary only learning rate and inertia by how fast they adapt', () => {
  const family = loadProfiles(join(REPO_ROOT, 'bench', 'adaptation-profiles.json'));
  // Slowest, middle and fastest of the family; shorter phases and fewer seeds than the benchmark keep it quick.
  const profiles = ['adapt-1', 'adapt-3', 'adapt-5'].map((name) => family.get(name)!);
  const results = runCalibration(profiles, {
    ...DEFAULT_CALIBRATION, seeds: 3, cultivationSteps: 400, counterfactualSteps: 400, bepWindow: 200, resamples: 200,
  });
  const steps = results.map((r) => r.escapeSteps);
  assert.ok(steps[0]! > steps[1]! && steps[1]! > steps[2]!, `escape steps should fall as adaptation speeds up: ${JSON.stringify(results.map((r) => [r.name, r.escapeSteps]))}`);
  for (const r of results) {
    assert.ok(r.escapeStepsCi[0] <= r.escapeSteps && r.escapeSteps <= r.escapeStepsCi[1], `${r.name}: interval ${r.escapeStepsCi} contains ${r.escapeSteps}`);
    for (const run of r.runs) assert.ok(run.escapeSteps >= 20 && run.escapeSteps <= 400, `${r.name} seed ${run.seed}: ${run.escapeSteps} steps within [window, phase length]`);
  }
});
