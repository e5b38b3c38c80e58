/**
 * An error the user can fix (taken port, missing binary, ...). The CLI prints its message
 * without a stack trace and exits non-zero. Duck-typed through `userFacing` so the CLI does
 * not need to import this module to recognise it.
 */
export class StackError extends Error {
  readonly userFacing = true;
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'StackError';
  }
}
