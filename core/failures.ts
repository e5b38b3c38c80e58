/**
 * Failure types that cross from activities to workflows: activities throw ApplicationFailures of
 * these types, workflows match them and list them as non-retryable. Pure, so both sides import it.
 */
export const FAILURE_TYPES = {
  /** The browser session (its worker, page or Chromium) is gone: the audit acquires a new one. */
  sessionLost: 'SessionLost',
  /** The page shows a captcha or login wall: the audit waits for a person (workflows/challenge.ts). */
  challengeRequired: 'ChallengeRequired',
  /** Nobody solved the challenge in time and the spec says fail. */
  challengeTimeout: 'ChallengeTimeout',
} as const;
