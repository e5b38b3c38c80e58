/**
 * Worker configuration, parsed once with zod from the environment (the only place that reads
 * process.env for workers). Every variable has a local-stack default.
 */
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { HttpUrlSchema } from '../core/primitives';
import { InterviewModelEnvShape } from '../activities/interview/chat-model';
import { PolicyEnvShape } from '../activities/policy/config';
import { SecretsEnvShape } from '../secrets/config';
import { TrainingEnvShape } from '../activities/training/config';
import { LabelsEnvShape } from '../activities/labels/config';
import { formatZodError } from '../core/zod-error';
import { DEFAULT_ARTIFACTS } from '../infra/stack/paths';
import { resolveTemporalTarget, TemporalEnvShape, withoutEmpty, type TemporalTarget } from '../clients/temporal-config';

export const WorkerConfigSchema = z.object({
  /** Temporal: the SDK's environment configuration (clients/temporal-config.ts), shared with the CLI. */
  ...TemporalEnvShape,
  /** A folder, or s3://bucket/prefix. */
  PERSONAACT_ARTIFACTS: z.string().default(DEFAULT_ARTIFACTS),
  PERSONAACT_S3_ENDPOINT: HttpUrlSchema.optional(),
  PERSONAACT_SANDBOX_URL: HttpUrlSchema.default('http://127.0.0.1:8300').transform((url) => url.replace(/\/+$/, '')),
  PERSONAACT_MAX_SESSIONS: z.coerce.number().int().positive().default(4),
  /** A browser session no activity has used for this long (and nobody is at its live view) is closed. */
  PERSONAACT_SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
  PERSONAACT_CHROMIUM: z.string().default('/usr/bin/chromium'),
  /** Headed Chromium (on DISPLAY, or a virtual display started with Xvfb), for sites that refuse headless browsers. */
  PERSONAACT_HEADED: z.enum(['true', 'false', '1', '0', ''], { message: 'expected true or false' }).default('false').transform((value) => value === 'true' || value === '1'),
  /** The live view (captchas, sign-ins) listens on 127.0.0.1 at this port; 0 picks a free one. */
  PERSONAACT_LIVE_VIEW_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** A folder the browser worker writes its open sessions and contexts to, every second (workers/session-census.ts; bench:faults). */
  PERSONAACT_SESSION_CENSUS_DIR: z.string().refine((dir) => isAbsolute(dir), 'expected an absolute folder').optional(),
  PERSONAACT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  ...SecretsEnvShape,
  ...TrainingEnvShape,
  ...InterviewModelEnvShape,
  ...PolicyEnvShape,
  ...LabelsEnvShape,
});
export type WorkerConfig = z.output<typeof WorkerConfigSchema> & { temporal: TemporalTarget };

/** A worker that cannot start as configured: the CLI prints the message alone (cli/errors.ts userFacing), no stack. */
export class WorkerSetupError extends Error {
  override name = 'WorkerSetupError';
  readonly userFacing = true;
}

export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  // Empty variables count as unset, as in the CLI (`FOO= personaact worker` means the default).
  const parsed = WorkerConfigSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) throw new WorkerSetupError(formatZodError(parsed.error, 'worker environment'));
  return { ...parsed.data, temporal: resolveTemporalTarget(env, parsed.data) };
}
