/** The `persona interview` and `persona interviews` subcommands (listed in cli/commands/persona.ts). */
import { Command, Option } from 'commander';
import { INTERVIEWERS } from '../../core/interview';
import { positiveInt, slugArgument } from '../arguments';
import { cliConfig } from '../config';
import { listInterviews, renderInterviews } from './list';
import { FINISH_COMMAND, runInterview, SKIP_COMMAND, type InterviewOptions } from './run';

export function addInterview(persona: Command): void {
  persona
    .command('interview')
    .description('interview a person about their logs (a durable workflow: leave it and resume it later) and build their persona')
    .option('--logs <paths...>', 'log files or folders to start a new interview from (as for `persona build`)')
    .option('--resume <interview-id>', 'continue a waiting interview instead of starting one')
    .option('--id <id>', 'persona id (default: user-<the log\'s user>)', slugArgument)
    .option('--name <name>', 'display name (default: "User <the log\'s user>")')
    .option('--user <pseudonym>', 'whose logs these are (default: the paper\'s collector, else the first path\'s name)')
    .option('--answers-file <file>', 'scripted answers, one per line (blank lines and # comments ignored), instead of the keyboard')
    .addOption(new Option('--interviewer <kind>', 'who writes the questions: the offline question bank, or the chat model the workers are configured with').choices(INTERVIEWERS).default('question-bank'))
    .option('--out <file>', 'also write the persona JSON here at the end (replaced atomically)')
    .addOption(new Option('--json', 'print the persona JSON on stdout at the end (questions go to stderr)'))
    .addHelpText('after', `
Each question cites your own behaviour from the logs ("You left 28% of all videos within 3 s…")
and adapts to your answers. Type an answer and press Enter; ${SKIP_COMMAND} passes on a question,
${FINISH_COMMAND} ends the interview early. Names, addresses and contact details are never asked
for, and answers containing them are refused.

The interview is a Temporal workflow that waits for each answer durably: Ctrl-C or Ctrl-D (or the
end of --answers-file) leaves it waiting, for days if need be, and --resume continues it. At the
end the persona is synthesised (statistics always from the logs) and stored with the transcript
under interviews/<interview-id>/ in the artifact store (PERSONAACT_ARTIFACTS).

With --interviewer chat-model the main worker's OpenAI-compatible model writes the questions and
the narrative (worker env: PERSONAACT_INTERVIEW_BASE_URL, PERSONAACT_INTERVIEW_MODEL,
PERSONAACT_INTERVIEW_API_KEY); when it fails, the question bank stands in (noted in the transcript).

Examples:
  personaact persona interview --logs data/personaact/raw_data/a --out user-a.json
  personaact persona interview --resume interview-user-a-20261125T203800-3fa9
  personaact persona interview --logs my-log.jsonl --answers-file answers.txt --json > persona.json`)
    .action(async (flags: InterviewOptions) => {
      const say = (line: string) => (flags.json ? process.stderr : process.stdout).write(`${line}\n`);
      await runInterview(cliConfig(), flags, { say, input: process.stdin, print: (text) => process.stdout.write(text) });
    });
}

export function addInterviews(persona: Command): void {
  persona
    .command('interviews')
    .description('list interviews: waiting, complete or failed, newest first')
    .option('--limit <n>', 'at most this many', positiveInt, 50)
    .addOption(new Option('--json', 'print machine-readable JSON instead of text'))
    .action(async (flags: { limit: number; json?: boolean }) => {
      const entries = await listInterviews(cliConfig(), flags.limit);
      process.stdout.write(`${flags.json ? JSON.stringify(entries, null, 2) : renderInterviews(entries)}\n`);
    });
}
