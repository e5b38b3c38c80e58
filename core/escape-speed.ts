/**
 * Escape speed: how many counterfactual steps the feed needs to leave the cultivated bubble, apart
 * from how deep that bubble is. BEP mixes the two (a recommender that forgets fast forms no bubble,
 * so there is little to escape); this measure only asks *when* the feed's category mix has become
 * more like where the reversed persona's feed settles than like the cultivated one. Defined in
 * docs/analysis.md ("Escape speed").
 */
import { categoryCounts, jsDivergence, type CategorizedStep } from './metrics';

export interface EscapeSpeedOptions {
  /** Steps at the end of each phase that define its steady state (at most half of the counterfactual phase). */
  reference?: number;
  /** Trailing window of counterfactual steps whose category mix is compared with the two states. */
  window?: number;
}

/** Both states: the last 200 steps of a phase; the feed: the last 20 counterfactual steps (the diversity window). */
export const ESCAPE_REFERENCE = 200;
export const ESCAPE_WINDOW = 20;

export interface EscapeSpeed {
  /**
   * The first counterfactual step count t ≥ window such that the window ending at t, and every one
   * of the next `window − 1` windows, is closer (JS divergence) to the counterfactual steady state
   * than to the cultivated one. null when that never happens within the phase (censored).
   */
  steps: number | null;
  /** JS(cultivated state ‖ counterfactual steady state): the bubble's depth, reported beside, never mixed in. */
  separation: number;
  /** Per window end t (window..n): JS to the cultivated state minus JS to the steady state (> 0: closer to the steady state). */
  margin: { step: number; value: number }[];
}

const labelled = (steps: readonly CategorizedStep[]) => steps.filter((step) => step.level1.length > 0);

export function escapeSpeed(
  cultivation: readonly CategorizedStep[],
  counterfactual: readonly CategorizedStep[],
  { reference = ESCAPE_REFERENCE, window = ESCAPE_WINDOW }: EscapeSpeedOptions = {},
): EscapeSpeed {
  if (!Number.isInteger(reference) || reference < 1) throw new RangeError(`reference must be a positive integer, got ${reference}`);
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be a positive integer, got ${window}`);
  const cultivated = labelled(cultivation.slice(-reference));
  // At most half the phase, so the early windows (where the escape happens) are never part of the state they are compared with.
  const steady = labelled(counterfactual.slice(-Math.min(reference, Math.max(1, Math.floor(counterfactual.length / 2)))));
  if (cultivated.length === 0) throw new RangeError(`escapeSpeed: the last ${reference} cultivation steps carry no level-1 label`);
  if (steady.length === 0) throw new RangeError(`escapeSpeed: the last ${reference} counterfactual steps carry no level-1 label`);
  const from = categoryCounts(cultivated);
  const to = categoryCounts(steady);
  const margin: { step: number; value: number }[] = [];
  for (let end = window; end <= counterfactual.length; end++) {
    const feed = labelled(counterfactual.slice(end - window, end));
    // A window without any label tells nothing: it counts as not yet escaped.
    const value = feed.length === 0 ? -Infinity : jsDivergence(categoryCounts(feed), from) - jsDivergence(categoryCounts(feed), to);
    margin.push({ step: end, value });
  }
  // One window closer to the steady state can be chance; `window` of them in a row (the feed fully
  // renewed once) is not.
  let steps: number | null = null;
  for (let i = 0; i < margin.length && steps === null; i++) {
    const run = margin.slice(i, i + window);
    if (run.length === window && run.every((m) => m.value > 0)) steps = margin[i]!.step;
  }
  return { steps, separation: jsDivergence(from, to), margin };
}
