/** What a researcher asks for when starting an audit: the workflow's versioned input. */
import { CountrySchema } from './identity';
import { z } from 'zod';
import { ChallengeSettingsSchema } from './challenge';
import { PlatformSchema } from './observation';
import { PersonaSchema, ReversalSettingsSchema } from './persona';
import { KeySegmentSchema } from './primitives';
import { MitigationSettingsSchema } from './study-arms';
import { StudyArmSchema } from './study-manifest';

/**
 * A sandbox recommender profile by name, with its parameters when it is not one the sandbox was
 * started with (a profiles file as `bench:calibration --profiles` reads; the sandbox validates them).
 */
export const SandboxProfileRefSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a lowercase slug (letters, digits, dashes)'),
  definition: z.record(z.string(), z.unknown()).optional(),
});
export type SandboxProfileRef = z.output<typeof SandboxProfileRefSchema>;

/** The paper's phase length: about 800 interactions each. */
const PAPER_PHASE_STEPS = 800;

export const AuditSpecSchema = z.object({
  schemaVersion: z.literal(1),
  platform: PlatformSchema,
  persona: PersonaSchema,
  /** The platform account the agent drives; a fresh one per audit, since cultivation shapes it. */
  accountId: KeySegmentSchema,
  // A phase may be empty (a series session runs one phase only: docs/series.md), not both.
  cultivationSteps: z.number().int().nonnegative().default(PAPER_PHASE_STEPS),
  counterfactualSteps: z.number().int().nonnegative().default(PAPER_PHASE_STEPS),
  /** Which policy decides: "persona-stat" samples from the persona's statistics, others name a model. */
  policy: z.string().min(1).default('persona-stat'),
  // prefault, not default: an omitted block is parsed, so each setting gets its own default.
  reversal: ReversalSettingsSchema.prefault({}),
  seed: z.union([z.string().min(1), z.number()]),
  studyId: KeySegmentSchema.optional(),
  /** What the counterfactual phase does (core/study-arms.ts); absent = `reversed`, the paper's audit. */
  arm: StudyArmSchema.optional(),
  /** The mitigation arms' settings (absent: MitigationSettingsSchema's defaults). */
  mitigation: MitigationSettingsSchema.optional(),
  /** The sandbox recommender profile of a new account (absent: the sandbox's default). */
  sandboxProfile: SandboxProfileRefSchema.optional(),
  /** Real platforms: the account must live in this country (its identity's; a study cell's `country`). */
  country: CountrySchema.optional(),
  /** Clock speed-up the sandbox applies (tests run it faster); real platforms run at 1. */
  timeScale: z.number().positive().optional(),
  /** Captchas and login walls wait for a person (defaults: ChallengeSettingsSchema). */
  challenges: ChallengeSettingsSchema.optional(),
}).refine((spec) => spec.cultivationSteps + spec.counterfactualSteps > 0, {
  path: ['cultivationSteps'], message: 'an audit needs at least one step: cultivationSteps and counterfactualSteps are both 0',
});

export type AuditSpec = z.output<typeof AuditSpecSchema>;
export type AuditSpecInput = z.input<typeof AuditSpecSchema>;
