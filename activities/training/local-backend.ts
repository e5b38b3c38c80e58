/**
 * Training on this machine (or a GPU host running a worker): the trainer runs as a detached
 * process group that outlives the worker which started it. Everything about a job lives in its
 * folder, so any worker — the same one after a restart, or a new one — finds it again:
 *
 *   <root>/<jobName>/job.json      the request and the trainer's argv (written before the first start)
 *                    attempts      how many times the trainer was started (1 + resumes)
 *                    pid           the wrapper shell's pid (leader of the trainer's process group)
 *                    events.jsonl  the trainer's stdout: JSON lines ({"event":"progress"|"done"|"error",…})
 *                    stderr.log    its stderr
 *                    exit          the exit code, written by the wrapper when the trainer ends
 *                    stopped       written by stop() before it signals the group
 *                    output/       --output (model, checkpoints); data/ a copy of an S3 dataset
 *
 * A trainer that died without an exit code (killed, machine restarted) is started again with
 * --resume, which continues from its last checkpoint in output/, up to maxAttempts starts.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { datasetPrefix, type Hyperparameters, type JobDescription, type JobHandle, type JobProgress } from '../../core/training';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { LocalArtifactStore } from '../../artifacts/local-store';
import { JobNotFoundError, type TrainingBackend, type TrainingJobRequest } from './backend';

export interface LocalBackendOptions {
  /** Folder holding one folder per job. */
  root: string;
  /** The trainer command before its stage argument, e.g. ['.venv/bin/python', '-m', 'personaact_trainer']. */
  command: readonly string[];
  store: ArtifactStore;
  /** Starts of one job, the first included, before a dying trainer counts as failed. */
  maxAttempts?: number;
  /** Extra environment for the trainer. */
  env?: Record<string, string>;
  /** How long stop() waits after SIGTERM before SIGKILL. */
  stopGraceMs?: number;
}

interface JobFile {
  request: TrainingJobRequest;
  /** argv without --resume. */
  argv: string[];
  output: string;
}

const EXIT_SCRIPT = 'echo $$ > pid.tmp && mv pid.tmp pid; "$@" >> events.jsonl 2>> stderr.log; echo $? > exit.tmp && mv exit.tmp exit';
/** Only the end of the event log is read: the last progress line and the final event are there. */
const TAIL_BYTES = 256 * 1024;

const errnoCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

async function tail(file: string, bytes: number): Promise<string> {
  let handle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return '';
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}

type TrainerEvent = Record<string, unknown> & { event: string };

/** The JSON-lines events at the end of the log, oldest first (non-JSON lines, e.g. library warnings, are skipped). */
function parseEvents(text: string): TrainerEvent[] {
  const events: TrainerEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const value = JSON.parse(line) as unknown;
      if (value && typeof value === 'object' && typeof (value as { event?: unknown }).event === 'string') events.push(value as TrainerEvent);
    } catch {
      // a partial line at the cut, or a line being written
    }
  }
  return events;
}

const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function progressOf(event: TrainerEvent | undefined): JobProgress | undefined {
  if (!event) return undefined;
  const progress: JobProgress = {};
  if (typeof event.stage === 'string') progress.stage = event.stage;
  const step = num(event.step);
  const maxSteps = num(event.maxSteps);
  const loss = num(event.loss);
  if (step !== undefined) progress.step = step;
  if (maxSteps !== undefined) progress.maxSteps = maxSteps;
  if (loss !== undefined) progress.loss = loss;
  return progress;
}

/** The numbers of the done event's metrics, one level of nesting flattened (`f1: {like}` → `f1.like`); nulls (undefined metrics) left out. */
function metricsOf(event: TrainerEvent | undefined): Record<string, number> | undefined {
  const raw = event?.metrics;
  if (!raw || typeof raw !== 'object') return undefined;
  const metrics: Record<string, number> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (num(value) !== undefined) metrics[name] = value as number;
    else if (value && typeof value === 'object') {
      for (const [sub, inner] of Object.entries(value)) if (num(inner) !== undefined) metrics[`${name}.${sub}`] = inner as number;
    }
  }
  return Object.keys(metrics).length > 0 ? metrics : undefined;
}

