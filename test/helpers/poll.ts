/**
 * The tests' one polling loop: asks `probe` until `done` accepts its value, and otherwise fails
 * naming what it waited for, how long, and the last value (or error) seen. Waiting on an event
 * this way, instead of sleeping a fixed time, keeps tests right on a loaded machine.
 */
export interface PollOptions {
  /** Give up after this long (default 30 s: generous, a loaded CI machine is slow). */
  timeoutMs?: number;
  /** Pause between probes (default 100 ms). */
  intervalMs?: number;
  /** A probe that throws counts as "not yet" (e.g. a query before a worker answers); default: the error fails the wait. */
  retryErrors?: boolean;
}

export class PollTimeoutError extends Error {
  override name = 'PollTimeoutError';
}

export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T> | T,
  done: (value: T) => boolean,
  { timeoutMs = 30_000, intervalMs = 100, retryErrors = false }: PollOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: { value: T } | { error: unknown } | undefined;
  for (;;) {
    try {
      const value = await probe();
      if (done(value)) return value;
      last = { value };
    } catch (error) {
      if (!retryErrors) throw error;
      last = { error };
    }
    if (Date.now() > deadline) {
      const seen = last === undefined ? 'nothing' : 'value' in last ? JSON.stringify(last.value) : `error ${(last.error as Error)?.message ?? String(last.error)}`;
      throw new PollTimeoutError(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
