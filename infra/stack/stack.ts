/**
 * `dev up | down | status | restart-worker` of the local stack, as functions that return what
 * they did; the CLI formats it. Services: Temporal dev server, sandbox platform, (with `s3`)
 * SeaweedFS S3, and (unless `worker: false`) the audit workers, started once the others are
 * healthy.
 */
import fs from 'node:fs';
import {
  dataPaths,
  loadStackConfig,
  resolveDataDir,
  resolveStackConfig,
  saveStackConfig,
  type StackConfig,
  type StackOptions,
} from './config';
import { StackError } from './errors';
import { sleep } from './health';
import { displayPath } from './paths';
import { isPortFree } from './ports';
import { isAlive, pidState, removePidFile, spawnDetached, stopProcess, type Spawned } from './processes';
import { SERVICE_NAMES, serviceSpec, workerVariables, type ServiceName, type ServiceSpec } from './services';
import { devKeyFile, ensureDevKey } from './secret-key';
import { ensureSearchAttributes } from './temporal';

export type Log = (line: string) => void;

export interface ServiceStatus {
  name: ServiceName;
  title: string;
  state: 'running' | 'stopped' | 'stale';
  pid?: number;
  /** Answered its health check (only probed when running). */
  healthy?: boolean;
  urls: Record<string, string>;
  log: string;
}

export interface StackStatus {
  dataDir: string;
  services: ServiceStatus[];
}

export interface UpResult {
  started: ServiceName[];
  alreadyRunning: ServiceName[];
  addedSearchAttributes: string[];
  warnings: string[];
  status: StackStatus;
}

export interface DownResult {
  stopped: Array<{ name: ServiceName; pid: number; how: 'terminated' | 'killed' | 'gone' }>;
  staleRemoved: ServiceName[];
}

/** The config fields each service is started with (the worker's: `workerEnv`, see stackUp). */
const SERVICE_FIELDS: Record<ServiceName, Array<keyof StackConfig>> = {
  temporal: ['temporalPort', 'uiPort'],
  sandbox: ['sandboxPort', 'timeScale'],
  s3: ['s3Port', 'weedPortBase'],
  codec: ['codecPort'],
  worker: [],
};

/** The worker needs the others: it starts once they are healthy, and stops first. */
const LATE: readonly ServiceName[] = ['worker'];

export async function stackStatus(dataDirOption: string | undefined, probe = true): Promise<StackStatus> {
  const dataDir = resolveDataDir(dataDirOption);
  const config = loadStackConfig(dataDir) ?? resolveStackConfig({ dataDir });
  const paths = dataPaths(dataDir);
  const services = await Promise.all(
    SERVICE_NAMES.map(async (name): Promise<ServiceStatus> => {
      const spec = serviceSpec(name, config);
      const state = pidState(paths.pid(name), spec.marker);
      const status: ServiceStatus = { name, title: spec.title, state: state.state, urls: spec.urls, log: paths.log(name) };
      if (state.state !== 'stopped') status.pid = state.pid;
      if (state.state === 'running' && probe) status.healthy = await spec.healthy(state.pid);
      return status;
    }),
  );
  return { dataDir, services };
}

function acquireLock(lockFile: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new StackError(`another \`personaact dev up\` (pid ${holder}) is starting this stack; wait for it, or remove ${lockFile}.`);
      }
      fs.rmSync(lockFile, { force: true }); // left behind by a dead process
    }
  }
  throw new StackError(`could not take the lock ${lockFile}`);
}

function logTail(file: string, fromByte: number, lines = 15): string {
  try {
    const text = fs.readFileSync(file).subarray(fromByte).toString('utf8');
    return text.trimEnd().split('\n').slice(-lines).map((line) => `    ${line}`).join('\n');
  } catch {
    return '';
  }
}