/** `learning_rate: 1e-4` → `--learning-rate 1e-4`, the trainer's own flags; `true` → the bare flag, `false` → nothing. */
export function hyperparameterFlags(hyperparameters: Hyperparameters): string[] {
  return Object.entries(hyperparameters).flatMap(([key, value]) => {
    const flag = `--${key.replace(/_/g, '-')}`;
    if (typeof value === 'boolean') return value ? [flag] : [];
    return [flag, String(value)];
  });
}

/** True when `pid` runs and is this job's wrapper (its argv names the job folder: pids get reused). */
async function isJobProcess(pid: number, jobDir: string): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
  const cmdline = await readText(`/proc/${pid}/cmdline`).catch(() => undefined);
  if (cmdline === undefined) return true; // no /proc: trust the signal check
  if (cmdline === '') return false; // a zombie
  return cmdline.includes(jobDir);
}

export class LocalTrainingBackend implements TrainingBackend {
  readonly name = 'local' as const;
  private readonly root: string;
  private readonly maxAttempts: number;
  private readonly stopGraceMs: number;

  constructor(private readonly options: LocalBackendOptions) {
    this.root = path.resolve(options.root);
    this.maxAttempts = options.maxAttempts ?? 3;
    this.stopGraceMs = options.stopGraceMs ?? 10_000;
  }

