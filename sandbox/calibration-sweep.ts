/**
 * What moves BEP: the calibration run on variants of one profile that differ from it in a single
 * recommender parameter (learning rate, inertia, exploration, temperature), so each row's change
 * in BEP and diversity is that parameter's alone.
 */
import { runCalibration, type CalibrationOptions, type ProfileResult } from './calibration';
import type { RecommenderProfile } from './recommender';

export const SWEPT_PARAMETERS = ['learningRate', 'inertia', 'exploration', 'temperature'] as const;
export type SweptParameter = (typeof SWEPT_PARAMETERS)[number];

/** Values tried per parameter, spanning the built-in profiles' settings; the base profile's own value is added. */
export const SWEEP_VALUES: Record<SweptParameter, readonly number[]> = {
  learningRate: [0.01, 0.02, 0.05, 0.1, 0.2, 0.3],
  inertia: [0.99, 0.995, 0.999, 0.9995],
  exploration: [0, 0.02, 0.05, 0.1, 0.2],
  temperature: [0.06, 0.12, 0.25, 0.5],
};

export interface SweepRow {
  parameter: SweptParameter;
  value: number;
  /** The base profile's own value (its row is the reference). */
  base: boolean;
  diversityChangePct: number;
  bep: number;
  bepCi: [number, number];
  /** Change from the base profile, in percentage points of diversity change and in BEP. */
  deltaDiversityPct: number;
  deltaBep: number;
}

export interface SweepResult {
  base: string;
  baseResult: ProfileResult;
  rows: SweepRow[];
}

interface Variant {
  parameter: SweptParameter;
  value: number;
  profile: RecommenderProfile;
}

/** One variant per (parameter, value) other than the base's own value; names are unique within the run. */
export function sweepVariants(base: RecommenderProfile): Variant[] {
  return SWEPT_PARAMETERS.flatMap((parameter) => SWEEP_VALUES[parameter]
    .filter((value) => value !== base[parameter])
    .map((value) => ({ parameter, value, profile: { ...base, name: `${base.name}-${parameter.toLowerCase()}-${String(value).replace('.', 'p')}`, [parameter]: value } })));
}

export function runSweep(base: RecommenderProfile, options: CalibrationOptions): SweepResult {
  const variants = sweepVariants(base);
  const [baseResult, ...results] = runCalibration([base, ...variants.map((v) => v.profile)], options);
  const reference = baseResult!;
  const row = (parameter: SweptParameter, value: number, result: ProfileResult, isBase: boolean): SweepRow => ({
    parameter, value, base: isBase,
    diversityChangePct: result.diversityChangePct, bep: result.bep, bepCi: result.bepCi,
    deltaDiversityPct: result.diversityChangePct - reference.diversityChangePct, deltaBep: result.bep - reference.bep,
  });
  const rows = SWEPT_PARAMETERS.flatMap((parameter) => [
    row(parameter, base[parameter], reference, true),
    ...variants.flatMap((variant, i) => (variant.parameter === parameter ? [row(parameter, variant.value, results[i]!, false)] : [])),
  ].sort((a, b) => a.value - b.value));
  return { base: base.name, baseResult: reference, rows };
}
