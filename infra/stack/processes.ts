/**
 * Detached child processes with pid files. A process is ours only when its pid file says so AND
 * (on Linux) its command line or environment still contains the marker we started it with, so a
 * reused pid is never signalled. Nothing here kills by name.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { sleep } from './health';

export interface SpawnSpec {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  logFile: string;
  pidFile: string;
}

export interface Spawned {
  pid: number;
  /** Resolves with the exit code/signal when the process ends while this CLI still runs. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts a process in its own session (it survives the CLI), output appended to logFile. */
export function spawnDetached(spec: SpawnSpec): Promise<Spawned> {
  const header = `\n=== ${new Date().toISOString()} starting: ${[spec.command, ...spec.args].join(' ')}\n`;
  fs.appendFileSync(spec.logFile, header);
  const out = fs.openSync(spec.logFile, 'a');
  return new Promise((resolve, reject) => {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', out, out],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
      child.once('exit', (code, signal) => done({ code, signal }));
    });
    child.once('error', (error) => {
      fs.closeSync(out);
      reject(error);
    });
    child.once('spawn', () => {
      fs.closeSync(out);
      const pid = child.pid;
      if (pid === undefined) {
        reject(new Error(`could not start ${spec.command}`));
        return;
      }
      fs.writeFileSync(spec.pidFile, `${pid}\n`);
      child.unref();
      resolve({ pid, exited });
    });
  });
}

export function readPidFile(pidFile: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function removePidFile(pidFile: string): void {
  fs.rmSync(pidFile, { force: true });
}

/** True when the pid exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no /proc (not Linux): kill(0) is all we know
  }
}

/**
 * How we recognise our own process behind a pid: a string is one of its command-line arguments;
 * `{ env: 'NAME=value' }` is one entry of the environment it was started with.
 */
export type Marker = string | { env: string };

function procEntries(pid: number, file: 'cmdline' | 'environ'): string[] | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
}

/**
 * True when the live process `pid` carries `marker` (see Marker). Without /proc the answer is
 * `true` (the pid file is trusted).
 */
export function processHasMarker(pid: number, marker: Marker): boolean {
  const [file, wanted] = typeof marker === 'string' ? (['cmdline', marker] as const) : (['environ', marker.env] as const);
  const entries = procEntries(pid, file);
  if (entries === undefined) return !fs.existsSync('/proc/self');
  return entries.includes(wanted);
}

export type PidState =
  | { state: 'running'; pid: number }
  | { state: 'stale'; pid: number }
  | { state: 'stopped' };

/** What a pid file says: running (alive and ours), stale (dead or reused pid), or stopped (none). */
export function pidState(pidFile: string, marker: Marker): PidState {
  const pid = readPidFile(pidFile);
  if (pid === undefined) return fs.existsSync(pidFile) ? { state: 'stale', pid: 0 } : { state: 'stopped' };
  return isAlive(pid) && processHasMarker(pid, marker) ? { state: 'running', pid } : { state: 'stale', pid };
}

function signal(pid: number, sig: NodeJS.Signals): void {
  // Each service leads its own process group (detached): signal the group, so helpers it
  // started go too; fall back to the pid alone.
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(100);
  }
  return true;
}

/** SIGTERM, then SIGKILL after graceMs. Returns how it ended. */
export async function stopProcess(pid: number, graceMs: number): Promise<'terminated' | 'killed' | 'gone'> {
  if (!isAlive(pid)) return 'gone';
  signal(pid, 'SIGTERM');
  if (await waitGone(pid, graceMs)) return 'terminated';
  signal(pid, 'SIGKILL');
  await waitGone(pid, 5000);
  return 'killed';
}
