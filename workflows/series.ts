/**
 * seriesSessionWorkflow: one action of a series' Temporal Schedule (docs/series.md). It runs one
 * session — a single-phase auditWorkflow child of `sessionSteps` interactions on the series'
 * account, as p before the reversal (cultivation phase) and as p' from session `reverseAfter` on
 * (counterfactual phase) — and keeps the series' session list in the artifact store. The audit
 * engine does the stepping; this workflow only decides which session it is.
 *
 * The account lock: before anything else the session starts an accountLockWorkflow child whose id
 * is the account's; an action that finds it held (a trigger while a session runs with the overlap
 * policy overridden, another series on the same account) records a missed window and ends, never
 * runs beside the other session. The audit's id `<series>-s<index>` is started with
 * REJECT_DUPLICATE, so a session index is never run twice either.
 */
import { CancellationScope, ParentClosePolicy, log, proxyActivities, startChild, workflowInfo, type ChildWorkflowHandle } from '@temporalio/workflow';
import {
  SearchAttributeType, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, defineSearchAttributeKey,
} from '@temporalio/common';
import { SeriesSpecSchema, sessionAuditId, sessionRole, type SeriesSession, type SeriesSpec } from '../core/series';
import type { SeriesActivities } from '../activities/series/activities';
import { accountLockId, accountLockWorkflow, releaseAccountSignal } from './account-lock';
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
  /** This action already ran this session (Temporal started the action's workflow id again). */
  duplicateOf?: string;
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
  const miss = async (reason: string): Promise<SeriesSessionResult> => {
    await series.recordSeriesMiss({ seriesId: spec.seriesId, scheduledAt, workflowId: info.workflowId, reason });
    return { session: null, missed: reason };
  };
  let lock: ChildWorkflowHandle<typeof accountLockWorkflow>;
  try {
    lock = await startChild(accountLockWorkflow, {
      workflowId: accountLockId(spec.platform, spec.accountId),
      taskQueue: MAIN_TASK_QUEUE,
      parentClosePolicy: ParentClosePolicy.TERMINATE,
      typedSearchAttributes: [{ key: searchAttributes.series, value: spec.seriesId }],
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return miss(`account ${spec.accountId} was busy with another session`);
  }
  try {
    return await runSession(spec, scheduledAt, miss);
  } finally {
    // A cancelled session cannot signal: its parent close policy then releases the lock.
    await lock.signal(releaseAccountSignal).catch(() => undefined);
  }
}

async function runSession(spec: SeriesSpec, scheduledAt: string, miss: (reason: string) => Promise<SeriesSessionResult>): Promise<SeriesSessionResult> {
  const info = workflowInfo();
  const { index, ranAs } = await series.nextSeriesSession({ spec, workflowId: info.workflowId });
  // An action's workflow id has second resolution: a trigger in the same second as a window (or
  // as another trigger) is the same id, started again once the first run closed. One id, one session.
  if (ranAs) {
    log.warn('this schedule action already ran its session; not running another', { session: ranAs });
    return { session: null, duplicateOf: ranAs };
  }
  const role = sessionRole(spec, index);
  const auditId = sessionAuditId(spec.seriesId, index);
  let child;
  try {
    child = await startChild(auditWorkflow, {
      workflowId: auditId,
      taskQueue: MAIN_TASK_QUEUE,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      // Ending this action any way ends its session's audit too (its records are kept).
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
        // This session holds the account's lock already (above).
        accountLocked: true,
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
    return miss(`session ${index} (${auditId}) already exists`);
  }
  const entry = { seriesId: spec.seriesId, index, auditId, workflowId: info.workflowId, role, scheduledAt, startedAt: info.startTime.toISOString() };
  await series.recordSeriesSession({ ...entry, status: 'RUNNING' });
  try {
    const result = await child.result();
    const session = await series.recordSeriesSession({ ...entry, status: 'COMPLETED', endedAt: new Date().toISOString() });
    return { session, result };
  } catch (error) {
    // Recorded even when the action was cancelled: the series' list never loses a session.
    await CancellationScope.nonCancellable(() => series.recordSeriesSession({ ...entry, status: 'FAILED', endedAt: new Date().toISOString(), error: errorText(error) }));
    throw error;
  }
}
