/** `audit report ID --html`: the audit's HTML report with plots, beside its report.md. */
import type { AuditMetrics } from '../../activities/analysis/analyze-audit';
import { writeAuditHtmlReport } from '../../reports/audit-report';
import type { CliConfig } from '../config';
import { openCliStore } from './store';

/** Writes audits/<id>/report.html from the stored metrics and records; returns where it is. */
export async function writeAuditHtml(config: CliConfig, metrics: AuditMetrics): Promise<string> {
  const store = openCliStore(config);
  return store.locate(await writeAuditHtmlReport(store, metrics));
}
