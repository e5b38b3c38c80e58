/** The calibration benchmark's tables: columns sized to their content, rows in the order given (any profile file, any names). */
import { table } from '../cli/audit/format';
import type { ProfileResult } from '../sandbox/calibration';
import type { SweepResult } from '../sandbox/calibration-sweep';

const pct = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} %`;
const interval = ([low, high]: [number, number]) => `[${low.toFixed(4)}, ${high.toFixed(4)}]`;
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;

/** One row per profile, as the file lists them; the profile with the lowest and highest BEP are named below. */
export function profileTable(results: readonly ProfileResult[]): string {
  const rows = results.map((r) => [
    r.name, pct(r.diversityChangePct), r.bep.toFixed(4), interval(r.bepCi),
    r.escapeSteps.toFixed(1), `[${r.escapeStepsCi[0].toFixed(1)}, ${r.escapeStepsCi[1].toFixed(1)}]`,
  ]);
  const byBep = [...results].sort((a, b) => a.bep - b.bep);
  return [
    table(['profile', 'diversity change', 'BEP', '95% CI', 'escape steps', '95% CI'], rows),
    '',
    `BEP order: ${byBep.map((r) => r.name).join(' < ')}`,
  ].join('\n');
}

/** One block per parameter: each value's diversity change and BEP, and their change from the base profile (marked *). */
export function sweepTables(sweep: SweepResult): string {
  const blocks = [...new Set(sweep.rows.map((r) => r.parameter))].map((parameter) => {
    const rows = sweep.rows.filter((r) => r.parameter === parameter).map((r) => [
      `${r.value}${r.base ? ' *' : ''}`, pct(r.diversityChangePct), r.base ? '' : `${r.deltaDiversityPct >= 0 ? '+' : ''}${r.deltaDiversityPct.toFixed(1)} pp`,
      r.bep.toFixed(4), r.base ? '' : signed(r.deltaBep), interval(r.bepCi),
    ]);
    return `${parameter}\n${table([`  value`, 'diversity change', 'Δ', 'BEP', 'ΔBEP', '95% CI'], rows.map(([first, ...rest]) => [`  ${first}`, ...rest]))}`;
  });
  return [`One parameter at a time around "${sweep.base}" (* its own value):`, '', ...blocks.flatMap((block) => [block, ''])].join('\n').trimEnd();
}
