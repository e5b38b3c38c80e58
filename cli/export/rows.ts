/**
 * One row per interaction, for pandas and R: where it belongs (study, cell, arm, replicate, series,
 * session, account, audit), what was served and what the agent did. The column list is the file's
 * contract (docs/exports.md): every format writes these columns in this order.
 */
import type { InteractionRecord } from '../../core/interaction-record';

export interface ExportContext {
  study: string | null;
  cell: string | null;
  platform: string | null;
  profile: string | null;
  persona: string | null;
  arm: string | null;
  replicate: number | null;
  series: string | null;
  session: number | null;
  account: string | null;
}

export const EXPORT_COLUMNS = [
  { name: 'study', type: 'STRING' },
  { name: 'cell', type: 'STRING' },
  { name: 'platform', type: 'STRING' },
  { name: 'profile', type: 'STRING' },
  { name: 'persona', type: 'STRING' },
  { name: 'arm', type: 'STRING' },
  { name: 'replicate', type: 'INT32' },
  { name: 'series', type: 'STRING' },
  { name: 'session', type: 'INT32' },
  { name: 'account', type: 'STRING' },
  { name: 'audit', type: 'STRING' },
  { name: 'phase', type: 'STRING' },
  { name: 'index', type: 'INT32' },
  { name: 'video', type: 'STRING' },
  /** The first level-1 category (empty when unknown); `categories` has all of them, '|'-separated. */
  { name: 'category', type: 'STRING' },
  { name: 'categories', type: 'STRING' },
  { name: 'intended_dwell_ms', type: 'DOUBLE' },
  { name: 'executed_dwell_ms', type: 'DOUBLE' },
  /** What the adapter did, in order, '|'-separated (e.g. "like|swipe"). */
  { name: 'actions', type: 'STRING' },
  { name: 'started_at', type: 'STRING' },
  { name: 'attempt', type: 'INT32' },
  { name: 'unconfirmed', type: 'BOOLEAN' },
] as const;

export type ExportColumn = (typeof EXPORT_COLUMNS)[number]['name'];
export type ExportRow = Record<ExportColumn, string | number | boolean | null>;

export function exportRow(context: ExportContext, record: InteractionRecord): ExportRow {
  return {
    ...context,
    platform: context.platform ?? record.observation.platform,
    audit: record.auditId,
    phase: record.phase,
    index: record.index,
    video: record.observation.videoId,
    category: record.observation.level1[0] ?? null,
    categories: record.observation.level1.join('|'),
    intended_dwell_ms: record.intendedDwellMs,
    executed_dwell_ms: record.executedDwellMs,
    actions: record.actionsPerformed.join('|'),
    started_at: record.startedAt,
    attempt: record.attempt ?? 1,
    unconfirmed: record.unconfirmed ?? false,
  };
}
