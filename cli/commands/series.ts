/** `personaact series report`: a longitudinal series' metrics per session (docs/series.md). */
import type { Command } from 'commander';
import { KeySegmentSchema } from '../../core/primitives';
import { cliConfig } from '../config';
import { UserError } from '../errors';
import { loadSeriesReport, renderSeriesReport } from '../series/report';

const out = (line = '') => process.stdout.write(`${line}\n`);

export function registerSeriesCommand(program: Command): void {
  const series = program.command('series').description('read longitudinal series (created with `personaact schedule create`)');
  series
    .command('report')
    .description('metrics per session: diversity, categories, drift between sessions, BEP around the reversal, missed windows')
    .argument('<series-id>', 'the series id')
    .option('--json', 'print JSON')
    .addHelpText('after', `
Reads the session list under series/<id>/ in the artifact store (PERSONAACT_ARTIFACTS) and, while
the schedule exists, its counts of skipped and missed actions. A window with no session is listed
under "Missed windows" with why, never left out. docs/series.md defines every column.`)
    .action(async (seriesId: string, flags: { json?: boolean }) => {
      const parsed = KeySegmentSchema.safeParse(seriesId);
      if (!parsed.success) throw new UserError(`"${seriesId}" is not a series id: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      const report = await loadSeriesReport(cliConfig(), seriesId);
      out(flags.json ? JSON.stringify(report, null, 2) : renderSeriesReport(report));
    });
}