async function checkPorts(specs: ServiceSpec[]): Promise<void> {
  const uses = specs.flatMap((spec) => spec.ports);
  const seen = new Map<number, string>();
  const problems: string[] = [];
  for (const use of uses) {
    const other = seen.get(use.port);
    if (other !== undefined) problems.push(`port ${use.port} is chosen twice (${other} and ${use.what}); pick another with ${use.flag}.`);
    seen.set(use.port, use.what);
  }
  const free = await Promise.all(uses.map((use) => isPortFree(use.port)));
  uses.forEach((use, i) => {
    if (!free[i]) {
      problems.push(
        `port ${use.port} (${use.what}) is already in use by another program; choose another with ${use.flag} <port>` +
          ' (or stop that program).',
      );
    }
  });
  if (problems.length > 0) throw new StackError(problems.join('\n'));
}

async function waitHealthy(spec: ServiceSpec, spawned: Spawned, logFile: string, logOffset: number): Promise<void> {
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void spawned.exited.then((e) => (exit = e));
  const deadline = Date.now() + spec.startTimeoutMs;
  for (;;) {
    if (exit !== undefined) {
      const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
      throw new StackError(
        `${spec.title} exited (${how}) while starting; see ${displayPath(logFile)}:\n${logTail(logFile, logOffset)}` +
          (spec.startHint ? `\n${spec.startHint}` : ''),
      );
    }
    if (await spec.healthy(spawned.pid)) return;
    if (Date.now() >= deadline) {
      throw new StackError(
        `${spec.title} did not become healthy within ${spec.startTimeoutMs / 1000} s; see ${displayPath(logFile)}:\n` +
          logTail(logFile, logOffset) +
          (spec.startHint ? `\n${spec.startHint}` : ''),
      );
    }
    await sleep(250);
  }
}