  jobDir(jobName: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(jobName)) throw new Error(`invalid job name "${jobName}"`);
    return path.join(this.root, jobName);
  }

  async start(job: TrainingJobRequest): Promise<JobHandle> {
    const handle: JobHandle = { backend: 'local', jobName: job.jobName };
    const dir = this.jobDir(job.jobName);
    // Started before (an activity retry, or a second start): describe() takes it from here.
    if (existsSync(path.join(dir, 'job.json'))) return handle;
    await fs.mkdir(dir, { recursive: true });
    const data = await this.datasetFolder(job.datasetId, dir);
    const output = path.join(dir, 'output');
    const argv = [...this.options.command, job.stage, '--data', data, '--model', job.model, '--output', output];
    if (job.maxSteps !== undefined) argv.push('--max-steps', String(job.maxSteps));
    argv.push(...hyperparameterFlags(job.hyperparameters));
    const jobFile: JobFile = { request: job, argv, output };
    // job.json last: its presence means the folder is complete.
    await fs.writeFile(path.join(dir, 'job.json.tmp'), JSON.stringify(jobFile, null, 2));
    await fs.rename(path.join(dir, 'job.json.tmp'), path.join(dir, 'job.json'));
    await this.launch(dir, jobFile, false);
    return handle;
  }

  async describe(handle: JobHandle): Promise<JobDescription> {
    const dir = this.jobDir(handle.jobName);
    const jobFile = await this.readJob(handle, dir);
    const events = parseEvents(await tail(path.join(dir, 'events.jsonl'), TAIL_BYTES));
    const last = (name: string) => events.findLast((event) => event.event === name);
    const progress = progressOf(last('progress'));
    const base = (): Pick<JobDescription, 'progress'> => (progress ? { progress } : {});

    if (existsSync(path.join(dir, 'stopped'))) return { status: 'Stopped', ...base() };
    const exit = await readText(path.join(dir, 'exit'));
    if (exit !== undefined) {
      const code = Number(exit.trim());
      if (code === 0) {
        const done = last('done');
        const metrics = metricsOf(done);
        const output = typeof done?.output === 'string' ? done.output : jobFile.output;
        return { status: 'Completed', ...base(), ...(metrics ? { metrics } : {}), modelLocation: output };
      }
      return { status: 'Failed', ...base(), failureReason: await this.failureReason(dir, last('error'), code) };
    }
    const pid = Number((await readText(path.join(dir, 'pid')))?.trim());
    if (Number.isInteger(pid) && pid > 0 && (await isJobProcess(pid, dir))) return { status: 'InProgress', ...base() };
    if (!Number.isInteger(pid) || pid <= 0) {
      // Launched but the wrapper has not written its pid yet: give it a moment before calling it dead.
      const launched = await fs.stat(path.join(dir, 'attempts')).catch(() => undefined);
      if (launched && Date.now() - launched.mtimeMs < 10_000) return { status: 'InProgress', ...base(), progress: { ...progress, message: 'starting' } };
    }
    // Gone without an exit code: the process group was killed, or the machine restarted.
    const attempts = await this.attempts(dir);
    if (attempts >= this.maxAttempts) {
      return { status: 'Failed', ...base(), failureReason: `the trainer process died ${attempts} times without exiting (see ${path.join(dir, 'stderr.log')})` };
    }
    await this.launch(dir, jobFile, true);
    return { status: 'InProgress', ...base(), progress: { ...progress, message: `resumed from the last checkpoint (start ${attempts + 1} of at most ${this.maxAttempts})` } };
  }

  async stop(handle: JobHandle): Promise<void> {
    const dir = this.jobDir(handle.jobName);
    await this.readJob(handle, dir);
    if (existsSync(path.join(dir, 'exit'))) return; // finished already
    await fs.writeFile(path.join(dir, 'stopped'), new Date().toISOString());
    const pid = Number((await readText(path.join(dir, 'pid')))?.trim());
    if (!Number.isInteger(pid) || pid <= 0 || !(await isJobProcess(pid, dir))) return;
    /** Signals the trainer's whole process group; false once no process is left in it. */
    const signal = (name: NodeJS.Signals | 0): boolean => {
      try {
        process.kill(-pid, name);
        return true;
      } catch (error) {
        if (errnoCode(error) === 'ESRCH') return false;
        throw error;
      }
    };
    signal('SIGTERM');
    // The wrapper dies at once; wait for the trainer itself (saving nothing, but releasing the GPU).
    const deadline = Date.now() + this.stopGraceMs;
    while (Date.now() < deadline && signal(0)) await sleep(50);
    signal('SIGKILL');
  }

  private async readJob(handle: JobHandle, dir: string): Promise<JobFile> {
    const text = await readText(path.join(dir, 'job.json'));
    if (text === undefined) throw new JobNotFoundError(handle, `no ${path.join(dir, 'job.json')}`);
    return JSON.parse(text) as JobFile;
  }

  private async attempts(dir: string): Promise<number> {
    return Number((await readText(path.join(dir, 'attempts')))?.trim() ?? 0) || 0;
  }

  /** Starts the trainer under a wrapper shell that records its pid and, when it ends, its exit code. */
  private async launch(dir: string, jobFile: JobFile, resume: boolean): Promise<void> {
    for (const file of ['pid', 'exit']) await fs.rm(path.join(dir, file), { force: true });
    await fs.writeFile(path.join(dir, 'attempts'), String((await this.attempts(dir)) + 1));
    const [command, ...args] = [...jobFile.argv, ...(resume ? ['--resume'] : [])];
    if (!command) throw new Error('the trainer command is empty');
    const child = spawn('/bin/sh', ['-c', EXIT_SCRIPT, 'sh', command, ...args], {
      cwd: dir,
      detached: true, // its own process group: it outlives the worker, and stop() signals the whole group
      stdio: 'ignore',
      env: { ...process.env, ...this.options.env, PYTHONUNBUFFERED: '1' },
    });
    child.unref();
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
  }

  private async failureReason(dir: string, error: TrainerEvent | undefined, code: number): Promise<string> {
    if (typeof error?.message === 'string') return `${error.message} (exit code ${code})`;
    const stderr = (await tail(path.join(dir, 'stderr.log'), 4096)).trim().split('\n').slice(-5).join('\n');
    return `the trainer exited with code ${code}${stderr ? `:\n${stderr}` : ''}`;
  }

  /** The trainer reads a folder: a local store's own folder, or a copy of an S3 dataset in the job folder. */
  private async datasetFolder(datasetId: string, dir: string): Promise<string> {
    const prefix = datasetPrefix(datasetId);
    const { store } = this.options;
    if (store instanceof LocalArtifactStore) {
      const folder = path.dirname(store.locate(`${prefix}/dataset.json`));
      if (!existsSync(path.join(folder, 'dataset.json'))) throw new Error(`dataset ${datasetId} not found: no ${folder}/dataset.json`);
      return folder;
    }
    const keys = await store.list(`${prefix}/`);
    if (!keys.includes(`${prefix}/dataset.json`)) throw new Error(`dataset ${datasetId} not found in ${store.location}`);
    const folder = path.join(dir, 'data');
    for (const key of keys) {
      const file = path.join(folder, ...key.slice(prefix.length + 1).split('/'));
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, (await store.get(key)) ?? Buffer.alloc(0));
    }
    return folder;
  }
}
