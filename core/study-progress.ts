/**
 * The study as an entity: which audit each slot of the plan runs now, with what status, and what
 * was retried. A plain class (no Temporal imports), like AuditTracker: `studyWorkflow` holds one,
 * answers the progress query from it, writes its manifest and carries `getState()` through
 * continue-as-new.
 */
import type { PlannedAudit } from './study-spec';
import { studyAccountId, studyAuditId } from './study-spec';
import {
  cellName, STUDY_AUDIT_STATUSES, type StudyArm, type StudyAuditEntry, type StudyManifest,
} from './study-manifest';

export type StudyAuditStatus = (typeof STUDY_AUDIT_STATUSES)[number];
export const STUDY_STATUSES = ['RUNNING', 'COMPLETED', 'CANCELLED'] as const;
export type StudyStatus = (typeof STUDY_STATUSES)[number];

export interface StudyState {
  status: StudyStatus;
  /** One entry per slot of the plan: its current (or last) attempt. */
  audits: StudyAuditEntry[];
  /** Attempts so far per slot (0 = the first). */
  attempts: number[];
  /** Earlier attempts that failed and were started again on a new account: never silently dropped. */
  retried: { auditId: string; error: string }[];
}

export type StatusCounts = Record<StudyAuditStatus, number> & { total: number };

export interface StudyProgress {
  studyId: string;
  status: StudyStatus;
  counts: StatusCounts;
  arms: Partial<Record<StudyArm, StatusCounts>>;
  /** Per cell (cellName), in plan order. */
  cells: { cell: string; arm: StudyArm; counts: StatusCounts }[];
  retried: StudyState['retried'];
  audits: StudyAuditEntry[];
}

const emptyCounts = (): StatusCounts => ({ pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, total: 0 });

function count(into: StatusCounts, status: StudyAuditStatus): void {
  into[status] += 1;
  into.total += 1;
}

export class StudyTracker {
  private readonly state: StudyState;
  /** Slots in the order they start: the plan's, or `interleavedOrder`'s (studyWorkflow picks it behind a patch). */
  private readonly order: readonly number[];

  constructor(
    readonly studyId: string,
    private readonly plan: readonly PlannedAudit[],
    private readonly retries: number,
    state?: StudyState,
    order?: readonly number[],
  ) {
    this.order = order ?? plan.map((planned) => planned.slot);
    this.state = state ?? {
      status: 'RUNNING',
      audits: plan.map((planned) => this.entry(planned, 0)),
      attempts: plan.map(() => 0),
      retried: [],
    };
  }

  private entry(planned: PlannedAudit, attempt: number): StudyAuditEntry {
    return {
      auditId: studyAuditId(this.studyId, planned, attempt), cell: planned.cell, replicate: planned.replicate,
      accountId: studyAccountId(this.studyId, planned, attempt), seed: planned.seed, status: 'pending',
    };
  }

  get status(): StudyStatus { return this.state.status; }

  audit(slot: number): StudyAuditEntry {
    const entry = this.state.audits[slot];
    if (!entry) throw new Error(`no slot ${slot} in study ${this.studyId}`);
    return entry;
  }

  /** The first slot, in start order, waiting to start (a retried one included), if any. */
  nextPending(): number | undefined {
    return this.order.find((slot) => this.state.audits[slot]?.status === 'pending');
  }

  get running(): number {
    return this.state.audits.filter((entry) => entry.status === 'running').length;
  }

  /** Whether anything is left to start or to wait for. */
  get active(): boolean {
    return this.state.audits.some((entry) => entry.status === 'pending' || entry.status === 'running');
  }

  started(slot: number): void {
    this.audit(slot).status = 'running';
  }

  completed(slot: number): void {
    this.audit(slot).status = 'completed';
  }

  /** A failed attempt: started again on a new account while retries are left (`'retry'`), else reported failed. */
  failed(slot: number, error: string): 'retry' | 'failed' {
    const entry = this.audit(slot);
    const attempt = this.state.attempts[slot] ?? 0;
    const planned = this.plan[slot];
    if (planned && attempt < this.retries) {
      this.state.retried.push({ auditId: entry.auditId, error });
      this.state.attempts[slot] = attempt + 1;
      this.state.audits[slot] = this.entry(planned, attempt + 1);
      return 'retry';
    }
    entry.status = 'failed';
    entry.error = error;
    return 'failed';
  }

  cancelled(slot: number): void {
    this.audit(slot).status = 'cancelled';
  }

  /** The study was cancelled: whatever had not finished never will. */
  cancel(): void {
    for (const entry of this.state.audits) if (entry.status === 'pending' || entry.status === 'running') entry.status = 'cancelled';
    this.state.status = 'CANCELLED';
  }

  finish(): void {
    this.state.status = 'COMPLETED';
  }

  progress(): StudyProgress {
    const counts = emptyCounts();
    const arms: StudyProgress['arms'] = {};
    const cells = new Map<string, StudyProgress['cells'][number]>();
    for (const entry of this.state.audits) {
      count(counts, entry.status);
      count((arms[entry.cell.arm] ??= emptyCounts()), entry.status);
      const name = cellName(entry.cell);
      const cell = cells.get(name) ?? { cell: name, arm: entry.cell.arm, counts: emptyCounts() };
      cells.set(name, cell);
      count(cell.counts, entry.status);
    }
    return {
      studyId: this.studyId, status: this.state.status, counts, arms, cells: [...cells.values()],
      retried: [...this.state.retried], audits: this.state.audits.map((entry) => ({ ...entry })),
    };
  }

  manifest(): StudyManifest {
    return { schemaVersion: 1, studyId: this.studyId, audits: this.state.audits.map((entry) => ({ ...entry })) };
  }

  getState(): StudyState {
    return JSON.parse(JSON.stringify(this.state)) as StudyState;
  }
}
