import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pollUntil, PollTimeoutError } from '../helpers/poll';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(REPO_ROOT, 'bin', 'personaact.mjs');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to its end (stdin closed), collecting its output. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? os.tmpdir(),
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - t0 }));
  });
}

/**
 * `personaact ...` from a directory that is NOT the repository (the bin must not need the cwd).
 * `env`: variables added to this process's environment.
 */
export function personaact(args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  const { env, ...rest } = options;
  return run(process.execPath, [BIN, ...args], { cwd: os.tmpdir(), ...rest, ...(env ? { env: { ...process.env, ...env } } : {}) });
}

/** The environment a process was started with (Linux: /proc/<pid>/environ). */
export function environOf(pid: number): Record<string, string> {
  const entries = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function randomFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The preferred ports when all are free, otherwise random free ones. */
export async function pickPorts<K extends string>(preferred: Record<K, number>): Promise<Record<K, number>> {
  const free = await Promise.all(Object.values<number>(preferred).map(isPortFree));
  if (free.every(Boolean)) return preferred;
  const out = {} as Record<K, number>;
  for (const key of Object.keys(preferred) as K[]) out[key] = await randomFreePort();
  return out;
}

/** Alive and not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2).charAt(0));
  } catch {
    return true;
  }
}

/** True once `check` holds, false when it still does not after `timeoutMs` (for `assert.ok(await waitFor(…))`). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  return pollUntil('a condition', check, (ok) => ok, { timeoutMs }).catch((error: unknown) => {
    if (error instanceof PollTimeoutError) return false;
    throw error;
  });
}

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
