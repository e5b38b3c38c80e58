/**
 * Fault injection on the real local stack: the same processes `personaact dev up` starts
 * (Temporal dev server on a SQLite file, the sandbox, the worker with its Chromium), each its own
 * OS process, so a fault is a real `kill -9`. Used by test/faults and bench/faults.ts.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadPhaseRecords } from '../../activities/analysis/analyze-audit';
import { openArtifactStore } from '../../artifacts/open-store';
import type { AuditProgress } from '../../core/audit-progress';
import { PHASES, type InteractionRecord } from '../../core/interaction-record';
import { PersonaSchema } from '../../core/persona';
import { createRng } from '../../core/rng';
import { dataPaths } from '../../infra/stack/config';
import { sleep } from '../../infra/stack/health';
import { readPidFile } from '../../infra/stack/processes';
import type { ServiceName } from '../../infra/stack/services';
import { restartWorker, stackDown, stackUp } from '../../infra/stack/stack';
import { adminTokenFile } from '../../sandbox/server';
import { isPortFree, randomFreePort } from '../infra/helpers';
import { censusFile, type CensusFile } from '../../workers/session-census';
import { startAudit } from '../../clients/audit';
import { pollUntil } from './poll';

export const FAULTS = ['kill-worker', 'kill-temporal', 'kill-chromium', 'restart-sandbox'] as const;
/**
 * The bench's matrix adds faults that last a while (bench only: they take OUTAGE_MS each, and the
 * storage ones mount a tmpfs, which needs root): the audit's store folder full (ENOSPC) or
 * read-only (EROFS: the storage is out), the worker replaced by a new deployment (`dev
 * restart-worker`), and a sandbox that answers only after the page's action and observe timeouts.
 */
export const BENCH_FAULTS = [...FAULTS, 'full-disk', 'storage-outage', 's3-outage', 'new-worker-version', 'slow-page'] as const;
export type Fault = (typeof BENCH_FAULTS)[number];
/**
 * Faults that need the audit's store on S3 (a real SeaweedFS of the stack): `s3-outage` stops the
 * server mid-audit and starts it again on the same ports and data folder.
 */
export const S3_FAULTS: readonly Fault[] = ['s3-outage'];
/** How long SeaweedFS stays down by default (the issue asks to ride out minutes; the records' retries last 15). */
export const DEFAULT_S3_OUTAGE_MS = 60_000;
/** How long the full disk, the storage outage and the slow page last. */
const OUTAGE_MS = 20_000;
/** The slow page's delay: past the page's action (10 s) and observe (15 s) timeouts. */
const SLOW_PAGE_DELAY_MS = 16_000;
/** Faults during which the audit cannot progress: its resume is measured from their end. */
const LASTING: readonly Fault[] = ['full-disk', 'storage-outage', 's3-outage', 'slow-page'];
/** How long after an audit ends its browser session may take to close before it counts as leaked. */
const CLOSE_SETTLE_MS = 10_000;

export interface FaultStackOptions {
  timeScale: number;
  /** The audits' store on S3 (SeaweedFS started by the stack) instead of a local folder: for S3_FAULTS. */
  s3?: boolean;
  /** How long `s3-outage` keeps SeaweedFS down. */
  s3OutageMs?: number;
}

export interface TrialOptions {
  fault: Fault;
  seed: number;
  /** Interactions per phase. */
  steps: number;
  timeScale: number;
  log?: (line: string) => void;
}

export interface TrialResult {
  fault: Fault;
  seed: number;
  completed: boolean;
  error?: string;
  /** The interaction count at which the fault struck. */
  faultAt: number;
  /** From the fault (the end of a lasting one: full disk, outage, slow page) to the first interaction recorded after it. */
  resumeSeconds: number;
  /** Swipes the platform saw that no record describes. */
  lostRecords: number;
  /** Records that describe a swipe another record already describes (or none). */
  duplicateRecords: number;
  /** Steps whose record needed more than one attempt, and browser sessions opened after the first. */
  retriedSteps: number;
  sessionsReacquired: number;
  /**
   * Browser contexts still open in the running worker once the audit ended (none is expected: no
   * other audit runs), the larger of the session pool's count and Chromium's; pages likewise.
   */
  leakedContexts: number;
  leakedPages: number;
  wallSeconds: number;
}

