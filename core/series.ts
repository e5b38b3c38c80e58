/**
 * A longitudinal series (docs/series.md): one account audited in sessions on a Temporal Schedule,
 * as p for the first `reverseAfter` sessions and as p' from then on. This module is pure: the
 * series' spec (the scheduled workflow's input), its sessions as stored, and the metrics that
 * accumulate across them (diversity, category distribution, drift, BEP around the reversal).
 */
import { z } from 'zod';
import { ChallengeSettingsSchema } from './challenge';
import { categoryCounts, jsDivergence, normalizedEntropy, type CategorizedStep } from './metrics';
import { PlatformSchema } from './observation';
import { PersonaSchema, ReversalSettingsSchema } from './persona';
import { KeySegmentSchema, TimestampSchema } from './primitives';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "90s", "30m", "6h", "1d" → milliseconds; undefined when the text is not such a duration. */
export function parseDurationMs(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([smhd])\s*$/.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** The shortest interval a schedule gets: a session needs its browser, and tests run at second scale. */
export const MIN_EVERY_MS = 1_000;

export const SeriesSpecSchema = z.object({
  schemaVersion: z.literal(1),
  /** The series id: also the schedule id and the prefix of every session's audit id. */
  seriesId: KeySegmentSchema,
  platform: PlatformSchema,
  persona: PersonaSchema,
  /** The one account every session drives (its cookies come from the account store). */
  accountId: KeySegmentSchema,
  /** Interactions per session. */
  sessionSteps: z.number().int().positive(),
  /** Sessions 0..K−1 run as p, session K and later as p'; absent: never reversed. */
  reverseAfter: z.number().int().nonnegative().optional(),
  everyMs: z.number().int().min(MIN_EVERY_MS),
  jitterMs: z.number().int().nonnegative().default(0),
  /** No session starts after this. */
  until: TimestampSchema.optional(),
  policy: z.string().min(1).default('persona-stat'),
  reversal: ReversalSettingsSchema.prefault({}),
  seed: z.union([z.string().min(1), z.number()]),
  timeScale: z.number().positive().optional(),
  screenshots: z.boolean().default(false),
  challenges: ChallengeSettingsSchema.optional(),
}).refine((spec) => spec.jitterMs < spec.everyMs, { path: ['jitterMs'], message: 'jitter must be shorter than the interval' });

export type SeriesSpec = z.output<typeof SeriesSpecSchema>;
export type SeriesSpecInput = z.input<typeof SeriesSpecSchema>;

/** Who acts in a session: p, or p' once the series has passed its reversal. */
export type SessionRole = 'original' | 'reversed';

export function sessionRole(spec: Pick<SeriesSpec, 'reverseAfter'>, index: number): SessionRole {
  return spec.reverseAfter !== undefined && index >= spec.reverseAfter ? 'reversed' : 'original';
}

/** `<series>-s003`: the session's audit id and child workflow id (the account lock: see docs/series.md). */
export function sessionAuditId(seriesId: string, index: number): string {
  return `${seriesId}-s${String(index).padStart(3, '0')}`;
}

export const SESSION_STATUSES = ['RUNNING', 'COMPLETED', 'FAILED'] as const;

/** One session as stored in `series/<id>/sessions/<index>.json`. */
export const SeriesSessionSchema = z.object({
  schemaVersion: z.literal(1),
  seriesId: KeySegmentSchema,
  index: z.number().int().nonnegative(),
  auditId: KeySegmentSchema,
  /** The schedule action's workflow id (`<series>-<time>`): a second run of one action runs no second session. */
  workflowId: z.string().optional(),
  role: z.enum(['original', 'reversed']),
  /** The schedule's nominal time for this action (a trigger's or backfill's own time for those). */
  scheduledAt: TimestampSchema,
  startedAt: TimestampSchema,
  endedAt: TimestampSchema.optional(),
  status: z.enum(SESSION_STATUSES),
  steps: z.number().int().nonnegative(),
  categoryCounts: z.record(z.string(), z.number().nonnegative()),
  /** Mean distinct level-1 categories per 20-step window. */
  meanDiversity: z.number().nullable(),
  error: z.string().optional(),
});
export type SeriesSession = z.output<typeof SeriesSessionSchema>;

/** A scheduled action that ran no session, as stored in `series/<id>/missed/<workflow id>.json`. */
export const SeriesMissSchema = z.object({
  schemaVersion: z.literal(1),
  seriesId: KeySegmentSchema,
  scheduledAt: TimestampSchema,
  workflowId: z.string(),
  reason: z.string(),
});
export type SeriesMiss = z.output<typeof SeriesMissSchema>;

/** Mean of the windows' distinct level-1 counts (null when the session recorded nothing). */
export function sessionSummary(steps: readonly CategorizedStep[], windows: readonly number[]): Pick<SeriesSession, 'steps' | 'categoryCounts' | 'meanDiversity'> {
  return {
    steps: steps.length,
    categoryCounts: categoryCounts(steps),
    meanDiversity: windows.length === 0 ? null : windows.reduce((a, b) => a + b, 0) / windows.length,
  };
}

export interface SessionMetrics {
  index: number;
  auditId: string;
  role: SessionRole;
  status: SeriesSession['status'];
  scheduledAt: string;
  steps: number;
  meanDiversity: number | null;
  normalizedEntropy: number | null;
  /** Share of the session's level-1 labels per category. */
  categoryShare: Record<string, number>;
  /** JS divergence from the previous completed session's distribution (null for the first). */
  driftFromPrevious: number | null;
}

export interface MissedWindow {
  /** Nominal start of the window nobody ran. */
  at: string;
  reason: string;
}

export interface SeriesMetrics {
  seriesId: string;
  sessions: SessionMetrics[];
  /**
   * JS(last session as p ‖ first session as p'), and the same over every session on each side.
   * null until the series has sessions on both sides of the reversal.
   */
  bep: { adjacent: number; pooled: number; beforeIndex: number; afterIndex: number } | null;
  missed: MissedWindow[];
}

const hasCounts = (counts: Record<string, number>) => Object.values(counts).some((n) => n > 0);

function share(counts: Record<string, number>): Record<string, number> {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(counts).map(([key, n]) => [key, total === 0 ? 0 : n / total]));
}

