import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { commandsFor } from './commands/index';

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Builds the `personaact` command with the subcommands these arguments (`process.argv`) need. */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('personaact')
    .description(
      'Persona-driven sock-puppet audits of short-video recommenders (PersonaAct) as durable Temporal workflows.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
    .configureHelp({ sortSubcommands: true })
    .exitOverride()
    .addHelpText(
      'after',
      `
Getting started:
  npm run setup               install dependencies and the local binaries (.venv)
  personaact dev up           start Temporal, its Web UI and the sandbox platform
  personaact dev status       show what runs where
  personaact dev down         stop it again

Set PERSONAACT_DEBUG=1 to see stack traces of unexpected errors.`,
    );
  for (const entry of commandsFor(argv)) (await entry.load())(program);
  return program;
}
