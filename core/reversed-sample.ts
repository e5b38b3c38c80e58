/**
 * Training samples of the counterfactual persona p' (issue 11): the released code reverses an
 * agent's output, but a model that only ever saw p in its prompts never learned to act on another
 * persona. With a share s of samples reversed, a sample's prompt shows p' (core/prompt.ts) and its
 * target is the person's own step transformed as the reversal prescribes: the watch time by the
 * strategy (quantile flip on p's distribution for the step's platform, or linear-30), engagement
 * suppressed, or inverted — p's engagement moves from its longest watches to its shortest: p' likes
 * a step when its watch quantile F(t) lies below p's like rate (comments and shares likewise), so
 * p' engages as often as p, on what p passes over. The history in the prompt is transformed the
 * same way, as the counterfactual agent's own earlier steps would be.
 */
import type { PersonaStats, ReversalSettings } from './persona';
import { profileFor } from './persona-stat-policy';
import { reverseWatchSeconds, watchCdf } from './reversal';
import { createRng } from './rng';

/** What the transformation reads and writes: a step's watch time and engagement. */
export interface StepOutcome {
  readonly watchSeconds: number;
  readonly like: boolean;
  readonly comment: boolean;
  readonly share: boolean;
}

/** Whether the sample with this id shows p': a seeded draw per id, so the same inputs give the same dataset. */
export function isReversedSample(sampleId: string, share: number): boolean {
  return share > 0 && createRng(`reversed-sample/${sampleId}`).next() < share;
}

/** The step as p' would have taken it, for a step on `platform`. */
export function reversedOutcome(step: StepOutcome, stats: PersonaStats, platform: string, settings: ReversalSettings): StepOutcome {
  const profile = profileFor(stats, platform);
  const watchSeconds = Math.round(reverseWatchSeconds(step.watchSeconds, profile.watchSeconds, settings.strategy) * 100) / 100;
  if (settings.engagement === 'suppress') return { watchSeconds, like: false, comment: false, share: false };
  const quantile = watchCdf(profile.watchSeconds)(step.watchSeconds);
  return { watchSeconds, like: quantile < profile.likeRate, comment: quantile < profile.commentRate, share: quantile < profile.shareRate };
}
