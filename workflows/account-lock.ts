/**
 * accountLockWorkflow: holds a platform account for one series session. Its workflow id is the
 * account's (`account-lock-<platform>-<account>`), so while one runs, starting another with that
 * id fails: two sessions never drive one account at once, whichever series or action they come
 * from. The session releases it with a signal; its parent close policy (TERMINATE) releases it
 * if the session ends any other way.
 */
import { condition, defineSignal, setHandler } from '@temporalio/workflow';

export const releaseAccountSignal = defineSignal('release');

export const accountLockId = (platform: string, accountId: string) => `account-lock-${platform}-${accountId}`;

export async function accountLockWorkflow(): Promise<void> {
  let released = false;
  setHandler(releaseAccountSignal, () => { released = true; });
  await condition(() => released);
}
