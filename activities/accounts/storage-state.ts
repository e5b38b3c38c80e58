/**
 * An account's Playwright storage state (its cookies and local storage: a signed-in session) at
 * rest in the artifact store, always encrypted (AES-256-GCM envelope, bound to the account's key
 * so a copy under another account does not open). Every session of the account starts from it;
 * sign-in and each acquired session save it.
 */
import type { BrowserContext } from 'playwright-core';
import { z } from 'zod';
import type { Platform } from '../../core/observation';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { openJson, sealJson } from '../../secrets/envelope';
import type { Keyring } from '../../secrets/keyring';

export type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

const StorageStateSchema = z.object({
  cookies: z.array(z.looseObject({ name: z.string(), value: z.string(), domain: z.string(), path: z.string() })),
  origins: z.array(z.looseObject({ origin: z.string() })),
});

export const storageStateKey = (platform: Platform, accountId: string) => `accounts/${platform}/${accountId}/storage-state.enc.json`;

export async function saveStorageState(store: ArtifactStore, keyring: Keyring, platform: Platform, accountId: string, state: StorageState): Promise<void> {
  const key = storageStateKey(platform, accountId);
  await store.putJson(key, sealJson(keyring, state, key));
}

/** The saved state, or undefined when the account has none yet. */
export async function loadStorageState(store: ArtifactStore, keyring: Keyring, platform: Platform, accountId: string): Promise<StorageState | undefined> {
  const key = storageStateKey(platform, accountId);
  const document = await store.getJson(key);
  if (document === undefined) return undefined;
  const parsed = StorageStateSchema.safeParse(openJson(keyring, document, key, store.locate(key)));
  if (!parsed.success) throw new Error(`${store.locate(key)} decrypts to something that is not a storage state`);
  return parsed.data as StorageState;
}
