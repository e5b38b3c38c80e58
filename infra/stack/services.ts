/**
 * The services of the local stack: how each starts, which ports it takes (and the flag that
 * moves each port), how we know it is healthy, and its URLs. The worker comes last: `up` starts
 * it once the others are healthy.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cliSearchAttributeType, SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import type { StackConfig } from './config';
import { httpJson, httpStatus } from './health';
import { PERSONAACT_BIN, REPO_ROOT, SANDBOX_MAIN, venvBin } from './paths';
import type { Marker } from './processes';
import { devKeyVariables } from './secret-key';
import { ensureTokenFile } from '../../secrets/private-file';
import { temporalHealthy, WORKER_POLLS, workerPolling } from './temporal';

export type ServiceName = 'temporal' | 'sandbox' | 's3' | 'codec' | 'worker';
export const SERVICE_NAMES: readonly ServiceName[] = ['temporal', 'sandbox', 's3', 'codec', 'worker'];

export interface PortUse {
  port: number;
  /** The `dev up` flag that chooses another port. */
  flag: string;
  what: string;
}

export interface ServiceSpec {
  name: ServiceName;
  title: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  ports: PortUse[];
  /** In the process's command line (or environment): how we recognise our own process behind a pid. */
  marker: Marker;
  /** Missing prerequisite → the message to show. */
  missing(): string | undefined;
  /** `pid`: the service's process, when known (the worker's health looks for its pollers). */
  healthy(pid?: number): Promise<boolean>;
  urls: Record<string, string>;
  startTimeoutMs: number;
  stopGraceMs: number;
  /** Said while waiting for `down`, when stopping takes a while. */
  stopNote?: string;
  /** Added to the message when it fails to start. */
  startHint?: string;
}

const SETUP_HINT = 'run `npm run setup` (bash infra/setup.sh) first';

function binaryMissing(bin: string): string | undefined {
  try {
    fs.accessSync(bin, fs.constants.X_OK);
    return undefined;
  } catch {
    return `${bin} is missing: ${SETUP_HINT}.`;
  }
}

export function temporalService(config: StackConfig): ServiceSpec {
  const bin = venvBin('temporal');
  const dbFile = path.join(config.dataDir, 'temporal.db');
  const address = `${config.host}:${config.temporalPort}`;
  const uiUrl = `http://${config.host}:${config.uiPort}`;
  return {
    name: 'temporal',
    title: 'Temporal dev server',
    command: bin,
    args: [
      'server', 'start-dev',
      '--db-filename', dbFile,
      '--ip', config.host,
      '--port', String(config.temporalPort),
      '--ui-port', String(config.uiPort),
      '--log-level', 'warn',
      // The UI decrypts payloads through the stack's codec server (`--encrypt-payloads`).
      ...(config.encryptPayloads ? ['--ui-codec-endpoint', codecEndpoint(config)] : []),
      ...SEARCH_ATTRIBUTES.flatMap(({ name, type }) => ['--search-attribute', `${name}=${cliSearchAttributeType(type)}`]),
    ],
    cwd: config.dataDir,
    env: { ...process.env },
    ports: [
      { port: config.temporalPort, flag: '--temporal-port', what: 'Temporal gRPC' },
      { port: config.uiPort, flag: '--ui-port', what: 'Temporal UI' },
    ],
    marker: dbFile,
    missing: () => binaryMissing(bin),
    healthy: async () => (await temporalHealthy(address)) && (await httpStatus(uiUrl)) !== undefined,
    urls: { grpc: address, ui: uiUrl },
    startTimeoutMs: 60_000,
    stopGraceMs: 10_000,
  };
}

export function sandboxService(config: StackConfig): ServiceSpec {
  const dataDir = path.join(config.dataDir, 'sandbox');
  const url = `http://${config.host}:${config.sandboxPort}`;
  return {
    name: 'sandbox',
    title: 'Sandbox platform',
    command: process.execPath,
    args: [
      '--import', 'tsx',
      SANDBOX_MAIN,
      '--port', String(config.sandboxPort),
      '--host', config.host,
      '--data-dir', dataDir,
      ...(config.timeScale !== undefined ? ['--time-scale', String(config.timeScale)] : []),
    ],
    cwd: REPO_ROOT, // so `--import tsx` resolves from the project's node_modules
    env: { ...process.env },
    ports: [{ port: config.sandboxPort, flag: '--sandbox-port', what: 'sandbox' }],
    marker: dataDir,
    missing: () => {
      if (!fs.existsSync(SANDBOX_MAIN)) return `${SANDBOX_MAIN} is missing: the sandbox is not in this checkout.`;
      if (!fs.existsSync(path.join(REPO_ROOT, 'node_modules', 'tsx'))) return `node_modules/tsx is missing: ${SETUP_HINT}.`;
      return undefined;
    },
    healthy: async () => {
      const body = (await httpJson(`${url}/healthz`)) as { ok?: unknown } | undefined;
      return body?.ok === true;
    },
    urls: { http: url },
    startTimeoutMs: 60_000,
    stopGraceMs: 10_000,
  };
}

