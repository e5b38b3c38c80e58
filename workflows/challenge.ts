/**
 * A workflow's pause for a person: the page shows a challenge (captcha, login wall), the browser
 * session stays open on it, and the workflow waits durably for the `challengeResolved` Update —
 * sent by `personaact captcha resolved` or the live view's Done button. The Update is only
 * accepted once the browser worker has looked at the page and found the challenge gone.
 */
import { ApplicationFailure, condition, defineUpdate, log, setHandler } from '@temporalio/workflow';
import type { BrowserActivities, ChallengeDetails, OnScreen, SessionRef } from '../activities/browser/activities';
import { ChallengeSettingsSchema, HUMAN_UPDATES, type ChallengeSettings, type PendingChallenge } from '../core/challenge';
import { sessionGone } from './session-failures';
import { FAILURE_TYPES } from '../core/failures';

/** Answers where the workflow goes on, e.g. "resumed at cultivation step 12". */
export const challengeResolvedUpdate = defineUpdate<string>(HUMAN_UPDATES.challengeResolved);

type CheckActivities = Pick<BrowserActivities, 'checkChallenge' | 'closeSession'>;

interface Waiting {
  details: ChallengeDetails;
  /** The video on screen once a person solved the challenge. */
  resumed?: OnScreen;
  /** The session's worker went away while waiting: the workflow must open a new session. */
  lost?: boolean;
}

export interface HumanGateOptions {
  settings: ChallengeSettings | undefined;
  screenshots: boolean;
  /** The session's own activities (its worker's task queue). */
  sessionActivities(session: SessionRef): CheckActivities;
  /** Where the workflow resumes, for the Update's answer. */
  where(): string;
}

export class HumanGate {
  private waiting?: Waiting;
  private readonly settings: ChallengeSettings;

  constructor(private readonly options: HumanGateOptions) {
    this.settings = options.settings ?? ChallengeSettingsSchema.parse({});
    setHandler(challengeResolvedUpdate, () => this.resolve(), {
      validator: () => {
        if (!this.waiting || this.waiting.resumed || this.waiting.lost) throw new Error('no challenge is pending: the workflow is not AWAITING_HUMAN');
      },
    });
  }

  private async resolve(): Promise<string> {
    const waiting = this.waiting!;
    const { session, challenge } = waiting.details;
    try {
      const check = await this.options.sessionActivities(session).checkChallenge({ sessionId: session.sessionId, screenshots: this.options.screenshots });
      if ('challenge' in check) {
        throw ApplicationFailure.create({
          type: 'ChallengeStillThere', nonRetryable: true,
          message: `the ${check.challenge.kind} is still on screen (${check.challenge.detail}): solve it in the live view first`,
        });
      }
      waiting.resumed = check.onScreen;
      return `resumed at ${this.options.where()}`;
    } catch (error) {
      if (!sessionGone(error)) throw error;
      waiting.lost = true;
      throw ApplicationFailure.create({
        type: FAILURE_TYPES.sessionLost, nonRetryable: true,
        message: `the browser session that showed the ${challenge.kind} is gone; the workflow opens a new one (see its status for the new live view)`,
      });
    }
  }

  /**
   * Pauses until a person solved the challenge. Returns the video on screen then, or undefined
   * when the session was lost meanwhile. On timeout, fails (closing the session) or keeps
   * waiting, as the settings say.
   */
  async wait(details: ChallengeDetails, hooks: { pause(pending: PendingChallenge): void; resume(): void }): Promise<OnScreen | undefined> {
    const waiting: Waiting = { details };
    this.waiting = waiting;
    const { timeoutSeconds, onTimeout } = this.settings;
    const since = new Date();
    hooks.pause({
      kind: details.challenge.kind, detail: details.challenge.detail, liveViewUrl: details.liveViewUrl, since: since.toISOString(),
      ...(onTimeout === 'fail' ? { deadline: new Date(since.getTime() + timeoutSeconds * 1000).toISOString() } : {}),
    });
    log.warn('waiting for a person to solve a challenge', { kind: details.challenge.kind, taskQueue: details.session.taskQueue });
    const answered = () => waiting.resumed !== undefined || waiting.lost === true;
    if (!(await condition(answered, timeoutSeconds * 1000))) {
      if (onTimeout === 'fail') {
        await this.options.sessionActivities(details.session).closeSession({ sessionId: details.session.sessionId }).catch(() => undefined);
        throw ApplicationFailure.create({
          type: FAILURE_TYPES.challengeTimeout, nonRetryable: true,
          message: `nobody solved the ${details.challenge.kind} (${details.challenge.detail}) within ${timeoutSeconds} s; ` +
            'records so far are kept (set challenges.onTimeout to "wait" to keep waiting instead)',
        });
      }
      log.warn('challenge timeout passed; still waiting (onTimeout: wait)', { timeoutSeconds });
      await condition(answered);
    }
    this.waiting = undefined;
    hooks.resume();
    return waiting.resumed;
  }
}
