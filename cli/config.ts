/**
 * The CLI's configuration, parsed once with zod from the environment: the only place in cli/ that
 * reads these variables. Every one has a default that fits `personaact dev up`.
 */
import { z } from 'zod';
import { HttpUrlSchema } from '../core/primitives';
import { SecretsEnvShape } from '../secrets/config';
import { formatZodError } from '../core/zod-error';
import { DEFAULT_ARTIFACTS } from '../infra/stack/paths';
import { UserError } from './errors';


const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

export const CliConfigSchema = z.object({
  PERSONAACT_TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  PERSONAACT_NAMESPACE: z.string().min(1).default('default'),
  /** A folder (relative to the working directory) or s3://bucket/prefix. */
  PERSONAACT_ARTIFACTS: z.string().min(1).default(DEFAULT_ARTIFACTS),
  PERSONAACT_S3_ENDPOINT: HttpUrlSchema.optional(),
  PERSONAACT_SANDBOX_URL: HttpUrlSchema.default('http://127.0.0.1:8300').transform(withoutTrailingSlash),
  PERSONAACT_UI_URL: HttpUrlSchema.default('http://127.0.0.1:8233').transform(withoutTrailingSlash),
  /** The secret key and payload encryption (secrets/config.ts). */
  ...SecretsEnvShape,
});
export type CliConfig = z.output<typeof CliConfigSchema>;

/** Empty variables count as unset (`FOO= personaact …` should mean the default). */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

export function parseCliConfig(env: Record<string, string | undefined>): CliConfig {
  const parsed = CliConfigSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) throw new UserError(formatZodError(parsed.error, 'environment'));
  return parsed.data;
}

let cached: CliConfig | undefined;

/** The configuration of this process (parsed on first use, so `--help` works with a bad environment). */
export function cliConfig(): CliConfig {
  cached ??= parseCliConfig(process.env);
  return cached;
}
