/**
 * Worker configuration, parsed once with zod from the environment (the only place that reads
 * process.env for workers). Every variable has a local-stack default.
 */
import { z } from 'zod';
import { HttpUrlSchema } from '../core/primitives';
import { InterviewModelEnvShape } from '../activities/interview/chat-model';
import { PolicyEnvShape } from '../activities/policy/config';
import { SecretsEnvShape } from '../secrets/config';
import { TrainingEnvShape } from '../activities/training/config';
import { formatZodError } from '../core/zod-error';
import { DEFAULT_ARTIFACTS } from '../infra/stack/paths';

export const WorkerConfigSchema = z.object({
  PERSONAACT_TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  PERSONAACT_NAMESPACE: z.string().default('default'),
  /** A folder, or s3://bucket/prefix. */
  PERSONAACT_ARTIFACTS: z.string().default(DEFAULT_ARTIFACTS),
  PERSONAACT_S3_ENDPOINT: HttpUrlSchema.optional(),
  PERSONAACT_SANDBOX_URL: HttpUrlSchema.default('http://127.0.0.1:8300'),
  PERSONAACT_MAX_SESSIONS: z.coerce.number().int().positive().default(4),
  /** A browser session no activity has used for this long (and nobody is at its live view) is closed. */
  PERSONAACT_SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
  PERSONAACT_CHROMIUM: z.string().default('/usr/bin/chromium'),
  /** The live view (captchas, sign-ins) listens on 127.0.0.1 at this port; 0 picks a free one. */
  PERSONAACT_LIVE_VIEW_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  PERSONAACT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  ...SecretsEnvShape,
  ...TrainingEnvShape,
  ...InterviewModelEnvShape,
  ...PolicyEnvShape,
});
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;

/** A worker that cannot start as configured: the CLI prints the message alone (cli/errors.ts userFacing), no stack. */
export class WorkerSetupError extends Error {
  override name = 'WorkerSetupError';
  readonly userFacing = true;
}

export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  const parsed = WorkerConfigSchema.safeParse(env);
  if (!parsed.success) throw new WorkerSetupError(formatZodError(parsed.error, 'worker environment'));
  return parsed.data;
}
