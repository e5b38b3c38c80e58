/**
 * A real Temporal dev server and main workers that can be stopped and restarted mid-interview,
 * plus the client-side moves of a person: wait for the question, answer it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import type { ChatModelSettings } from '../../activities/interview/chat-model';
import { LocalArtifactStore } from '../../artifacts/local-store';
import type { InterviewAnswer, InterviewProgress } from '../../core/interview';
import { answerUpdate, interviewProgressQuery, type personaInterviewWorkflow, type PersonaInterviewInput } from '../../workflows/interview';
import { startInterview } from '../../clients/interview';
import { createMainWorker } from '../../workers/create-workers';
import { workflowBundle as cachedWorkflowBundle } from '../helpers/workflow-bundle';
import { REPO_ROOT } from '../infra/helpers';
import { startTestTemporal } from '../helpers/temporal';
import { pollUntil } from '../helpers/poll';

export const USER_A_LOGS = path.join(REPO_ROOT, 'data', 'personaact', 'raw_data', 'a');
export const USER_B_LOGS = path.join(REPO_ROOT, 'data', 'personaact', 'raw_data', 'b');

export type InterviewHandle = WorkflowHandle<typeof personaInterviewWorkflow>;

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

export interface InterviewHarness {
  env: TestWorkflowEnvironment;
  store: ArtifactStore;
  root: string;
  startWorker(options?: { interviewModel?: ChatModelSettings }): Promise<RunningWorker>;
  start(id: string, input: PersonaInterviewInput): Promise<InterviewHandle>;
  close(): Promise<void>;
}

export async function startInterviewHarness(): Promise<InterviewHarness> {
  const root = await mkdtemp(path.join(tmpdir(), 'personaact-interview-'));
  const store = new LocalArtifactStore(path.join(root, 'artifacts'));
  const [env, workflowBundle] = await Promise.all([
    startTestTemporal(),
    cachedWorkflowBundle(),
  ]);
  const running = new Set<RunningWorker>();
  return {
    env, store, root,
    async startWorker(options = {}) {
      const worker = await createMainWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', store, workflowBundle, ...options });
      const run = worker.run();
      const handle: RunningWorker = {
        worker,
        async stop() {
          running.delete(handle);
          if (worker.getState() === 'RUNNING') worker.shutdown();
          await run;
        },
      };
      running.add(handle);
      return handle;
    },
    start: (id, input) => startInterview(env.client, id, input),
    async close() {
      for (const worker of [...running]) await worker.stop();
      await env.teardown();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Polls the progress query until a question waits for an answer or the interview is over. */
export async function nextQuestion(handle: InterviewHandle, timeoutMs = 30_000): Promise<InterviewProgress> {
  return pollUntil('a question', () => handle.query(interviewProgressQuery),
    (progress) => progress.question !== null || progress.status === 'SYNTHESIZING' || progress.status === 'COMPLETED', { timeoutMs });
}

export const answer = (handle: InterviewHandle, reply: InterviewAnswer) => handle.executeUpdate(answerUpdate, { args: [reply] });