/** Every descendant of `pid` (Chromium runs as a tree of processes under the worker). */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return []; // pgrep exits 1 when there are none
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** kill -9; a process that already went with its parent is no failure. */
function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../../examples/personas/user-a.json', import.meta.url), 'utf8')));

/** A local stack in its own data folder on free ports. */
export class FaultStack {
  private constructor(
    readonly dataDir: string,
    private readonly options: Parameters<typeof stackUp>[0],
    private client: Client,
    private connection: Connection,
    private readonly s3OutageMs: number,
  ) {}

  /** The client on the current server connection (a new one after a Temporal restart). */
  get temporal(): Client {
    return this.client;
  }

  /** Where the workers write: a folder, or s3:// on the S3 stack. */
  get artifacts(): string {
    return this.options.artifacts as string;
  }

  /** Connections replaced after a Temporal restart. */
  private readonly retired: Connection[] = [];

  static async start(stackOptions: FaultStackOptions): Promise<FaultStack> {
    const dataDir = mkdtempSync(join(tmpdir(), 'personaact-faults-'));
    const s3Port = stackOptions.s3 ? await freePortRun(8) : undefined;
    const options = {
      dataDir, timeScale: stackOptions.timeScale, worker: true, workerLogLevel: 'warn',
      temporalPort: await randomFreePort(), uiPort: await randomFreePort(), sandboxPort: await randomFreePort(),
      ...(s3Port !== undefined
        ? { s3: true, s3Port, weedPortBase: s3Port + 1, artifacts: 's3://personaact-faults/artifacts' }
        : { s3: false, artifacts: join(dataDir, 'artifacts') }),
    };
    try {
      await withCensus(dataDir, () => stackUp(options));
      const connection = await Connection.connect({ address: `127.0.0.1:${options.temporalPort}` });
      return new FaultStack(dataDir, options, new Client({ connection }), connection, stackOptions.s3OutageMs ?? DEFAULT_S3_OUTAGE_MS);
    } catch (error) {
      await stackDown(dataDir).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  private pid(name: ServiceName): number {
    const pid = readPidFile(dataPaths(this.dataDir).pid(name));
    if (pid === undefined) throw new Error(`${name} is not running (no pid file)`);
    return pid;
  }

  /** Brings back whatever is not running, as `dev up` would, and reconnects the client to a restarted server. */
  private async restore(): Promise<void> {
    await withCensus(this.dataDir, () => stackUp(this.options));
    // The old connection is closed in stop(), not now: a progress poll may still be retrying on it,
    // and a call on a closed gRPC channel throws from a timer (an uncaught exception).
    this.retired.push(this.connection);
    this.connection = await Connection.connect({ address: `127.0.0.1:${this.options.temporalPort}` });
    this.client = new Client({ connection: this.connection });
  }

  /** The audit's folder in the store: a tmpfs of its own for the storage faults. */
  private auditFolder(auditId: string): string {
    return join(this.options.artifacts as string, 'audits', auditId);
  }

  async inject(fault: Fault, auditId: string): Promise<void> {
    switch (fault) {
      case 'full-disk': {
        const filler = join(this.auditFolder(auditId), '.filler');
        const chunk = Buffer.alloc(1 << 20);
        try {
          for (;;) appendFileSync(filler, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        }
        await sleep(OUTAGE_MS);
        rmSync(filler, { force: true });
        return;
      }
      case 'storage-outage':
        execFileSync('mount', ['-o', 'remount,ro', this.auditFolder(auditId)]);
        await sleep(OUTAGE_MS);
        execFileSync('mount', ['-o', 'remount,rw', this.auditFolder(auditId)]);
        return;
      case 's3-outage':
        // The real server stops (gracefully: weed's filer takes ~15 s) and stays down, then starts
        // again on the same ports and data folder, as `dev up` would.
        await stackDown(this.dataDir, undefined, ['s3']);
        await sleep(this.s3OutageMs);
        await withCensus(this.dataDir, () => stackUp(this.options));
        return;
      case 'new-worker-version':
        // What deploying N+1 is (docs/upgrading.md): a rolling restart, the new worker polls before the old one drains.
        await withCensus(this.dataDir, () => restartWorker(this.dataDir));
        return;
      case 'slow-page': {
        const response = await fetch(`http://127.0.0.1:${this.options.sandboxPort}/admin/slow`, {
          method: 'POST', headers: { 'content-type': 'application/json', 'x-admin-token': this.adminToken() },
          body: JSON.stringify({ delayMs: SLOW_PAGE_DELAY_MS, forMs: OUTAGE_MS }),
        });
        if (!response.ok) throw new Error(`sandbox /admin/slow: ${response.status} ${await response.text()}`);
        await sleep(OUTAGE_MS);
        return;
      }
      case 'kill-worker': {
        // Chromium would outlive its worker: a kill -9 takes no children with it.
        const worker = this.pid('worker');
        for (const pid of [worker, ...descendants(worker)]) kill(pid);
        await sleep(500);
        return this.restore();
      }
      case 'kill-temporal':
        kill(this.pid('temporal'));
        await sleep(500);
        return this.restore();
      case 'kill-chromium': {
        const browsers = descendants(this.pid('worker')).filter((pid) => /chrom/i.test(commandLine(pid)));
        if (browsers.length === 0) throw new Error('no Chromium process under the worker');
        for (const pid of browsers) kill(pid);
        return;
      }
      case 'restart-sandbox':
        kill(this.pid('sandbox'));
        await sleep(500);
        return this.restore();
    }
  }

  /**
   * Polls the audit's progress in the background and notes when each new step shows (one time per
   * increase of the interaction count): `saw` adds one observed elsewhere, `stop` returns the times.
   */
  private watchSteps(auditId: string, from: number): { saw(interactions: number): void; stop(): number[] } {
    const times: number[] = [];
    let count = from;
    let running = true;
    const saw = (interactions: number) => {
      if (interactions > count) times.push(performance.now());
      count = Math.max(count, interactions);
    };
    void (async () => {
      while (running) {
        const progress = await this.progress(auditId);
        if (running && progress) saw(progress.interactions);
        await sleep(200);
      }
    })();
    return {
      saw,
      stop: () => {
        running = false;
        return times;
      },
    };
  }

  /** The audit's progress, or undefined while the server is unreachable. */
  private async progress(auditId: string): Promise<AuditProgress | undefined> {
    try {
      return await this.client.workflow.getHandle(auditId).query<AuditProgress>('progress');
    } catch {
      return undefined;
    }
  }

  async trial(options: TrialOptions): Promise<TrialResult> {
    const say = options.log ?? (() => {});
    if (S3_FAULTS.includes(options.fault) !== (this.options.s3 === true)) {
      throw new Error(`${options.fault} needs a FaultStack ${this.options.s3 ? 'without' : 'with'} s3 (S3_FAULTS)`);
    }
    const auditId = `fault-${options.fault}-${options.seed}`;
    const total = 2 * options.steps;
    // A random point, away from the very start so the session is warm.
    const faultAt = Math.floor(5 + createRng(`${options.fault}/${options.seed}`).next() * (total - 10));
    const started = performance.now();
    const tmpfs = options.fault === 'full-disk' || options.fault === 'storage-outage';
    if (tmpfs) {
      mkdirSync(this.auditFolder(auditId), { recursive: true });
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m,mode=0700', 'tmpfs', this.auditFolder(auditId)]);
    }
    await startAudit(this.client, {
      schemaVersion: 1, auditId, screenshots: false,
      spec: {
        schemaVersion: 1, platform: 'sandbox', persona, accountId: auditId, cultivationSteps: options.steps,
        counterfactualSteps: options.steps, policy: 'persona-stat', reversal: { strategy: 'quantile-flip', engagement: 'suppress' },
        seed: options.seed, timeScale: options.timeScale,
      },
    });
    const deadline = performance.now() + 15 * 60_000;
    const waitFor = async (done: (p: AuditProgress) => boolean, what: string) =>
      (await pollUntil(what, () => this.progress(auditId), (p) => p !== undefined && done(p), { timeoutMs: deadline - performance.now(), intervalMs: 200 }))!;
    const reached = await waitFor((p) => p.interactions >= faultAt || p.status === 'COMPLETED', `interaction ${faultAt}`);
    say(`${options.fault}: injecting at interaction ${reached.interactions}`);
    let struck = performance.now();
    // The audit may go on while a fault is injected (a rolling restart: the old worker steps until
    // the new one polls): watch every step it takes meanwhile, and count the longest stall.
    const steps = this.watchSteps(auditId, reached.interactions);
    let injected = false;
    try {
      await this.inject(options.fault, auditId);
      injected = true;
    } finally {
      if (!injected) steps.stop();
    }
    const injectedAt = performance.now();
    if (LASTING.includes(options.fault)) struck = injectedAt;
    const last = await waitFor((p) => p.interactions > reached.interactions || p.status === 'COMPLETED', 'the audit to resume');
    steps.saw(last.interactions);
    const seen = steps.stop().filter((at) => at > struck);
    // From the fault (or its end) to the first step after the injection ended, the longest gap between steps.
    const until = seen.find((at) => at >= injectedAt) ?? performance.now();
    let resumeSeconds = 0;
    let previous = struck;
    for (const at of [...seen.filter((t) => t < until), until]) {
      resumeSeconds = Math.max(resumeSeconds, (at - previous) / 1000);
      previous = at;
    }
    say(`${options.fault}: resumed after ${resumeSeconds.toFixed(1)} s`);

    let error: string | undefined;
    try {
      await this.client.workflow.getHandle(auditId).result();
    } catch (failure) {
      error = String(failure);
    }
    const wallSeconds = (performance.now() - started) / 1000;
    const leaked = await this.leaked();
    const verified = await this.verify(auditId);
    if (tmpfs) execFileSync('umount', [this.auditFolder(auditId)]);
    return { fault: options.fault, seed: options.seed, faultAt: reached.interactions, resumeSeconds, wallSeconds, ...verified, ...leaked, completed: error === undefined, ...(error ? { error } : {}) };
  }

  /**
   * Browser contexts and pages the running worker still has open, after giving the audit's own
   * session CLOSE_SETTLE_MS to close: from its census (workers/session-census.ts), both the
   * session pool's bookkeeping and Chromium's contexts.
   */
  private async leaked(): Promise<Pick<TrialResult, 'leakedContexts' | 'leakedPages'>> {
    const since = Date.now();
    const read = (): CensusFile | undefined => {
      try {
        const census = JSON.parse(readFileSync(censusFile(this.censusDir, this.pid('worker')), 'utf8')) as CensusFile;
        return Date.parse(census.at) >= since ? census : undefined;
      } catch {
        return undefined;
      }
    };
    let census: CensusFile | undefined;
    const settled = performance.now() + CLOSE_SETTLE_MS;
    do {
      await sleep(500);
      census = read() ?? census;
    } while (performance.now() < settled && (census === undefined || census.sessions + census.contexts + census.pages > 0));
    if (census === undefined) throw new Error(`the worker wrote no session census to ${this.censusDir} (PERSONAACT_SESSION_CENSUS_DIR)`);
    return { leakedContexts: Math.max(census.sessions, census.contexts), leakedPages: census.pages };
  }

  private get censusDir(): string {
    return censusDirOf(this.dataDir);
  }

  /**
   * Checks the records against the platform's own ground truth: every impression the sandbox
   * closed with a swipe must be described by exactly one record, in order.
   */
  private async verify(auditId: string): Promise<Pick<TrialResult, 'lostRecords' | 'duplicateRecords' | 'retriedSteps' | 'sessionsReacquired'>> {
    const store = openArtifactStore(this.options.artifacts as string, this.options.s3 ? { s3Endpoint: `http://127.0.0.1:${this.options.s3Port}` } : {});
    const records: InteractionRecord[] = [];
    for (const phase of PHASES) records.push(...(await loadPhaseRecords(store, auditId, phase).catch(() => [])));
    const swipes = await this.closedImpressions(auditId);
    const recordedVideos = records.map((r) => r.observation.videoId);
    // Longest common subsequence of the two video sequences: swipes outside it are lost, records outside it duplicates.
    const matched = lcsLength(swipes, recordedVideos);
    const progress = await this.progress(auditId);
    return {
      lostRecords: swipes.length - matched,
      duplicateRecords: recordedVideos.length - matched,
      retriedSteps: records.filter((r) => (r.attempt ?? 1) > 1).length,
      sessionsReacquired: Math.max(0, (progress?.sessions ?? 1) - 1),
    };
  }

  private async closedImpressions(account: string): Promise<string[]> {
    const base = `http://127.0.0.1:${this.options.sandboxPort}`;
    const videos: string[] = [];
    for (let offset = 0; ; offset += 500) {
      const response = await fetch(`${base}/admin/accounts/${encodeURIComponent(account)}/impressions?offset=${offset}&limit=500`, {
        headers: { 'x-admin-token': this.adminToken() },
      });
      if (!response.ok) throw new Error(`sandbox admin API: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as { impressions: Array<{ closedAt: string | null; video: { id: string } }> };
      for (const impression of body.impressions) if (impression.closedAt) videos.push(impression.video.id);
      if (body.impressions.length < 500) return videos;
    }
  }

  private adminToken(): string {
    return readFileSync(adminTokenFile(join(this.dataDir, 'sandbox')), 'utf8').trim();
  }

  async stop(): Promise<void> {
    for (const connection of [...this.retired, this.connection]) await connection.close().catch(() => undefined);
    await stackDown(this.dataDir);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

const censusDirOf = (dataDir: string) => join(dataDir, 'census');

/**
 * Runs `start` (which starts a worker) with PERSONAACT_SESSION_CENSUS_DIR set to the stack's
 * census folder: the worker inherits the environment of `dev up`.
 */
async function withCensus<T>(dataDir: string, start: () => Promise<T>): Promise<T> {
  const before = process.env.PERSONAACT_SESSION_CENSUS_DIR;
  process.env.PERSONAACT_SESSION_CENSUS_DIR = censusDirOf(dataDir);
  try {
    return await start();
  } finally {
    if (before === undefined) delete process.env.PERSONAACT_SESSION_CENSUS_DIR;
    else process.env.PERSONAACT_SESSION_CENSUS_DIR = before;
  }
}

/** A free port with the `count - 1` ports above it free too (SeaweedFS's S3 port and its seven internal ones). */
async function freePortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = await randomFreePort();
    if (first + count > 65_535) continue;
    const free = await Promise.all(Array.from({ length: count - 1 }, (_, i) => isPortFree(first + 1 + i)));
    if (free.every(Boolean)) return first;
  }
  throw new Error(`no run of ${count} free ports found`);
}

function lcsLength(a: readonly string[], b: readonly string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    const row = [0];
    for (let j = 0; j < b.length; j++) row.push(x === b[j] ? (previous[j] as number) + 1 : Math.max(previous[j + 1] as number, row[j] as number));
    previous = row;
  }
  return previous[b.length] as number;
}
