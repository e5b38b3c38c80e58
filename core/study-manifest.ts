/**
 * What a study ran: one entry per child audit with its cell (platform × profile × persona × arm) and
 * replicate. `studyWorkflow` keeps it current in the artifact store (`studies/<id>/manifest.json`);
 * the study analysis reads it and each audit's records, so a study report never needs Temporal.
 */
import { z } from 'zod';
import { KeySegmentSchema } from './primitives';

/**
 * What the agent does in the counterfactual phase. `reversed`: the reversed persona p′ (the paper);
 * `control`: p simply continues (the null BEP is compared with); the `mitigate-*` arms are user-side
 * escape strategies acted out by p (docs/studies.md).
 */
export const STUDY_ARMS = ['reversed', 'control', 'mitigate-not-interested', 'mitigate-explore'] as const;
export const StudyArmSchema = z.enum(STUDY_ARMS);
export type StudyArm = z.output<typeof StudyArmSchema>;

/** One cell of the design: the audits in it differ only by replicate (account and seed). */
export const StudyCellSchema = z.object({
  platform: z.string().min(1),
  /** The sandbox recommender profile; absent on real platforms. */
  profile: z.string().min(1).optional(),
  /** Real platforms: the country of the cell's accounts (core/identity.ts). */
  country: z.string().min(1).optional(),
  personaId: KeySegmentSchema,
  arm: StudyArmSchema,
});
export type StudyCell = z.output<typeof StudyCellSchema>;

export const STUDY_AUDIT_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;

export const StudyAuditEntrySchema = z.object({
  auditId: KeySegmentSchema,
  cell: StudyCellSchema,
  /** 0-based; every replicate is its own fresh account. */
  replicate: z.number().int().nonnegative(),
  accountId: KeySegmentSchema,
  seed: z.union([z.string().min(1), z.number()]),
  status: z.enum(STUDY_AUDIT_STATUSES),
  /** Why a failed audit failed (after its retries). */
  error: z.string().optional(),
});
export type StudyAuditEntry = z.output<typeof StudyAuditEntrySchema>;

export const StudyManifestSchema = z.object({
  schemaVersion: z.literal(1),
  studyId: KeySegmentSchema,
  audits: z.array(StudyAuditEntrySchema),
});
export type StudyManifest = z.output<typeof StudyManifestSchema>;

export const studyManifestKey = (studyId: string): string => `studies/${studyId}/manifest.json`;

/** A stable, readable name for a cell ("sandbox/sticky/user-a/control"), used in ids, tables and exports. */
export const cellName = (cell: StudyCell): string =>
  [cell.platform, ...(cell.country ? [cell.country] : []), ...(cell.profile ? [cell.profile] : []), cell.personaId, cell.arm].join('/');
