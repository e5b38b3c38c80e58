/**
 * `personaact audit list`: audits from Temporal's visibility store, filtered by the project's
 * search attributes (the same filters work in the Temporal UI's query box).
 */
import type { WorkflowExecutionStatusName } from '@temporalio/client';
import { AUDIT_STATUSES } from '../../core/audit-progress';
import type { Platform } from '../../core/observation';
import { searchAttributes } from '../../workflows/search-attributes';
import type { CliConfig } from '../config';
import { UserError } from '../errors';
import { AUDIT_WORKFLOW_TYPE } from '../../clients/audit';
import { withClient } from '../../clients/connection';
import { firstStartTime } from '../../clients/workflow-state';
import { effectiveStatus, readSearchAttributes } from './snapshot';
import { shortTime, table } from './format';

/** The workflow's own statuses, plus the two only Temporal knows (it was stopped from outside). */
export const LIST_STATUSES = [...AUDIT_STATUSES, 'TERMINATED', 'TIMED_OUT'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

export interface ListOptions {
  status?: ListStatus;
  platform?: Platform;
  persona?: string;
  study?: string;
  limit: number;
}

export interface AuditListEntry {
  auditId: string;
  persona: string | null;
  platform: string | null;
  phase: string | null;
  status: string;
  temporalStatus: WorkflowExecutionStatusName;
  interactions: number | null;
  study: string | null;
  startTime: string;
  closeTime: string | null;
}

/** Values are validated by the command (enums, slugs), so quoting them is enough. */
const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const RUNNING_STATUSES: readonly string[] = ['RUNNING', 'AWAITING_HUMAN', 'ANALYZING'];

export function listQuery(options: Omit<ListOptions, 'limit'>): string {
  // Each continue-as-new leaves a closed run behind; the audit is its latest run.
  const clauses = [`WorkflowType = ${quote(AUDIT_WORKFLOW_TYPE)}`, `ExecutionStatus != 'ContinuedAsNew'`];
  if (options.status === 'TERMINATED') clauses.push(`ExecutionStatus = 'Terminated'`);
  else if (options.status === 'TIMED_OUT') clauses.push(`ExecutionStatus = 'TimedOut'`);
  else if (options.status) {
    clauses.push(`${searchAttributes.status.name} = ${quote(options.status)}`);
    // A terminated audit never reported its end: its attribute still says RUNNING.
    if (RUNNING_STATUSES.includes(options.status)) clauses.push(`ExecutionStatus = 'Running'`);
  }
  if (options.platform) clauses.push(`${searchAttributes.platform.name} = ${quote(options.platform)}`);
  if (options.persona) clauses.push(`${searchAttributes.persona.name} = ${quote(options.persona)}`);
  if (options.study) clauses.push(`${searchAttributes.study.name} = ${quote(options.study)}`);
  return clauses.join(' AND ');
}

export async function listAudits(config: CliConfig, options: ListOptions): Promise<AuditListEntry[]> {
  const query = listQuery(options);
  return withClient(config, async (audit) => {
    const entries: AuditListEntry[] = [];
    try {
      for await (const info of audit.client.workflow.list({ query, pageSize: Math.min(1000, options.limit) })) {
        const sa = readSearchAttributes(info);
        entries.push({
          auditId: info.workflowId,
          persona: sa.persona ?? null,
          platform: sa.platform ?? null,
          phase: sa.phase ?? null,
          status: effectiveStatus({ temporalStatus: info.status.name, progress: null, searchAttributes: sa }),
          temporalStatus: info.status.name,
          interactions: sa.interactions ?? null,
          study: sa.study ?? null,
          startTime: (await firstStartTime(audit.client, info)).toISOString(),
          closeTime: info.closeTime ? info.closeTime.toISOString() : null,
        });
        if (entries.length >= options.limit) break;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/PersonaAct/.test(message)) {
        throw new UserError(`the server does not know the PersonaAct search attributes (${message}).\n\`personaact dev up\` registers them on the local dev server; on another server register them as infra/ describes.`);
      }
      throw error;
    }
    return entries;
  });
}

export function renderList(entries: readonly AuditListEntry[], limit: number): string {
  if (entries.length === 0) return 'No audits match. Start one with `personaact audit start --persona FILE`.';
  const rows = entries.map((e) => [
    e.auditId, e.persona ?? '', e.platform ?? '', e.phase ?? '', e.status, e.interactions === null ? '' : String(e.interactions), shortTime(e.startTime),
  ]);
  const text = table(['ID', 'PERSONA', 'PLATFORM', 'PHASE', 'STATUS', 'INTERACTIONS', 'STARTED'], rows);
  return entries.length >= limit ? `${text}\n(first ${limit}; raise --limit for more)` : text;
}
