/**
 * A logged step as a policy sees it: the video in front of the person, and the step as a history
 * entry for the steps after it. The offline evaluation and the training dataset both show a
 * policy the log this way, so an agent is measured on what it was trained on.
 */
import { hasAction, type LogStep } from './behaviour-log';
import type { PolicyHistoryEntry, PolicyVideo } from './policy';

export function policyVideoOfStep(step: LogStep): PolicyVideo {
  return {
    platform: step.platform, title: step.title ?? '', creator: step.creator ?? '', level1: step.level1 ?? [],
    ...(step.videoSeconds !== undefined ? { durationSeconds: step.videoSeconds } : {}),
    ...(step.tags ? { tags: step.tags } : {}),
  };
}

export function historyEntryOfStep(step: LogStep): PolicyHistoryEntry {
  return {
    level1: step.level1 ?? [], ...(step.title ? { title: step.title } : {}), watchSeconds: step.watchSeconds,
    like: hasAction(step, 'like'), comment: hasAction(step, 'comment'), share: hasAction(step, 'share'),
  };
}
