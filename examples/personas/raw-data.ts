/**
 * Reader for the PersonaAct paper's `raw_data/<user>/session_*.json` logs (data/personaact/): just
 * what the example personas need. General log importers belong in their own module.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { formatZodError } from '../../core';

const RawActionSchema = z.object({
  type: z.enum(['like', 'share', 'comment']),
  /** Share target or comment text. */
  text: z.string().optional(),
});

const RawStepSchema = z.object({
  /** UTC, end of viewing: yyyymmddTHHMMSSmmm. */
  timestamp: z.string().regex(/^\d{8}T\d{9}$/, 'expected yyyymmddTHHMMSSmmm'),
  actions: z.array(RawActionSchema),
  viewing_duration: z.number().nonnegative(),
});

const RawSessionSchema = z.object({
  session_id: z.string().min(1),
  collector: z.string().min(1),
  platform: z.string().min(1),
  /** Local time without offset; all of one user's sessions share the format, so it sorts. */
  start_time: z.string().min(1),
  actions: z.array(RawStepSchema),
});

export type RawStep = z.output<typeof RawStepSchema>;
export type RawSession = z.output<typeof RawSessionSchema>;

/** Parses one session file's text; `source` names the file in every error message. */
export function parseRawSession(text: string, source: string): RawSession {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const result = RawSessionSchema.safeParse(json);
  if (!result.success) throw new Error(formatZodError(result.error, source));
  return result.data;
}

/** Every step of every session: sessions in the order they were recorded, steps in viewing order. */
export function stepsInOrder(sessions: readonly RawSession[]): RawStep[] {
  // Plain code-unit order, not localeCompare: the result must not depend on the machine's locale.
  const byStart = [...sessions].sort((x, y) => (x.start_time < y.start_time ? -1 : x.start_time > y.start_time ? 1 : 0));
  return byStart.flatMap((s) => s.actions);
}

export interface RawSessionFile {
  readonly file: string;
  readonly session: RawSession;
}

/** Reads every `*.json` in one user's folder, sorted by file name so the result is stable. */
export function readRawUser(dir: string): RawSessionFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      return { file, session: parseRawSession(readFileSync(file, 'utf8'), file) };
    });
}
