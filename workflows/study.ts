/**
 * studyWorkflow: a study's audits (core/study-spec.ts planStudy) as child `auditWorkflow`s, at most
 * `concurrency` at once. Child ids derive from the study id; every child carries the study and arm
 * search attributes. A failed child is started again on a new account (`retries`) or reported
 * failed, never dropped; cancelling the study cancels its running children, whose records stay.
 * The manifest (`studies/<id>/manifest.json`) follows every change. Continue-as-new waits until
 * the running children have finished, so no child outlives the run that awaits it.
 */
import {
  CancellationScope, CancelledFailure, continueAsNew, defineQuery, executeChild, isCancellation, log,
  ParentClosePolicy, patched, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import { AuditSpecSchema } from '../core/audit-spec';
import type { Persona } from '../core/persona';
import { StudyTracker, type StatusCounts, type StudyProgress, type StudyState, type StudyStatus } from '../core/study-progress';
import { interleavedOrder, planStudy, StudySpecSchema, type StudySpecInput } from '../core/study-spec';
import type { StudyActivities } from '../activities/study/manifest';
import { auditWorkflow, type AuditWorkflowInput } from './audit';
import { PATCHES } from './patches';
import { searchAttributes } from './search-attributes';

export const studyProgressQuery = defineQuery<StudyProgress>('studyProgress');

export interface StudyWorkflowInput {
  schemaVersion: 1;
  spec: StudySpecInput;
  /** The spec's personas, read from its files, in the spec's order. */
  personas: Persona[];
  /** Parameters of the sandbox profiles that come from the spec's profiles file, by name (built-in ones: none). */
  profileDefinitions?: Record<string, Record<string, unknown>>;
  /** The sandbox's clock speed-up, passed to every audit (the CLI reads it from the sandbox). */
  timeScale?: number;
  /** Continue-as-new once a run's history is this long, if Temporal has not suggested it sooner. */
  maxHistoryEvents?: number;
  /** Set by continue-as-new. */
  carried?: { state: StudyState; runs: number };
}

export interface StudyResult {
  studyId: string;
  status: StudyStatus;
  counts: StatusCounts;
  /** Workflow runs the study took (continue-as-new starts a new one). */
  runs: number;
}

/** Well under the 10,000 events per run this project promises (an audit costs the study ~20). */
const MAX_HISTORY_EVENTS = 8000;
/** A run must be able to start and finish at least one audit. */
const MIN_HISTORY_EVENTS = 20;

// The manifest must land, whatever the store's hiccups: retried until it does.
const manifests = proxyActivities<StudyActivities>({ startToCloseTimeout: '1 minute' });

/** "Child Workflow execution failed ← SessionLost: …": what a researcher needs to see in the manifest. */
function failureMessage(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current instanceof Error && parts.length < 6) {
    parts.push(current.message);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.length > 0 ? parts.join(' ← ') : String(error);
}

export async function studyWorkflow(input: StudyWorkflowInput): Promise<StudyResult> {
  const spec = StudySpecSchema.parse(input.spec);
  const personas = new Map(input.personas.map((persona) => [persona.id, persona]));
  const plan = planStudy(spec, input.personas.map((persona) => persona.id));
  // Studies started before the patch keep starting their audits cell by cell (docs/upgrading.md).
  const order = patched(PATCHES.studyInterleave) ? interleavedOrder(plan) : undefined;
  const tracker = new StudyTracker(spec.id, plan, spec.retries, input.carried?.state, order);
  const runs = (input.carried?.runs ?? 0) + 1;
  setHandler(studyProgressQuery, () => tracker.progress());
  if (!input.carried) upsertSearchAttributes([{ key: searchAttributes.study, value: spec.id }]);

  // One manifest write at a time, the latest state last: concurrent writes could land out of order.
  let writing: Promise<void> | undefined;
  let dirty = false;
  const persist = (): Promise<void> => {
    dirty = true;
    writing ??= CancellationScope.nonCancellable(async () => {
      try {
        while (dirty) {
          dirty = false;
          await manifests.writeStudyManifest(tracker.manifest());
        }
      } finally {
        writing = undefined;
      }
    });
    return writing;
  };

  const childInput = (slot: number): AuditWorkflowInput => {
    const entry = tracker.audit(slot);
    const { cell } = entry;
    const persona = personas.get(cell.personaId);
    if (!persona) throw new Error(`study ${spec.id}: no persona "${cell.personaId}" in the input`);
    const definition = cell.profile ? input.profileDefinitions?.[cell.profile] : undefined;
    const auditSpec = AuditSpecSchema.parse({
      schemaVersion: 1, platform: cell.platform, persona, accountId: entry.accountId,
      cultivationSteps: spec.cultivationSteps, counterfactualSteps: spec.counterfactualSteps,
      policy: spec.policy, reversal: spec.reversal, seed: entry.seed, studyId: spec.id,
      arm: cell.arm, mitigation: spec.mitigation,
      ...(cell.profile ? { sandboxProfile: { name: cell.profile, ...(definition ? { definition } : {}) } } : {}),
      ...(cell.country ? { country: cell.country } : {}),
      ...(input.timeScale !== undefined ? { timeScale: input.timeScale } : {}),
    });
    return { schemaVersion: 1, auditId: entry.auditId, spec: auditSpec, screenshots: spec.screenshots };
  };

  const runAudit = async (slot: number): Promise<void> => {
    const entry = tracker.audit(slot);
    tracker.started(slot);
    void persist();
    try {
      await executeChild(auditWorkflow, {
        workflowId: entry.auditId,
        args: [childInput(slot)],
        // Should the study be terminated, its audits stop too (their records stay).
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        typedSearchAttributes: [
          { key: searchAttributes.study, value: spec.id },
          { key: searchAttributes.arm, value: entry.cell.arm },
          { key: searchAttributes.platform, value: entry.cell.platform },
          { key: searchAttributes.persona, value: entry.cell.personaId },
        ],
      });
      tracker.completed(slot);
    } catch (error) {
      if (isCancellation(error)) {
        tracker.cancelled(slot);
      } else {
        const message = failureMessage(error);
        const outcome = tracker.failed(slot, message);
        log.warn(outcome === 'retry' ? 'study audit failed; retrying on a new account' : 'study audit failed; no retries left', {
          auditId: entry.auditId, error: message,
        });
      }
    }
    await persist();
  };

  const running = new Map<number, Promise<void>>();
  const historyLimit = Math.max(MIN_HISTORY_EVENTS, input.maxHistoryEvents ?? MAX_HISTORY_EVENTS);
  const cancelled = () => CancellationScope.current().consideredCancelled;
  let draining = false;
  await persist();
  while (tracker.active && !cancelled()) {
    const info = workflowInfo();
    draining ||= info.continueAsNewSuggested || info.historyLength > historyLimit;
    for (let slot = tracker.nextPending(); !draining && slot !== undefined && running.size < spec.concurrency; slot = tracker.nextPending()) {
      const started = slot;
      running.set(started, runAudit(started).finally(() => running.delete(started)));
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }

  if (cancelled()) {
    // The children were cancelled with the study (same scope); wait for their outcome, then record it.
    await CancellationScope.nonCancellable(async () => {
      await Promise.all(running.values());
      tracker.cancel();
      await persist();
    });
    throw new CancelledFailure(`study ${spec.id} was cancelled`);
  }
  if (tracker.active) {
    await writing;
    log.info('study continues as new', { runs, historyLength: workflowInfo().historyLength });
    await continueAsNew<typeof studyWorkflow>({ ...input, carried: { state: tracker.getState(), runs } });
  }
  tracker.finish();
  await persist();
  return { studyId: spec.id, status: tracker.status, counts: tracker.progress().counts, runs };
}