export async function stackUp(options: StackOptions, log: Log = () => {}): Promise<UpResult> {
  const requested = resolveStackConfig(options);
  const { dataDir } = requested;
  const paths = dataPaths(dataDir);
  // Every file the stack and its services write (Temporal's SQLite history, the sandbox's db, logs,
  // artifacts) is its owner's alone: folders 0700, files 0600. Children inherit the mask.
  process.umask(0o077);
  for (const dir of [paths.logs, paths.pids]) fs.mkdirSync(dir, { recursive: true });
  const release = acquireLock(paths.lock);
  try {
    const previous = loadStackConfig(dataDir);
    const wanted: ServiceName[] = [
      'temporal',
      'sandbox',
      ...(requested.s3 ? (['s3'] as const) : []),
      ...(requested.encryptPayloads ? (['codec'] as const) : []),
      ...(requested.worker ? (['worker'] as const) : []),
    ];
    const config: StackConfig = { ...requested };
    const warnings: string[] = [];
    const alreadyRunning: ServiceName[] = [];
    const toStart: ServiceName[] = [];

    // A running service keeps the settings it was started with.
    const running = new Set<ServiceName>();
    for (const name of SERVICE_NAMES) {
      const probeSpec = serviceSpec(name, previous ?? requested);
      const state = pidState(paths.pid(name), probeSpec.marker);
      if (state.state === 'running') {
        running.add(name);
        if (previous) {
          const changed = SERVICE_FIELDS[name].filter((field) => previous[field] !== requested[field]);
          for (const field of SERVICE_FIELDS[name]) Object.assign(config, { [field]: previous[field] });
          if (changed.length > 0 && wanted.includes(name)) {
            warnings.push(`${name} is already running with other settings (${changed.join(', ')}); run \`personaact dev down\` first to change them.`);
          }
        }
        if (wanted.includes(name)) alreadyRunning.push(name);
        if (name === 's3') config.s3 = true;
      } else {
        if (state.state === 'stale') {
          log(`removing stale pid file of ${name} (pid ${state.pid} is not running)`);
          removePidFile(paths.pid(name));
        }
        if (wanted.includes(name)) toStart.push(name);
      }
    }

    // The worker's settings are the variables it gets from the others' (now final) settings.
    const workerWants = workerVariables(config);
    if (running.has('worker')) {
      const had = previous?.workerEnv ?? {};
      config.workerEnv = had;
      const changed = [...new Set([...Object.keys(had), ...Object.keys(workerWants)])].filter((k) => had[k] !== workerWants[k]);
      if (changed.length > 0 && wanted.includes('worker')) {
        warnings.push(
          `the worker is already running with other settings (${changed.join(', ')}); ` +
            'run `personaact dev restart-worker` to restart it with these.',
        );
      }
    } else {
      config.workerEnv = toStart.includes('worker') ? workerWants : undefined;
    }

    const specs = toStart.map((name) => serviceSpec(name, config));
    const missing = specs.map((spec) => spec.missing()).filter((m): m is string => m !== undefined);
    if (missing.length > 0) throw new StackError(missing.join('\n'));
    await checkPorts(specs);

    saveStackConfig(config);
    // Also with --no-worker: the worker a person starts themselves uses it too.
    if (workerWants.PERSONAACT_SECRET_KEY_FILE === devKeyFile(dataDir) && ensureDevKey(devKeyFile(dataDir))) {
      log(`created the stack's secret key ${displayPath(devKeyFile(dataDir))} (encrypts account cookies; keep it)`);
    }
    const started: Array<{ spec: ServiceSpec; spawned: Spawned }> = [];
    const startAll = async (batch: ServiceSpec[]): Promise<void> => {
      const waits: Array<Promise<void>> = [];
      for (const spec of batch) {
        fs.mkdirSync(spec.cwd, { recursive: true });
        const logFile = paths.log(spec.name);
        const logOffset = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
        log(`starting ${spec.title} (log: ${displayPath(logFile)})`);
        const spawned = await spawnDetached({
          command: spec.command,
          args: spec.args,
          cwd: spec.cwd,
          env: spec.env,
          logFile,
          pidFile: paths.pid(spec.name),
        });
        started.push({ spec, spawned });
        const t0 = Date.now();
        waits.push(
          waitHealthy(spec, spawned, logFile, logOffset).then(() =>
            log(`${spec.title} is healthy (${((Date.now() - t0) / 1000).toFixed(1)} s)`),
          ),
        );
      }
      const results = await Promise.allSettled(waits);
      const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
      if (failures.length > 0) {
        const first = failures[0];
        if (failures.length === 1) throw first;
        throw new StackError(failures.map((f) => (f instanceof Error ? f.message : String(f))).join('\n'));
      }
    };

    let addedSearchAttributes: string[] = [];
    try {
      await startAll(specs.filter((spec) => !LATE.includes(spec.name)));
      // Before the worker starts: its workflows set these attributes.
      if (wanted.includes('temporal')) {
        addedSearchAttributes = await ensureSearchAttributes(serviceSpec('temporal', config).urls.grpc ?? '');
      }
      await startAll(specs.filter((spec) => LATE.includes(spec.name)));
    } catch (error) {
      if (started.length > 0) {
        log(`stopping what this command started: ${started.map((s) => s.spec.name).join(', ')}`);
        // the worker first: it needs the others to stop cleanly
        for (const batch of [started.filter((s) => LATE.includes(s.spec.name)), started.filter((s) => !LATE.includes(s.spec.name))]) {
          await Promise.all(
            batch.map(async ({ spec, spawned }) => {
              await stopProcess(spawned.pid, spec.stopGraceMs);
              removePidFile(paths.pid(spec.name));
            }),
          );
        }
      }
      throw error;
    }
    return {
      started: toStart,
      alreadyRunning,
      addedSearchAttributes,
      warnings,
      status: await stackStatus(dataDir, false),
    };
  } finally {
    release();
  }
}

/** Stops the services (`only`: just these); the worker first, as it needs the others. */
export async function stackDown(dataDirOption: string | undefined, log: Log = () => {}, only?: readonly ServiceName[]): Promise<DownResult> {
  const dataDir = resolveDataDir(dataDirOption);
  const config = loadStackConfig(dataDir) ?? resolveStackConfig({ dataDir });
  const paths = dataPaths(dataDir);
  const result: DownResult = { stopped: [], staleRemoved: [] };
  const names = SERVICE_NAMES.filter((name) => only === undefined || only.includes(name));
  const stop = async (name: ServiceName) => {
    const spec = serviceSpec(name, config);
    const pidFile = paths.pid(name);
    const state = pidState(pidFile, spec.marker);
    if (state.state === 'stopped') return;
    if (state.state === 'stale') {
      log(`${name}: pid ${state.pid} is not running (stale pid file removed)`);
      removePidFile(pidFile);
      result.staleRemoved.push(name);
      return;
    }
    log(`stopping ${spec.title} (pid ${state.pid})${spec.stopNote ? ` — ${spec.stopNote}` : ''}`);
    const how = await stopProcess(state.pid, spec.stopGraceMs);
    removePidFile(pidFile);
    result.stopped.push({ name, pid: state.pid, how });
  };
  await Promise.all(names.filter((name) => LATE.includes(name)).map(stop));
  await Promise.all(names.filter((name) => !LATE.includes(name)).map(stop));
  return result;
}

