/**
 * `personaact persona build | show | diff`: persona documents from behaviour logs (docs/personas.md,
 * stages 1–2). The logic lives in cli/persona/; this file is the CLI face. Each subcommand is one
 * function in PERSONA_SUBCOMMANDS: adding one is adding a function to that list.
 */
import { Command, Option } from 'commander';
import { slugArgument } from '../arguments';
import { addInterview, addInterviews } from '../interview/commands';
import { buildPersona } from '../persona/build';
import { diffPersonas, renderDiff } from '../persona/diff';
import { readPersonaFile } from '../persona/files';
import { pct, renderPersona, secs } from '../persona/show';
import { out } from '../output';

const json = (value: unknown) => out(JSON.stringify(value, null, 2));
const jsonOption = () => new Option('--json', 'print machine-readable JSON instead of text');

interface BuildFlags {
  logs: string[];
  answers?: string;
  id?: string;
  name?: string;
  user?: string;
  out?: string;
  json?: boolean;
}

function addBuild(persona: Command): void {
  persona
    .command('build')
    .description('build a persona from behaviour logs (and optionally interview answers), without an interview session')
    .requiredOption('--logs <paths...>', 'log files or folders: a folder of the paper\'s session_*.json, a .jsonl (docs/log-formats.md), a TikTok user_data.json')
    .option('--answers <file>', 'interview answers: an interview transcript JSON, or a list of {question, answer, section?} (docs/personas.md)')
    .option('--id <id>', 'persona id (default: user-<the log\'s user>)', slugArgument)
    .option('--name <name>', 'display name (default: "User <the log\'s user>")')
    .option('--user <pseudonym>', 'whose logs these are (default: the paper\'s collector, else the first path\'s name)')
    .option('--out <file>', 'where to write the persona JSON (default: ./<id>.json; replaced atomically)')
    .addOption(new Option('--json', 'also print the persona JSON on stdout (progress goes to stderr)'))
    .addHelpText('after', `
Everything is read and validated first; the persona is written only when all of it is good (a
temporary file renamed into place), and a bad log file is reported with its position and field.
Statistics, key traits and category affinities come from the logs (core/persona-features.ts);
the narrative from a template, with the answers' own sentences when --answers is given.

Examples:
  personaact persona build --logs data/personaact/raw_data/a --out user-a.json
  personaact persona build --logs my-log.jsonl --answers answers.json --id viewer-7 --name "Viewer 7"
  personaact persona build --logs tiktok-export/user_data.json --user p07`)
    .action(async (flags: BuildFlags) => {
      const progress = flags.json ? (line: string) => process.stderr.write(`${line}\n`) : out;
      const { persona, file } = await buildPersona(flags, progress);
      if (flags.json) {
        json(persona);
        return;
      }
      const { stats } = persona;
      out(`wrote ${file}: ${persona.id}, ${stats.steps} steps, like ${pct(stats.likeRate)}, quick skip ${pct(stats.quickSkipRate)}, median watch ${secs(stats.watchSeconds.p50)}`);
      out(`next: personaact persona show ${file}   or   personaact audit start --persona ${file}`);
    });
}

function addShow(persona: Command): void {
  persona
    .command('show')
    .description('print a persona document readably (narrative, traits, behaviour, affinities, provenance)')
    .argument('<file>', 'persona JSON document')
    .addOption(jsonOption())
    .action(async (file: string, flags: { json?: boolean }) => {
      const document = await readPersonaFile(file);
      if (flags.json) json(document);
      else out(renderPersona(document, file));
    });
}

function addDiff(persona: Command): void {
  persona
    .command('diff')
    .description('compare two personas: statistics, category affinities, traits')
    .argument('<a>', 'persona JSON document')
    .argument('<b>', 'persona JSON document')
    .addOption(jsonOption())
    .action(async (a: string, b: string, flags: { json?: boolean }) => {
      const diff = diffPersonas(await readPersonaFile(a), await readPersonaFile(b), { a, b });
      if (flags.json) json(diff);
      else out(renderDiff(diff));
    });
}

/** The `persona` subcommands, in help order; each adds itself to the `persona` command. */
export const PERSONA_SUBCOMMANDS: ReadonlyArray<(persona: Command) => void> = [addBuild, addInterview, addInterviews, addShow, addDiff];

export function registerPersonaCommand(program: Command): void {
  const persona = program
    .command('persona')
    .description('personas from behaviour logs: build, show and compare the documents audits act out')
    .addHelpText('after', `
A persona is a versioned JSON document (core/persona.ts): a first-person narrative, key traits,
behaviour statistics (rates, watch-time quantiles), category affinities and provenance. Audits
take it directly: personaact audit start --persona <file>.`);
  for (const add of PERSONA_SUBCOMMANDS) add(persona);
}
