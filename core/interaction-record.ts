/** One step of an audit as stored in the artifact store: what was seen, decided and done. */
import { z } from 'zod';
import { DecisionSchema } from './decision';
import { ObservationSchema } from './observation';
import { KeySegmentSchema, TimestampSchema } from './primitives';

export const PHASES = ['cultivation', 'counterfactual'] as const;
export const PhaseSchema = z.enum(PHASES);

const milliseconds = z.number().nonnegative();

export const InteractionRecordSchema = z
  .object({
    schemaVersion: z.literal(1),
    auditId: KeySegmentSchema,
    phase: PhaseSchema,
    index: z.number().int().nonnegative(),
    observation: ObservationSchema,
    /** The decision the agent acted on (in the counterfactual phase, the reversed one). */
    decision: DecisionSchema,
    /**
     * The policy's own decision, when the executed one was derived from it: in the counterfactual
     * phase the policy decides as p and its output is reversed (core/reversed-decision.ts).
     */
    policyDecision: DecisionSchema.optional(),
    /** Dwell the decision asked for: watchSeconds × 1000. */
    intendedDwellMs: milliseconds,
    /** Dwell the platform saw, from the video's appearance to the swipe; decision latency counts inside it. */
    executedDwellMs: milliseconds,
    decisionLatencyMs: milliseconds,
    startedAt: TimestampSchema,
    endedAt: TimestampSchema,
    screenshotKey: z.string().min(1).optional(),
    /** What the adapter actually did, in order (e.g. "like", "comment", "swipe"); may differ from the decision when a control is missing. */
    actionsPerformed: z.array(z.string()),
    /** Which attempt of the step activity wrote the record: > 1 after a retry (reports count them). */
    attempt: z.number().int().positive().optional(),
    /**
     * Written by the workflow for a step whose swipe reached the platform after which its activity
     * was lost: dwell and times are not measured (executed = intended), actionsPerformed is unknown.
     */
    unconfirmed: z.boolean().optional(),
  })
  .superRefine((record, ctx) => {
    if (Date.parse(record.endedAt) < Date.parse(record.startedAt)) {
      ctx.addIssue({ code: 'custom', path: ['endedAt'], message: `endedAt (${record.endedAt}) is before startedAt (${record.startedAt})` });
    }
  });

export type Phase = z.output<typeof PhaseSchema>;
export type InteractionRecord = z.output<typeof InteractionRecordSchema>;

function stepKey(auditId: string, phase: Phase, index: number, extension: string): string {
  if (!KeySegmentSchema.safeParse(auditId).success) throw new RangeError(`auditId "${auditId}" cannot be part of an artifact key`);
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`step index must be a non-negative integer, got ${index}`);
  // Zero-padded so keys list in step order.
  return `audits/${auditId}/${phase}/${String(index).padStart(6, '0')}.${extension}`;
}

/** Where a step's record lives. One key per (audit, phase, index): a retried step overwrites, never duplicates. */
export function recordKey(auditId: string, phase: Phase, index: number): string {
  return stepKey(auditId, phase, index, 'json');
}

/** Where a step's screenshot (JPEG: a ninth of a PNG's size, encoded ~3x faster) lives, beside its record. */
export function screenshotKey(auditId: string, phase: Phase, index: number): string {
  return stepKey(auditId, phase, index, 'jpg');
}
