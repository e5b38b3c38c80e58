/**
 * The workflow stack of the tests that need no browser: a real Temporal dev server, an artifact
 * store in a temporary folder, and main (and training-only) workers that can be started and
 * stopped at will — mid-run, to test durability. The workflow bundle comes from the cache
 * (workflow-bundle.ts); worker logs go to a file (worker-logs.ts). Audits, which need the sandbox
 * and browser workers too, use audit-stack.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { LocalArtifactStore } from '../../artifacts/local-store';
import type { ChatModelSettings } from '../../activities/interview/chat-model';
import { LocalTrainingBackend, type LocalBackendOptions } from '../../activities/training/local-backend';
import { createMainWorker, createTrainingWorker } from '../../workers/create-workers';
import { startTestTemporal } from './temporal';
import { workflowBundle as cachedWorkflowBundle } from './workflow-bundle';

export interface RunningWorker {
  worker: Worker;
  backend?: LocalTrainingBackend;
  /** Stops polling and waits until the worker has stopped; the trainer subprocess lives on. */
  stop(): Promise<void>;
}

/** A main worker's setup: a local training backend running `command` (none: no backend), a chat model for interviews (none: the question bank). */
export interface MainWorkerSetup extends Partial<Omit<LocalBackendOptions, 'root' | 'store'>> {
  interviewModel?: ChatModelSettings;
}

export interface WorkflowStack {
  env: TestWorkflowEnvironment;
  store: LocalArtifactStore;
  root: string;
  jobsRoot: string;
  /** A main worker (workflows and every activity). */
  startWorker(setup?: MainWorkerSetup): Promise<RunningWorker>;
  /** A training-only worker on its own queue (a GPU host's `personaact worker --role training`). */
  startTrainingWorker(backend: Omit<LocalBackendOptions, 'root' | 'store'>, taskQueue: string): Promise<RunningWorker>;
  close(): Promise<void>;
}

export async function startWorkflowStack(): Promise<WorkflowStack> {
  const root = await mkdtemp(path.join(tmpdir(), 'personaact-workflows-'));
  const store = new LocalArtifactStore(path.join(root, 'artifacts'));
  const jobsRoot = path.join(root, 'jobs');
  const [env, workflowBundle] = await Promise.all([
    startTestTemporal(),
    cachedWorkflowBundle(),
  ]);
  const running = new Set<RunningWorker>();
  const common = { connection: env.nativeConnection, namespace: env.namespace ?? 'default', store };
  const localBackend = (options: Omit<LocalBackendOptions, 'root' | 'store'>) => new LocalTrainingBackend({ ...options, root: jobsRoot, store });
  const track = (worker: Worker, backend: LocalTrainingBackend | undefined): RunningWorker => {
    const run = worker.run();
    const handle: RunningWorker = {
      worker, backend,
      async stop() {
        running.delete(handle);
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await run;
      },
    };
    running.add(handle);
    return handle;
  };
  return {
    env, store, root, jobsRoot,
    async startWorker({ interviewModel, ...trainer } = {}) {
      const backend = trainer.command ? localBackend({ ...trainer, command: trainer.command }) : undefined;
      return track(await createMainWorker({ ...common, workflowBundle, training: backend ? { local: backend } : {}, ...(interviewModel ? { interviewModel } : {}) }), backend);
    },
    async startTrainingWorker(options, taskQueue) {
      const backend = localBackend(options);
      return track(await createTrainingWorker({ ...common, training: { local: backend }, taskQueue }), backend);
    },
    async close() {
      for (const worker of [...running]) await worker.stop();
      await env.teardown();
      await rm(root, { recursive: true, force: true });
    },
  };
}
