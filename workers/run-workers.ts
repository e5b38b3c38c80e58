/**
 * Runs this process's workers until SIGINT/SIGTERM: the main worker, the browser worker, or both
 * (local use). Graceful shutdown lets running activities finish and closes every browser.
 */
import { NativeConnection } from '@temporalio/worker';
import type { Logger } from 'pino';
import { openArtifactStore } from '../artifacts/open-store';
import { S3ArtifactStore } from '../artifacts/s3-store';
import { requireKeyring, resolveSecrets } from '../secrets/config';
import { dataConverterFor } from '../secrets/payload-codec';
import { describeTarget } from '../clients/temporal-config';
import { WorkerSetupError, type WorkerConfig } from './config';
import { createTrainingBackends } from '../activities/training/config';
import { chatModelFromEnv } from '../activities/interview/chat-model';
import { createBrowserWorkers, createMainWorker, createTrainingWorker } from './create-workers';

export const WORKER_ROLES = ['all', 'main', 'browser', 'training'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

export async function runWorkers(config: WorkerConfig, role: WorkerRole, logger: Logger): Promise<void> {
  // What workers write (artifacts, training jobs' files) is their owner's alone: folders 0700, files 0600.
  process.umask(0o077);
  const secrets = resolveSecrets(config);
  // Checked before connecting: a browser worker without a key would have to keep cookies in plain text.
  const keyring = role === 'main' || role === 'training' ? undefined : requireKeyring(secrets, 'browser workers keep account cookies only encrypted');
  const store = openArtifactStore(config.PERSONAACT_ARTIFACTS, { s3Endpoint: config.PERSONAACT_S3_ENDPOINT });
  if (store instanceof S3ArtifactStore) await store.ensureBucket();
  // Half-set SageMaker or interview-model variables are refused before connecting, like the key.
  const trainingBackends = role === 'browser' ? undefined : setting(() => createTrainingBackends(config, store));
  const interviewModel = setting(() => chatModelFromEnv(config));
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect(config.temporal.connectionOptions);
  } catch (error) {
    throw new WorkerSetupError(`cannot reach the Temporal server at ${describeTarget(config.temporal)} (TEMPORAL_ADDRESS, TEMPORAL_PROFILE; docs/deploy.md): ${(error as Error).message}`);
  }
  const common = { connection, namespace: config.temporal.namespace, store, dataConverter: dataConverterFor(secrets), codeVersion: config.PERSONAACT_CODE_VERSION };
  const runs: Promise<void>[] = [];
  try {
    if (role === 'training') {
      const training = await createTrainingWorker({ ...common, training: trainingBackends!, taskQueue: config.PERSONAACT_TRAINING_TASK_QUEUE });
      logger.info({ taskQueue: config.PERSONAACT_TRAINING_TASK_QUEUE, jobs: config.PERSONAACT_TRAINING_DIR }, 'training worker ready (start runs with --task-queue to use it)');
      runs.push(training.run());
    } else if (role !== 'browser') {
      const main = await createMainWorker({ ...common, training: trainingBackends!, interviewModel, labelsPython: config.PERSONAACT_LABELS_PYTHON });
      runs.push(main.run());
    }
    if (keyring) {
      const browser = await createBrowserWorkers({
        ...common, keyring, sandboxUrl: config.PERSONAACT_SANDBOX_URL, maxSessions: config.PERSONAACT_MAX_SESSIONS, chromium: config.PERSONAACT_CHROMIUM, headed: config.PERSONAACT_HEADED,
        liveViewPort: config.PERSONAACT_LIVE_VIEW_PORT, sessionIdleMs: config.PERSONAACT_SESSION_IDLE_MINUTES * 60_000,
        policy: config, ...(config.PERSONAACT_SESSION_CENSUS_DIR ? { censusDir: config.PERSONAACT_SESSION_CENSUS_DIR } : {}),
      });
      logger.info({ ownTaskQueue: browser.own.options.taskQueue, maxSessions: config.PERSONAACT_MAX_SESSIONS }, 'browser worker ready');
      runs.push(browser.run());
    }
    logger.info(
      { role, temporal: describeTarget(config.temporal), artifacts: store.location, secretKey: secrets.keyring?.current.id ?? 'none', encryptPayloads: secrets.encryptPayloads },
      'workers running (Ctrl-C stops them gracefully)',
    );
    await Promise.all(runs);
  } finally {
    await connection.close();
  }
  logger.info('workers stopped');
}

/** A setting that is checked when it is built: its error is the user's to fix, not a crash. */
function setting<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw new WorkerSetupError((error as Error).message);
  }
}
