/**
 * What an export id names — an audit, a study or a series — and its interactions as rows, read
 * from the artifact store alone (no Temporal needed).
 */
import { z } from 'zod';
import { auditPrefix, loadPhaseRecords } from '../../activities/analysis/analyze-audit';
import { loadStudyManifest } from '../../activities/analysis/analyze-study';
import { seriesPrefix, seriesSpecKey } from '../../activities/series/series-store';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { PHASES } from '../../core/interaction-record';
import { KeySegmentSchema } from '../../core/primitives';
import { cellName, studyManifestKey } from '../../core/study-manifest';
import { formatZodError } from '../../core/zod-error';
import { UserError } from '../errors';
import { exportRow, type ExportContext, type ExportRow } from './rows';

export const EXPORT_KINDS = ['audit', 'study', 'series'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

const NO_CONTEXT: ExportContext = {
  study: null, cell: null, platform: null, profile: null, persona: null, arm: null, replicate: null, series: null, session: null, account: null,
};

/** The parts of an audit's stored spec (audits/<id>/spec.json) that label its rows. */
const AuditSpecLabelsSchema = z.object({
  platform: z.string().optional(),
  accountId: z.string().optional(),
  studyId: z.string().optional(),
  persona: z.object({ id: z.string() }).optional(),
});

/**
 * The parts of a series (docs/series.md: `series/<id>/series.json` and one
 * `series/<id>/sessions/<index>.json` per session) that an export needs: each session is an audit.
 * Only these labels are read, so an export works on any series file that has them.
 */
const SeriesLabelsSchema = z.object({ platform: z.string(), accountId: z.string(), persona: z.object({ id: z.string() }) });
const SeriesSessionLabelsSchema = z.object({ index: z.number().int().nonnegative(), auditId: KeySegmentSchema, role: z.string() });

async function parsed<S extends z.ZodType>(store: ArtifactStore, key: string, schema: S): Promise<z.output<S>> {
  const result = schema.safeParse(await store.getJson(key));
  if (!result.success) throw new UserError(formatZodError(result.error, store.locate(key)));
  return result.data;
}

async function auditRows(store: ArtifactStore, auditId: string, context: ExportContext): Promise<ExportRow[]> {
  const rows: ExportRow[] = [];
  for (const phase of PHASES) for (const record of await loadPhaseRecords(store, auditId, phase)) rows.push(exportRow(context, record));
  return rows;
}

async function hasRecords(store: ArtifactStore, auditId: string): Promise<boolean> {
  return (await store.list(auditPrefix(auditId))).some((key) => PHASES.some((phase) => key.startsWith(`${auditPrefix(auditId)}${phase}/`)));
}

/** Which kinds of thing exist under this id. */
export async function kindsOf(store: ArtifactStore, id: string): Promise<ExportKind[]> {
  const [study, series, audit] = await Promise.all([
    store.get(studyManifestKey(id)).then((body) => body !== undefined),
    store.get(seriesSpecKey(id)).then((body) => body !== undefined),
    hasRecords(store, id),
  ]);
  return EXPORT_KINDS.filter((kind) => ({ audit, study, series })[kind]);
}

export async function resolveKind(store: ArtifactStore, id: string, asked?: ExportKind): Promise<ExportKind> {
  const kinds = await kindsOf(store, id);
  if (asked) {
    if (!kinds.includes(asked)) throw new UserError(`no ${asked} "${id}" in ${store.location}${kinds.length > 0 ? ` (there is a ${kinds.join(' and a ')} of that id)` : ''}`);
    return asked;
  }
  if (kinds.length === 0) throw new UserError(`nothing to export: no audit records, study manifest or series named "${id}" in ${store.location} (PERSONAACT_ARTIFACTS must name the store the workers write to)`);
  if (kinds.length > 1) throw new UserError(`"${id}" names both a ${kinds.join(' and a ')}: say which with --kind ${kinds.join('|')}`);
  return kinds[0]!;
}

export async function collectRows(store: ArtifactStore, id: string, kind: ExportKind): Promise<ExportRow[]> {
  switch (kind) {
    case 'audit': {
      const specKey = `${auditPrefix(id)}spec.json`;
      const spec = (await store.get(specKey)) === undefined ? {} : await parsed(store, specKey, AuditSpecLabelsSchema);
      return auditRows(store, id, {
        ...NO_CONTEXT, study: spec.studyId ?? null, platform: spec.platform ?? null, persona: spec.persona?.id ?? null, account: spec.accountId ?? null,
      });
    }
    case 'study': {
      const manifest = await loadStudyManifest(store, id);
      const rows: ExportRow[] = [];
      // Every audit that recorded something, whatever its status: a cancelled audit's records are data too.
      for (const entry of manifest.audits) {
        if (!(await hasRecords(store, entry.auditId))) continue;
        rows.push(...await auditRows(store, entry.auditId, {
          ...NO_CONTEXT, study: id, cell: cellName(entry.cell), platform: entry.cell.platform, profile: entry.cell.profile ?? null,
          persona: entry.cell.personaId, arm: entry.cell.arm, replicate: entry.replicate, account: entry.accountId,
        }));
      }
      return rows;
    }
    case 'series': {
      const series = await parsed(store, seriesSpecKey(id), SeriesLabelsSchema);
      const sessionKeys = (await store.list(`${seriesPrefix(id)}sessions/`)).filter((key) => key.endsWith('.json'));
      const sessions = (await Promise.all(sessionKeys.map((key) => parsed(store, key, SeriesSessionLabelsSchema)))).sort((a, b) => a.index - b.index);
      const rows: ExportRow[] = [];
      for (const session of sessions) {
        if (!(await hasRecords(store, session.auditId))) continue;
        rows.push(...await auditRows(store, session.auditId, {
          ...NO_CONTEXT, series: id, session: session.index, platform: series.platform, persona: series.persona.id,
          arm: session.role, account: series.accountId,
        }));
      }
      return rows;
    }
  }
}
