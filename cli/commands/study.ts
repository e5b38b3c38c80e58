/**
 * `personaact study start | status | list | report | cancel`: studies as experiments — platforms × personas
 * × arms × replicates, each an audit on a fresh account (docs/studies.md). The logic lives in
 * cli/study/; this file is the CLI face.
 */
import { Command, Option } from 'commander';
import { positiveInt } from '../arguments';
import { cliConfig } from '../config';
import { loadStudyFile } from '../study/spec-file';
import { addStudyReportCommand } from './study-report';
import { cancelStudy, checkStudyId, followStudy, listStudies, prepareStudy, renderStudyList, startStudy, studyStatusJson } from '../study/run';

const out = (line = '') => process.stdout.write(`${line}\n`);
const json = (value: unknown) => out(JSON.stringify(value, null, 2));
const jsonOption = () => new Option('--json', 'print machine-readable JSON instead of text');

export function registerStudyCommand(program: Command): void {
  const study = program
    .command('study')
    .description('run studies: platforms × personas × arms × replicates, each an audit on a fresh account')
    .addHelpText('after', `
A study answers what one audit cannot: would the feed have changed as much without the reversal
(the control arm), and does that hold across accounts, personas and recommenders? Its spec (JSON or
YAML, docs/studies.md; examples in examples/studies/) names platforms (on the sandbox, recommender
profiles), persona files, arms (reversed, control, mitigate-not-interested, mitigate-explore),
replicates, phase lengths, a seed every audit's seed derives from, and the concurrency.

Typical session:
  personaact dev up && personaact worker &
  personaact study start examples/studies/demo.yaml --wait
  personaact audit list --study demo`);

  study
    .command('start')
    .description('validate a study spec and everything it names, then start the study')
    .argument('<file>', 'study spec, .json or .yaml/.yml')
    .option('--wait', 'follow the study with the live progress view after starting it', false)
    .addHelpText('after', `
Everything is checked before anything starts: the spec's fields, the persona files, the profiles
(built-in names, or ones from its profilesFile), the platforms and the policy; each problem names
the file and the field. On the sandbox, the audits use the sandbox's own time scale.`)
    .action(async (file: string, flags: { wait: boolean }) => {
      const config = cliConfig();
      const loaded = await loadStudyFile(file);
      const input = await prepareStudy(loaded, config);
      const studyId = await startStudy(loaded, input, config, out);
      if (flags.wait) {
        out();
        await followStudy(config, studyId, out);
      }
    });

  study
    .command('status')
    .description("follow a study's progress per cell until it ends (or print it once with --json)")
    .argument('<study-id>', 'the study id (the spec\'s "id")')
    .addOption(jsonOption())
    .action(async (studyId: string, flags: { json?: boolean }) => {
      checkStudyId(studyId);
      if (flags.json) json(await studyStatusJson(cliConfig(), studyId));
      else await followStudy(cliConfig(), studyId, out);
    });

  study
    .command('list')
    .description('list studies, newest first')
    .option('--limit <n>', 'at most this many', positiveInt, 20)
    .addOption(jsonOption())
    .action(async (flags: { limit: number; json?: boolean }) => {
      const entries = await listStudies(cliConfig(), flags.limit);
      if (flags.json) json(entries);
      else out(renderStudyList(entries));
    });

  study
    .command('cancel')
    .description('stop a study and its running audits, and wait until they have stopped (records are kept)')
    .argument('<study-id>', 'the study id')
    .option('--timeout <seconds>', 'how long to wait for the study to close', positiveInt, 120)
    .action(async (studyId: string, flags: { timeout: number }) => {
      checkStudyId(studyId);
      await cancelStudy(cliConfig(), studyId, flags.timeout, out);
    });

  addStudyReportCommand(study);
}
