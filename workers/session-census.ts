/**
 * PERSONAACT_SESSION_CENSUS_DIR: the browser worker writes what it has open (the session pool's
 * sessions, Chromium's contexts and pages) to `<dir>/<pid>.json` every second and once more after
 * shutdown. The fault matrix (bench:faults) reads it to count browser contexts still open after
 * an audit ends: leaks a graceful shutdown would hide.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionCensus, SessionPool } from '../activities/browser/session-pool';

export interface CensusFile extends SessionCensus {
  pid: number;
  /** ISO time of the count. */
  at: string;
  /** Written after the pool closed everything (the worker is stopping). */
  final: boolean;
}

export const censusFile = (dir: string, pid: number) => join(dir, `${pid}.json`);

export async function writeCensus(dir: string, pool: SessionPool, final = false): Promise<void> {
  const census: CensusFile = { pid: process.pid, at: new Date().toISOString(), final, ...(await pool.census()) };
  mkdirSync(dir, { recursive: true });
  const file = censusFile(dir, process.pid);
  // Whole or not at all: a reader never sees half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify(census));
  renameSync(`${file}.tmp`, file);
}

/** Writes the census every `everyMs` until the returned stop is called. */
export function startCensus(dir: string, pool: SessionPool, everyMs = 1000): () => void {
  let writing = false;
  const timer = setInterval(() => {
    if (writing) return;
    writing = true;
    void writeCensus(dir, pool).catch(() => undefined).finally(() => (writing = false));
  }, everyMs);
  return () => clearInterval(timer);
}
