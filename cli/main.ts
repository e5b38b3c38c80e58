/**
 * Entry point of the `personaact` command (bin/personaact.mjs loads this through tsx).
 */
import { CommanderError } from 'commander';
import { isUserError } from './errors';
import { buildProgram } from './program';

export async function runCli(argv: string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander already printed help, the version, or its own message
      return error.exitCode;
    }
    if (isUserError(error)) {
      process.stderr.write(`personaact: ${error.message}\n`);
      return error.exitCode ?? 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`personaact: unexpected error: ${message}\n`);
    if (process.env.PERSONAACT_DEBUG && error instanceof Error && error.stack) {
      process.stderr.write(`${error.stack}\n`);
    } else {
      process.stderr.write('(set PERSONAACT_DEBUG=1 for the stack trace)\n');
    }
    return 1;
  }
}

process.exitCode = await runCli(process.argv);
