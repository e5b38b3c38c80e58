/**
 * The PersonaAct paper's `raw_data/<user>/session_*.json` (data/personaact/README.md): one file per
 * viewing session. Pure; import-logs.ts reads and parses the files.
 *
 * Step times: the paper writes each step's end in UTC (yyyymmddTHHMMSSmmm) and the session's start
 * in the collector's local time without an offset. The offset between the two (UTC+8 for users a
 * and b) is recovered per session and written into each step's timestamp, so features read the
 * viewer's own clock (time of day) while the instant stays exact.
 */
import { z } from 'zod';
import type { LogStep } from '../core/behaviour-log';
import { LogPlatformSchema } from '../core/log-platform';
import { LogFormatError } from './log-format-error';

const PaperActionSchema = z.object({
  type: z.enum(['like', 'share', 'comment']),
  /** Share target or comment text. */
  text: z.string().optional(),
});

const PaperStepSchema = z.object({
  timestamp: z.string().regex(/^\d{8}T\d{9}$/, 'expected yyyymmddTHHMMSSmmm (UTC)'),
  actions: z.array(PaperActionSchema),
  viewing_duration: z.number().nonnegative(),
});

const PaperSessionSchema = z.object({
  session_id: z.string().min(1),
  collector: z.string().min(1),
  platform: LogPlatformSchema,
  start_time: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/, 'expected local time yyyy-mm-ddTHH:MM:SS[.ffffff]'),
  actions: z.array(PaperStepSchema),
});

export type PaperSession = z.output<typeof PaperSessionSchema>;

/** Whether a parsed JSON document looks like a paper session (so import-logs picks this parser). */
export const isPaperSession = (json: unknown): boolean =>
  typeof json === 'object' && json !== null && 'session_id' in json && 'actions' in json;

const MINUTE_MS = 60_000;
/** Offsets are whole quarter hours (UTC+5:45 exists); anything beyond ±14 h is not an offset. */
const OFFSET_STEP_MS = 15 * MINUTE_MS;
const MAX_OFFSET_MS = 14 * 60 * MINUTE_MS;

const utcMs = (stamp: string) =>
  Date.UTC(
    Number(stamp.slice(0, 4)), Number(stamp.slice(4, 6)) - 1, Number(stamp.slice(6, 8)),
    Number(stamp.slice(9, 11)), Number(stamp.slice(11, 13)), Number(stamp.slice(13, 15)), Number(stamp.slice(15, 18)),
  );

/** The local clock time read as if it were UTC, so subtracting a UTC instant gives the offset. */
const localAsUtcMs = (local: string) => Date.parse(`${local.slice(0, 23)}Z`);

/**
 * The session's UTC offset: its local start minus the start of its first video (end − duration),
 * rounded to a quarter hour. Null when the session has no steps or the difference is no offset.
 */
function sessionOffsetMs(session: PaperSession): number | null {
  const first = session.actions[0];
  if (!first) return null;
  const firstStart = utcMs(first.timestamp) - first.viewing_duration * 1000;
  const offset = Math.round((localAsUtcMs(session.start_time) - firstStart) / OFFSET_STEP_MS) * OFFSET_STEP_MS;
  return Math.abs(offset) <= MAX_OFFSET_MS ? offset : null;
}

function offsetSuffix(offsetMs: number): string {
  if (offsetMs === 0) return 'Z';
  const minutes = Math.abs(offsetMs) / MINUTE_MS;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${offsetMs < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** ISO 8601 in the given offset: "2025-11-28T17:46:09.432+08:00". */
export function isoWithOffset(instantMs: number, offsetMs: number): string {
  return new Date(instantMs + offsetMs).toISOString().replace(/Z$/, offsetSuffix(offsetMs));
}

/** Validates one session document (already parsed JSON); errors name the file and the JSON path. */
export function parsePaperSession(json: unknown, file: string): PaperSession {
  const parsed = PaperSessionSchema.safeParse(json);
  if (!parsed.success) throw LogFormatError.fromZod(parsed.error, file);
  return parsed.data;
}

/** The session's steps in viewing order, in the log model. */
export function paperSessionSteps(session: PaperSession): LogStep[] {
  const offset = sessionOffsetMs(session) ?? 0;
  return session.actions.map((step) => ({
    sessionId: session.session_id,
    time: isoWithOffset(utcMs(step.timestamp), offset),
    platform: session.platform,
    watchSeconds: step.viewing_duration,
    actions: step.actions.map((a) => (a.text === undefined ? { type: a.type } : { type: a.type, text: a.text })),
  }));
}
