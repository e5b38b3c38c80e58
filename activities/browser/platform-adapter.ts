/**
 * What the audit needs from a short-video platform's web app, whatever the platform. One adapter
 * per platform (activities/browser/<platform>/) drives a Playwright page; the audit loop
 * (env.reset / env.step) only talks to this interface.
 */
import type { Page } from 'playwright-core';
import type { SandboxProfileRef } from '../../core/audit-spec';
import type { Decision } from '../../core/decision';
import type { Observation } from '../../core/observation';
import type { ChallengeKind, Platform } from '../../core/platforms';

/** Something on screen that an agent must not click through: a person has to deal with it. */
export interface Challenge {
  kind: ChallengeKind;
  detail: string;
}

/** The platform refused the sign-in for good (e.g. the account exists with another sandbox profile). */
export class SignInRefused extends Error {
  override name = 'SignInRefused';
}

export interface OpenOptions {
  sandboxProfile?: SandboxProfileRef;
}

export interface ObservedVideo {
  /** Identifies this appearance of the video (the sandbox's impression id), so a swipe is provable. */
  key: string;
  observation: Observation;
  /** How long the video has been on screen, by the page's own clock, when observed. */
  onScreenMs: number;
}

export interface PlatformAdapter {
  readonly platform: Platform;
  /**
   * Opens the feed signed in as `account`; afterwards a video is on screen (or a challenge). A new
   * sandbox account is created with `options.sandboxProfile`; real platforms ignore it.
   */
  open(page: Page, account: string, options?: OpenOptions): Promise<void>;
  /** Opens the platform's own sign-in page (QR code, SMS…) for a person to use through the live view. */
  openSignIn(page: Page): Promise<void>;
  /** Whether the page's session is signed in as `account` (what `personaact account login` waits for). */
  isSignedIn(page: Page, account: string): Promise<boolean>;
  /** Waits until a video other than the one with `previousKey` is on screen, then describes it. */
  observe(page: Page, previousKey?: string): Promise<ObservedVideo>;
  /** Likes, comments, shares or marks "not interested" as decided; returns what it did. */
  act(page: Page, decision: Decision): Promise<string[]>;
  detectChallenge(page: Page): Promise<Challenge | null>;
  /** Swipes to the next video. */
  next(page: Page): Promise<void>;
}
