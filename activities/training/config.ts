/**
 * Training backends from the worker's environment (workers/config.ts spreads TrainingEnvShape):
 *
 *   PERSONAACT_TRAINING_DIR            job folders of the local backend (default <repo>/.personaact/training)
 *   PERSONAACT_CODE_VERSION            the code version model manifests record (default: the checkout's git commit)
 *   PERSONAACT_TRAINER_PYTHON          the Python with trainer/ installed (default <repo>/.venv/bin/python)
 *   PERSONAACT_TRAINER_MAX_ATTEMPTS    starts of a local job before a dying trainer fails it (default 3)
 *   PERSONAACT_TRAINING_TASK_QUEUE     the queue `personaact worker --role training` polls (default personaact-training;
 *                                      runs started with --task-queue <it> keep their jobs on that host)
 *   PERSONAACT_SAGEMAKER_ROLE_ARN      SageMaker's execution role            ┐
 *   PERSONAACT_SAGEMAKER_IMAGE_URI     the Hugging Face PyTorch training image │ all four, or no
 *   PERSONAACT_SAGEMAKER_OUTPUT        s3://bucket/prefix for output and checkpoints │ SageMaker backend
 *   PERSONAACT_SAGEMAKER_SOURCE        s3://…/trainer.tar.gz (trainer/ packed)  ┘
 *   PERSONAACT_SAGEMAKER_ENTRY_POINT   the script in it the image runs (default train.py: trainer/train.py)
 *   PERSONAACT_SAGEMAKER_REGION        default: the AWS SDK's own resolution
 */
import path from 'node:path';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { z } from 'zod';
import { KeySegmentSchema } from '../../core/primitives';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import type { TrainingBackends } from './backend';
import { CHECKOUT_ROOT } from './checkout';
import { LocalTrainingBackend } from './local-backend';
import { SageMakerTrainingBackend } from './sagemaker-backend';

const s3Uri = z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]+[a-z0-9](\/.*)?$/, 'expected s3://bucket/prefix');

export const TrainingEnvShape = {
  PERSONAACT_TRAINING_DIR: z.string().min(1).default(path.join(CHECKOUT_ROOT, '.personaact', 'training')),
  PERSONAACT_CODE_VERSION: z.string().min(1).optional(),
  PERSONAACT_TRAINER_PYTHON: z.string().min(1).default(path.join(CHECKOUT_ROOT, '.venv', 'bin', 'python')),
  PERSONAACT_TRAINER_MAX_ATTEMPTS: z.coerce.number().int().positive().default(3),
  PERSONAACT_TRAINING_TASK_QUEUE: KeySegmentSchema.default('personaact-training'),
  PERSONAACT_SAGEMAKER_ROLE_ARN: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'expected arn:aws:iam::<account>:role/<name>').optional(),
  PERSONAACT_SAGEMAKER_IMAGE_URI: z.string().min(1).optional(),
  PERSONAACT_SAGEMAKER_OUTPUT: s3Uri.optional(),
  PERSONAACT_SAGEMAKER_SOURCE: s3Uri.optional(),
  PERSONAACT_SAGEMAKER_ENTRY_POINT: z.string().min(1).default('train.py'),
  PERSONAACT_SAGEMAKER_REGION: z.string().min(1).optional(),
};
export type TrainingEnv = z.output<z.ZodObject<typeof TrainingEnvShape>>;

export const TRAINER_MODULE = 'personaact_trainer';

const SAGEMAKER_VARIABLES = ['PERSONAACT_SAGEMAKER_ROLE_ARN', 'PERSONAACT_SAGEMAKER_IMAGE_URI', 'PERSONAACT_SAGEMAKER_OUTPUT', 'PERSONAACT_SAGEMAKER_SOURCE'] as const;

/** The local backend always; SageMaker when its four variables are set (some but not all is a mistake worth an error). */
export function createTrainingBackends(env: TrainingEnv, store: ArtifactStore): TrainingBackends {
  const backends: TrainingBackends = {
    local: new LocalTrainingBackend({
      root: env.PERSONAACT_TRAINING_DIR, store, maxAttempts: env.PERSONAACT_TRAINER_MAX_ATTEMPTS,
      command: [env.PERSONAACT_TRAINER_PYTHON, '-m', TRAINER_MODULE],
    }),
  };
  const missing = SAGEMAKER_VARIABLES.filter((name) => !env[name]);
  if (missing.length === SAGEMAKER_VARIABLES.length) return backends;
  if (missing.length > 0) throw new Error(`the SageMaker training backend needs ${missing.join(', ')} too (or none of ${SAGEMAKER_VARIABLES.join(', ')})`);
  backends.sagemaker = new SageMakerTrainingBackend({
    client: new SageMakerClient(env.PERSONAACT_SAGEMAKER_REGION ? { region: env.PERSONAACT_SAGEMAKER_REGION } : {}),
    roleArn: env.PERSONAACT_SAGEMAKER_ROLE_ARN as string,
    imageUri: env.PERSONAACT_SAGEMAKER_IMAGE_URI as string,
    outputPath: env.PERSONAACT_SAGEMAKER_OUTPUT as string,
    source: { s3Uri: env.PERSONAACT_SAGEMAKER_SOURCE as string, entryPoint: env.PERSONAACT_SAGEMAKER_ENTRY_POINT },
    store,
  });
  return backends;
}
