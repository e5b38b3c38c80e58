/**
 * `personaact study report ID [--json] [--html]`: analyses a study from the artifact store alone
 * (manifest + each audit's records), writes studies/<id>/report.{json,md} (and report.html with
 * --html) and prints it.
 */
import { StudyNotFoundError, writeStudyReport, type StudyReport } from '../../activities/analysis/analyze-study';
import { KeySegmentSchema } from '../../core/primitives';
import { openCliStore } from '../audit/store';
import type { CliConfig } from '../config';
import { UserError } from '../errors';

export interface StudyReportOptions {
  json?: boolean;
  html?: boolean;
  /** Seeds the bootstrap and permutation draws (default: the study id). */
  seed?: string;
}

export const STUDY_REPORT_HELP = `
Reads studies/<id>/manifest.json and every completed audit's records in the artifact store
(PERSONAACT_ARTIFACTS), so it works without Temporal, also while a study still runs (on the
audits done so far). Per cell (platform / profile / persona / arm): BEP, diversity change and
escape steps with 95 % intervals across replicate accounts; per platform and persona: each arm
against the control arm, ΔBEP with its interval and a permutation-test p-value.
Writes studies/<id>/report.json and report.md (and report.html with --html) beside the manifest.
Definitions: docs/analysis.md.`;

/** Writes the study's report into the artifact store; `where` says where each file went. */
export async function writeCliStudyReport(studyId: string, options: StudyReportOptions, config: CliConfig): Promise<{ report: StudyReport; where: Record<'markdown' | 'json' | 'html', string | undefined> }> {
  const id = KeySegmentSchema.safeParse(studyId);
  if (!id.success) throw new UserError(`STUDY "${studyId}": ${id.error.issues[0]?.message ?? 'invalid'}`);
  const store = openCliStore(config);
  let report;
  try {
    report = await writeStudyReport(store, studyId, { html: options.html ?? false, ...(options.seed === undefined ? {} : { seed: options.seed }) });
  } catch (error) {
    if (error instanceof StudyNotFoundError) throw new UserError(error.message);
    throw error;
  }
  return {
    report,
    where: { markdown: store.locate(report.keys.markdown), json: store.locate(report.keys.json), html: report.keys.html ? store.locate(report.keys.html) : undefined },
  };
}

export async function studyReportAction(studyId: string, options: StudyReportOptions, config: CliConfig, out: (line: string) => void): Promise<void> {
  const { report, where: paths } = await writeCliStudyReport(studyId, options, config);
  if (options.json) out(JSON.stringify(report.analysis, null, 2));
  else out(report.markdown);
  const where = [`report ${paths.markdown}`, `json ${paths.json}`];
  if (paths.html) where.push(`html ${paths.html}`);
  // With --json, stdout stays pure JSON: the paths go to stderr.
  const note = (line: string) => (options.json ? process.stderr.write(`${line}\n`) : out(line));
  note('');
  for (const line of where) note(`  ${line}`);
  if (paths.html) note(`HTML report: ${paths.html}`);
}
