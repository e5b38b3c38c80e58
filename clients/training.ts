/**
 * Starting and reading training pipelines (`trainingPipelineWorkflow`): the workflow id is the
 * run id; the workflow runs on the main task queue, its jobs where the spec's taskQueue says.
 */
import type { Client, WorkflowHandle, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { TrainingRunProgress } from '../core/training';
import type { trainingPipelineWorkflow, TrainingWorkflowInput, trainingProgressQuery } from '../workflows/training';
import { MAIN_TASK_QUEUE } from '../workflows/task-queues';

export const TRAINING_WORKFLOW_TYPE = 'trainingPipelineWorkflow' satisfies (typeof trainingPipelineWorkflow)['name'];
export const TRAINING_PROGRESS_QUERY = 'trainingProgress' satisfies (typeof trainingProgressQuery)['name'];
export type TrainingHandle = WorkflowHandle<typeof trainingPipelineWorkflow>;

/** Starts a training run; `WorkflowExecutionAlreadyStartedError` while a run of that id is open. */
export function startTrainingRun(client: Client, input: TrainingWorkflowInput): Promise<WorkflowHandleWithFirstExecutionRunId<typeof trainingPipelineWorkflow>> {
  return client.workflow.start<typeof trainingPipelineWorkflow>(TRAINING_WORKFLOW_TYPE, {
    taskQueue: MAIN_TASK_QUEUE, workflowId: input.runId, args: [input],
  });
}

export const trainingHandle = (client: Client, runId: string): TrainingHandle => client.workflow.getHandle(runId);

export const queryTrainingProgress = (handle: TrainingHandle): Promise<TrainingRunProgress> => handle.query<TrainingRunProgress>(TRAINING_PROGRESS_QUERY);
