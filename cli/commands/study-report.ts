/**
 * `study report`: added to the `study` command (cli/commands/study.ts owns the command and its
 * other subcommands) by `addStudyReportCommand(study)`.
 */
import { Command, Option } from 'commander';
import { cliConfig } from '../config';
import { STUDY_REPORT_HELP, studyReportAction, type StudyReportOptions } from '../study/report';

export function addStudyReportCommand(study: Command): Command {
  return study
    .command('report')
    .description("analyse a study's audits: BEP per cell across replicates, ΔBEP of each arm vs control with a permutation p-value")
    .argument('<study-id>', 'the study id')
    .addOption(new Option('--json', 'print the analysis as JSON instead of text'))
    .option('--html', 'also write report.html (plots) beside report.md and print its path')
    .option('--seed <seed>', 'seed of the bootstrap and permutation draws (default: the study id)')
    .addHelpText('after', STUDY_REPORT_HELP)
    .action(async (studyId: string, flags: StudyReportOptions) => {
      await studyReportAction(studyId, flags, cliConfig(), (line) => process.stdout.write(`${line}\n`));
    });
}
