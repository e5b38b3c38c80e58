/**
 * `personaact persona interviews`: the interview workflows on the server, newest first, with how
 * far each got (asked through the progress query for the ones still running).
 */
import type { WorkflowExecutionStatusName } from '@temporalio/client';
import type { InterviewProgress } from '../../core/interview';
import { interviewProgressQuery } from '../../workflows/interview';
import { withClient } from '../../clients/connection';
import { INTERVIEW_WORKFLOW_TYPE, interviewHandle } from '../../clients/interview';
import type { CliConfig } from '../config';

const QUERY_TIMEOUT_MS = 3_000;

export interface InterviewListEntry {
  interviewId: string;
  temporalStatus: WorkflowExecutionStatusName;
  /** The workflow's own status while it runs (ASKING…); null once closed or when no worker answered. */
  status: InterviewProgress['status'] | null;
  personaId: string | null;
  answered: number | null;
  plannedTurns: number | null;
  startTime: string;
  closeTime: string | null;
}

export async function listInterviews(config: CliConfig, limit: number): Promise<InterviewListEntry[]> {
  return withClient(config, async ({ client }) => {
    const entries: InterviewListEntry[] = [];
    for await (const info of client.workflow.list({ query: `WorkflowType = '${INTERVIEW_WORKFLOW_TYPE}'`, pageSize: Math.min(1000, limit) })) {
      let progress: InterviewProgress | null = null;
      if (info.status.name === 'RUNNING') {
        const handle = interviewHandle(client, info.workflowId);
        progress = await client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query(interviewProgressQuery)).catch(() => null);
      }
      entries.push({
        interviewId: info.workflowId,
        temporalStatus: info.status.name,
        status: progress?.status ?? null,
        personaId: progress?.personaId ?? null,
        answered: progress ? progress.answered + progress.skipped : null,
        plannedTurns: progress?.plannedTurns ?? null,
        startTime: info.startTime.toISOString(),
        closeTime: info.closeTime ? info.closeTime.toISOString() : null,
      });
      if (entries.length >= limit) break;
    }
    return entries;
  });
}

export function renderInterviews(entries: readonly InterviewListEntry[]): string {
  if (entries.length === 0) return 'No interviews yet. Start one: personaact persona interview --logs <path>';
  const rows = entries.map((e) => [
    e.interviewId,
    e.status ?? e.temporalStatus,
    e.answered === null ? '' : `${e.answered}/${e.plannedTurns}`,
    e.startTime.replace(/\.\d+Z$/, 'Z'),
  ]);
  const all = [['INTERVIEW', 'STATUS', 'ANSWERED', 'STARTED'], ...rows];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  return all.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
