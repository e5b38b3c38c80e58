/** `personaact series report`: a longitudinal series' metrics per session (docs/series.md). */
import type { Command } from 'commander';
import { KeySegmentSchema } from '../../core/primitives';
import { cliConfig } from '../config';
import { UserError } from '../errors';
import { writeSeriesHtmlReport } from '../../reports/series-report';
import { openCliStore } from '../audit/store';
import { loadSeriesReport, renderSeriesReport } from '../series/report';

const out = (line = '') => process.stdout.write(`${line}\n`);

export function registerSeriesCommand(program: Command): void {
  const series = program.command('series').description('read longitudinal series (created with `personaact schedule create`)');
  series
    .command('report')
    .description('metrics per session: diversity, categories, drift between sessions, BEP around the reversal, missed windows')
    .argument('<series-id>', 'the series id')
    .option('--json', 'print JSON')
    .option('--html', 'also write series/<id>/report.html (plots of the metrics per session over days) and report.md to the artifact store and print the path')
    .addHelpText('after', `
Reads the session list under series/<id>/ in the artifact store (PERSONAACT_ARTIFACTS) and, while
the schedule exists, its counts of skipped and missed actions. A window with no session is listed
under "Missed windows" with why, never left out. docs/series.md defines every column.`)
    .action(async (seriesId: string, flags: { json?: boolean; html?: boolean }) => {
      const parsed = KeySegmentSchema.safeParse(seriesId);
      if (!parsed.success) throw new UserError(`"${seriesId}" is not a series id: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      const report = await loadSeriesReport(cliConfig(), seriesId);
      const text = renderSeriesReport(report);
      out(flags.json ? JSON.stringify(report, null, 2) : text);
      if (flags.html) {
        const store = openCliStore(cliConfig());
        await store.put(`series/${seriesId}/report.md`, `# Series ${seriesId}\n\n\`\`\`\n${text}\n\`\`\`\n`, 'text/markdown; charset=utf-8');
        const key = await writeSeriesHtmlReport(store, report);
        // On stderr with --json, so stdout stays one JSON document.
        (flags.json ? process.stderr : process.stdout).write(`HTML report: ${store.locate(key)}\n`);
      }
    });
}
