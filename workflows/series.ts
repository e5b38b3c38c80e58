/**
 * seriesSessionWorkflow: one action of a series' Temporal Schedule (docs/series.md). It runs one
 * session — a single-phase auditWorkflow child of `sessionSteps` interactions on the series'
 * account, as p before the reversal (cultivation phase) and as p' from session `reverseAfter` on
 * (counterfactual phase) — and keeps the series' session list in the artifact store. The audit
 * engine does the stepping; this workflow only decides which session it is.
 *
 * The account lock: the child's workflow id is the session's audit id `<series>-s<index>`, started
 * with REJECT_DUPLICATE. Two actions that meet (a trigger while a session runs, with the overlap
 * policy overridden) read the same next index, so the second start fails: it is recorded as a
 * missed window, never run beside the first on the same account.
 */
import { ParentClosePolicy, proxyActivities, startChild, workflowInfo } from '@temporalio/workflow';
import {
  SearchAttributeType, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, defineSearchAttributeKey,
} from '@temporalio/common';
import { SeriesSpecSchema, sessionAuditId, sessionRole, type SeriesSession, type SeriesSpec } from '../core/series';
import type { SeriesActivities } from '../activities/series/activities';
import { auditWorkflow, type AuditResult } from './audit';
import { searchAttributes } from './search-attributes';
import { MAIN_TASK_QUEUE } from './task-queues';

export interface SeriesSessionInput {
  schemaVersion: 1;
  spec: SeriesSpec;
}

export interface SeriesSessionResult {
  session: SeriesSession | null;
  /** Why no session ran (the account was busy). */
  missed?: string;
  result?: AuditResult;
}

/** Set by Temporal on every workflow a schedule starts: the action's nominal time. */
const scheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

const series = proxyActivities<SeriesActivities>({ startToCloseTimeout: '2 minutes', retry: { maximumAttempts: 5 } });

const errorText = (error: unknown) => (error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` ← ${error.cause.message}` : ''}` : String(error));

export async function seriesSessionWorkflow(input: SeriesSessionInput): Promise<SeriesSessionResult> {
  const spec = SeriesSpecSchema.parse(input.spec);
  const info = workflowInfo();
  // A trigger or a start outside the schedule has no nominal time: its own start is its window.
  const scheduledAt = (info.typedSearchAttributes.get(scheduledStartTime) ?? info.startTime).toISOString();
  const { index } = await series.nextSeriesSession({ spec });
  const role = sessionRole(spec, index);
  const auditId = sessionAuditId(spec.seriesId, index);
  let child;
  try {
    child = await startChild(auditWorkflow, {
      workflowId: auditId,
      taskQueue: MAIN_TASK_QUEUE,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      // The session belongs to its series, not to this action: cancelling the action cancels it.
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      typedSearchAttributes: [
        { key: searchAttributes.series, value: spec.seriesId },
        { key: searchAttributes.platform, value: spec.platform },
        { key: searchAttributes.persona, value: spec.persona.id },
      ],
      args: [{
        schemaVersion: 1,
        auditId,
        screenshots: spec.screenshots,
        spec: {
          schemaVersion: 1, platform: spec.platform, persona: spec.persona, accountId: spec.accountId,
          // One phase: p cultivates, p' acts in the counterfactual phase (the policy reverses there).
          cultivationSteps: role === 'original' ? spec.sessionSteps : 0,
          counterfactualSteps: role === 'reversed' ? spec.sessionSteps : 0,
          policy: spec.policy, reversal: spec.reversal, seed: `${spec.seed}/s${index}`,
          ...(spec.timeScale !== undefined ? { timeScale: spec.timeScale } : {}),
          ...(spec.challenges ? { challenges: spec.challenges } : {}),
        },
      }],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    const missed = `session ${index} (${auditId}) already exists: another action holds the account ${spec.accountId}`;
    await series.recordSeriesMiss({ seriesId: spec.seriesId, scheduledAt, workflowId: info.workflowId, reason: missed });
    return { session: null, missed };
  }
  const entry = { seriesId: spec.seriesId, index, auditId, role, scheduledAt, startedAt: info.startTime.toISOString() };
  await series.recordSeriesSession({ ...entry, status: 'RUNNING' });
  try {
    const result = await child.result();
    const session = await series.recordSeriesSession({ ...entry, status: 'COMPLETED', endedAt: new Date().toISOString() });
    return { session, result };
  } catch (error) {
    await series.recordSeriesSession({ ...entry, status: 'FAILED', endedAt: new Date().toISOString(), error: errorText(error) });
    throw error;
  }
}
