/**
 * The training pipeline's activities: each is short and idempotent, so the workflow can poll a
 * six-hour job with timers in between and a worker restart loses nothing (the job's state lives
 * in the backend, never in a worker's memory).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ApplicationFailure } from '@temporalio/activity';
import type { BackendName, DatasetSource, JobDescription, JobHandle, ModelManifest } from '../../core/training';
import { modelManifestKey } from '../../core/training';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { JobNotFoundError, type TrainingBackend, type TrainingBackends, type TrainingJobRequest } from './backend';
import { CHECKOUT_ROOT } from './checkout';
import { buildDatasetFromStoredInputs, InvalidDatasetInputError, readDatasetRef, type DatasetRef } from './dataset-export';

export interface TrainingActivitiesOptions {
  store: ArtifactStore;
  backends: TrainingBackends;
  /** The code version recorded in model manifests (the worker passes PERSONAACT_CODE_VERSION; default: the git commit). */
  codeVersion?: () => Promise<string>;
}

const run = promisify(execFile);

/** The repository's commit, with "-dirty" when the tree has changes; "unknown" outside a git checkout. */
export async function gitCodeVersion(): Promise<string> {
  try {
    const { stdout: commit } = await run('git', ['rev-parse', 'HEAD'], { cwd: CHECKOUT_ROOT });
    const { stdout: changes } = await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: CHECKOUT_ROOT });
    return `${commit.trim()}${changes.trim() ? '-dirty' : ''}`;
  } catch {
    return 'unknown';
  }
}

/** An AWS error that retrying cannot fix (a bad request, a missing permission); throttling is retried. */
const isAwsClientError = (error: unknown) => {
  const aws = error as { $fault?: string; $retryable?: unknown; name?: string };
  return aws.$fault === 'client' && !aws.$retryable && !/Throttl|TooManyRequests/.test(aws.name ?? '');
};

/** Typed failures the workflow must not retry. */
function nonRetryable<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((error: unknown) => {
    if (error instanceof JobNotFoundError) throw ApplicationFailure.nonRetryable(error.message, 'JobNotFound');
    if (isAwsClientError(error)) throw ApplicationFailure.nonRetryable(`${(error as Error).name}: ${(error as Error).message}`, 'InvalidTrainingRequest');
    if (error instanceof InvalidDatasetInputError) throw ApplicationFailure.nonRetryable(error.message, 'InvalidDatasetInput');
    throw error;
  });
}

export function createTrainingActivities(options: TrainingActivitiesOptions) {
  const { store, backends } = options;
  const backendFor = (name: BackendName): TrainingBackend => {
    const backend = backends[name];
    if (!backend) {
      throw ApplicationFailure.nonRetryable(
        `no ${name} training backend is configured on this worker (${name === 'sagemaker' ? 'set PERSONAACT_SAGEMAKER_ROLE_ARN, _IMAGE_URI, _OUTPUT and _SOURCE' : 'see activities/training/config.ts'})`,
        'BackendNotConfigured',
      );
    }
    return backend;
  };

  return {
    /** Builds the dataset from the inputs the CLI stored, or checks that an existing one is complete. */
    async exportTrainingDataset(input: { source: DatasetSource }): Promise<DatasetRef> {
      if ('datasetId' in input.source) {
        const ref = await readDatasetRef(store, input.source.datasetId);
        if (!ref) throw ApplicationFailure.nonRetryable(`dataset ${input.source.datasetId} is not in ${store.location} (or is incomplete)`, 'DatasetNotFound');
        return ref;
      }
      const { build } = input.source;
      return nonRetryable(() => buildDatasetFromStoredInputs(store, build));
    },

    async startTrainingJob(input: { backend: BackendName; job: TrainingJobRequest }): Promise<JobHandle> {
      return nonRetryable(() => backendFor(input.backend).start(input.job));
    },

    async describeTrainingJob(handle: JobHandle): Promise<JobDescription> {
      return nonRetryable(() => backendFor(handle.backend).describe(handle));
    },

    async stopTrainingJob(handle: JobHandle): Promise<void> {
      return nonRetryable(() => backendFor(handle.backend).stop(handle));
    },

    /** Writes models/<runId>/manifest.json (an overwrite on retry: same run, same key). */
    async registerModel(manifest: Omit<ModelManifest, 'code' | 'registeredAt'>): Promise<{ key: string; location: string }> {
      const key = modelManifestKey(manifest.runId);
      const full: ModelManifest = { ...manifest, code: { version: await (options.codeVersion ?? gitCodeVersion)() }, registeredAt: new Date().toISOString() };
      await store.putJson(key, full);
      return { key, location: store.locate(key) };
    },
  };
}

export type TrainingActivities = ReturnType<typeof createTrainingActivities>;
