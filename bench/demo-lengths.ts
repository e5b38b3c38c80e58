/**
 * Picks the demo study's phase lengths (cli/commands/demo.ts) without a browser or Temporal: runs
 * the real sandbox recommender (sandbox/calibration.ts simulateAudit) with the paper's user a on the
 * `responsive` profile, R fresh accounts per arm (reversed, control), and computes ΔBEP with its
 * bootstrap interval and permutation p-value as the study report does (core/study-analysis.ts),
 * over several study seeds per candidate length.
 *   npx tsx bench/demo-lengths.ts [--lengths 100,150,200] [--seeds 5] [--replicates 4] [--json]
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
    json: { type: 'boolean', default: false },
  },
});
const lengths = values.lengths.split(',').map(Number);
const seeds = Number(values.seeds);
const replicates = Number(values.replicates);
const profile = loadProfiles().get(values.profile);
if (!profile) throw new Error(`unknown profile ${values.profile}`);
const persona = await readPersonaFile(path.join(REPO_ROOT, 'examples', 'personas', 'user-a.json'));
const catalogue = generateCatalogue({ seed: 'sandbox', videoCount: 6000 });
const reversal = { strategy: 'quantile-flip', engagement: 'suppress' } as const;

const rows = [];
for (const steps of lengths) {
  for (let studySeed = 0; studySeed < seeds; studySeed++) {
    const bep = (arm: 'reversed' | 'control') => Array.from({ length: replicates }, (_, r) => {
      const seed = 1000 * studySeed + 100 * (arm === 'reversed' ? 1 : 2) + r;
      const audit = simulateAudit(catalogue, profile, persona, seed, {
        cultivationSteps: steps, counterfactualSteps: steps, ...(arm === 'reversed' ? { reversal } : { reversal: undefined as never }),
      });
      return bubbleEscapePotential(audit.cultivation, audit.counterfactual, Math.min(STUDY_BEP_WINDOW, steps));
    });
    const reversed = bep('reversed');
    const control = bep('control');
    const ci = differenceInterval(reversed, control, `demo-lengths/${steps}/${studySeed}/interval`);
    const { pValue } = permutationTest(reversed, control, `demo-lengths/${steps}/${studySeed}/permutation`);
    const row = { steps, studySeed, reversed: mean(reversed), control: mean(control), delta: mean(reversed) - mean(control), ci, pValue, excludesZero: ci !== null && (ci[0] > 0 || ci[1] < 0) };
    rows.push(row);
    if (!values.json) {
      console.log(`${steps}+${steps} seed ${studySeed}: BEP reversed ${row.reversed.toFixed(3)} control ${row.control.toFixed(3)} ΔBEP ${row.delta.toFixed(3)} [${ci?.map((x) => x.toFixed(3)).join(', ')}] p=${pValue.toFixed(3)}${row.excludesZero ? '' : '  (interval reaches 0)'}`);
    }
  }
}
if (values.json) console.log(JSON.stringify(rows, null, 2));
