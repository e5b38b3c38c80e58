/**
 * Platform accounts in the artifact store (accounts/<platform>/<id>/): what `personaact account
 * add | list | remove` read and write. The storage state beside account.json is written by the
 * browser worker at sign-in (encrypted); the CLI only checks whether it is there, or deletes it.
 */
import { loadAccount, saveProxyCredentials, type ProxyCredentials } from '../../activities/accounts/browser-identity';
import { storageStateKey } from '../../activities/accounts/storage-state';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { accountKey, accountPrefix, AccountSchema, type Account } from '../../core/account';
import type { Identity } from '../../core/identity';
import type { Platform } from '../../core/observation';
import type { Keyring } from '../../secrets/keyring';
import { UserError } from '../errors';

export interface AccountEntry extends Account {
  /** A saved (encrypted) storage state: sessions of this account start signed in. */
  signedIn: boolean;
}

export async function addAccount(store: ArtifactStore, input: {
  platform: Platform; accountId: string; note?: string; identity?: Identity; now?: Date;
  /** The identity's proxy credentials, stored encrypted with `keyring` before account.json names the proxy. */
  proxyCredentials?: { credentials: ProxyCredentials; keyring: Keyring };
}): Promise<Account> {
  const key = accountKey(input.platform, input.accountId);
  if (await store.get(key)) throw new UserError(`account ${input.platform}/${input.accountId} already exists (${store.locate(key)})`);
  const account: Account = AccountSchema.parse({
    schemaVersion: 1, platform: input.platform, accountId: input.accountId,
    ...(input.note ? { note: input.note } : {}), ...(input.identity ? { identity: input.identity } : {}), createdAt: (input.now ?? new Date()).toISOString(),
  });
  if (input.proxyCredentials) {
    await saveProxyCredentials(store, input.proxyCredentials.keyring, input.platform, input.accountId, input.proxyCredentials.credentials);
  }
  await store.putJson(key, account);
  return account;
}

export async function listAccounts(store: ArtifactStore, platform?: Platform): Promise<AccountEntry[]> {
  const keys = await store.list(platform ? `accounts/${platform}/` : 'accounts/');
  const present = new Set(keys);
  const entries: AccountEntry[] = [];
  for (const key of keys) {
    const match = /^accounts\/([^/]+)\/([^/]+)\/account\.json$/.exec(key);
    if (!match) continue;
    const account = await loadAccount(store, match[1] as Platform, match[2]!);
    if (account) entries.push({ ...account, signedIn: present.has(storageStateKey(account.platform, account.accountId)) });
  }
  return entries;
}

/** Deletes everything stored for the account (metadata and storage state); returns the keys deleted. */
export async function removeAccount(store: ArtifactStore, platform: Platform, accountId: string): Promise<string[]> {
  const keys = await store.list(accountPrefix(platform, accountId));
  if (keys.length === 0) throw new UserError(`no account ${platform}/${accountId} in ${store.location} (see \`personaact account list\`)`);
  for (const key of keys) await store.delete(key);
  return keys;
}
