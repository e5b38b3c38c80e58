/**
 * accountLoginWorkflow: a person signs a platform account in once, through the live view of a
 * browser worker's page; the workflow waits (durably, with a timeout) for the `signedIn` Update,
 * which is only accepted once the page really is signed in as the account and its storage state
 * is saved (encrypted). Every later session of the account starts from that state.
 */
import { ApplicationFailure, condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BrowserActivities, SessionRef } from '../activities/browser/activities';
import type { SignInActivities } from '../activities/browser/sign-in';
import { DEFAULT_LOGIN_TIMEOUT_SECONDS } from '../core/account';
import { HUMAN_UPDATES } from '../core/challenge';
import { isPlatform, PLATFORM_NOT_SUPPORTED, unsupportedPlatformMessage } from '../core/platforms';
import type { Platform } from '../core/observation';
import { BROWSER_TASK_QUEUE } from './task-queues';
import { FAILURE_TYPES } from '../core/failures';

export interface AccountLoginInput {
  platform: Platform;
  accountId: string;
  timeoutSeconds?: number;
}

export interface AccountLoginProgress {
  status: 'OPENING' | 'AWAITING_HUMAN' | 'SAVED';
  liveViewUrl?: string;
}

export const loginProgressQuery = defineQuery<AccountLoginProgress>('loginProgress');
export const signedInUpdate = defineUpdate<string>(HUMAN_UPDATES.signedIn);

const open = proxyActivities<Pick<SignInActivities, 'openSignIn'>>({
  taskQueue: BROWSER_TASK_QUEUE,
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 5 },
});

function sessionActivities(session: SessionRef) {
  return proxyActivities<Pick<SignInActivities, 'saveSignIn'> & Pick<BrowserActivities, 'closeSession'>>({
    taskQueue: session.taskQueue,
    scheduleToStartTimeout: '30 seconds',
    startToCloseTimeout: '1 minute',
    retry: { maximumAttempts: 3, nonRetryableErrorTypes: [FAILURE_TYPES.sessionLost] },
  });
}

export async function accountLoginWorkflow(input: AccountLoginInput): Promise<{ platform: Platform; accountId: string }> {
  if (!isPlatform(input.platform)) throw ApplicationFailure.nonRetryable(unsupportedPlatformMessage(input.platform), PLATFORM_NOT_SUPPORTED);
  const progress: AccountLoginProgress = { status: 'OPENING' };
  setHandler(loginProgressQuery, () => progress);
  const opened = await open.openSignIn({ platform: input.platform, accountId: input.accountId });
  const session: SessionRef = { sessionId: opened.sessionId, taskQueue: opened.taskQueue };
  const activities = sessionActivities(session);
  Object.assign(progress, { status: 'AWAITING_HUMAN', liveViewUrl: opened.liveViewUrl });

  setHandler(signedInUpdate, async () => {
    const saved = await activities.saveSignIn({ ...input, sessionId: session.sessionId });
    if (!saved) {
      throw ApplicationFailure.create({
        type: 'NotSignedIn', nonRetryable: true,
        message: `the page is not signed in as ${input.accountId} yet: sign in through the live view first`,
      });
    }
    progress.status = 'SAVED';
    return `signed in as ${input.accountId} on ${input.platform}; the storage state is saved (encrypted)`;
  }, {
    validator: () => {
      if (progress.status !== 'AWAITING_HUMAN') throw new Error(`nothing to confirm: the login is ${progress.status}`);
    },
  });

  const timeoutSeconds = input.timeoutSeconds ?? DEFAULT_LOGIN_TIMEOUT_SECONDS;
  const saved = await condition(() => progress.status === 'SAVED', timeoutSeconds * 1000);
  await activities.closeSession({ sessionId: session.sessionId }).catch(() => undefined);
  if (!saved) {
    throw ApplicationFailure.create({
      type: 'LoginTimeout', nonRetryable: true,
      message: `nobody signed in as ${input.accountId} on ${input.platform} within ${timeoutSeconds} s; nothing was saved`,
    });
  }
  return { platform: input.platform, accountId: input.accountId };
}
