/**
 * What each study arm does in the counterfactual phase (docs/studies.md, "Arms"). Pure, so the
 * audit workflow calls it between the policy's decision and the step:
 *
 * - `reversed`: p′ acts — the workflow reverses the policy's output (core/reversed-decision.ts), so this module leaves it;
 * - `control`: p simply continues: the policy's decision is the step;
 * - `mitigate-not-interested`: p, but a video of a dominant cultivated category gets the platform's
 *   "not interested" and a quick skip, as a user who tries to clean up their feed would do;
 * - `mitigate-explore`: p, but a share of the videos from outside the bubble is watched to the end.
 */
import { z } from 'zod';
import type { Decision } from './decision';
import type { Phase } from './interaction-record';
import { createRng } from './rng';
import type { StudyArm } from './study-manifest';

export const MitigationSettingsSchema = z.object({
  /** How many of the cultivation phase's most frequent level-1 categories count as "the bubble". */
  dominantCategories: z.number().int().positive().default(2),
  /** mitigate-explore: the share of out-of-bubble videos watched fully. */
  exploreShare: z.number().min(0).max(1).default(0.5),
});
export type MitigationSettings = z.output<typeof MitigationSettingsSchema>;
export const DEFAULT_MITIGATION: MitigationSettings = MitigationSettingsSchema.parse({});

/** A user who taps "not interested" leaves the video at once: at most this long on screen (platform seconds). */
export const NOT_INTERESTED_WATCH_SECONDS = 1;

/** Whether p′ acts in `phase` (its output reversed, or in the prompt-only variant the policy told): the reversed arm's counterfactual. */
export const actsReversed = (arm: StudyArm, phase: Phase): boolean => phase === 'counterfactual' && arm === 'reversed';

/**
 * The `count` most frequent categories of `counts` (ties by name, so the order is stable): what the
 * cultivation phase made the feed show most.
 */
export function dominantCategories(counts: Readonly<Record<string, number>>, count: number): string[] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, count)
    .map(([label]) => label);
}

export interface ArmStep {
  arm: StudyArm;
  phase: Phase;
  /** The video on screen: its level-1 categories and length (platform seconds; undefined if unknown). */
  level1: readonly string[];
  durationSeconds?: number;
  /** The cultivation phase's dominant categories (dominantCategories). */
  bubble: readonly string[];
  settings: MitigationSettings;
  /** Seeds the explore arm's draw per step: `${audit seed}/${phase}/${index}`. */
  seed: string;
}

/** The step the arm takes, given the policy's decision. Cultivation is never changed. */
export function armDecision(decision: Decision, step: ArmStep): Decision {
  if (step.phase !== 'counterfactual') return decision;
  const inBubble = step.level1.some((label) => step.bubble.includes(label));
  switch (step.arm) {
    case 'reversed':
    case 'control':
      return decision;
    case 'mitigate-not-interested':
      if (!inBubble) return decision;
      return { watchSeconds: Math.min(decision.watchSeconds, NOT_INTERESTED_WATCH_SECONDS), like: false, notInterested: true };
    case 'mitigate-explore': {
      if (inBubble || step.durationSeconds === undefined) return decision;
      if (!createRng(`${step.seed}/explore`).chance(step.settings.exploreShare)) return decision;
      return { ...decision, watchSeconds: Math.max(decision.watchSeconds, step.durationSeconds) };
    }
  }
}