function pooled(sessions: readonly SeriesSession[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const session of sessions) for (const [key, n] of Object.entries(session.categoryCounts)) out[key] = (out[key] ?? 0) + n;
  return out;
}

/**
 * Windows of the schedule with no session: between consecutive scheduled times more than 1.5
 * intervals apart, every whole interval in between is a window that ran nothing (a session still
 * running, the catch-up window passed, the schedule paused, the workers down). `until` bounds the
 * last gap: windows after the last session up to min(now, until) count too.
 */
export function missedWindows(scheduledAt: readonly string[], everyMs: number, end: string | undefined): string[] {
  const times = [...new Set(scheduledAt)].map((t) => Date.parse(t)).sort((a, b) => a - b);
  const missed: string[] = [];
  const fill = (from: number, to: number) => {
    for (let t = from + everyMs; t <= to - everyMs / 2; t += everyMs) missed.push(new Date(t).toISOString());
  };
  for (let i = 1; i < times.length; i++) fill(times[i - 1]!, times[i]!);
  if (end !== undefined && times.length > 0) fill(times[times.length - 1]!, Date.parse(end) + everyMs / 2);
  return missed;
}

/** The series' metrics from its stored sessions (any order) and misses. */
export function seriesMetrics(
  spec: Pick<SeriesSpec, 'seriesId' | 'everyMs'>,
  sessions: readonly SeriesSession[],
  misses: readonly SeriesMiss[],
  /** Windows up to this time are expected (now, or the series' end). */
  end?: string,
): SeriesMetrics {
  const ordered = [...sessions].sort((a, b) => a.index - b.index);
  let previous: SeriesSession | undefined;
  const out: SessionMetrics[] = ordered.map((session) => {
    const usable = session.status === 'COMPLETED' && hasCounts(session.categoryCounts);
    const drift = usable && previous ? jsDivergence(previous.categoryCounts, session.categoryCounts) : null;
    if (usable) previous = session;
    return {
      index: session.index, auditId: session.auditId, role: session.role, status: session.status, scheduledAt: session.scheduledAt,
      steps: session.steps, meanDiversity: session.meanDiversity,
      normalizedEntropy: hasCounts(session.categoryCounts) ? normalizedEntropy(session.categoryCounts) : null,
      categoryShare: share(session.categoryCounts), driftFromPrevious: drift,
    };
  });
  const done = ordered.filter((s) => s.status === 'COMPLETED' && hasCounts(s.categoryCounts));
  const before = done.filter((s) => s.role === 'original');
  const after = done.filter((s) => s.role === 'reversed');
  const bep = before.length > 0 && after.length > 0
    ? {
      adjacent: jsDivergence(before[before.length - 1]!.categoryCounts, after[0]!.categoryCounts),
      pooled: jsDivergence(pooled(before), pooled(after)),
      beforeIndex: before[before.length - 1]!.index,
      afterIndex: after[0]!.index,
    }
    : null;
  const missed: MissedWindow[] = [
    ...misses.map((miss) => ({ at: miss.scheduledAt, reason: miss.reason })),
    ...missedWindows([...sessions.map((s) => s.scheduledAt), ...misses.map((m) => m.scheduledAt)], spec.everyMs, end)
      .map((at) => ({ at, reason: 'no session ran in this window (overlap skip, catch-up window passed, paused, or no worker)' })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return { seriesId: spec.seriesId, sessions: out, bep, missed };
}
