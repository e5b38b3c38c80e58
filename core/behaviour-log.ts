/**
 * The one log model every importer produces (the paper's raw_data sessions, our neutral JSONL,
 * TikTok's data export): what a real person watched and did, step by step. Features, personas,
 * fidelity evaluation and training datasets all read this model, never an importer's own format.
 */
import { z } from 'zod';
import { LogPlatformSchema } from './log-platform';
import { Level1SlugSchema, TimestampSchema } from './primitives';

export const LOG_ACTION_TYPES = ['like', 'comment', 'share', 'favorite'] as const;
export const LogActionTypeSchema = z.enum(LOG_ACTION_TYPES);

export const LogActionSchema = z.object({
  type: LogActionTypeSchema,
  /** Comment text or share target, when the source has it. */
  text: z.string().optional(),
});

export const LogStepSchema = z.object({
  /** The viewing session this step belongs to; fidelity splits never cut a session in two. */
  sessionId: z.string().min(1),
  /** When the step ended (the paper's timestamps mark the end of viewing). */
  time: TimestampSchema,
  platform: LogPlatformSchema,
  /** Seconds the video was on screen. */
  watchSeconds: z.number().nonnegative(),
  /** True when the source has no watch time and the importer derived it (e.g. from the gap to the next video). */
  watchSecondsInferred: z.boolean().optional(),
  actions: z.array(LogActionSchema),
  videoId: z.string().min(1).optional(),
  title: z.string().optional(),
  tags: z.array(z.string()).optional(),
  /** Level-1 categories, when the source (or a labeller) knows them. */
  level1: z.array(Level1SlugSchema).optional(),
  creator: z.string().optional(),
  /** Length of the video itself, when known. */
  videoSeconds: z.number().nonnegative().optional(),
  /** The video's view count on the platform when it was watched, when the source has it (popularity). */
  viewCount: z.number().int().nonnegative().optional(),
});

export const BehaviourLogSchema = z.object({
  schemaVersion: z.literal(1),
  /** Who the log belongs to (a pseudonym: never a real name). */
  user: z.string().min(1),
  /** The files the log was imported from, for provenance. */
  sources: z.array(z.string()),
  /** Sessions in the order they were recorded, steps in viewing order within each. */
  steps: z.array(LogStepSchema),
});

export type LogActionType = z.output<typeof LogActionTypeSchema>;
export type LogAction = z.output<typeof LogActionSchema>;
export type LogStep = z.output<typeof LogStepSchema>;
export type BehaviourLog = z.output<typeof BehaviourLogSchema>;

export interface LogSession {
  readonly sessionId: string;
  readonly steps: readonly LogStep[];
}

/** Consecutive steps with the same sessionId, in log order. */
export function sessionsOf(steps: readonly LogStep[]): LogSession[] {
  const sessions: { sessionId: string; steps: LogStep[] }[] = [];
  for (const step of steps) {
    const last = sessions.at(-1);
    if (last && last.sessionId === step.sessionId) last.steps.push(step);
    else sessions.push({ sessionId: step.sessionId, steps: [step] });
  }
  return sessions;
}

export const hasAction = (step: LogStep, type: LogActionType): boolean => step.actions.some((a) => a.type === type);
