/**
 * Human-in-the-loop: a challenge (captcha, login wall) that the agent must not click through, and
 * what a waiting workflow tells the CLI about it. Pure, so workflows and the CLI share it.
 */
import { z } from 'zod';

/** What an audit does when nobody solved its challenge in time. */
export const CHALLENGE_TIMEOUT_ACTIONS = ['fail', 'wait'] as const;
export type ChallengeTimeoutAction = (typeof CHALLENGE_TIMEOUT_ACTIONS)[number];

/** Two hours: a person gets a notification, finishes what they do, opens the live view. */
export const DEFAULT_CHALLENGE_TIMEOUT_SECONDS = 2 * 60 * 60;

/** The audit spec's settings for challenges. */
export const ChallengeSettingsSchema = z.object({
  /** How long an audit waits for a person to solve a challenge. */
  timeoutSeconds: z.number().int().positive().default(DEFAULT_CHALLENGE_TIMEOUT_SECONDS),
  /** After the timeout: fail the audit, or stay paused until someone solves it. */
  onTimeout: z.enum(CHALLENGE_TIMEOUT_ACTIONS).default('fail'),
});
export type ChallengeSettings = z.output<typeof ChallengeSettingsSchema>;

/** A challenge waiting for a person, as the progress query reports it. */
export interface PendingChallenge {
  kind: string;
  detail: string;
  /** The browser worker's live view of the page that shows the challenge. */
  liveViewUrl: string;
  /** When the workflow started waiting (workflow time, ISO 8601). */
  since: string;
  /** When a `fail` timeout ends the wait; absent when the audit waits for good. */
  deadline?: string;
}

/** Workflow Update names a person's "done" sends (CLI and the live view's Done button). */
export const HUMAN_UPDATES = {
  /** An audit's challenge is solved: the workflow checks the page, then resumes. */
  challengeResolved: 'challengeResolved',
  /** An account's sign-in is done: the workflow checks it and saves the storage state. */
  signedIn: 'signedIn',
} as const;
export type HumanUpdate = (typeof HUMAN_UPDATES)[keyof typeof HUMAN_UPDATES];
