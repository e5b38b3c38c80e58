/**
 * Errors that no retry can fix leave an activity as non-retryable failures of their own type:
 * a wrong or missing secret key, a ciphertext that does not open, an input that does not parse (a
 * platform without an adapter fails the same way, as PlatformNotSupported: activities/browser/adapters.ts).
 * Retrying them would only hide the cause behind a retry loop (an
 * audit's acquireSession used to retry a wrong key forever). One interceptor on every worker, so
 * no activity has to remember to do it.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { z } from 'zod';
import { formatZodError } from '../core/zod-error';
import { DecryptionError, SecretKeyError } from '../secrets/keyring';
import { AccountUnusable } from '../activities/accounts/browser-identity';

/** The failure an activity error becomes, or undefined when a retry may help. */
export function permanentFailureOf(error: unknown): ApplicationFailure | undefined {
  if (error instanceof DecryptionError || error instanceof SecretKeyError || error instanceof AccountUnusable) {
    return ApplicationFailure.create({ type: error.name, message: error.message, nonRetryable: true, cause: error });
  }
  if (error instanceof z.ZodError) {
    return ApplicationFailure.create({ type: 'InvalidActivityInput', message: formatZodError(error), nonRetryable: true, cause: error });
  }
  return undefined;
}

export const permanentFailures: ActivityInterceptorsFactory = () => ({
  inbound: {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (error) {
        throw permanentFailureOf(error) ?? error;
      }
    },
  },
});
