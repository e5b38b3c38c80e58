/**
 * The interview's documents: the transcript the persona interview workflow stores, and the answers
 * file `personaact persona build --answers` reads (a transcript without the workflow's bookkeeping);
 * plus the interview's settings and the Update a person answers with.
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
  /** The workflow's id of the question ("q3"); answers name it, so a late answer never lands on the next question. */
  questionId: z.string().min(1).optional(),
  /** The question bank's template key ("skipping.quick", "followup.vague.skipping.quick"); absent for a model's own question. */
  key: z.string().min(1).optional(),
  /** Who wrote this question: "question-bank" or the chat model's name. */
  generatedBy: z.string().min(1).optional(),
  /** Why the bank stood in for the chat model on this question (timeout, a refused question…). */
  fallback: z.string().min(1).optional(),
  /** The person chose not to answer. */
  skipped: z.boolean().optional(),
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

/** The bank's sections, in the order the interview walks them. */
export const INTERVIEW_SECTIONS = ['habits', 'skipping', 'liking', 'categories', 'motives', 'social'] as const;
export type InterviewSection = (typeof INTERVIEW_SECTIONS)[number];

export const InterviewSectionSchema = z.object({
  name: z.enum(INTERVIEW_SECTIONS),
  /** At most this many questions (follow-ups included); a section ends early when it has nothing left to ask. */
  turns: z.number().int().min(1).max(10),
});

export const DEFAULT_INTERVIEW_SECTIONS: readonly z.input<typeof InterviewSectionSchema>[] = [
  { name: 'habits', turns: 3 },
  { name: 'skipping', turns: 3 },
  { name: 'liking', turns: 3 },
  { name: 'categories', turns: 3 },
  { name: 'motives', turns: 3 },
  { name: 'social', turns: 2 },
];

export const INTERVIEWERS = ['question-bank', 'chat-model'] as const;

export const InterviewSettingsSchema = z.object({
  sections: z
    .array(InterviewSectionSchema)
    .min(1)
    .default(() => DEFAULT_INTERVIEW_SECTIONS.map((s) => ({ ...s })))
    .refine((sections) => new Set(sections.map((s) => s.name)).size === sections.length, 'each section may appear once'),
  /** chat-model: the worker's configured model writes questions and the narrative, the bank stands in when it fails. */
  interviewer: z.enum(INTERVIEWERS).default('question-bank'),
});

export type InterviewSectionSettings = z.output<typeof InterviewSectionSchema>;
export type InterviewSettings = z.output<typeof InterviewSettingsSchema>;
export type Interviewer = (typeof INTERVIEWERS)[number];

/** Longest answer the workflow keeps: a transcript stays small enough for workflow state. */
export const MAX_ANSWER_CHARS = 4000;

/** What a person sends (the `answer` Update): an answer to the question on screen, or skip it, or end the interview. */
export const InterviewAnswerSchema = z
  .object({
    questionId: z.string().min(1),
    answer: z.string().max(MAX_ANSWER_CHARS).optional(),
    skip: z.boolean().optional(),
    finish: z.boolean().optional(),
  })
  .refine((a) => a.skip === true || a.finish === true || (a.answer ?? '').trim() !== '', {
    message: 'the answer is empty (send skip to pass on this question, or finish to end the interview)',
    path: ['answer'],
  });
export type InterviewAnswer = z.output<typeof InterviewAnswerSchema>;

export interface InterviewQuestion {
  readonly id: string;
  readonly section: string;
  readonly text: string;
  readonly cites: readonly string[];
}

export type InterviewStatus = 'PREPARING' | 'ASKING' | 'SYNTHESIZING' | 'COMPLETED';

/** The workflow's answer to the progress query, and to every accepted answer. */
export interface InterviewProgress {
  readonly interviewId: string;
  readonly personaId: string;
  readonly status: InterviewStatus;
  /** Who writes the questions: "question-bank" or the chat model's name (known once the logs are read). */
  readonly interviewer: string;
  /** The question waiting for an answer; null while the next one is written, and at the end. */
  readonly question: InterviewQuestion | null;
  readonly answered: number;
  readonly skipped: number;
  /** Sum of the sections' turn budgets: the most questions this interview asks. */
  readonly plannedTurns: number;
  readonly sections: readonly { readonly name: string; readonly asked: number; readonly turns: number }[];
}
