/**
 * Starting and reading audits (`auditWorkflow`): the workflow id is the audit id, the workflow
 * runs on the main task queue, and the audit is listable by its search attributes from the start.
 */
import { WorkflowIdReusePolicy, type Client, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { AuditProgress } from '../core/audit-progress';
import type { auditWorkflow, AuditWorkflowInput, progressQuery } from '../workflows/audit';
import { searchAttributes } from '../workflows/search-attributes';
import { MAIN_TASK_QUEUE } from '../workflows/task-queues';

/** The workflow type and query name, checked against the workflow's own definitions. */
export const AUDIT_WORKFLOW_TYPE = 'auditWorkflow' satisfies (typeof auditWorkflow)['name'];
export const AUDIT_PROGRESS_QUERY = 'progress' satisfies (typeof progressQuery)['name'];
export type AuditHandle = WorkflowHandle<typeof auditWorkflow>;

/**
 * Starts an audit. An audit id is never reused, not even a finished one's: a second run would
 * write over its records and report (`WorkflowExecutionAlreadyStartedError` then).
 */
export function startAudit(client: Client, input: AuditWorkflowInput): Promise<WorkflowHandleWithFirstExecutionRunId<typeof auditWorkflow>> {
  const { spec } = input;
  return client.workflow.start<typeof auditWorkflow>(AUDIT_WORKFLOW_TYPE, {
    taskQueue: MAIN_TASK_QUEUE,
    workflowId: input.auditId,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: [
      { key: searchAttributes.platform, value: spec.platform },
      { key: searchAttributes.persona, value: spec.persona.id },
      ...(spec.studyId ? [{ key: searchAttributes.study, value: spec.studyId }] : []),
    ],
    args: [input],
  });
}

/** The audit's handle, following continue-as-new to its latest run. */
export const auditHandle = (client: Client, auditId: string): AuditHandle => client.workflow.getHandle(auditId);

/** Starts an audit and waits for its result (benchmarks, tests). */
export async function runAudit(client: Client, input: AuditWorkflowInput) {
  return (await startAudit(client, input)).result();
}

export const queryAuditProgress = (handle: AuditHandle): Promise<AuditProgress> => handle.query<AuditProgress>(AUDIT_PROGRESS_QUERY);
