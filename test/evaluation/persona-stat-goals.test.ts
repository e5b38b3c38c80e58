/**
 * persona-stat against its baselines on users the project has never seen (issue 11): synthetic
 * logs with known structure (test/helpers/synthetic-users.ts), so the method is checked on more
 * than the paper's users a and b, whose numbers evaluate-fidelity.test.ts pins. Averaged over a
 * few seeds: one seed of a 160-step test set moves KL by ±0.1, which would test the dice.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPolicy } from '../../activities/policy/create-policy';
import { fitSteps, splitBySession } from '../../core/session-split';
import { evaluateUser, personaOfFitSteps } from '../../evaluation/evaluate-fidelity';
import { SYNTHETIC_USERS, syntheticLog } from '../helpers/synthetic-users';

const SEEDS = Array.from({ length: 10 }, (_, i) => String(i + 1));
/** A faithful sampler ties the marginal sample on SMAPE where steps are independent; this much is a tie. */
const SMAPE_TIE = 0.01;
const KL_ALLOWANCE = 0.05;

for (const spec of SYNTHETIC_USERS) {
  test(`synthetic user "${spec.user}" (lag 1 = ${spec.lag1}): the fitted dependence, and SMAPE and KL against the marginal sample`, async () => {
    const log = syntheticLog(spec);
    const persona = personaOfFitSteps(log, fitSteps(splitBySession(log.steps)));
    const dependence = persona.stats.dependence;
    assert.ok(dependence && Math.abs(dependence.lag1 - spec.lag1) < 0.06, `fitted lag 1 ${dependence?.lag1} for ${spec.lag1}`);

    const mean = { agent: { smape: 0, kl: 0 }, marginal: { smape: 0, kl: 0 } };
    for (const seed of SEEDS) {
      const { policies } = await evaluateUser(log, { policies: [createPolicy('persona-stat')], seed });
      for (const [key, name] of [['agent', 'persona-stat'], ['marginal', 'marginal-sample']] as const) {
        const row = policies.find((p) => p.name === name);
        mean[key].smape += (row?.smape ?? NaN) / SEEDS.length;
        mean[key].kl += (row?.kl ?? NaN) / SEEDS.length;
      }
    }
    const report = JSON.stringify(mean);
    assert.ok(mean.agent.smape <= mean.marginal.smape + SMAPE_TIE, `SMAPE: ${report}`);
    assert.ok(mean.agent.kl <= mean.marginal.kl + KL_ALLOWANCE, `KL: ${report}`);
    // Where steps depend on each other, acting out the dependence beats resampling the person's watch times.
    if (spec.lag1 >= 0.3) assert.ok(mean.agent.smape < mean.marginal.smape - 0.05, `streaks pay: ${report}`);
  });
}
