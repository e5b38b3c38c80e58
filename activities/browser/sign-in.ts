/**
 * Signing an account in once, by a person: a session opens the platform's sign-in page (a QR code
 * or an SMS code on real platforms) and the live view lets the person use it. When the person is
 * done, the page is checked and the account's storage state is saved, encrypted; every later
 * session of the account starts from it (acquireSession loads it).
 */
import { ApplicationFailure } from '@temporalio/activity';
import { HUMAN_UPDATES } from '../../core/challenge';
import type { Platform } from '../../core/observation';
import { accountContextOptions } from '../accounts/browser-identity';
import { saveStorageState } from '../accounts/storage-state';
import { liveViewOf, sessionOf, type BrowserActivityDeps, type SessionRef } from './activities';
import { SessionCapacityError } from './session-pool';

export interface SignInTarget {
  platform: Platform;
  accountId: string;
}

export function createSignInActivities(deps: BrowserActivityDeps) {
  const { pool } = deps;
  return {
    /**
     * A fresh session (no saved state: the person signs in anew) on the sign-in page, and its live
     * view; with the account's identity, so the platform meets at sign-in the browser it will meet in audits.
     */
    async openSignIn(input: SignInTarget): Promise<SessionRef & { liveViewUrl: string }> {
      const adapter = deps.adapterFor(input.platform);
      const { contextOptions } = await accountContextOptions(deps.store, deps.keyring, input.platform, input.accountId, { signedIn: false });
      let session;
      try {
        session = await pool.open(input.platform, input.accountId, adapter, contextOptions);
      } catch (error) {
        if (error instanceof SessionCapacityError) throw ApplicationFailure.create({ type: 'SessionCapacity', message: error.message });
        throw error;
      }
      try {
        await adapter.openSignIn(session.page);
        const liveViewUrl = await liveViewOf(deps, session, `Sign in as ${input.accountId} on ${input.platform}, then press Done`, HUMAN_UPDATES.signedIn);
        return { sessionId: session.id, taskQueue: deps.taskQueue, liveViewUrl };
      } catch (error) {
        await pool.close(session.id);
        throw error;
      }
    },

    /** Saves the storage state if the page is signed in as the account; false (nothing saved) if not yet. */
    async saveSignIn(input: SignInTarget & { sessionId: string }): Promise<boolean> {
      const session = sessionOf(pool, input.sessionId);
      if (!(await session.adapter.isSignedIn(session.page, input.accountId))) return false;
      await saveStorageState(deps.store, deps.keyring, input.platform, input.accountId, await session.context.storageState());
      return true;
    },
  };
}

export type SignInActivities = ReturnType<typeof createSignInActivities>;
