/**
 * The calibration sweep varies one recommender parameter at a time, and the benchmark's tables
 * print any profile file — in any order, with any names — as an aligned table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { profileTable, sweepTables } from '../../bench/calibration-tables';
import { DEFAULT_CALIBRATION, type ProfileResult } from '../../sandbox/calibration';
import { runSweep, SWEEP_VALUES, SWEPT_PARAMETERS, sweepVariants } from '../../sandbox/calibration-sweep';
import { loadProfiles } from '../../sandbox/profiles';

const sticky = loadProfiles().get('sticky')!;

test('each sweep variant differs from the base profile in exactly one parameter, with unique names', () => {
  const variants = sweepVariants(sticky);
  const expected = SWEPT_PARAMETERS.reduce((n, p) => n + SWEEP_VALUES[p].filter((v) => v !== sticky[p]).length, 0);
  assert.equal(variants.length, expected);
  assert.equal(new Set(variants.map((v) => v.profile.name)).size, variants.length);
  for (const { parameter, value, profile } of variants) {
    const changed = Object.keys(sticky).filter((key) => key !== 'name' && profile[key as keyof typeof profile] !== sticky[key as keyof typeof sticky]);
    assert.deepEqual(changed, [parameter]);
    assert.equal(profile[parameter], value);
  }
});

test('a sweep reports every value with its change from the base, the base row as reference', () => {
  const sweep = runSweep(sticky, { ...DEFAULT_CALIBRATION, seeds: 1, cultivationSteps: 20, counterfactualSteps: 20, bepWindow: 20, resamples: 20, videoCount: 600 });
  for (const parameter of SWEPT_PARAMETERS) {
    const rows = sweep.rows.filter((r) => r.parameter === parameter);
    assert.deepEqual(rows.map((r) => r.value), [...new Set([...SWEEP_VALUES[parameter], sticky[parameter]])].sort((a, b) => a - b));
    const base = rows.find((r) => r.base)!;
    assert.equal(base.value, sticky[parameter]);
    assert.equal(base.deltaBep, 0);
    for (const r of rows) assert.ok(Math.abs(r.deltaBep - (r.bep - sweep.baseResult.bep)) < 1e-12);
  }
  const text = sweepTables(sweep);
  assert.match(text, /^One parameter at a time around "sticky"/);
  assert.match(text, /\nlearningRate\n {2}value +diversity change +Δ +BEP +ΔBEP +95% CI\n {2}0\.01 /);
  assert.match(text, /\n {2}0\.02 \* +[-+]\d/, 'the base value is marked');
});

test('a profile file in another order, with other names, prints an aligned table and the BEP order it measured', () => {
  const result = (name: string, bep: number): ProfileResult => ({ name, diversityChangePct: -12.5, bep, bepCi: [bep - 0.01, bep + 0.01], escapeSteps: 40, escapeStepsCi: [30, 50], runs: [] });
  const text = profileTable([result('responsive', 0.48), result('a-much-longer-profile-name', 0.03), result('sticky', 0.12)]);
  const lines = text.split('\n');
  assert.match(lines[0]!, /^profile +diversity change +BEP +95% CI +escape steps +95% CI$/);
  const bepColumn = lines[0]!.indexOf('BEP');
  for (const line of lines.slice(1, 4)) assert.match(line.slice(bepColumn), /^0\.\d{4} /, `aligned: ${line}`);
  assert.deepEqual(lines.slice(1, 4).map((l) => l.split(' ')[0]), ['responsive', 'a-much-longer-profile-name', 'sticky'], 'in the file\'s order');
  assert.equal(lines.at(-1), 'BEP order: a-much-longer-profile-name < sticky < responsive');
});

test('bench flags naming no profile are refused before anything runs', () => {
  const bench = (script: string, ...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(`../../bench/${script}`, import.meta.url)), ...args], { encoding: 'utf8', timeout: 60_000 });
  const cases: [string, string[], RegExp][] = [
    ['calibration.ts', ['--sweep', '--base', 'nope'], /^bench:calibration: --base "nope" is not a profile of the built-in file; known: sticky, exploratory, responsive\n$/],
    ['calibration.ts', ['--base', 'sticky'], /^bench:calibration: --base names the profile a --sweep varies; add --sweep\n$/],
    ['bep-coverage.ts', ['--profile', 'nope'], /^bench:coverage: --profile "nope" is not a profile of the built-in file; known: sticky, exploratory, responsive\n$/],
    ['bep-coverage.ts', ['--runs', '1'], /^bench:coverage: --runs must be an integer of at least 2, got "1"\n$/],
  ];
  for (const [script, args, message] of cases) {
    const result = bench(script, ...args);
    assert.equal(result.status, 1, `${script} ${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.equal(result.stdout, '');
  }
});
