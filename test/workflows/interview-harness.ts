/**
 * The client-side moves of a person in an interview: wait for the question, answer it. The stack
 * (Temporal, workers that can be stopped mid-interview) is test/helpers/workflow-stack.ts.
 */
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { InterviewAnswer, InterviewProgress } from '../../core/interview';
import { answerUpdate, interviewProgressQuery, type personaInterviewWorkflow } from '../../workflows/interview';
import { REPO_ROOT } from '../infra/helpers';
import { pollUntil } from '../helpers/poll';

export const USER_A_LOGS = path.join(REPO_ROOT, 'data', 'personaact', 'raw_data', 'a');
export const USER_B_LOGS = path.join(REPO_ROOT, 'data', 'personaact', 'raw_data', 'b');

export type InterviewHandle = WorkflowHandle<typeof personaInterviewWorkflow>;

/** Polls the progress query until a question waits for an answer or the interview is over. */
export async function nextQuestion(handle: InterviewHandle, timeoutMs = 30_000): Promise<InterviewProgress> {
  return pollUntil('a question', () => handle.query(interviewProgressQuery),
    (progress) => progress.question !== null || progress.status === 'SYNTHESIZING' || progress.status === 'COMPLETED', { timeoutMs });
}

export const answer = (handle: InterviewHandle, reply: InterviewAnswer) => handle.executeUpdate(answerUpdate, { args: [reply] });
