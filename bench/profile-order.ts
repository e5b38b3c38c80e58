/**
 * npm run bench:profile-order [-- --json] [-- --steps N] [-- --time-scale X]
 * The calibration's ordering through the whole audit path: one persona (the paper's user b) and one
 * seed audited on two fresh sandbox accounts, one created with the `sticky` recommender profile and
 * one with `exploratory` (sandbox/README.md), each N + N interactions (default 100 + 100) through
 * Temporal, the workers and Chromium. A sticky recommender forms the deeper bubble, so the reversal
 * moves its feed less: its BEP should be the lower one. `bench:calibration` shows the same ordering
 * on the recommender alone, in seconds.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runAudit } from '../clients/audit';
import { PersonaSchema } from '../core/persona';
import { startAuditStack } from '../test/helpers/audit-stack';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    steps: { type: 'string', default: '100' },
    'time-scale': { type: 'string', default: '50' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write('Usage: npm run bench:profile-order -- [--json] [--steps N (per phase, default 100)] [--time-scale X (default 50)]\n');
  process.exit(0);
}
const steps = Number(values.steps);
const timeScale = Number(values['time-scale']);
if (!Number.isInteger(steps) || steps < 1) throw new Error(`--steps must be a positive integer, got "${values.steps}"`);
if (!(timeScale > 0 && timeScale <= 1000)) throw new Error(`--time-scale must be in (0, 1000], got "${values['time-scale']}"`);
const say = (line: string) => values.json || process.stderr.write(`[bench:profile-order] ${line}\n`);

const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../examples/personas/user-b.json', import.meta.url), 'utf8')));
const PROFILES = ['sticky', 'exploratory'] as const;

const stack = await startAuditStack({ timeScale });
const results: Record<string, { bep: number; ci: [number, number]; seconds: number }> = {};
try {
  for (const profile of PROFILES) {
    const accountId = `order-${profile}`;
    // The account is created with its recommender profile before the audit signs in to it.
    const created = await fetch(`${stack.sandbox.url}/api/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account: accountId, profile }) });
    if (!created.ok) throw new Error(`the sandbox refused account ${accountId}: HTTP ${created.status}`);
    say(`${profile}: ${steps} + ${steps} interactions at ${timeScale}x …`);
    const started = performance.now();
    const result = await runAudit(stack.env.client, {
      schemaVersion: 1, auditId: accountId, screenshots: false,
      spec: {
        schemaVersion: 1, platform: 'sandbox', persona, accountId, cultivationSteps: steps, counterfactualSteps: steps,
        seed: 7, timeScale, reversal: { strategy: 'quantile-flip', engagement: 'suppress' }, policy: 'persona-stat',
      },
    });
    const bep = result.metrics.bep;
    if (result.status !== 'COMPLETED' || !bep) throw new Error(`the ${profile} audit ended ${result.status} without a BEP`);
    results[profile] = { bep: bep.value, ci: bep.ci, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) };
    say(`${profile}: BEP ${bep.value.toFixed(4)} in ${results[profile]!.seconds} s`);
  }
} finally {
  await stack.stop();
}
const ordered = results.sticky!.bep < results.exploratory!.bep;
if (values.json) {
  process.stdout.write(`${JSON.stringify({ steps, timeScale, profiles: results, stickyBelowExploratory: ordered })}\n`);
} else {
  for (const profile of PROFILES) {
    const r = results[profile]!;
    process.stdout.write(`${profile.padEnd(12)} BEP ${r.bep.toFixed(4)} (95 % CI ${r.ci[0].toFixed(4)}–${r.ci[1].toFixed(4)})  ${r.seconds} s\n`);
  }
  process.stdout.write(`sticky below exploratory: ${ordered ? 'yes' : 'NO'}\n`);
}
process.exitCode = ordered ? 0 : 1;
