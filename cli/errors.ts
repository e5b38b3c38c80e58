/**
 * Errors the user can act on: the CLI prints `personaact: <message>` on stderr and exits with
 * `exitCode` (default 1), without a stack trace. Modules outside cli/ may throw any Error with
 * `userFacing = true` (e.g. infra/stack/errors.ts StackError) to get the same treatment.
 */
export class UserError extends Error {
  readonly userFacing = true;
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function isUserError(error: unknown): error is Error & { userFacing: true; exitCode?: number } {
  return error instanceof Error && (error as { userFacing?: unknown }).userFacing === true;
}
