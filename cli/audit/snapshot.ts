/**
 * What the CLI shows of one audit at a moment: its Temporal status, its search attributes and the
 * live progress the workflow answers to a query. Connecting and starting are clients/.
 */
import type { WorkflowExecutionDescription, WorkflowExecutionStatusName } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { auditHandle, queryAuditProgress, type AuditHandle } from '../../clients/audit';
import type { TemporalClient } from '../../clients/connection';
import { failureMessage, firstStartTime, isClosed } from '../../clients/workflow-state';
import { DecryptionError } from '../../secrets/keyring';
import type { AuditProgress, AuditStatus } from '../../core/audit-progress';
import { KeySegmentSchema } from '../../core/primitives';
import { searchAttributes } from '../../workflows/search-attributes';
import { UserError } from '../errors';

/** A query needs a worker to answer; a closed audit with no worker around must not hang the CLI. */
const QUERY_TIMEOUT_MS = 5_000;

/** Audit ids become artifact key segments and workflow ids: refuse anything else early. */
export function checkAuditId(auditId: string): string {
  const parsed = KeySegmentSchema.safeParse(auditId);
  if (!parsed.success) throw new UserError(`"${auditId}" is not an audit id: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return auditId;
}

/** What the CLI knows about one audit at a moment. */
export interface AuditSnapshot {
  auditId: string;
  runId: string;
  /** Temporal's view: RUNNING until the workflow closes. */
  temporalStatus: WorkflowExecutionStatusName;
  startTime: string;
  closeTime: string | null;
  /** The workflow's answer to the progress query; null when no worker answered in time. */
  progress: AuditProgress | null;
  /** From the search attributes (refreshed every 50 interactions and on each phase/status change). */
  searchAttributes: { platform?: string; persona?: string; phase?: string; status?: string; interactions?: number; study?: string };
}

/** The audit's status in one word: the workflow's own (AWAITING_HUMAN, ANALYZING…) while it runs, Temporal's once it closed otherwise. */
export function effectiveStatus(snapshot: Pick<AuditSnapshot, 'temporalStatus' | 'progress' | 'searchAttributes'>): AuditStatus | WorkflowExecutionStatusName {
  const own = snapshot.progress?.status ?? (snapshot.searchAttributes.status as AuditStatus | undefined);
  // Once closed, Temporal's status is the truth: a terminated or timed-out workflow never reported it itself.
  return isClosed(snapshot.temporalStatus) ? snapshot.temporalStatus : own ?? 'RUNNING';
}

export function readSearchAttributes(info: Pick<WorkflowExecutionDescription, 'typedSearchAttributes'>): AuditSnapshot['searchAttributes'] {
  const sa = info.typedSearchAttributes;
  const out: AuditSnapshot['searchAttributes'] = {};
  const platform = sa.get(searchAttributes.platform);
  const persona = sa.get(searchAttributes.persona);
  const phase = sa.get(searchAttributes.phase);
  const status = sa.get(searchAttributes.status);
  const interactions = sa.get(searchAttributes.interactions);
  const study = sa.get(searchAttributes.study);
  if (platform !== undefined) out.platform = platform;
  if (persona !== undefined) out.persona = persona;
  if (phase !== undefined) out.phase = phase;
  if (status !== undefined) out.status = status;
  if (interactions !== undefined) out.interactions = Number(interactions);
  if (study !== undefined) out.study = study;
  return out;
}

/** The audit's handle (following continue-as-new to the latest run), or a UserError when there is none. */
export async function describeAudit(temporal: TemporalClient, auditId: string): Promise<{ handle: AuditHandle; description: WorkflowExecutionDescription }> {
  const handle = auditHandle(temporal.client, auditId);
  try {
    return { handle, description: await handle.describe() };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new UserError(`no audit "${auditId}" in namespace ${temporal.target.namespace} at ${temporal.target.address} (see \`personaact audit list\`)`);
    }
    throw error;
  }
}

export async function queryProgress(temporal: TemporalClient, handle: AuditHandle): Promise<AuditProgress | null> {
  try {
    return await temporal.client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => queryAuditProgress(handle));
  } catch (error) {
    // The worker answered, encrypted: say which key is missing rather than "no worker answered".
    if (error instanceof DecryptionError) throw error;
    return null;
  }
}

export async function snapshotAudit(temporal: TemporalClient, auditId: string): Promise<AuditSnapshot & { handle: AuditHandle }> {
  const { handle, description } = await describeAudit(temporal, auditId);
  const progress = await queryProgress(temporal, handle);
  return {
    handle,
    auditId,
    runId: description.runId,
    temporalStatus: description.status.name,
    startTime: (await firstStartTime(temporal.client, description)).toISOString(),
    closeTime: description.closeTime ? description.closeTime.toISOString() : null,
    progress,
    searchAttributes: readSearchAttributes(description),
  };
}

/** The failure of a closed, failed audit (its result rethrows it). */
export async function closedFailure(handle: AuditHandle): Promise<string | null> {
  try {
    await handle.result();
    return null;
  } catch (error) {
    return failureMessage(error);
  }
}
