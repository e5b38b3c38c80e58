/** The artifact store the CLI reads audits from: the same location the workers write to. */
import { auditPrefix, type AuditMetrics } from '../../activities/analysis/analyze-audit';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { openArtifactStore } from '../../artifacts/open-store';
import { PHASES, type Phase } from '../../core/interaction-record';
import type { CliConfig } from '../config';
import { UserError } from '../errors';

export function openCliStore(config: CliConfig): ArtifactStore {
  try {
    return openArtifactStore(config.PERSONAACT_ARTIFACTS, config.PERSONAACT_S3_ENDPOINT ? { s3Endpoint: config.PERSONAACT_S3_ENDPOINT } : {});
  } catch (error) {
    throw new UserError(`PERSONAACT_ARTIFACTS: ${(error as Error).message}`);
  }
}

/** The audit's folder (or s3:// prefix), for people. */
export function auditLocation(store: ArtifactStore, auditId: string): string {
  const prefix = auditPrefix(auditId);
  return `${store.locate(prefix.slice(0, -1))}/`;
}

export interface AuditArtifacts {
  metrics: string;
  report: string;
  records: Record<Phase, string>;
}

export function auditArtifacts(store: ArtifactStore, auditId: string): AuditArtifacts {
  const prefix = auditPrefix(auditId);
  return {
    metrics: store.locate(`${prefix}metrics.json`),
    report: store.locate(`${prefix}report.md`),
    records: Object.fromEntries(PHASES.map((phase) => [phase, `${store.locate(`${prefix}${phase}`)}/`])) as Record<Phase, string>,
  };
}

/** Interaction records stored so far, per phase. */
export async function countRecords(store: ArtifactStore, auditId: string): Promise<Record<Phase, number>> {
  const counts = await Promise.all(PHASES.map(async (phase) => (await store.list(`${auditPrefix(auditId)}${phase}/`)).filter((key) => key.endsWith('.json')).length));
  return { cultivation: counts[0] ?? 0, counterfactual: counts[1] ?? 0 };
}

export async function readMetrics(store: ArtifactStore, auditId: string): Promise<AuditMetrics | undefined> {
  const metrics = await store.getJson<AuditMetrics>(`${auditPrefix(auditId)}metrics.json`);
  if (metrics === undefined) return undefined;
  if (typeof metrics !== 'object' || metrics === null || metrics.schemaVersion !== 1 || !metrics.phases) {
    throw new UserError(`${store.locate(`${auditPrefix(auditId)}metrics.json`)} is not an audit's metrics (schemaVersion 1)`);
  }
  return metrics;
}
