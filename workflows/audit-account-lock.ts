/**
 * An audit's hold on its account (workflows/account-lock.ts): an audit on a real platform takes
 * the account's lock before its first session and keeps it through continue-as-new until it
 * ends. An account another session holds is waited for — a study's or a person's second audit
 * queues behind the first instead of driving the account beside it — for at most
 * ACCOUNT_WAIT_LIMIT, then the audit fails by name.
 */
import {
  ApplicationFailure, getExternalWorkflowHandle, log, ParentClosePolicy, sleep, startChild, workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { accountLockId, accountLockWorkflow, releaseAccountSignal } from './account-lock';
import { MAIN_TASK_QUEUE } from './task-queues';

export const ACCOUNT_BUSY = 'AccountBusy';
/** How long an audit waits for its account before it fails with AccountBusy. */
export const ACCOUNT_WAIT_LIMIT_MS = 60 * 60_000;
/** The wait between two tries: short first (a session just ending), then once a minute (history stays small). */
const retryDelayMs = (attempt: number) => Math.min(60_000, 1_000 * 2 ** attempt);

export async function takeAccountLock(platform: string, accountId: string): Promise<void> {
  const holder = workflowInfo().workflowId;
  const lockId = accountLockId(platform, accountId);
  let waitedMs = 0;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await startChild(accountLockWorkflow, {
        workflowId: lockId, taskQueue: MAIN_TASK_QUEUE, args: [{ holder }],
        // The audit continues-as-new; the lock ends when the audit's last run does (it watches it).
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      if (waitedMs > 0) log.info('account free: taking it', { account: accountId, waitedMs });
      return;
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    if (waitedMs >= ACCOUNT_WAIT_LIMIT_MS) {
      throw ApplicationFailure.nonRetryable(
        `${platform} account ${accountId} was busy with another session (workflow ${lockId}) for over ${ACCOUNT_WAIT_LIMIT_MS / 60_000} minutes: one account runs one session at a time`,
        ACCOUNT_BUSY,
      );
    }
    if (attempt === 0) log.info('account busy with another session: waiting for it', { account: accountId, lock: lockId });
    const delay = retryDelayMs(attempt);
    await sleep(delay);
    waitedMs += delay;
  }
}

/** Frees the account for the next session (this audit's lock only). */
export async function releaseAccountLock(platform: string, accountId: string): Promise<void> {
  await getExternalWorkflowHandle(accountLockId(platform, accountId)).signal(releaseAccountSignal, workflowInfo().workflowId).catch(() => undefined);
}
