/**
 * Where the Temporal server is, read the way every Temporal SDK and the `temporal` CLI read it:
 * `@temporalio/envconfig` (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*,
 * TEMPORAL_PROFILE with its TOML file, TEMPORAL_GRPC_META_*). One schema for the CLI and the
 * workers (cli/config.ts, workers/config.ts). The older PERSONAACT_TEMPORAL_ADDRESS and
 * PERSONAACT_NAMESPACE stay as aliases, read only where the standard variable is unset; see
 * docs/deploy.md.
 */
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile } from '@temporalio/envconfig';
import type { ConnectionOptions } from '@temporalio/client';
import { z } from 'zod';
import { HttpUrlSchema } from '../core/primitives';

/** The local stack's defaults (`personaact dev up`). */
export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_NAMESPACE = 'default';
export const DEFAULT_UI_URL = 'http://127.0.0.1:8233';

/** The aliases and the UI link, validated with the rest of a process's environment. */
export const TemporalEnvShape = {
  /** Alias of TEMPORAL_ADDRESS (read only when that is unset). */
  PERSONAACT_TEMPORAL_ADDRESS: z.string().min(1).optional(),
  /** Alias of TEMPORAL_NAMESPACE (read only when that is unset). */
  PERSONAACT_NAMESPACE: z.string().min(1).optional(),
  /** Where links to the Temporal UI point (https://cloud.temporal.io for Temporal Cloud). */
  PERSONAACT_UI_URL: HttpUrlSchema.default(DEFAULT_UI_URL).transform((url) => url.replace(/\/+$/, '')),
};
export type TemporalEnv = z.output<z.ZodObject<typeof TemporalEnvShape>>;

/** One resolved Temporal target: what to connect to, and where its UI is. */
export interface TemporalTarget {
  address: string;
  namespace: string;
  /** The envconfig profile in use (TEMPORAL_PROFILE), when one was named. */
  profile?: string;
  /** For `Connection.connect` and `NativeConnection.connect` (address, API key, TLS, gRPC metadata). */
  connectionOptions: { address: string; apiKey?: string; tls?: ConnectionOptions['tls']; metadata?: Record<string, string> };
  uiUrl: string;
}

/** A Temporal setting that cannot work (a missing profile, an unreadable certificate…): shown to the user as is. */
export class TemporalConfigError extends Error {
  override name = 'TemporalConfigError';
  readonly userFacing = true;
}

/** Empty variables count as unset (`TEMPORAL_ADDRESS= personaact …` means the default). */
export function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

/**
 * The Temporal target of a process whose environment is `env` (already validated with
 * TemporalEnvShape into `parsed`). Precedence: TEMPORAL_* variable › PERSONAACT_* alias › the
 * profile in the envconfig TOML file › the local stack's default.
 */
export function resolveTemporalTarget(env: Record<string, string | undefined>, parsed: TemporalEnv): TemporalTarget {
  const vars = withoutEmpty(env);
  if (vars.TEMPORAL_ADDRESS === undefined && parsed.PERSONAACT_TEMPORAL_ADDRESS !== undefined) vars.TEMPORAL_ADDRESS = parsed.PERSONAACT_TEMPORAL_ADDRESS;
  if (vars.TEMPORAL_NAMESPACE === undefined && parsed.PERSONAACT_NAMESPACE !== undefined) vars.TEMPORAL_NAMESPACE = parsed.PERSONAACT_NAMESPACE;
  let profile: ClientConfigProfile;
  let options: ReturnType<typeof toClientOptions>;
  try {
    profile = loadClientConfigProfile({ overrideEnvVars: vars });
    options = toClientOptions(profile);
  } catch (error) {
    const where = vars.TEMPORAL_CONFIG_FILE ? ` (TEMPORAL_CONFIG_FILE ${vars.TEMPORAL_CONFIG_FILE})` : '';
    // envconfig's own message names the missing profile or file (certificates: TEMPORAL_TLS_*).
    throw new TemporalConfigError(`cannot load the Temporal connection settings${vars.TEMPORAL_PROFILE ? ` of profile "${vars.TEMPORAL_PROFILE}"` : ''}${where}: ${(error as Error).message}`);
  }
  const address = profile.address ?? DEFAULT_TEMPORAL_ADDRESS;
  const { tls, apiKey } = options.connectionOptions;
  const metadata = profile.grpcMeta;
  return {
    address,
    namespace: profile.namespace ?? DEFAULT_NAMESPACE,
    ...(vars.TEMPORAL_PROFILE ? { profile: vars.TEMPORAL_PROFILE } : {}),
    connectionOptions: {
      address,
      ...(tls !== undefined ? { tls } : {}),
      ...(typeof apiKey === 'string' ? { apiKey } : {}),
      ...(metadata && Object.keys(metadata).length > 0 ? { metadata } : {}),
    },
    uiUrl: parsed.PERSONAACT_UI_URL,
  };
}

/** The local stack's own server (`personaact dev up`): plain gRPC, the default namespace. */
export function localStackTarget(address: string, uiUrl: string): TemporalTarget {
  return { address, namespace: DEFAULT_NAMESPACE, connectionOptions: { address }, uiUrl };
}

/** "127.0.0.1:7233 (namespace default)", with the profile when one is in use: for messages and logs. */
export function describeTarget(target: TemporalTarget): string {
  return `${target.address} (namespace ${target.namespace}${target.profile ? `, profile ${target.profile}` : ''})`;
}
