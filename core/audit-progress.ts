/**
 * The audit as an entity: where it stands and the compact statistics it keeps while running. A
 * plain class (no Temporal imports) so the logic is unit-testable; the workflow holds one,
 * answers the progress query from it, and passes `getState()` through continue-as-new. The full
 * history of what was seen lives in the artifact store, never in workflow state.
 */
import type { PendingChallenge } from './challenge';
import type { Phase } from './interaction-record';

export const AUDIT_STATUSES = ['RUNNING', 'AWAITING_HUMAN', 'ANALYZING', 'COMPLETED', 'CANCELLED', 'FAILED'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

/** The rolling diversity window (docs/method.md, content diversity). */
export const DIVERSITY_WINDOW = 20;

export interface AuditState {
  phase: Phase;
  /** The next step to run in `phase` (steps 0..index−1 are recorded). */
  index: number;
  status: AuditStatus;
  /** Level-1 counts per phase: enough for a live category distribution. */
  counts: Record<Phase, Record<string, number>>;
  /** Level-1 labels of the last DIVERSITY_WINDOW steps, oldest first. */
  recent: string[][];
  /** Browser sessions acquired so far (1 unless a browser worker was lost). */
  sessions: number;
  /** Interaction count at the last search-attribute update. */
  reportedInteractions: number;
  /** Set while the audit is AWAITING_HUMAN. */
  challenge?: PendingChallenge;
}

export interface AuditProgress {
  phase: Phase;
  index: number;
  status: AuditStatus;
  cultivationSteps: number;
  counterfactualSteps: number;
  interactions: number;
  totalInteractions: number;
  rollingDiversity: number;
  counts: Record<Phase, Record<string, number>>;
  sessions: number;
  /** Set while the audit is AWAITING_HUMAN: what is on screen and where to see it. */
  challenge?: PendingChallenge;
}

export class AuditTracker {
  private readonly state: AuditState;

  constructor(
    readonly cultivationSteps: number,
    readonly counterfactualSteps: number,
    state?: AuditState,
  ) {
    this.state = state ?? {
      // An empty cultivation phase (a series session as p') starts in the counterfactual phase.
      phase: cultivationSteps === 0 ? 'counterfactual' : 'cultivation', index: 0, status: 'RUNNING', counts: { cultivation: {}, counterfactual: {} },
      recent: [], sessions: 0, reportedInteractions: 0,
    };
  }

  get phase(): Phase { return this.state.phase; }
  get index(): number { return this.state.index; }
  get status(): AuditStatus { return this.state.status; }

  stepsIn(phase: Phase): number {
    return phase === 'cultivation' ? this.cultivationSteps : this.counterfactualSteps;
  }

  /** Steps recorded over both phases. */
  get interactions(): number {
    return this.state.phase === 'cultivation' ? this.state.index : this.cultivationSteps + this.state.index;
  }

  get done(): boolean {
    return this.state.phase === 'counterfactual' && this.state.index >= this.counterfactualSteps;
  }

  setStatus(status: AuditStatus): void {
    this.state.status = status;
  }

  /** A person must act: the audit pauses (AWAITING_HUMAN) at the current step. */
  awaitHuman(challenge: PendingChallenge): void {
    this.state.status = 'AWAITING_HUMAN';
    this.state.challenge = challenge;
  }

  /** The challenge is gone: the audit runs on from the same step. */
  humanDone(): void {
    this.state.status = 'RUNNING';
    delete this.state.challenge;
  }

  sessionAcquired(): void {
    this.state.sessions += 1;
  }

  /** Records step `index` of the current phase; moves to the counterfactual phase after the last cultivation step. */
  recordStep(level1: readonly string[]): void {
    const counts = this.state.counts[this.state.phase];
    for (const label of level1) counts[label] = (counts[label] ?? 0) + 1;
    this.state.recent = [...this.state.recent, [...level1]].slice(-DIVERSITY_WINDOW);
    this.state.index += 1;
    if (this.state.phase === 'cultivation' && this.state.index >= this.cultivationSteps) {
      this.state.phase = 'counterfactual';
      this.state.index = 0;
    }
  }

  /** Distinct level-1 categories among the last 20 steps. */
  rollingDiversity(): number {
    return new Set(this.state.recent.flat()).size;
  }

  /** True every `every` interactions: search attributes are updated that often, not every step (history size). */
  shouldReport(every: number): boolean {
    if (this.interactions - this.state.reportedInteractions < every && !this.done) return false;
    this.state.reportedInteractions = this.interactions;
    return true;
  }

  progress(): AuditProgress {
    return {
      phase: this.state.phase, index: this.state.index, status: this.state.status,
      cultivationSteps: this.cultivationSteps, counterfactualSteps: this.counterfactualSteps,
      interactions: this.interactions, totalInteractions: this.cultivationSteps + this.counterfactualSteps,
      rollingDiversity: this.rollingDiversity(),
      counts: this.state.counts, sessions: this.state.sessions,
      ...(this.state.challenge ? { challenge: this.state.challenge } : {}),
    };
  }

  getState(): AuditState {
    return JSON.parse(JSON.stringify(this.state)) as AuditState;
  }
}
