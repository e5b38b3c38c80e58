/**
 * Did the reversal take hold? From an audit's records alone: in cultivation p should watch what
 * it favours longer (a positive rank correlation between p's category affinity and watch time),
 * in the counterfactual phase p' should do the opposite (negative), and the median watch on p's
 * favoured categories should fall from one phase to the next. An audit where this fails (a model
 * that ignored p''s prompt, a transform that was not applied) measures no counterfactual, so its
 * report says so.
 */
import { pearson } from './fidelity-metrics';
import type { Phase } from './interaction-record';
import { quantileOfSorted } from './metrics';
import type { Persona } from './persona';
import { affinityFor, NEUTRAL_AFFINITY } from './persona-stat-policy';

/** What the check needs of a record: the video's categories, the watch time executed, and whether it was derived from the policy's. */
export interface CheckedStep {
  readonly level1: readonly string[];
  readonly watchSeconds: number;
  readonly transformed: boolean;
}

export interface PhaseReversalStats {
  /** Steps with at least one level-1 label (the others have no affinity). */
  labelledSteps: number;
  /** Spearman's ρ between p's affinity for the video and the watch time; null when undefined (< 3 steps, or either side constant). */
  spearman: number | null;
  medianWatchSeconds: number | null;
  /** Median watch on videos p favours (affinity above neutral), and on the rest. */
  medianFavouredSeconds: number | null;
  medianOtherSeconds: number | null;
}

export interface ReversalCheck {
  phases: Record<Phase, PhaseReversalStats>;
  /** Counterfactual steps whose executed decision is the reversal of the policy's own (the output variant). */
  transformedSteps: number;
  /** true: every check passed; false: at least one failed (see problems); null: the records cannot tell (see problems). */
  tookHold: boolean | null;
  problems: string[];
}

/** Fewer steps than this in a group make its median too noisy to judge by. */
export const MIN_STEPS_PER_GROUP = 5;
const MIN_STEPS_FOR_CORRELATION = 3;

/** Ranks 1..n, ties sharing the mean of their ranks. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) ranks[order[i]!.index] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Spearman's ρ (Pearson's r of average ranks); null when undefined. */
export function spearman(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length < MIN_STEPS_FOR_CORRELATION) return null;
  return pearson(averageRanks(xs), averageRanks(ys));
}

const median = (values: readonly number[]): number | null => (values.length === 0 ? null : quantileOfSorted([...values].sort((a, b) => a - b), 0.5));

function phaseStats(persona: Persona, steps: readonly CheckedStep[]): PhaseReversalStats {
  const labelled = steps.filter((step) => step.level1.length > 0);
  const affinities = labelled.map((step) => affinityFor(persona, step.level1));
  const watch = labelled.map((step) => step.watchSeconds);
  const favoured = (step: CheckedStep) => affinityFor(persona, step.level1) > NEUTRAL_AFFINITY;
  const group = (wanted: boolean) => labelled.filter((step) => favoured(step) === wanted).map((step) => step.watchSeconds);
  const [favouredWatch, otherWatch] = [group(true), group(false)];
  return {
    labelledSteps: labelled.length,
    spearman: spearman(affinities, watch),
    medianWatchSeconds: median(steps.map((step) => step.watchSeconds)),
    medianFavouredSeconds: favouredWatch.length >= MIN_STEPS_PER_GROUP ? median(favouredWatch) : null,
    medianOtherSeconds: otherWatch.length >= MIN_STEPS_PER_GROUP ? median(otherWatch) : null,
  };
}

const rho = (x: number) => `ρ = ${x.toFixed(2)}`;

export function checkReversal(persona: Persona, steps: Record<Phase, readonly CheckedStep[]>): ReversalCheck {
  const phases = { cultivation: phaseStats(persona, steps.cultivation), counterfactual: phaseStats(persona, steps.counterfactual) };
  const { cultivation: before, counterfactual: after } = phases;
  const problems: string[] = [];
  let undecided = false;
  if (before.spearman === null || after.spearman === null) {
    undecided = true;
    problems.push('affinity and watch time have no rank correlation in a phase (too few labelled steps, or a constant watch time): the records cannot tell whether the reversal took hold');
  } else {
    if (before.spearman <= 0) problems.push(`in cultivation p did not watch what it favours longer (${rho(before.spearman)}): the persona was not acted out`);
    if (after.spearman >= 0) problems.push(`in the counterfactual phase p' still watched what p favours at least as long (${rho(after.spearman)}, cultivation ${rho(before.spearman)}): the reversal did not take hold`);
  }
  if (before.medianFavouredSeconds !== null && after.medianFavouredSeconds !== null && after.medianFavouredSeconds >= before.medianFavouredSeconds) {
    problems.push(`the median watch on p's favoured categories did not fall (${before.medianFavouredSeconds.toFixed(1)} s in cultivation, ${after.medianFavouredSeconds.toFixed(1)} s in the counterfactual phase)`);
  }
  const failed = problems.length > (undecided ? 1 : 0);
  return {
    phases,
    transformedSteps: steps.counterfactual.filter((step) => step.transformed).length,
    tookHold: failed ? false : undecided ? null : true,
    problems,
  };
}

const seconds = (x: number | null) => (x === null ? 'n/a' : `${x.toFixed(1)} s`);
const rhoText = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));

/** The reversal check in words, for report.md and `audit report`. */
export function reversalCheckLines(check: ReversalCheck | null | undefined): string[] {
  if (!check) return ['Reversal check: n/a (no persona document beside the records, or an audit analysed before the check existed).'];
  const verdict = check.tookHold === true ? 'the reversal took hold' : check.tookHold === false ? 'the reversal did NOT take hold' : 'cannot tell';
  const { cultivation: c, counterfactual: f } = check.phases;
  return [
    `Reversal check: ${verdict}. Spearman ρ(p's affinity, watch time): cultivation ${rhoText(c.spearman)}, counterfactual ${rhoText(f.spearman)} (expected > 0, then < 0). Median watch: ${seconds(c.medianWatchSeconds)} → ${seconds(f.medianWatchSeconds)}; on p's favoured categories ${seconds(c.medianFavouredSeconds)} → ${seconds(f.medianFavouredSeconds)}, on the rest ${seconds(c.medianOtherSeconds)} → ${seconds(f.medianOtherSeconds)}. ${check.transformedSteps} counterfactual step(s) executed the reversed policy output.`,
    ...check.problems.map((problem) => `- ${problem}`),
  ];
}
