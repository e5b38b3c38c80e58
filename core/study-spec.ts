/**
 * A study: platforms (on the sandbox, × recommender profiles) × personas × arms × replicates, each
 * combination one `auditWorkflow` on a fresh account, every audit's seed derived from the study's.
 * Written by a researcher as JSON or YAML (docs/studies.md); `personaact study start` reads the
 * files it names and `studyWorkflow` expands it with `planStudy` (pure: the workflow calls it).
 */
import { z } from 'zod';
import { CountrySchema } from './identity';
import { PlatformSchema } from './observation';
import { ReversalSettingsSchema } from './persona';
import { KeySegmentSchema } from './primitives';
import { MitigationSettingsSchema } from './study-arms';
import { cellName, StudyArmSchema, type StudyCell } from './study-manifest';

/** Account ids are `<study id>-c<cell>-r<replicate>[-a<attempt>]` and the sandbox allows 64 characters. */
export const MAX_STUDY_ID_LENGTH = 40;

const ProfileNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a profile name: a lowercase slug (letters, digits, dashes)');

export const StudyPlatformSchema = z.object({
  platform: PlatformSchema,
  /** Sandbox only: one cell per recommender profile (a built-in name or one from `profilesFile`). */
  profiles: z.array(ProfileNameSchema).min(1).optional(),
  /** Real platforms: the country the cell's accounts live in (their identity's, core/identity.ts); an audit refuses an account of another. */
  country: CountrySchema.optional(),
}).strict().superRefine((entry, ctx) => {
  if (entry.country && entry.platform === 'sandbox') {
    ctx.addIssue({ code: 'custom', path: ['country'], message: 'the sandbox has no countries: a country names where a real platform\'s accounts live' });
  }
  if (entry.profiles && entry.platform !== 'sandbox') {
    ctx.addIssue({ code: 'custom', path: ['profiles'], message: `recommender profiles exist only on the sandbox, not on ${entry.platform}` });
  }
  if (entry.profiles && new Set(entry.profiles).size !== entry.profiles.length) {
    ctx.addIssue({ code: 'custom', path: ['profiles'], message: 'a profile is listed twice' });
  }
});

const unique = <T>(items: readonly T[]) => new Set(items).size === items.length;

export const StudySpecSchema = z.object({
  schemaVersion: z.literal(1).default(1),
  /** The study id: workflow id, prefix of its audits' ids and accounts, `studies/<id>/` in the store. */
  id: KeySegmentSchema.max(MAX_STUDY_ID_LENGTH, `at most ${MAX_STUDY_ID_LENGTH} characters (account ids are built from it)`),
  /** Every audit's seed derives from it (deriveSeed): the same spec replays the same decisions. */
  seed: z.union([z.string().min(1), z.number()]),
  platforms: z.array(StudyPlatformSchema).min(1, 'at least one platform'),
  /** A profiles file (the format of sandbox/profiles.json and `bench:calibration --profiles`), relative to the spec. */
  profilesFile: z.string().min(1).optional(),
  /** Persona documents (examples/personas/), relative to the spec file. */
  personas: z.array(z.string().min(1)).min(1, 'at least one persona file').refine(unique, 'a persona file is listed twice'),
  arms: z.array(StudyArmSchema).min(1).default(['reversed', 'control']).refine(unique, 'an arm is listed twice'),
  /** Audits per cell, each on its own fresh account. */
  replicates: z.number().int().positive(),
  cultivationSteps: z.number().int().positive(),
  counterfactualSteps: z.number().int().positive(),
  policy: z.string().min(1).default('persona-stat'),
  reversal: ReversalSettingsSchema.prefault({}),
  mitigation: MitigationSettingsSchema.prefault({}),
  /** Audits running at once (each holds one browser session). */
  concurrency: z.number().int().positive().default(2),
  /** A failed audit is started again on a new account this many times before it is reported failed. */
  retries: z.number().int().min(0).max(5).default(1),
  screenshots: z.boolean().default(false),
}).strict();

export type StudySpec = z.output<typeof StudySpecSchema>;
export type StudySpecInput = z.input<typeof StudySpecSchema>;

/** One audit of the design before it runs: the cell, the replicate and its seed. */
export interface PlannedAudit {
  /** Position in the plan: cells in spec order (platform, profile, persona, arm), replicates within. */
  slot: number;
  cellIndex: number;
  cell: StudyCell;
  replicate: number;
  seed: string;
}

/** The cells of the design, in the spec's order. `personaIds` are the personas' ids, in the spec's order. */
export function studyCells(spec: Pick<StudySpec, 'platforms' | 'arms'>, personaIds: readonly string[]): StudyCell[] {
  const cells: StudyCell[] = [];
  for (const { platform, profiles, country } of spec.platforms) {
    for (const profile of profiles ?? [undefined]) {
      for (const personaId of personaIds) {
        for (const arm of spec.arms) cells.push({ platform, ...(country ? { country } : {}), ...(profile ? { profile } : {}), personaId, arm });
      }
    }
  }
  return cells;
}

/** An audit's seed: the study seed, the cell and the replicate. Arms get their own seeds (independent replicates). */
export const deriveSeed = (studySeed: string | number, cell: StudyCell, replicate: number): string =>
  `${studySeed}/${cellName(cell)}/r${replicate}`;

export function planStudy(spec: Pick<StudySpec, 'platforms' | 'arms' | 'replicates' | 'seed'>, personaIds: readonly string[]): PlannedAudit[] {
  return studyCells(spec, personaIds).flatMap((cell, cellIndex) =>
    Array.from({ length: spec.replicates }, (_, replicate) => ({
      slot: cellIndex * spec.replicates + replicate, cellIndex, cell, replicate, seed: deriveSeed(spec.seed, cell, replicate),
    })));
}

/**
 * The order a study starts its audits in: replicate by replicate, every cell of a replicate
 * (platforms, profiles, personas, arms) before the next one — reversed r0, control r0, reversed r1,
 * … — so the arms run side by side under the same machine and platform conditions rather than
 * one arm's audits all before the other's (which confounds the arm with the load it ran under).
 */
export function interleavedOrder(plan: readonly PlannedAudit[]): number[] {
  return [...plan].sort((a, b) => a.replicate - b.replicate || a.cellIndex - b.cellIndex).map((planned) => planned.slot);
}

/** `<study>-<platform>.<profile>.<persona>.<arm>-r<replicate>`, `-a<attempt>` for a retry: readable in `audit list`. */
export function studyAuditId(studyId: string, planned: Pick<PlannedAudit, 'cell' | 'replicate'>, attempt: number): string {
  return `${studyId}-${cellName(planned.cell).replaceAll('/', '.')}-r${planned.replicate}${attempt > 0 ? `-a${attempt}` : ''}`;
}

/** A fresh account per replicate and per retry: cultivation shapes an account, so none is ever reused. */
export function studyAccountId(studyId: string, planned: Pick<PlannedAudit, 'cellIndex' | 'replicate'>, attempt: number): string {
  return `${studyId}-c${planned.cellIndex}-r${planned.replicate}${attempt > 0 ? `-a${attempt}` : ''}`;
}
