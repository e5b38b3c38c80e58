/**
 * accountLockWorkflow: holds a platform account for one session. Its workflow id is the account's
 * (`account-lock-<platform>-<account>`), so while one runs, starting another with that id fails:
 * two sessions never drive one account at once, whichever worker, series, study or client they
 * come from.
 *
 * Two holders: a series session starts it as a child (parent close policy TERMINATE releases it
 * if the session ends any way but its signal); an audit on a real platform starts it with its own
 * workflow id as `holder` and ABANDON, because an audit continues-as-new (which would close a
 * child) and must keep the account across runs. Such a lock also ends when the holder's workflow
 * (its latest run) is closed however it ended, terminated included: an activity watches it.
 */
import { ActivityCancellationType, CancellationScope, condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { AccountLockActivities } from '../activities/accounts/lock-activities';

/** Releases the lock; with a holder's id, only that holder's lock (a late signal never frees another session's). */
export const releaseAccountSignal = defineSignal<[holder?: string]>('release');

export const accountLockId = (platform: string, accountId: string) => `account-lock-${platform}-${accountId}`;

export interface AccountLockInput {
  /** The workflow id of the audit holding the account. */
  holder: string;
}

const watch = proxyActivities<AccountLockActivities>({
  startToCloseTimeout: '3650 days',
  heartbeatTimeout: '1 minute',
  // The lock ends only once the watch has stopped, so no watch outlives its lock.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute' },
});

export async function accountLockWorkflow(input?: AccountLockInput): Promise<void> {
  let released = false;
  setHandler(releaseAccountSignal, (holder) => {
    if (!holder || !input || holder === input.holder) released = true;
  });
  if (!input) return void (await condition(() => released));
  const watching = new CancellationScope();
  const holderClosed = watching.run(() => watch.awaitWorkflowClosed({ workflowId: input.holder })).catch(() => undefined);
  await Promise.race([condition(() => released), holderClosed]);
  watching.cancel();
  await holderClosed;
}
