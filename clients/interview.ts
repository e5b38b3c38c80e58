/** Starting persona interviews (`personaInterviewWorkflow`) on the main task queue. */
import type { Client, WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { personaInterviewWorkflow, PersonaInterviewInput } from '../workflows/interview';
import { MAIN_TASK_QUEUE } from '../workflows/task-queues';

export const INTERVIEW_WORKFLOW_TYPE = 'personaInterviewWorkflow' satisfies (typeof personaInterviewWorkflow)['name'];
export type InterviewHandle = WorkflowHandle<typeof personaInterviewWorkflow>;

/** The caller names the interview; a taken id fails with `WorkflowExecutionAlreadyStartedError`. */
export function startInterview(client: Client, interviewId: string, input: PersonaInterviewInput): Promise<WorkflowHandleWithFirstExecutionRunId<typeof personaInterviewWorkflow>> {
  return client.workflow.start<typeof personaInterviewWorkflow>(INTERVIEW_WORKFLOW_TYPE, {
    workflowId: interviewId, taskQueue: MAIN_TASK_QUEUE, args: [input],
  });
}

export const interviewHandle = (client: Client, interviewId: string): InterviewHandle => client.workflow.getHandle(interviewId);
