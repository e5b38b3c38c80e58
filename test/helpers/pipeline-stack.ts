/**
 * A real Temporal dev server, an artifact store in a temporary folder and main workers that can be
 * started and stopped at will (the workflow bundle is built once), for the training pipeline tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { LocalArtifactStore } from '../../artifacts/local-store';
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

export interface PipelineHarness {
  env: TestWorkflowEnvironment;
  store: LocalArtifactStore;
  root: string;
  jobsRoot: string;
  /** A main worker (workflows and every activity) whose local backend runs `backend`'s trainer; none: no training backend. */
  startWorker(backend?: Omit<LocalBackendOptions, 'root' | 'store'>): Promise<RunningWorker>;
  /** A training-only worker on its own queue (a GPU host's `personaact worker --role training`). */
  startTrainingWorker(backend: Omit<LocalBackendOptions, 'root' | 'store'>, taskQueue: string): Promise<RunningWorker>;
  close(): Promise<void>;
}

export async function startPipelineHarness(): Promise<PipelineHarness> {
  const root = await mkdtemp(path.join(tmpdir(), 'training-pipeline-'));
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
    async startWorker(options) {
      const backend = options && localBackend(options);
      return track(await createMainWorker({ ...common, workflowBundle, training: backend ? { local: backend } : {} }), backend);
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
