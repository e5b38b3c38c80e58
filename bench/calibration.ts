/**
 * npm run bench:calibration [-- --json] [-- --profiles FILE] [-- --seeds N] [-- --sweep [--base NAME]]
 * Prints, per recommender profile, the diversity change during cultivation, BEP with a 95 % CI and
 * the escape steps (counterfactual steps until the feed left the bubble; docs/analysis.md) with theirs;
 * with --sweep, diversity change and BEP for one parameter at a time varied around one profile.
 */
import { parseArgs } from 'node:util';
import { loadProfiles } from '../sandbox/profiles';
import { DEFAULT_CALIBRATION, runCalibration } from '../sandbox/calibration';
import { runSweep, SWEEP_VALUES, SWEPT_PARAMETERS } from '../sandbox/calibration-sweep';
import { profileTable, sweepTables } from './calibration-tables';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    profiles: { type: 'string' },
    seeds: { type: 'string' },
    sweep: { type: 'boolean', default: false },
    base: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(`Usage: npm run bench:calibration -- [--json] [--profiles FILE] [--seeds N] [--sweep [--base NAME]]

Runs a synthetic persona with clear preferences for ${DEFAULT_CALIBRATION.cultivationSteps} interactions, then its
quantile-flipped reversal for ${DEFAULT_CALIBRATION.counterfactualSteps}, against each recommender profile for several seeds
(default ${DEFAULT_CALIBRATION.seeds}), and prints diversity change and BEP with a 95 % interval per profile.

  --sweep      vary one parameter at a time around one profile (--base NAME, default the first
               profile of the file: sticky) and print BEP and diversity change per value:
${SWEPT_PARAMETERS.map((p) => `                 ${p.padEnd(13)} ${SWEEP_VALUES[p].join(', ')}`).join('\n')}
  --profiles   a profile file of your own (sandbox/README.md); any order, any names
  --json       one JSON object on stdout instead of the table
`);
  process.exit(0);
}

try {
  const seeds = values.seeds === undefined ? DEFAULT_CALIBRATION.seeds : Number(values.seeds);
  if (!Number.isInteger(seeds) || seeds < 1) throw new Error(`--seeds must be a positive integer, got "${values.seeds}"`);
  const loaded = loadProfiles(values.profiles);
  const profiles = [...loaded.values()];
  if (values.base !== undefined && !values.sweep) throw new Error('--base names the profile a --sweep varies; add --sweep');
  const base = values.base === undefined ? profiles[0]! : loaded.get(values.base);
  if (!base) throw new Error(`--base "${values.base}" is not a profile of ${values.profiles ?? 'the built-in file'}; known: ${[...loaded.keys()].join(', ')}`);
  const started = performance.now();
  const options = {
    ...DEFAULT_CALIBRATION, seeds,
    onProgress: (message: string) => process.stderr.write(process.stderr.isTTY ? `\r  ${message}\x1b[K` : `  ${message}\n`),
  };
  const sweep = values.sweep ? runSweep(base, options) : undefined;
  const results = sweep ? undefined : runCalibration(profiles, options);
  const wallSeconds = (performance.now() - started) / 1000;
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ ...(sweep ? { sweep } : { profiles: results }), seeds, wallSeconds: Number(wallSeconds.toFixed(2)) })}\n`);
  } else {
    process.stdout.write(`\n${sweep ? sweepTables(sweep) : profileTable(results!)}\n`);
    process.stdout.write(`\n${seeds} seeds × (${DEFAULT_CALIBRATION.cultivationSteps} + ${DEFAULT_CALIBRATION.counterfactualSteps}) interactions per profile${sweep ? ' and value' : ''}; ${wallSeconds.toFixed(1)} s\n`);
  }
} catch (error) {
  process.stderr.write(`bench:calibration: ${(error as Error).message}\n`);
  process.exit(1);
}
