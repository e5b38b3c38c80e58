/**
 * Starting and reading studies (`studyWorkflow`): the workflow id is the study id, on the main task
 * queue; its audits are child workflows whose ids derive from it (docs/studies.md).
 */
import { WorkflowIdReusePolicy, type Client, type WorkflowHandle } from '@temporalio/client';
import type { StudyProgress } from '../core/study-progress';
import type { studyProgressQuery, studyWorkflow, StudyWorkflowInput } from '../workflows/study';
import { searchAttributes } from '../workflows/search-attributes';
import { MAIN_TASK_QUEUE } from '../workflows/task-queues';

export const STUDY_WORKFLOW_TYPE = 'studyWorkflow' satisfies (typeof studyWorkflow)['name'];
export const STUDY_PROGRESS_QUERY = 'studyProgress' satisfies (typeof studyProgressQuery)['name'];
export type StudyHandle = WorkflowHandle<typeof studyWorkflow>;

/** Starts a study. Its id is never reused, not even a finished study's: its audits' ids and accounts derive from it. */
export function startStudyWorkflow(client: Client, input: StudyWorkflowInput) {
  return client.workflow.start<typeof studyWorkflow>(STUDY_WORKFLOW_TYPE, {
    taskQueue: MAIN_TASK_QUEUE,
    workflowId: input.spec.id,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: [{ key: searchAttributes.study, value: input.spec.id }],
    args: [input],
  });
}

export const studyHandle = (client: Client, studyId: string): StudyHandle => client.workflow.getHandle(studyId);

export const queryStudyProgress = (handle: StudyHandle): Promise<StudyProgress> => handle.query<StudyProgress>(STUDY_PROGRESS_QUERY);
