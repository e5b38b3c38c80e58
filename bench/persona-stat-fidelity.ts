/**
 * npm run bench:fidelity [-- --seeds N] [-- --json]
 * persona-stat against its baselines (SMAPE and KL of watch time, `personaact eval`'s definitions)
 * on the paper's users a and b and on synthetic users with known structure
 * (test/helpers/synthetic-users.ts): seed 1, as the README's tables, and the mean over seeds 1..N,
 * since one seed of a small test set is one draw. The numbers behind the README's "Agent fidelity".
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createPolicy } from '../activities/policy/create-policy';
import { importLogs } from '../behaviour-logs/import-logs';
import type { BehaviourLog } from '../core/behaviour-log';
import { evaluateUser } from '../evaluation/evaluate-fidelity';
import { REPO_ROOT } from '../infra/stack/paths';
import { SYNTHETIC_USERS, syntheticLog } from '../test/helpers/synthetic-users';

const { values } = parseArgs({
  options: { seeds: { type: 'string', default: '10' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
});
if (values.help) {
  process.stdout.write('Usage: npm run bench:fidelity -- [--seeds N] [--json]\n\nSMAPE and KL of persona-stat, the marginal sample and the previous step, per user: seed 1 and the mean over seeds 1..N (default 10).\n');
  process.exit(0);
}
const seeds = Number(values.seeds);
if (!Number.isInteger(seeds) || seeds < 1) {
  process.stderr.write(`--seeds must be a positive integer, got "${values.seeds}"\n`);
  process.exit(1);
}

const ROWS = ['persona-stat', 'marginal-sample', 'previous-step'] as const;
type Scores = Record<(typeof ROWS)[number], { smape: number; kl: number }>;

async function score(log: BehaviourLog, seed: string): Promise<Scores> {
  const { policies } = await evaluateUser(log, { policies: [createPolicy('persona-stat')], seed });
  return Object.fromEntries(ROWS.map((name) => {
    const row = policies.find((p) => p.name === name);
    return [name, { smape: row?.smape ?? NaN, kl: row?.kl ?? NaN }];
  })) as Scores;
}

const users: BehaviourLog[] = [
  ...(await Promise.all(['a', 'b'].map((user) => importLogs([path.join(REPO_ROOT, 'data', 'personaact', 'raw_data', user)])))),
  ...SYNTHETIC_USERS.map(syntheticLog),
];
const results = [];
for (const log of users) {
  const first = await score(log, '1');
  const mean = Object.fromEntries(ROWS.map((name) => [name, { smape: 0, kl: 0 }])) as Scores;
  for (let seed = 1; seed <= seeds; seed++) {
    const scores = seed === 1 ? first : await score(log, String(seed));
    for (const name of ROWS) {
      mean[name].smape += scores[name].smape / seeds;
      mean[name].kl += scores[name].kl / seeds;
    }
  }
  results.push({ user: log.user, seed1: first, mean });
  if (!values.json) {
    const cell = (s: { smape: number; kl: number }) => `${s.smape.toFixed(3)} / ${s.kl.toFixed(3)}`;
    process.stdout.write(`${log.user.padEnd(13)} ${ROWS.map((name) => `${name} ${cell(first[name])} (mean ${cell(mean[name])})`).join('   ')}\n`);
  }
}
if (values.json) process.stdout.write(`${JSON.stringify({ seeds, users: results }, null, 2)}\n`);
