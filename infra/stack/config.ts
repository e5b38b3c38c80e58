/**
 * Configuration of the local stack: data folder, ports, options. `dev up` writes the effective
 * configuration to `<data>/stack.json`, so `status` and `down` know the ports without flags.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_DATA_DIR } from './paths';

export const DEFAULT_PORTS = {
  temporal: 7233,
  ui: 8233,
  sandbox: 8300,
  s3: 8333,
  codec: 8234,
} as const;

/** SeaweedFS needs seven more ports; they are `weedPortBase + 0..6` (default: S3 port + 1). */
export const WEED_PORT_COUNT = 7;

export interface StackConfig {
  /** Absolute path of the data folder. */
  dataDir: string;
  host: string;
  temporalPort: number;
  uiPort: number;
  sandboxPort: number;
  s3: boolean;
  s3Port: number;
  weedPortBase: number;
  /** Sandbox clock speed (platform seconds per real second); undefined = the sandbox default. */
  timeScale?: number;
  /** Start the audit workers (`personaact worker --role all`) too. */
  worker: boolean;
  /** The workers' PERSONAACT_ARTIFACTS: an absolute folder or s3://bucket/prefix. */
  artifacts: string;
  /** The workers' PERSONAACT_LOG_LEVEL. */
  workerLogLevel: string;
  /** Encrypt Temporal payloads (the worker's PERSONAACT_ENCRYPT_PAYLOADS) and run the codec server for the UI. */
  encryptPayloads: boolean;
  codecPort: number;
  /**
   * The PERSONAACT_* variables the running worker was started with (set when `up` starts it), so
   * a later `up` can tell when it would now start it differently.
   */
  workerEnv?: Record<string, string>;
}

export interface StackOptions {
  dataDir?: string;
  temporalPort?: number;
  uiPort?: number;
  sandboxPort?: number;
  s3?: boolean;
  s3Port?: number;
  weedPortBase?: number;
  timeScale?: number;
  worker?: boolean;
  /** Default: PERSONAACT_ARTIFACTS of the environment, else `<data>/artifacts`. */
  artifacts?: string;
  /** Default: PERSONAACT_LOG_LEVEL of the environment, else `info`. */
  workerLogLevel?: string;
  /** Default: PERSONAACT_ENCRYPT_PAYLOADS of the environment, else false. */
  encryptPayloads?: boolean;
  codecPort?: number;
}

export function resolveDataDir(dataDir: string | undefined): string {
  return path.resolve(dataDir ?? DEFAULT_DATA_DIR);
}

/**
 * A local artifacts folder becomes absolute (resolved against the cwd of `dev up`: the worker runs
 * in the repository root); `s3://...` stays as it is.
 */
export function resolveArtifacts(location: string): string {
  return /^s3:/i.test(location) ? location : path.resolve(location);
}

export function resolveStackConfig(options: StackOptions, env: NodeJS.ProcessEnv = process.env): StackConfig {
  const s3Port = options.s3Port ?? DEFAULT_PORTS.s3;
  const dataDir = resolveDataDir(options.dataDir);
  const artifacts = options.artifacts ?? (env.PERSONAACT_ARTIFACTS || path.join(dataDir, 'artifacts'));
  return {
    dataDir,
    host: '127.0.0.1',
    temporalPort: options.temporalPort ?? DEFAULT_PORTS.temporal,
    uiPort: options.uiPort ?? DEFAULT_PORTS.ui,
    sandboxPort: options.sandboxPort ?? DEFAULT_PORTS.sandbox,
    s3: options.s3 ?? false,
    s3Port,
    weedPortBase: options.weedPortBase ?? s3Port + 1,
    ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
    worker: options.worker ?? true,
    artifacts: resolveArtifacts(artifacts),
    workerLogLevel: options.workerLogLevel ?? (env.PERSONAACT_LOG_LEVEL || 'info'),
    encryptPayloads: options.encryptPayloads ?? ['true', '1'].includes(env.PERSONAACT_ENCRYPT_PAYLOADS ?? ''),
    codecPort: options.codecPort ?? DEFAULT_PORTS.codec,
  };
}

export const dataPaths = (dataDir: string) => ({
  logs: path.join(dataDir, 'logs'),
  pids: path.join(dataDir, 'pids'),
  state: path.join(dataDir, 'stack.json'),
  lock: path.join(dataDir, 'pids', 'up.lock'),
  log: (name: string) => path.join(dataDir, 'logs', `${name}.log`),
  pid: (name: string) => path.join(dataDir, 'pids', `${name}.pid`),
});

export function saveStackConfig(config: StackConfig): void {
  fs.writeFileSync(dataPaths(config.dataDir).state, `${JSON.stringify(config, null, 2)}\n`);
}

/** The configuration the last `dev up` used in this data folder, or undefined. */
export function loadStackConfig(dataDir: string): StackConfig | undefined {
  const file = dataPaths(dataDir).state;
  if (!fs.existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<StackConfig>;
    return { ...resolveStackConfig({ dataDir }), ...saved, dataDir };
  } catch {
    return undefined;
  }
}
