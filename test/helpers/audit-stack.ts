/**
 * Everything an audit needs, started in this process for tests and benchmarks: a real Temporal dev
 * server (the pinned binary, in memory), the sandbox server, a local artifact store and real
 * workers. `stop()` leaves nothing behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { openArtifactStore } from '../../artifacts/open-store';
import type { SiteOverride } from '../../activities/browser/adapters';
import type { PolicyConfig } from '../../activities/policy/config';
import type { Platform } from '../../core/platforms';
import type { Keyring } from '../../secrets/keyring';
import { dataConverterFor } from '../../secrets/payload-codec';
import { startSandbox, type SandboxServer } from '../../sandbox/server';
import { createBrowserWorkers, createMainWorker, type BrowserWorkers } from '../../workers/create-workers';
import { testSecrets } from './secrets';
import { startTestTemporal } from './temporal';
import { workflowBundle } from './workflow-bundle';

export interface AuditStack {
  env: TestWorkflowEnvironment;
  sandbox: SandboxServer;
  store: ArtifactStore;
  mainWorker: Worker;
  browser: BrowserWorkers;
  /** The workers' key (storage states; payloads with `encryptPayloads`). */
  keyring: Keyring;
  /** What a client needs to talk to these workers (env.client has no codec: it sees payloads raw). */
  dataConverter: DataConverter;
  dir: string;
  stop(): Promise<void>;
}

export async function startAuditStack(options: {
  timeScale: number; maxSessions?: number; encryptPayloads?: boolean;
  /** Model-policy settings for the browser workers (e.g. a scripted OpenAI-compatible server). */
  policy?: PolicyConfig;
  /** Real platforms' fixture sites (test/helpers/fixture-sites/) the browser workers reach instead of the platforms. */
  sites?: Partial<Record<Platform, SiteOverride>>;
}): Promise<AuditStack> {
  const dir = mkdtempSync(join(tmpdir(), 'personaact-audit-'));
  const env = await startTestTemporal();
  const sandbox = await startSandbox({ port: 0, dataDir: join(dir, 'sandbox'), timeScale: options.timeScale, rateLimitPerMinute: 0 });
  const store = openArtifactStore(join(dir, 'artifacts'));
  const { keyring } = testSecrets();
  const dataConverter = dataConverterFor({ keyring, encryptPayloads: options.encryptPayloads ?? false });
  const common = { connection: env.nativeConnection, namespace: env.namespace ?? 'default', store, dataConverter };
  const mainWorker = await createMainWorker({ ...common, workflowBundle: await workflowBundle(dataConverter) });
  const browser = await createBrowserWorkers({
    ...common, keyring, sandboxUrl: sandbox.url, maxSessions: options.maxSessions ?? 2, chromium: '/usr/bin/chromium',
    ...(options.policy ? { policy: options.policy } : {}), ...(options.sites ? { sites: options.sites } : {}),
  });
  const running = Promise.all([mainWorker.run(), browser.run()]);
  return {
    env, sandbox, store, mainWorker, browser, keyring, dataConverter, dir,
    async stop() {
      // A test may have stopped the main worker itself (a worker restart).
      if (mainWorker.getState() === 'RUNNING') mainWorker.shutdown();
      browser.shutdown();
      await running;
      await sandbox.close();
      await env.teardown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
