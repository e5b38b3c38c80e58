/**
 * npm run bench:coverage [-- --profile NAME] [-- --runs N] [-- --steps N] [-- --resamples N] [-- --json]
 * How often a single audit's 95 % BEP interval covers the process's true BEP on the sandbox
 * recommender (sandbox/bep-coverage.ts); the test suite checks a smaller size.
 */
import { parseArgs } from 'node:util';
import { bepCoverage } from '../sandbox/bep-coverage';
import { loadProfiles } from '../sandbox/profiles';

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'exploratory' },
    profiles: { type: 'string' },
    runs: { type: 'string', default: '200' },
    steps: { type: 'string', default: '400' },
    resamples: { type: 'string', default: '1000' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(`Usage: npm run bench:coverage -- [--profile NAME] [--profiles FILE] [--runs N] [--steps N] [--resamples N] [--json]

Audits one synthetic persona on --runs fresh sandbox accounts (--steps per phase, the whole phase being
the BEP window; default 200 runs of 400 + 400, the paper's window) and counts how often each audit's
95 % interval covers the true BEP, pooled from all the other runs. Defaults: profile exploratory,
1000 resamples.
`);
  process.exit(0);
}

const positive = (flag: string, text: string): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 2) throw new Error(`--${flag} must be an integer of at least 2, got "${text}"`);
  return n;
};

try {
  const profiles = loadProfiles(values.profiles);
  const profile = profiles.get(values.profile);
  if (!profile) throw new Error(`--profile "${values.profile}" is not a profile of ${values.profiles ?? 'the built-in file'}; known: ${[...profiles.keys()].join(', ')}`);
  const options = { runs: positive('runs', values.runs), steps: positive('steps', values.steps), resamples: positive('resamples', values.resamples), confidence: 0.95 };
  const started = performance.now();
  const result = bepCoverage(profile, {
    ...options, onProgress: (message) => process.stderr.write(process.stderr.isTTY ? `\r  ${message}\x1b[K` : `  ${message}\n`),
  });
  const wallSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ profile: profile.name, ...options, ...result, wallSeconds })}\n`);
  } else {
    process.stdout.write([
      `profile ${profile.name}, ${options.runs} audits of ${options.steps} + ${options.steps} steps, ${options.resamples} resamples`,
      `true BEP (pooled)     ${result.trueBep.toFixed(4)}`,
      `coverage              ${(result.coverage * 100).toFixed(1)} %  (${result.covered}/${result.runs}; ${result.intervalAboveTruth} intervals above the truth, ${result.intervalBelowTruth} below)`,
      `mean plug-in BEP      ${result.meanBep.toFixed(4)}   mean bias-corrected ${result.meanBiasCorrected.toFixed(4)}`,
      `mean interval width   ${result.meanWidth.toFixed(4)}   mean block length ${result.meanBlockLength.toFixed(1)} steps`,
      `${wallSeconds} s`,
      '',
    ].join('\n'));
  }
} catch (error) {
  process.stderr.write(`bench:coverage: ${(error as Error).message}\n`);
  process.exit(1);
}
