/**
 * npm run bench:calibration [-- --json] [-- --profiles FILE] [-- --seeds N]
 * Prints, per recommender profile, the diversity change during cultivation, BEP with a 95 % CI and
 * the escape steps (counterfactual steps until the feed left the bubble; docs/analysis.md) with theirs.
 */
import { parseArgs } from 'node:util';
import { loadProfiles } from '../sandbox/profiles';
import { DEFAULT_CALIBRATION, runCalibration } from '../sandbox/calibration';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    profiles: { type: 'string' },
    seeds: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(`Usage: npm run bench:calibration -- [--json] [--profiles FILE] [--seeds N]

Runs a synthetic persona with clear preferences for ${DEFAULT_CALIBRATION.cultivationSteps} interactions, then its
quantile-flipped reversal for ${DEFAULT_CALIBRATION.counterfactualSteps}, against each recommender profile for several seeds.
`);
  process.exit(0);
}

try {
  const seeds = values.seeds === undefined ? DEFAULT_CALIBRATION.seeds : Number(values.seeds);
  if (!Number.isInteger(seeds) || seeds < 1) throw new Error(`--seeds must be a positive integer, got "${values.seeds}"`);
  const profiles = [...loadProfiles(values.profiles).values()];
  const started = performance.now();
  const results = runCalibration(profiles, {
    ...DEFAULT_CALIBRATION, seeds,
    onProgress: (message) => process.stderr.write(process.stderr.isTTY ? `\r  ${message}\x1b[K` : `  ${message}\n`),
  });
  const wallSeconds = (performance.now() - started) / 1000;
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ profiles: results, wallSeconds: Number(wallSeconds.toFixed(2)) })}\n`);
  } else {
    const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(14) : c.padStart(i === 2 || i === 4 ? 8 : 26))).join('');
    process.stdout.write(`\n${row(['profile', 'diversity change', 'BEP', '95% CI', 'escape', '95% CI'])}\n`);
    for (const r of results) {
      process.stdout.write(`${row([r.name, `${r.diversityChangePct.toFixed(1)} %`, r.bep.toFixed(4), `[${r.bepCi[0].toFixed(4)}, ${r.bepCi[1].toFixed(4)}]`, r.escapeSteps.toFixed(1), `[${r.escapeStepsCi[0].toFixed(1)}, ${r.escapeStepsCi[1].toFixed(1)}]`])}\n`);
    }
    process.stdout.write(`\n${seeds} seeds × (${DEFAULT_CALIBRATION.cultivationSteps} + ${DEFAULT_CALIBRATION.counterfactualSteps}) interactions per profile; ${wallSeconds.toFixed(1)} s\n`);
  }
} catch (error) {
  process.stderr.write(`bench:calibration: ${(error as Error).message}\n`);
  process.exit(1);
}
