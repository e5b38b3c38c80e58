/**
 * Every top-level command of `personaact`, each loaded only when it is run: a command's module pulls
 * in its whole dependency graph (Temporal client, AWS SDK, Playwright, …), and loading all of them
 * through tsx costs more than a second on every start. To add one: write `cli/commands/<name>.ts`
 * exporting `register<Name>Command(program: Command): void` and list it here under its name.
 */
import type { Command } from 'commander';

type Registrar = (program: Command) => void;

export interface CommandEntry {
  /** The top-level name the module registers (`personaact <name> …`). */
  name: string;
  load(): Promise<Registrar>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'dev', load: async () => (await import('./dev')).registerDevCommand },
  { name: 'demo', load: async () => (await import('./demo')).registerDemoCommand },
  { name: 'worker', load: async () => (await import('./worker')).registerWorkerCommand },
  { name: 'audit', load: async () => (await import('./audit')).registerAuditCommand },
  { name: 'study', load: async () => (await import('./study')).registerStudyCommand },
  { name: 'schedule', load: async () => (await import('./schedule')).registerScheduleCommand },
  { name: 'series', load: async () => (await import('./series')).registerSeriesCommand },
  { name: 'captcha', load: async () => (await import('./captcha')).registerCaptchaCommand },
  { name: 'account', load: async () => (await import('./account')).registerAccountCommand },
  { name: 'adapter', load: async () => (await import('./adapter')).registerAdapterCommand },
  { name: 'persona', load: async () => (await import('./persona')).registerPersonaCommand },
  { name: 'secrets', load: async () => (await import('./secrets')).registerSecretsCommand },
  { name: 'codec-server', load: async () => (await import('./secrets')).registerCodecServerCommand },
  { name: 'dataset', load: async () => (await import('./dataset')).registerDatasetCommand },
  { name: 'train', load: async () => (await import('./train')).registerTrainCommand },
  { name: 'eval', load: async () => (await import('./eval')).registerEvalCommand },
  { name: 'export', load: async () => (await import('./export')).registerExportCommand },
];

/**
 * The commands to register for these arguments (`process.argv`): only the one named first, or —
 * for the overview help, `help <command>`, a typo that needs suggestions — all of them.
 */
export function commandsFor(argv: readonly string[]): readonly CommandEntry[] {
  const named = COMMANDS.filter((entry) => entry.name === argv[2]);
  return named.length > 0 ? named : COMMANDS;
}
