/** Reading any of the project's workflows from outside: open or closed, and why it failed. */
import { WorkflowFailedError, type Client, type WorkflowExecutionDescription, type WorkflowExecutionInfo, type WorkflowExecutionStatusName } from '@temporalio/client';

/** A continued-as-new run is not an end: the workflow goes on in its next run. */
export const isClosed = (status: WorkflowExecutionStatusName) => status !== 'RUNNING' && status !== 'CONTINUED_AS_NEW';

/** "Activity task failed ← SessionLost: the page crashed": the chain of causes, outermost first. */
export function failureMessage(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error instanceof WorkflowFailedError ? error.cause ?? error : error;
  while (current instanceof Error && parts.length < 6) {
    const type = (current as { type?: unknown }).type;
    parts.push(typeof type === 'string' && type !== '' ? `${type}: ${current.message}` : current.message);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.length > 0 ? parts.join(' ← ') : String(error);
}

/**
 * When the workflow started: its first run's start, not its latest continue-as-new run's (which is
 * what a visibility listing or `describe()` says). The first run's id comes from the execution
 * info where the server reports it, else from the run's first history event; falls back to the
 * run's own start when the first run is gone (past the namespace's retention).
 */
export async function firstStartTime(client: Client, info: WorkflowExecutionInfo | WorkflowExecutionDescription): Promise<Date> {
  // A listing's raw record is the execution info; a description's wraps it.
  const raw = info.raw as { firstRunId?: string | null; workflowExecutionInfo?: { firstRunId?: string | null } | null };
  try {
    const firstRunId = raw.workflowExecutionInfo?.firstRunId || raw.firstRunId || (await firstRunIdFromHistory(client, info.workflowId, info.runId));
    if (!firstRunId || firstRunId === info.runId) return info.startTime;
    return (await client.workflow.getHandle(info.workflowId, firstRunId).describe()).startTime;
  } catch {
    return info.startTime;
  }
}

/** WorkflowExecutionStarted names the chain's first run: one event, one small page. */
async function firstRunIdFromHistory(client: Client, workflowId: string, runId: string): Promise<string | undefined> {
  const response = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace, execution: { workflowId, runId }, maximumPageSize: 1,
  });
  return response.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.firstExecutionRunId || undefined;
}
