/**
 * The training pipeline's documents and vocabulary, shared by the workflow (so: pure), the
 * activities and the CLI: the run spec, the dataset manifest (the contract with the Python trainer
 * in trainer/), a job's observable state, and the model manifest a finished run registers.
 */
import { z } from 'zod';
import { KeySegmentSchema, SlugSchema } from './primitives';
import { EngagementModeSchema, ReversalStrategySchema } from './persona';

/** The trainer's commands, in pipeline order: `python -m personaact_trainer <stage>`. */
export const TRAINING_STAGES = ['sft', 'grpo', 'evaluate'] as const;
export type TrainingStage = (typeof TRAINING_STAGES)[number];

export const BACKENDS = ['local', 'sagemaker'] as const;
export const BackendNameSchema = z.enum(BACKENDS);
export type BackendName = z.infer<typeof BackendNameSchema>;

/** SageMaker's vocabulary, used by both backends. */
export const JOB_STATUSES = ['InProgress', 'Completed', 'Failed', 'Stopped'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * A run id becomes the workflow id and, with `-<stage>` appended, a SageMaker training job name
 * (at most 63 letters, digits and single hyphens), so it is held to that alphabet here.
 */
export const TrainingRunIdSchema = z
  .string()
  .max(54, 'at most 54 characters (it becomes a SageMaker job name with "-evaluate" appended)')
  .regex(/^[A-Za-z0-9](?:-?[A-Za-z0-9])*$/, 'expected letters, digits and single hyphens, starting and ending with a letter or digit');

export function trainingJobName(runId: string, stage: TrainingStage): string {
  return `${runId}-${stage}`;
}

/** Hyperparameters travel as JSON scalars; SageMaker receives them as strings. */
export const HyperparametersSchema = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a Python identifier'), z.union([z.string(), z.number(), z.boolean()]));
export type Hyperparameters = z.infer<typeof HyperparametersSchema>;

export const StageSettingsSchema = z.object({
  /** Optimiser steps; omitted = the trainer's default (whole epochs). */
  maxSteps: z.number().int().positive().optional(),
  hyperparameters: HyperparametersSchema.default({}),
});

/** Backend options a researcher chooses per run (deployment settings such as the role live in the worker's environment). */
export const SageMakerRunOptionsSchema = z.object({
  instanceType: z.string().min(1).default('ml.g5.2xlarge'),
  instanceCount: z.number().int().positive().default(1),
  volumeSizeGb: z.number().int().positive().default(100),
  maxRuntimeSeconds: z.number().int().positive().default(24 * 3600),
  /** Managed spot training: cheaper, may be interrupted (the job resumes from /opt/ml/checkpoints). */
  spot: z.boolean().default(false),
  /** Spot only: runtime plus the time spent waiting for capacity; must be ≥ maxRuntimeSeconds. */
  maxWaitSeconds: z.number().int().positive().optional(),
}).refine((o) => !o.spot || o.maxWaitSeconds === undefined || o.maxWaitSeconds >= o.maxRuntimeSeconds, {
  path: ['maxWaitSeconds'], message: 'must be at least maxRuntimeSeconds (SageMaker counts the runtime inside the wait)',
});

/** Where the pipeline's data comes from: an existing dataset, or logs + persona stored for the export stage. */
export const DatasetSourceSchema = z.union([
  z.object({ datasetId: KeySegmentSchema }),
  z.object({
    build: z.object({
      /** Artifact keys of the normalised inputs the CLI stored (JSON). */
      logsKey: z.string().min(1),
      personaKey: z.string().min(1),
      /** Artifact key prefix of the frames, when there are any. */
      imagesPrefix: z.string().min(1).optional(),
    }),
  }),
]);
export type DatasetSource = z.infer<typeof DatasetSourceSchema>;

export const PollSettingsSchema = z.object({
  /** First wait between two looks at a job; it doubles up to maxSeconds. */
  initialSeconds: z.number().positive().default(10),
  maxSeconds: z.number().positive().default(300),
});
export type PollSettings = z.output<typeof PollSettingsSchema>;

export const TrainingSpecSchema = z.object({
  schemaVersion: z.literal(1),
  backend: BackendNameSchema,
  dataset: DatasetSourceSchema,
  /** The base model: a folder (local backend), an s3:// URI, or a Hugging Face id the trainer loads. */
  baseModel: z.string().min(1),
  personaId: SlugSchema.optional(),
  studyId: KeySegmentSchema.optional(),
  /**
   * The task queue of the worker that starts, watches and stops the jobs: a GPU host's
   * `personaact worker --role training` for the local backend. Default: the main queue.
   */
  taskQueue: KeySegmentSchema.optional(),
  sft: StageSettingsSchema.prefault({}),
  grpo: StageSettingsSchema.prefault({}),
  /** The trainer's evaluate takes no step count; `hyperparameters: { limit: N }` evaluates the first N test samples. */
  evaluate: StageSettingsSchema.omit({ maxSteps: true }).prefault({}),
  sagemaker: SageMakerRunOptionsSchema.prefault({}),
  poll: PollSettingsSchema.prefault({}),
});
export type TrainingSpec = z.output<typeof TrainingSpecSchema>;
export type TrainingSpecInput = z.input<typeof TrainingSpecSchema>;

/** The last progress line a trainer printed. */
export interface JobProgress {
  stage?: string;
  step?: number;
  maxSteps?: number;
  loss?: number;
  /** Free text (SageMaker's secondary status, e.g. "Downloading", "Training"). */
  message?: string;
}

/** What a job looks like now. */
export interface JobDescription {
  status: JobStatus;
  failureReason?: string;
  progress?: JobProgress;
  /** Metrics the job reported (the evaluate stage's SMAPE, accuracy…). */
  metrics?: Record<string, number>;
  /** Where the trained model is, once Completed: a folder or an s3:// URI. */
  modelLocation?: string;
}

/** Enough to find a job again from any worker: the backend and the job's unique name. */
export interface JobHandle {
  backend: BackendName;
  jobName: string;
}

/** `dataset.json`: the trainer reads it first. */
export const DatasetManifestSchema = z.object({
  schemaVersion: z.literal(1),
  users: z.array(z.string().min(1)).min(1),
  promptVersion: z.string().min(1),
  splits: z.object({ train: z.number().int().nonnegative(), validation: z.number().int().nonnegative(), test: z.number().int().nonnegative() }),
  /** Present when some samples show the reversed persona p' (`dataset build --reversed-share`); the test split never does. */
  reversal: z.object({
    share: z.number().min(0).max(1),
    strategy: ReversalStrategySchema,
    engagement: EngagementModeSchema,
    samples: z.object({ train: z.number().int().nonnegative(), validation: z.number().int().nonnegative() }),
  }).optional(),
});
export type DatasetManifest = z.infer<typeof DatasetManifestSchema>;

/** `checksums.json` beside it: the dataset's identity (the model manifest records the hash). */
export const DatasetChecksumsSchema = z.object({
  /** SHA-256 over the sorted "<sha256>  <path>" lines of every file, like `sha256sum` output. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});
export type DatasetChecksums = z.infer<typeof DatasetChecksumsSchema>;

export const datasetPrefix = (datasetId: string) => `datasets/${datasetId}`;
export const modelManifestKey = (runId: string) => `models/${runId}/manifest.json`;

export interface StageRecord {
  jobName: string;
  modelLocation?: string;
  metrics?: Record<string, number>;
  maxSteps?: number;
  hyperparameters: Hyperparameters;
}

export interface ModelManifest {
  schemaVersion: 1;
  runId: string;
  backend: BackendName;
  baseModel: string;
  personaId?: string;
  dataset: { id: string; hash: string; location: string; splits: DatasetManifest['splits']; promptVersion: string };
  /** The evaluate stage's metrics on the test split. */
  metrics: Record<string, number>;
  /** The model to serve (the GRPO stage's output). */
  model: string;
  stages: Record<'sft' | 'grpo' | 'evaluate', StageRecord>;
  code: { version: string };
  registeredAt: string;
}

export const TRAINING_RUN_STATUSES = ['EXPORTING', 'TRAINING', 'EVALUATING', 'REGISTERING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;
export type TrainingRunStatus = (typeof TRAINING_RUN_STATUSES)[number];

/** The workflow's answer to its progress query. */
export interface TrainingRunProgress {
  runId: string;
  status: TrainingRunStatus;
  /** The stage running now (or last), 'export' and 'register' included. */
  stage: 'export' | TrainingStage | 'register';
  datasetId?: string;
  jobs: Partial<Record<TrainingStage, { jobName: string; status: JobStatus; progress?: JobProgress; failureReason?: string }>>;
  /** Polls of the current job so far (each is an activity and a timer). */
  polls: number;
  modelManifest?: string;
}
