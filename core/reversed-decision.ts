/**
 * The counterfactual phase's decision, the same for every policy (persona-stat, openai-compatible,
 * sagemaker-endpoint). With `apply: 'output'` (the default, as the paper's released code does) the
 * policy decides as p and its output is reversed here: the watch time by the strategy
 * (quantile flip on p's distribution, or t' = max(0, 30 − t)), engagement suppressed or inverted.
 * With `apply: 'prompt-only'` the policy is told to act as p' and its decision is executed as it is.
 * The workflow applies this in one place, where the decision is made, and records keep both.
 */
import type { Decision } from './decision';
import type { Phase } from './interaction-record';
import type { Persona, ReversalSettings } from './persona';
import { affinityFor, profileFor } from './persona-stat-policy';
import { reverseWatchSeconds } from './reversal';
import { createRng } from './rng';

/** What the policy is told about the reversal: p' itself only in the prompt-only variant's counterfactual phase. */
export function policyReversal(phase: Phase, settings: ReversalSettings): ReversalSettings | undefined {
  return phase === 'counterfactual' && settings.apply === 'prompt-only' ? settings : undefined;
}

/** Whether the executed decision is derived from the policy's (the output variant's counterfactual phase). */
export const reversesOutput = (phase: Phase, settings: ReversalSettings): boolean => phase === 'counterfactual' && settings.apply !== 'prompt-only';

export interface ReverseDecisionInput {
  /** p, whose decision it is: its watch-time distribution and rates drive the transform. */
  persona: Persona;
  settings: ReversalSettings;
  /** The video on screen; its platform picks p's statistics for that platform where the persona has them. */
  video: { readonly level1: readonly string[]; readonly durationSeconds?: number; readonly platform?: string };
  /** Seeds the inverted engagement's draws (per step, so a replayed step transforms the same). */
  seed: string;
}

/**
 * p' where p decided `decision`. Watch time: reversed, capped by the video's length and rounded to
 * 10 ms as persona-stat's own. Engagement, 'suppress': none. 'invert': p' likes, comments or shares
 * where p did not, each with chance min(1, 2 · rate · (1 − a)) at p's logged rate and inverted
 * affinity, so p' engages about as often as p, on what p passes over. "Not interested" is p's
 * rejection of the video, which p' does not share: never set.
 */
export function reverseDecision(decision: Decision, { persona, settings, video, seed }: ReverseDecisionInput): Decision {
  const stats = profileFor(persona.stats, video.platform);
  const reversed = reverseWatchSeconds(decision.watchSeconds, stats.watchSeconds, settings.strategy);
  const watchSeconds = Math.round(Math.min(reversed, video.durationSeconds ?? Infinity) * 100) / 100;
  if (settings.engagement === 'suppress') return { watchSeconds, like: false, notInterested: false };
  const rng = createRng(`${seed}/reversed-engagement`);
  const inverted = 1 - affinityFor(persona, video.level1);
  const chance = (rate: number) => Math.min(1, 2 * rate * inverted);
  // All three drawn every time, so the random stream does not depend on p's decision.
  const like = rng.chance(chance(stats.likeRate)) && !decision.like;
  const comment = rng.chance(chance(stats.commentRate)) && decision.comment === undefined;
  const share = rng.chance(chance(stats.shareRate)) && decision.share === undefined;
  return { watchSeconds, like, ...(comment ? { comment: 'nice' } : {}), ...(share ? { share: 'friend' } : {}), notInterested: false };
}

/** The decision to execute for a policy's output at (phase, index): reversed in the output variant's counterfactual phase, else as decided. */
export function executedDecision(decision: Decision, phase: Phase, input: ReverseDecisionInput): Decision {
  return reversesOutput(phase, input.settings) ? reverseDecision(decision, input) : decision;
}
