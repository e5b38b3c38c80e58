/**
 * The CLI's Temporal client for audits: connecting (with a message a researcher can act on when
 * the server is not there), and reading one audit's state — its Temporal status, its search
 * attributes and the live progress the workflow answers to a query.
 */
import { Client, Connection, WorkflowFailedError, type WorkflowExecutionDescription, type WorkflowExecutionStatusName, type WorkflowHandle } from '@temporalio/client';
import { NamespaceNotFoundError, WorkflowNotFoundError } from '@temporalio/common';
import { resolveSecrets } from '../../secrets/config';
import { DecryptionError } from '../../secrets/keyring';
import { dataConverterFor } from '../../secrets/payload-codec';
import type { AuditProgress, AuditStatus } from '../../core/audit-progress';
import { KeySegmentSchema } from '../../core/primitives';
import type { auditWorkflow, progressQuery } from '../../workflows/audit';
import { searchAttributes } from '../../workflows/search-attributes';
import type { CliConfig } from '../config';
import { UserError } from '../errors';

/** The workflow type and query name, checked against the workflow's own definitions. */
export const AUDIT_WORKFLOW_TYPE = 'auditWorkflow' satisfies (typeof auditWorkflow)['name'];
const PROGRESS_QUERY: (typeof progressQuery)['name'] = 'progress';
export type AuditHandle = WorkflowHandle<typeof auditWorkflow>;

/** How long the CLI waits for the Temporal server before telling the user to start it. */
const CONNECT_TIMEOUT_MS = 5_000;
/** A query needs a worker to answer; a closed audit with no worker around must not hang the CLI. */
const QUERY_TIMEOUT_MS = 5_000;

export interface AuditClient {
  client: Client;
  config: CliConfig;
  close(): Promise<void>;
}

export function notReachable(config: CliConfig, why: string): UserError {
  return new UserError(
    `cannot reach the Temporal server at ${config.PERSONAACT_TEMPORAL_ADDRESS} (namespace ${config.PERSONAACT_NAMESPACE}): ${why}\n` +
      'Start the local stack with `personaact dev up` (or set PERSONAACT_TEMPORAL_ADDRESS to your server).',
  );
}

export async function connectAuditClient(config: CliConfig): Promise<AuditClient> {
  // Encrypts what this client sends when PERSONAACT_ENCRYPT_PAYLOADS is on; decrypts what workers encrypted.
  const dataConverter = dataConverterFor(resolveSecrets(config));
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: config.PERSONAACT_TEMPORAL_ADDRESS, connectTimeout: CONNECT_TIMEOUT_MS });
  } catch (error) {
    throw notReachable(config, error instanceof Error ? error.message : String(error));
  }
  const client = new Client({ connection, namespace: config.PERSONAACT_NAMESPACE, dataConverter });
  return { client, config, close: () => connection.close() };
}

/** Runs `fn` with a connected client and always closes the connection. */
export async function withAuditClient<T>(config: CliConfig, fn: (audit: AuditClient) => Promise<T>): Promise<T> {
  const audit = await connectAuditClient(config);
  try {
    return await fn(audit);
  } catch (error) {
    if (error instanceof NamespaceNotFoundError) {
      throw new UserError(`namespace "${config.PERSONAACT_NAMESPACE}" does not exist on ${config.PERSONAACT_TEMPORAL_ADDRESS} (PERSONAACT_NAMESPACE)`);
    }
    throw error;
  } finally {
    await audit.close();
  }
}

/** Audit ids become artifact key segments and workflow ids: refuse anything else early. */
export function checkAuditId(auditId: string): string {
  const parsed = KeySegmentSchema.safeParse(auditId);
  if (!parsed.success) throw new UserError(`"${auditId}" is not an audit id: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return auditId;
}

export function uiLink(config: CliConfig, auditId: string): string {
  return `${config.PERSONAACT_UI_URL}/namespaces/${encodeURIComponent(config.PERSONAACT_NAMESPACE)}/workflows/${encodeURIComponent(auditId)}`;
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

export const isClosed = (status: WorkflowExecutionStatusName) => status !== 'RUNNING' && status !== 'CONTINUED_AS_NEW';

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
export async function describeAudit(audit: AuditClient, auditId: string): Promise<{ handle: AuditHandle; description: WorkflowExecutionDescription }> {
  const handle: AuditHandle = audit.client.workflow.getHandle(auditId);
  try {
    return { handle, description: await handle.describe() };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new UserError(`no audit "${auditId}" in namespace ${audit.config.PERSONAACT_NAMESPACE} at ${audit.config.PERSONAACT_TEMPORAL_ADDRESS} (see \`personaact audit list\`)`);
    }
    throw error;
  }
}

export async function queryProgress(audit: AuditClient, handle: AuditHandle): Promise<AuditProgress | null> {
  try {
    return await audit.client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query<AuditProgress>(PROGRESS_QUERY));
  } catch (error) {
    // The worker answered, encrypted: say which key is missing rather than "no worker answered".
    if (error instanceof DecryptionError) throw error;
    return null;
  }
}

export async function snapshotAudit(audit: AuditClient, auditId: string): Promise<AuditSnapshot & { handle: AuditHandle }> {
  const { handle, description } = await describeAudit(audit, auditId);
  const progress = await queryProgress(audit, handle);
  return {
    handle,
    auditId,
    runId: description.runId,
    temporalStatus: description.status.name,
    startTime: description.startTime.toISOString(),
    closeTime: description.closeTime ? description.closeTime.toISOString() : null,
    progress,
    searchAttributes: readSearchAttributes(description),
  };
}

/** "Activity task failed ← SessionLost: the page crashed": the chain of causes, outermost first. */
export function failureMessage(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error instanceof WorkflowFailedError ? error.cause ?? error : error;
  while (current instanceof Error && parts.length < 6) {
    const type = (current as { type?: unknown }).type;
    parts.push(typeof type === 'string' && type !== '' ? `${type}: ${current.message}` : current.message);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.length > 0 ? parts.join(' ← ') : String(error);
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
