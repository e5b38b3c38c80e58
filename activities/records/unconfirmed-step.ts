/**
 * A step whose swipe reached the platform but whose activity died before writing the record (the
 * browser or its worker was killed in between). The workflow learns it when the re-acquired session
 * shows another video than the one in flight; this writes the step's record from what the workflow
 * knows, so no swipe the platform saw goes unrecorded. Timings were lost with the activity: the
 * record says so (`unconfirmed`) and carries the intended dwell as the executed one.
 */
import type { Decision } from '../../core/decision';
import { recordKey, type InteractionRecord, type Phase } from '../../core/interaction-record';
import type { Observation } from '../../core/observation';
import type { ArtifactStore } from '../../artifacts/artifact-store';

export interface UnconfirmedStepInput {
  auditId: string;
  phase: Phase;
  index: number;
  observation: Observation;
  decision: Decision;
  /** The policy's own decision when `decision` was derived from it (the reversed counterfactual). */
  policyDecision?: Decision;
  decisionLatencyMs: number;
}

export function createRecordActivities(deps: { store: ArtifactStore }) {
  return {
    /** Writes the record unless the lost activity got as far as writing its own (which is then the better one). */
    async recordUnconfirmedStep(input: UnconfirmedStepInput): Promise<'written' | 'kept'> {
      const key = recordKey(input.auditId, input.phase, input.index);
      if (await deps.store.getJson(key)) return 'kept';
      const dwellMs = input.decision.watchSeconds * 1000;
      // When the viewing happened was lost too: both times are the recovery's.
      const now = new Date().toISOString();
      const record: InteractionRecord = {
        schemaVersion: 1, auditId: input.auditId, phase: input.phase, index: input.index,
        observation: input.observation, decision: input.decision,
        ...(input.policyDecision ? { policyDecision: input.policyDecision } : {}),
        intendedDwellMs: dwellMs, executedDwellMs: dwellMs, decisionLatencyMs: input.decisionLatencyMs,
        startedAt: now, endedAt: now,
        actionsPerformed: [], unconfirmed: true,
      };
      await deps.store.putJson(key, record);
      return 'written';
    },
  };
}

export type RecordActivities = ReturnType<typeof createRecordActivities>;
