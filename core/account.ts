/**
 * A platform account the agent drives, as `personaact account add` registers it. Its metadata and
 * its (encrypted) storage state live in the artifact store under accounts/<platform>/<id>/.
 */
import { z } from 'zod';
import { PlatformSchema, type Platform } from './observation';
import { IdentitySchema } from './identity';
import { KeySegmentSchema, TimestampSchema } from './primitives';

export const AccountSchema = z.object({
  schemaVersion: z.literal(1),
  platform: PlatformSchema,
  accountId: KeySegmentSchema,
  /** Free text for people (whose phone number signs it in, what it is for). */
  note: z.string().max(500).optional(),
  /** The stable identity every session of the account shows (locale, timezone, geolocation, user agent, proxy). */
  identity: IdentitySchema.optional(),
  createdAt: TimestampSchema,
});
export type Account = z.output<typeof AccountSchema>;

export const accountPrefix = (platform: Platform, accountId: string) => `accounts/${platform}/${accountId}/`;
export const accountKey = (platform: Platform, accountId: string) => `${accountPrefix(platform, accountId)}account.json`;

/** How long `account login` waits for a person by default. */
export const DEFAULT_LOGIN_TIMEOUT_SECONDS = 15 * 60;
