/**
 * `personaact audit analyze`: runs the audit's analysis again from its stored records alone, in
 * this process (no worker, no Temporal): for an audit whose analysis failed (a storage outage
 * outlasting its retries) or ended FAILED after recording its steps. Same code and seed as the
 * workflow's `analyzeAudit`, so the same records give the same metrics.json and report.md.
 */
import { auditPrefix, createAnalysisActivities, type AuditMetrics } from '../../activities/analysis/analyze-audit';
import { AuditSpecSchema } from '../../core/audit-spec';
import { formatZodError } from '../../core/zod-error';
import type { CliConfig } from '../config';
import { UserError } from '../errors';
import { auditLocation, openCliStore, readMetrics } from './store';

export async function reanalyzeAudit(config: CliConfig, auditId: string): Promise<{ metrics: AuditMetrics; location: string }> {
  const store = openCliStore(config);
  const specKey = `${auditPrefix(auditId)}spec.json`;
  const document = await store.getJson(specKey);
  if (document === undefined) {
    throw new UserError(`no audit ${auditId} at ${auditLocation(store, auditId)} (no spec.json): PERSONAACT_ARTIFACTS (${config.PERSONAACT_ARTIFACTS}) must name the store the workers write to`);
  }
  const spec = AuditSpecSchema.safeParse(document);
  if (!spec.success) throw new UserError(formatZodError(spec.error, store.locate(specKey)));
  // The session count is only known to the workflow; an earlier analysis's is kept.
  const sessions = (await readMetrics(store, auditId))?.sessions ?? undefined;
  try {
    const metrics = await createAnalysisActivities({ store }).analyzeAudit({ auditId, seed: spec.data.seed, ...(sessions ? { sessions } : {}) });
    return { metrics, location: auditLocation(store, auditId) };
  } catch (error) {
    throw new UserError(`cannot analyse audit ${auditId} from ${auditLocation(store, auditId)}: ${(error as Error).message}`);
  }
}
