/**
 * Picks the demo study's phase lengths (cli/commands/demo.ts) without a browser or Temporal: runs
 * the real sandbox recommender (sandbox/calibration.ts simulateAudit) with the paper's user a on the
 * `responsive` profile, R fresh accounts per arm (reversed, control), and computes ΔBEP with its
 * bootstrap interval and permutation p-value as the study report does (core/study-analysis.ts),
 * over several study seeds per candidate length.
 *
 * A real browser step cannot swipe before its round trip (observe → decide → act, ~0.1–0.5 s of
 * wall time, `bench:audit`'s overheadMs) has passed, and on an accelerated clock that round trip
 * is `roundTripMs × timeScale` of platform time: every shorter dwell (the reversed persona's quick
 * skips) reaches the recommender as that long. `--round-trip-ms` and `--time-scale` put that floor
 * into the simulation, so a clock can be chosen that keeps the finding; each row also gives the
 * least wall time of one audit at that clock (its platform time / the clock).
 *   npx tsx bench/demo-lengths.ts [--lengths 100,150,200] [--seeds 5] [--replicates 4]
 *     [--round-trip-ms 300 --time-scale 20] [--json]
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readPersonaFile } from '../cli/persona/files';
import { REPO_ROOT } from '../infra/stack/paths';
import { bubbleEscapePotential, mean } from '../core/metrics';
import { differenceInterval, permutationTest, STUDY_BEP_WINDOW } from '../core/study-analysis';
import { generateCatalogue } from '../sandbox/catalogue';
import { simulateAudit } from '../sandbox/calibration';
import { loadProfiles } from '../sandbox/profiles';

const { values } = parseArgs({
  options: {
    lengths: { type: 'string', default: '100,150,200' },
    seeds: { type: 'string', default: '5' },
    replicates: { type: 'string', default: '4' },
    profile: { type: 'string', default: 'responsive' },
    'round-trip-ms': { type: 'string', default: '0' },
    'time-scale': { type: 'string', default: '20' },
    json: { type: 'boolean', default: false },
  },
});
const lengths = values.lengths.split(',').map(Number);
const seeds = Number(values.seeds);
const replicates = Number(values.replicates);
const roundTripMs = Number(values['round-trip-ms']);
const timeScale = Number(values['time-scale']);
if (!(roundTripMs >= 0)) throw new Error(`--round-trip-ms: expected a number of milliseconds ≥ 0, got "${values['round-trip-ms']}"`);
if (!(timeScale > 0)) throw new Error(`--time-scale: expected a positive number, got "${values['time-scale']}"`);
const minDwellSeconds = (roundTripMs / 1000) * timeScale;
const profile = loadProfiles().get(values.profile);
if (!profile) throw new Error(`unknown profile ${values.profile}`);
const persona = await readPersonaFile(path.join(REPO_ROOT, 'examples', 'personas', 'user-a.json'));
const catalogue = generateCatalogue({ seed: 'sandbox', videoCount: 6000 });
const reversal = { strategy: 'quantile-flip', engagement: 'suppress' } as const;

const rows = [];
for (const steps of lengths) {
  for (let studySeed = 0; studySeed < seeds; studySeed++) {
    const wallSeconds: number[] = [];
    const bep = (arm: 'reversed' | 'control') => Array.from({ length: replicates }, (_, r) => {
      const seed = 1000 * studySeed + 100 * (arm === 'reversed' ? 1 : 2) + r;
      const audit = simulateAudit(catalogue, profile, persona, seed, {
        cultivationSteps: steps, counterfactualSteps: steps, minDwellSeconds, ...(arm === 'reversed' ? { reversal } : { reversal: undefined as never }),
      });
      wallSeconds.push(audit.platformSeconds / timeScale);
      return bubbleEscapePotential(audit.cultivation, audit.counterfactual, Math.min(STUDY_BEP_WINDOW, steps));
    });
    const reversed = bep('reversed');
    const control = bep('control');
    const ci = differenceInterval(reversed, control, `demo-lengths/${steps}/${studySeed}/interval`);
    const { pValue } = permutationTest(reversed, control, `demo-lengths/${steps}/${studySeed}/permutation`);
    const row = { steps, studySeed, roundTripMs, timeScale, auditWallSeconds: Math.round(mean(wallSeconds)), reversed: mean(reversed), control: mean(control), delta: mean(reversed) - mean(control), ci, pValue, excludesZero: ci !== null && (ci[0] > 0 || ci[1] < 0) };
    rows.push(row);
    if (!values.json) {
      console.log(`${steps}+${steps} seed ${studySeed}: BEP reversed ${row.reversed.toFixed(3)} control ${row.control.toFixed(3)} ΔBEP ${row.delta.toFixed(3)} [${ci?.map((x) => x.toFixed(3)).join(', ')}] p=${pValue.toFixed(3)} audit ≥ ${row.auditWallSeconds} s at ${timeScale}x${row.excludesZero ? '' : '  (interval reaches 0)'}`);
    }
  }
}
if (values.json) console.log(JSON.stringify(rows, null, 2));
