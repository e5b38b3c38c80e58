/**
 * Patch ids for `patched()`: every change to a workflow's commands (what it schedules, in which
 * order) ships behind one, so audits, interviews and training runs already under way replay their
 * recorded history unchanged and take the new path only from where they are now. The policy
 * (when to add one, when to deprecate and remove it) is in docs/upgrading.md. Ids are never reused.
 */
export const PATCHES = {
  /** auditWorkflow closes (best effort, without waiting) a session it has given up as lost. */
  closeLostSession: 'audit-close-lost-session-v1',
  /** auditWorkflow labels a real platform's item without its own category by the title classifier (a local activity). */
  contentLabels: 'audit-content-labels-v1',
  /** studyWorkflow starts audits replicate by replicate across cells (interleavedOrder), not cell by cell. */
  studyInterleave: 'study-interleave-replicates-v1',
  /** auditWorkflow on a real platform takes its account's lock (workflows/audit-account-lock.ts) before its first session. */
  accountLock: 'audit-account-lock-v1',
} as const;
