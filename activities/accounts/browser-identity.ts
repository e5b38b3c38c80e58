/**
 * What a browser session of an account starts from: its saved storage state (cookies and local
 * storage) and its stable identity (core/identity.ts) as Playwright context options. Every session
 * of the account — audits, `account login`, `adapter check --account` — opens through here, so a
 * platform always meets the same browser. The proxy's username and password are stored encrypted
 * (like the cookies, bound to this account) and only ever reach Playwright, never account.json,
 * a workflow's history or a log line.
 */
import type { BrowserContextOptions } from 'playwright-core';
import { z } from 'zod';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { accountKey, AccountSchema, type Account } from '../../core/account';
import type { Identity } from '../../core/identity';
import type { Platform } from '../../core/observation';
import { formatZodError } from '../../core/zod-error';
import { openJson, sealJson } from '../../secrets/envelope';
import type { Keyring } from '../../secrets/keyring';
import { loadStorageState } from './storage-state';

const ProxyCredentialsSchema = z.object({ username: z.string().min(1), password: z.string() }).strict();
export type ProxyCredentials = z.output<typeof ProxyCredentialsSchema>;

export const proxyCredentialsKey = (platform: Platform, accountId: string) => `accounts/${platform}/${accountId}/proxy-credentials.enc.json`;

export async function saveProxyCredentials(store: ArtifactStore, keyring: Keyring, platform: Platform, accountId: string, credentials: ProxyCredentials): Promise<void> {
  const key = proxyCredentialsKey(platform, accountId);
  await store.putJson(key, sealJson(keyring, ProxyCredentialsSchema.parse(credentials), key));
}

async function loadProxyCredentials(store: ArtifactStore, keyring: Keyring, platform: Platform, accountId: string): Promise<ProxyCredentials> {
  const key = proxyCredentialsKey(platform, accountId);
  const document = await store.getJson(key);
  if (document === undefined) throw new AccountUnusable(`${store.locate(key)} is missing: the account's proxy needs credentials (add the account again with --proxy-username)`);
  const parsed = ProxyCredentialsSchema.safeParse(openJson(keyring, document, key, store.locate(key)));
  if (!parsed.success) throw new AccountUnusable(`${store.locate(key)} decrypts to something that is not proxy credentials`);
  return parsed.data;
}

/** account.json or the proxy credentials beside it do not parse: a person must fix the account, retrying cannot help. */
export class AccountUnusable extends Error {
  override name = 'AccountUnusable';
  readonly userFacing = true;
}

/** The account's metadata, or undefined for an account never added (the sandbox creates its own). */
export async function loadAccount(store: ArtifactStore, platform: Platform, accountId: string): Promise<Account | undefined> {
  const key = accountKey(platform, accountId);
  const document = await store.getJson(key);
  if (document === undefined) return undefined;
  const parsed = AccountSchema.safeParse(document);
  if (!parsed.success) throw new AccountUnusable(formatZodError(parsed.error, store.locate(key)));
  return parsed.data;
}

/** Playwright's context options for an identity: the browser reports exactly these (Accept-Language, Intl, navigator, geolocation). */
export async function identityContextOptions(identity: Identity, credentials: () => Promise<ProxyCredentials>): Promise<BrowserContextOptions> {
  return {
    locale: identity.locale,
    timezoneId: identity.timezone,
    geolocation: identity.geolocation,
    permissions: ['geolocation'],
    ...(identity.userAgent ? { userAgent: identity.userAgent } : {}),
    ...(identity.proxy ? { proxy: { server: identity.proxy.server, ...(identity.proxy.credentials ? await credentials() : {}) } } : {}),
  };
}

/**
 * A new context of the account: its identity always, its saved sign-in unless `signedIn` is false
 * (a fresh sign-in). `identity` is the account's (absent for an account never added with one).
 */
export async function accountContextOptions(
  store: ArtifactStore, keyring: Keyring, platform: Platform, accountId: string, options: { signedIn: boolean } = { signedIn: true },
): Promise<{ contextOptions: BrowserContextOptions; identity?: Identity }> {
  const account = await loadAccount(store, platform, accountId);
  const identity = account?.identity
    ? await identityContextOptions(account.identity, () => loadProxyCredentials(store, keyring, platform, accountId))
    : {};
  const storageState = options.signedIn ? await loadStorageState(store, keyring, platform, accountId) : undefined;
  return { contextOptions: { ...identity, ...(storageState ? { storageState } : {}) }, ...(account?.identity ? { identity: account.identity } : {}) };
}
