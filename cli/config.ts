/**
 * The CLI's configuration, parsed once with zod from the environment: the only place in cli/ that
 * reads these variables. Every one has a default that fits `personaact dev up`. The Temporal
 * connection is the SDK's own environment configuration (clients/temporal-config.ts).
 */
import { z } from 'zod';
import { HttpUrlSchema } from '../core/primitives';
import { SecretsEnvShape } from '../secrets/config';
import { formatZodError } from '../core/zod-error';
import { DEFAULT_ARTIFACTS } from '../infra/stack/paths';
import { resolveTemporalTarget, TemporalEnvShape, withoutEmpty, type TemporalTarget } from '../clients/temporal-config';
import { UserError } from './errors';

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

export const CliConfigSchema = z.object({
  ...TemporalEnvShape,
  /** A folder (relative to the working directory) or s3://bucket/prefix. */
  PERSONAACT_ARTIFACTS: z.string().min(1).default(DEFAULT_ARTIFACTS),
  PERSONAACT_S3_ENDPOINT: HttpUrlSchema.optional(),
  PERSONAACT_SANDBOX_URL: HttpUrlSchema.default('http://127.0.0.1:8300').transform(withoutTrailingSlash),
  /** The secret key and payload encryption (secrets/config.ts). */
  ...SecretsEnvShape,
});
export type CliConfig = z.output<typeof CliConfigSchema> & { temporal: TemporalTarget };

export function parseCliConfig(env: Record<string, string | undefined>): CliConfig {
  const parsed = CliConfigSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) throw new UserError(formatZodError(parsed.error, 'environment'));
  return { ...parsed.data, temporal: resolveTemporalTarget(env, parsed.data) };
}

/** The Temporal lines of every command's \`--help\` (the variables clients/temporal-config.ts reads). */
export const TEMPORAL_HELP = `  TEMPORAL_ADDRESS  127.0.0.1:7233   TEMPORAL_NAMESPACE  default   TEMPORAL_API_KEY, TEMPORAL_TLS_*: Temporal Cloud
  TEMPORAL_PROFILE  a profile of the Temporal CLI's config file (TEMPORAL_CONFIG_FILE); see docs/deploy.md
                    (PERSONAACT_TEMPORAL_ADDRESS, PERSONAACT_NAMESPACE: older aliases)`;

let cached: CliConfig | undefined;

/** The configuration of this process (parsed on first use, so `--help` works with a bad environment). */
export function cliConfig(): CliConfig {
  cached ??= parseCliConfig(process.env);
  return cached;
}