/** SeaweedFS ports beside the S3 gateway: weedPortBase + offset. */
export function weedPorts(config: StackConfig) {
  const b = config.weedPortBase;
  return {
    master: b,
    volume: b + 1,
    filer: b + 2,
    s3Grpc: b + 3,
    masterGrpc: b + 4,
    volumeGrpc: b + 5,
    filerGrpc: b + 6,
  };
}

export function s3Service(config: StackConfig): ServiceSpec {
  const bin = venvBin('weed');
  const dir = path.join(config.dataDir, 's3');
  const p = weedPorts(config);
  const endpoint = `http://${config.host}:${config.s3Port}`;
  const env = { ...process.env };
  // With AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in its environment, weed would create an admin
  // identity and start demanding signatures: keep the local gateway open (no identities).
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  const internal = (port: number, what: string): PortUse => ({ port, flag: '--weed-port-base', what: `SeaweedFS ${what}` });
  return {
    name: 's3',
    title: 'S3 (SeaweedFS)',
    command: bin,
    args: [
      'server',
      `-dir=${dir}`,
      `-ip=${config.host}`,
      `-ip.bind=${config.host}`,
      `-master.port=${p.master}`,
      `-master.port.grpc=${p.masterGrpc}`,
      // a single master: elect itself in 1 s (the 10 s default makes every restart slow)
      '-master.electionTimeout=1s',
      '-master.volumeSizeLimitMB=1024',
      '-master.telemetry=false',
      `-volume.port=${p.volume}`,
      `-volume.port.grpc=${p.volumeGrpc}`,
      '-volume.max=0',
      '-volume.preStopSeconds=0',
      '-filer',
      `-filer.port=${p.filer}`,
      `-filer.port.grpc=${p.filerGrpc}`,
      '-s3',
      `-s3.port=${config.s3Port}`,
      `-s3.port.grpc=${p.s3Grpc}`,
      '-s3.port.iceberg=0',
      '-s3.port.lance=0',
    ],
    cwd: dir,
    env,
    ports: [
      { port: config.s3Port, flag: '--s3-port', what: 'S3' },
      internal(p.master, 'master'),
      internal(p.volume, 'volume'),
      internal(p.filer, 'filer'),
      internal(p.s3Grpc, 'S3 gRPC'),
      internal(p.masterGrpc, 'master gRPC'),
      internal(p.volumeGrpc, 'volume gRPC'),
      internal(p.filerGrpc, 'filer gRPC'),
    ],
    marker: `-dir=${dir}`,
    missing: () => binaryMissing(bin),
    healthy: async () => {
      if ((await httpStatus(`${endpoint}/`)) === undefined) return false;
      // S3 answers before the volume server has reported to the master; wait for that too.
      const status = (await httpJson(`http://${config.host}:${p.master}/dir/status`)) as
        | { Topology?: { DataCenters?: Array<{ Racks?: Array<{ DataNodes?: unknown[] }> }> } }
        | undefined;
      const nodes = status?.Topology?.DataCenters?.flatMap((dc) => dc.Racks ?? []).flatMap((r) => r.DataNodes ?? []) ?? [];
      return nodes.length > 0;
    },
    urls: { endpoint },
    startTimeoutMs: 60_000,
    // weed's filer waits 15 s for its gRPC streams before it stops
    stopGraceMs: 25_000,
    stopNote: 'SeaweedFS takes ~15 s to stop gracefully',
  };
}

/** Marks the codec server as this data folder's (like STACK_VARIABLE for the worker). */
const CODEC_VARIABLE = 'PERSONAACT_DEV_CODEC';
const codecUrl = (config: StackConfig) => `http://${config.host}:${config.codecPort}`;
/** The codec server's token lives beside the stack's key; the UI gets it inside its codec endpoint. */
export const devCodecTokenFile = (dataDir: string) => path.join(dataDir, 'codec.token');
const codecEndpoint = (config: StackConfig) => `${codecUrl(config)}/${ensureTokenFile(devCodecTokenFile(config.dataDir), 'the stack\'s codec token')}`;

