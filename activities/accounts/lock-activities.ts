/**
 * The account lock's watch on its holder (workflows/account-lock.ts): returns once the holder's
 * workflow — its latest run, so continue-as-new does not count — is no longer running.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';

/** How often the holder is looked at: a terminated audit's account is free again within about this long. */
export const HOLDER_POLL_MS = 2_000;

export function createAccountLockActivities(deps: { client: Client; pollMs?: number }) {
  return {
    async awaitWorkflowClosed(input: { workflowId: string }): Promise<void> {
      const context = Context.current();
      const handle = deps.client.workflow.getHandle(input.workflowId);
      for (;;) {
        context.heartbeat();
        try {
          if ((await handle.describe()).status.name !== 'RUNNING') return;
        } catch (error) {
          // A holder that never existed (or whose history is gone) holds nothing.
          if (error instanceof WorkflowNotFoundError) return;
          throw error;
        }
        await sleep(deps.pollMs ?? HOLDER_POLL_MS, undefined, { signal: context.cancellationSignal });
      }
    },
  };
}

export type AccountLockActivities = ReturnType<typeof createAccountLockActivities>;
