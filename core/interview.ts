/**
 * The interview's documents: the transcript the persona interview workflow stores, and the answers
 * file `personaact persona build --answers` reads (a transcript without the workflow's bookkeeping).
 */
import { z } from 'zod';
import { TimestampSchema } from './primitives';

export const InterviewTurnSchema = z.object({
  /** The section the question belongs to (e.g. "habits", "skips", "likes", "motives"). */
  section: z.string().min(1),
  question: z.string().min(1),
  answer: z.string(),
  /** The behaviour the question cites ("skipped 71 % of videos within 3 s"), for provenance. */
  cites: z.array(z.string()).default([]),
  askedAt: TimestampSchema.optional(),
  answeredAt: TimestampSchema.optional(),
});

export const InterviewTranscriptSchema = z.object({
  schemaVersion: z.literal(1),
  interviewId: z.string().min(1),
  /** Who wrote the questions: "question-bank" offline, or the chat model's name. */
  interviewer: z.string().min(1),
  turns: z.array(InterviewTurnSchema),
});

export type InterviewTurn = z.output<typeof InterviewTurnSchema>;
export type InterviewTranscript = z.output<typeof InterviewTranscriptSchema>;
