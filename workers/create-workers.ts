/**
 * Builds the workers: the main worker (workflows, policy, analysis) and the browser worker pair
 * (the shared queue where sessions are acquired, and this process's own queue where they are
 * stepped). Tests call these with their own connection; workers/main.ts wires them for real.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createAccountLockActivities } from '../activities/accounts/lock-activities';
import { createAnalysisActivities } from '../activities/analysis/analyze-audit';
import { createRecordActivities } from '../activities/records/unconfirmed-step';
import { createStudyActivities } from '../activities/study/manifest';
import { createSeriesActivities } from '../activities/series/activities';
import type { ArtifactStore } from '../artifacts/artifact-store';
import { createBrowserActivities } from '../activities/browser/activities';
import { createSignInActivities } from '../activities/browser/sign-in';
import { launchChromium } from '../activities/browser/chromium';
import { displayForHeaded, type VirtualDisplay } from '../activities/browser/virtual-display';
import { LiveViewServer } from '../activities/browser/live-view';
import { createAdapter, type SiteOverride } from '../activities/browser/adapters';
import { SessionPool } from '../activities/browser/session-pool';
import { createInterviewActivities } from '../activities/interview/activities';
import type { ChatModelSettings } from '../activities/interview/chat-model';
import { createPolicyActivities } from '../activities/policy/activities';
import { createLabelActivities } from '../activities/labels/activities';
import { LabelsEnvShape } from '../activities/labels/config';
import { TitleClassifier } from '../activities/labels/title-classifier';
import { loadPolicyConfig, type PolicyConfig } from '../activities/policy/config';
import { createOnScreenPolicyActivities } from '../activities/policy/on-screen';
import type { Keyring } from '../secrets/keyring';
import { createTrainingActivities } from '../activities/training/activities';
import type { TrainingBackends } from '../activities/training/backend';
import type { Platform } from '../core/platforms';
import { BROWSER_TASK_QUEUE, MAIN_TASK_QUEUE } from '../workflows/task-queues';
import { permanentFailures } from './permanent-failures';
import { startCensus, writeCensus } from './session-census';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

interface Common {
  connection: NativeConnection;
  namespace: string;
  store: ArtifactStore;
  /** Payload encryption (dataConverterFor in secrets): every worker and client of a namespace must agree. */
  dataConverter?: DataConverter;
  /** Recorded in model manifests (PERSONAACT_CODE_VERSION); default: the checkout's git commit. */
  codeVersion?: string;
}

function trainingActivities(options: Common & { training?: TrainingBackends }) {
  const { codeVersion } = options;
  return createTrainingActivities({ store: options.store, backends: options.training ?? {}, ...(codeVersion ? { codeVersion: async () => codeVersion } : {}) });
}

export async function createMainWorker(options: Common & {
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** The persona interview's chat model (activities/interview/chat-model.ts); none: the question bank asks. */
  interviewModel?: ChatModelSettings;
  /** Where training jobs run (activities/training/config.ts); none: training pipelines fail with BackendNotConfigured. */
  training?: TrainingBackends;
  /** The title classifier's Python (PERSONAACT_LABELS_PYTHON); its process starts on the first unlabelled real-platform item. */
  labelsPython?: string;
}): Promise<Worker> {
  const classifier = new TitleClassifier(options.labelsPython ?? LabelsEnvShape.PERSONAACT_LABELS_PYTHON.parse(undefined));
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    dataConverter: options.dataConverter,
    interceptors: { activity: [permanentFailures] },
    taskQueue: MAIN_TASK_QUEUE,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: {
      ...createPolicyActivities(), ...createAnalysisActivities({ store: options.store }), ...createRecordActivities({ store: options.store }),
      ...createSeriesActivities({ store: options.store }),
      ...createInterviewActivities({ store: options.store, chatModel: options.interviewModel }),
      ...trainingActivities(options),
      ...createStudyActivities({ store: options.store }),
      ...createLabelActivities({ classifier }),
      // The account lock watches its holder audit through the client (workflows/account-lock.ts).
      ...createAccountLockActivities({ client: new Client({ connection: options.connection, namespace: options.namespace, dataConverter: options.dataConverter }) }),
    },
  });
}

/** Training jobs only, on a queue of their own: a GPU host that runs the local backend's trainers. */
export async function createTrainingWorker(options: Common & { training: TrainingBackends; taskQueue: string }): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    dataConverter: options.dataConverter,
    interceptors: { activity: [permanentFailures] },
    taskQueue: options.taskQueue,
    activities: trainingActivities(options),
  });
}

const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;

