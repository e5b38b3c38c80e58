/** How the workflows read the failures of browser-session activities. Deterministic: no I/O. */
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import type { ChallengeDetails } from '../activities/browser/activities';
import { FAILURE_TYPES } from '../core/failures';

/** The browser worker owning the session is gone, or lost the page: start over elsewhere at the same cursor. */
export function sessionGone(error: unknown): boolean {
  if (!(error instanceof ActivityFailure)) return false;
  const cause = error.cause;
  return cause instanceof TimeoutFailure || (cause instanceof ApplicationFailure && cause.type === FAILURE_TYPES.sessionLost);
}

/** The page shows a captcha or login wall: where it is and how a person sees it; undefined for other failures. */
export function challengeOf(error: unknown): ChallengeDetails | undefined {
  if (!(error instanceof ActivityFailure)) return undefined;
  const cause = error.cause;
  if (!(cause instanceof ApplicationFailure) || cause.type !== FAILURE_TYPES.challengeRequired) return undefined;
  return cause.details?.[0] as ChallengeDetails | undefined;
}