/**
 * Loads the current workflow and activity code into the worker with the settings of the last `up`
 * (PERSONAACT_ARTIFACTS / PERSONAACT_LOG_LEVEL in the environment replace the saved ones), as a
 * rolling restart: the new worker starts and polls beside the old one (Temporal lets both poll
 * the same queues), and only then is the old one drained and stopped, so running audits wait for
 * no worker start-up (docs/upgrading.md). With no worker running, it just starts one.
 */
export async function restartWorker(
  dataDirOption: string | undefined,
  log: Log = () => {},
): Promise<{ down: DownResult; up: UpResult }> {
  const dataDir = resolveDataDir(dataDirOption);
  const previous = loadStackConfig(dataDir);
  if (!previous) throw new StackError(`no local stack in ${displayPath(dataDir)} yet; start one with \`personaact dev up\`.`);
  const options: StackOptions = {
    dataDir,
    temporalPort: previous.temporalPort,
    uiPort: previous.uiPort,
    sandboxPort: previous.sandboxPort,
    s3: previous.s3,
    s3Port: previous.s3Port,
    weedPortBase: previous.weedPortBase,
    ...(previous.timeScale !== undefined ? { timeScale: previous.timeScale } : {}),
    worker: true,
    artifacts: process.env.PERSONAACT_ARTIFACTS || previous.artifacts,
    workerLogLevel: process.env.PERSONAACT_LOG_LEVEL || previous.workerLogLevel,
    encryptPayloads: previous.encryptPayloads,
    codecPort: previous.codecPort,
  };
  const paths = dataPaths(dataDir);
  const old = pidState(paths.pid('worker'), serviceSpec('worker', previous).marker);
  if (old.state !== 'running') {
    const down = await stackDown(dataDir, log, ['worker']);
    return { down, up: await stackUp(options, log) };
  }
  const release = acquireLock(paths.lock);
  try {
    const config: StackConfig = { ...previous, ...resolveStackConfig(options), workerEnv: undefined };
    config.workerEnv = workerVariables(config);
    const spec = serviceSpec('worker', config);
    const missing = spec.missing();
    if (missing !== undefined) throw new StackError(missing);
    const logFile = paths.log('worker');
    const logOffset = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
    const nextPidFile = `${paths.pid('worker')}.next`;
    log(`starting the new ${spec.title} beside the running one (pid ${old.pid}; log: ${displayPath(logFile)})`);
    const t0 = Date.now();
    const spawned = await spawnDetached({ command: spec.command, args: spec.args, cwd: spec.cwd, env: spec.env, logFile, pidFile: nextPidFile });
    try {
      await waitHealthy(spec, spawned, logFile, logOffset);
    } catch (error) {
      await stopProcess(spawned.pid, spec.stopGraceMs);
      removePidFile(nextPidFile);
      throw error;
    }
    log(`the new ${spec.title} (pid ${spawned.pid}) is polling (${((Date.now() - t0) / 1000).toFixed(1)} s); draining the old one (pid ${old.pid})`);
    fs.renameSync(nextPidFile, paths.pid('worker'));
    saveStackConfig(config);
    const how = await stopProcess(old.pid, spec.stopGraceMs);
    return {
      down: { stopped: [{ name: 'worker', pid: old.pid, how }], staleRemoved: [] },
      up: { started: ['worker'], alreadyRunning: [], addedSearchAttributes: [], warnings: [], status: await stackStatus(dataDir, false) },
    };
  } finally {
    release();
  }
}
