/**
 * Starting account sign-ins (`accountLoginWorkflow`): one per platform account at a time, so a
 * second `account login` of the same account joins the open one instead of opening a second page.
 */
import type { Client, WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { Platform } from '../core/observation';
import type { AccountLoginInput, accountLoginWorkflow } from '../workflows/account-login';
import { MAIN_TASK_QUEUE } from '../workflows/task-queues';

export const ACCOUNT_LOGIN_WORKFLOW_TYPE = 'accountLoginWorkflow' satisfies (typeof accountLoginWorkflow)['name'];
export type AccountLoginHandle = WorkflowHandle<typeof accountLoginWorkflow>;

export const loginWorkflowId = (platform: Platform, accountId: string) => `account-login-${platform}-${accountId}`;

export function startAccountLogin(client: Client, input: AccountLoginInput): Promise<WorkflowHandleWithFirstExecutionRunId<typeof accountLoginWorkflow>> {
  return client.workflow.start<typeof accountLoginWorkflow>(ACCOUNT_LOGIN_WORKFLOW_TYPE, {
    taskQueue: MAIN_TASK_QUEUE, workflowId: loginWorkflowId(input.platform, input.accountId), workflowIdConflictPolicy: 'USE_EXISTING', args: [input],
  });
}
