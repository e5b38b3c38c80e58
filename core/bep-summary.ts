/**
 * How a single audit's BEP is headlined: the bias-corrected estimate with the interval that
 * contains it (bepBootstrapCi), the paper's plug-in value beside it, and a plain statement when the
 * interval reaches zero — then the audit cannot tell the platform's escape from none at all.
 */
export interface BepSummary {
  value: number;
  biasCorrected: number;
  ci: [number, number];
}

/** An interval whose lower end is below this is read as reaching zero (it is clamped at 0). */
const ZERO = 5e-5;

export const intervalReachesZero = (bep: BepSummary): boolean => bep.ci[0] < ZERO;

export function bepHeadline(bep: BepSummary): string {
  const f = (x: number) => x.toFixed(4);
  const text = `BEP ${f(bep.biasCorrected)} (95 % CI ${f(bep.ci[0])}–${f(bep.ci[1])}; bias-corrected, plug-in ${f(bep.value)})`;
  return intervalReachesZero(bep) ? `${text}. The interval reaches 0: this audit cannot tell the escape from none at all` : text;
}