export interface BrowserWorkers {
  shared: Worker;
  own: Worker;
  pool: SessionPool;
  /** Where people see and use this worker's pages (captchas, sign-ins). */
  liveView: LiveViewServer;
  /** Runs both until shutdown, then closes every browser. */
  run(): Promise<void>;
  shutdown(): void;
}

export async function createBrowserWorkers(options: Common & {
  sandboxUrl: string;
  /** Real platforms reached elsewhere than their home URL (fixture sites in tests). */
  sites?: Partial<Record<Platform, SiteOverride>>;
  maxSessions: number;
  chromium: string;
  /** Headed Chromium on DISPLAY or a virtual display (Xvfb), for sites that refuse headless browsers (PERSONAACT_HEADED). */
  headed?: boolean;
  /** Encrypts the accounts' storage states at rest: a browser worker never keeps cookies in plain text. */
  keyring: Keyring;
  /** Port of the live view on 127.0.0.1 (0: any free port). */
  liveViewPort?: number;
  /** Model-policy settings (PERSONAACT_POLICY_*, PERSONAACT_SAGEMAKER_*): model policies decide beside the page. */
  policy?: PolicyConfig;
  /** Sessions unused this long, with nobody at their live view, are closed (PERSONAACT_SESSION_IDLE_MINUTES). */
  sessionIdleMs?: number;
  /** Where to write what is open (PERSONAACT_SESSION_CENSUS_DIR, workers/session-census.ts). */
  censusDir?: string;
}): Promise<BrowserWorkers> {
  // Started before any browser, so a missing Xvfb stops the worker at start-up, not at its first session.
  const display: VirtualDisplay | undefined = options.headed ? await displayForHeaded(process.env) : undefined;
  const pool = new SessionPool(() => launchChromium({ executablePath: options.chromium, ...(display ? { headless: false, display: display.display } : {}) }), options.maxSessions);
  const taskQueue = `${BROWSER_TASK_QUEUE}-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const adapterFor = (platform: Platform) => createAdapter(platform, { sandboxUrl: options.sandboxUrl, ...(options.sites ? { sites: options.sites } : {}) });
  const liveView = new LiveViewServer({ port: options.liveViewPort ?? 0 });
  const client = new Client({ connection: options.connection, namespace: options.namespace, dataConverter: options.dataConverter });
  const sendHumanUpdate = async (workflowId: string, update: string) => {
    try {
      return String(await client.workflow.getHandle(workflowId).executeUpdate<unknown, []>(update));
    } catch (error) {
      // The workflow's reason ("the captcha is still on screen…") is the cause; the outer message is generic.
      if (error instanceof WorkflowUpdateFailedError && error.cause) throw new Error(error.cause.message);
      throw error;
    }
  };
  const deps = { pool, store: options.store, keyring: options.keyring, taskQueue, adapterFor, liveView, sendHumanUpdate };
  const activities = createBrowserActivities(deps);
  const signIn = createSignInActivities(deps);
  const common = {
    connection: options.connection, namespace: options.namespace, dataConverter: options.dataConverter,
    interceptors: { activity: [permanentFailures] },
  };
  const shared = await Worker.create({
    ...common,
    taskQueue: BROWSER_TASK_QUEUE,
    activities: { acquireSession: activities.acquireSession, openSignIn: signIn.openSignIn },
    // One session at a time per worker on this queue; the pool enforces the total.
    maxConcurrentActivityTaskExecutions: options.maxSessions,
  });
  const own = await Worker.create({
    ...common,
    taskQueue,
    activities: {
      envStep: activities.envStep, checkChallenge: activities.checkChallenge, closeSession: activities.closeSession,
      saveSignIn: signIn.saveSignIn,
      ...createOnScreenPolicyActivities({ pool, store: options.store, config: options.policy ?? loadPolicyConfig({}) }),
    },
    maxConcurrentActivityTaskExecutions: options.maxSessions * 2,
  });
  return {
    shared, own, pool, liveView,
    async run() {
      // A session whose audit ended without closing it (terminated, failed on another worker) would hold a slot forever.
      const idleMs = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
      const reaper = setInterval(() => void pool.reapIdle(idleMs, (id) => liveView.isOpen(id)), Math.min(60_000, idleMs / 2));
      const stopCensus = options.censusDir ? startCensus(options.censusDir, pool) : () => {};
      try {
        await Promise.all([shared.run(), own.run()]);
      } finally {
        clearInterval(reaper);
        stopCensus();
        await liveView.stop();
        await pool.closeAll();
        if (options.censusDir) await writeCensus(options.censusDir, pool, true).catch(() => undefined);
        await display?.stop();
      }
    },
    shutdown() {
      for (const worker of [shared, own]) if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}