/** The codec server the Temporal UI decrypts payloads through (`dev up --encrypt-payloads`). */
export function codecService(config: StackConfig): ServiceSpec {
  const url = codecEndpoint(config);
  const uiOrigins = [`http://${config.host}:${config.uiPort}`, `http://localhost:${config.uiPort}`];
  return {
    name: 'codec',
    title: 'Codec server',
    command: process.execPath,
    args: [
      PERSONAACT_BIN, 'codec-server', '--host', config.host, '--port', String(config.codecPort), '--token-file', devCodecTokenFile(config.dataDir),
      ...uiOrigins.flatMap((o) => ['--ui-origin', o]),
    ],
    cwd: REPO_ROOT,
    env: { ...process.env, ...devKeyVariables(config.dataDir, process.env), [CODEC_VARIABLE]: config.dataDir },
    ports: [{ port: config.codecPort, flag: '--codec-port', what: 'codec server' }],
    marker: { env: `${CODEC_VARIABLE}=${config.dataDir}` },
    missing: () => undefined,
    healthy: async () => (await httpStatus(`${url}/decode`)) === 405,
    urls: { http: url },
    startTimeoutMs: 30_000,
    stopGraceMs: 5_000,
  };
}

/**
 * Marks a worker as this data folder's: `personaact worker` takes no extra arguments, so the mark
 * is an environment variable (the worker ignores it), checked in /proc/<pid>/environ.
 */
export const STACK_VARIABLE = 'PERSONAACT_DEV_STACK';

/** The variables `up` configures the worker with (workers/config.ts reads them). */
export function workerVariables(config: StackConfig, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return {
    ...devKeyVariables(config.dataDir, env),
    PERSONAACT_TEMPORAL_ADDRESS: `${config.host}:${config.temporalPort}`,
    // The standard variables too: an exported TEMPORAL_ADDRESS (say, for Temporal Cloud) would win over the alias.
    TEMPORAL_ADDRESS: `${config.host}:${config.temporalPort}`,
    TEMPORAL_NAMESPACE: 'default',
    PERSONAACT_SANDBOX_URL: `http://${config.host}:${config.sandboxPort}`,
    PERSONAACT_ARTIFACTS: config.artifacts,
    ...(config.s3 ? { PERSONAACT_S3_ENDPOINT: `http://${config.host}:${config.s3Port}` } : {}),
    PERSONAACT_LOG_LEVEL: config.workerLogLevel,
    ...(config.encryptPayloads ? { PERSONAACT_ENCRYPT_PAYLOADS: 'true' } : {}),
  };
}

export function workerService(config: StackConfig): ServiceSpec {
  // What the running worker was started with, else what it would be started with now.
  const variables = config.workerEnv ?? workerVariables(config);
  const address = variables.PERSONAACT_TEMPORAL_ADDRESS ?? `${config.host}:${config.temporalPort}`;
  return {
    name: 'worker',
    title: 'Audit worker',
    command: process.execPath,
    args: [PERSONAACT_BIN, 'worker', '--role', 'all'],
    cwd: REPO_ROOT,
    env: { ...process.env, ...variables, [STACK_VARIABLE]: config.dataDir },
    ports: [],
    marker: { env: `${STACK_VARIABLE}=${config.dataDir}` },
    missing: () => {
      if (!fs.existsSync(path.join(REPO_ROOT, 'node_modules', '@temporalio', 'worker'))) return `node_modules/@temporalio/worker is missing: ${SETUP_HINT}.`;
      return undefined;
    },
    healthy: (pid) => workerPolling(address, pid),
    urls: {
      temporal: address,
      taskQueues: [...new Set(WORKER_POLLS.map((p) => p.taskQueue))].join(', '),
      artifacts: variables.PERSONAACT_ARTIFACTS ?? config.artifacts,
      ...(variables.PERSONAACT_SECRET_KEY_FILE ? { secretKeyFile: variables.PERSONAACT_SECRET_KEY_FILE } : {}),
    },
    // It bundles the workflow code with webpack before it polls.
    startTimeoutMs: 120_000,
    stopGraceMs: 15_000,
    startHint: 'To start the rest of the stack without it: personaact dev up --no-worker',
  };
}

export function serviceSpec(name: ServiceName, config: StackConfig): ServiceSpec {
  switch (name) {
    case 'temporal':
      return temporalService(config);
    case 'sandbox':
      return sandboxService(config);
    case 's3':
      return s3Service(config);
    case 'codec':
      return codecService(config);
    case 'worker':
      return workerService(config);
  }
}
