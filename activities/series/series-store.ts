/**
 * The series' artifact layout (docs/series.md), read by the series activities, `series report`
 * and exports:
 *   series/<id>/series.json              the spec (SeriesSpecSchema)
 *   series/<id>/sessions/<index>.json    one per session (SeriesSessionSchema), index zero-padded
 *   series/<id>/missed/<workflow>.json   a scheduled action that ran no session (SeriesMissSchema)
 * A session's interaction records are an audit's: audits/<auditId>/{cultivation,counterfactual}/.
 */
import type { z } from 'zod';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { SeriesMissSchema, SeriesSessionSchema, SeriesSpecSchema, type SeriesMiss, type SeriesSession, type SeriesSpec } from '../../core/series';
import { formatZodError } from '../../core/zod-error';

export const seriesPrefix = (seriesId: string) => `series/${seriesId}/`;
export const seriesSpecKey = (seriesId: string) => `${seriesPrefix(seriesId)}series.json`;
export const seriesSessionKey = (seriesId: string, index: number) => `${seriesPrefix(seriesId)}sessions/${String(index).padStart(6, '0')}.json`;
export const seriesMissKey = (seriesId: string, workflowId: string) => `${seriesPrefix(seriesId)}missed/${workflowId.replace(/[^A-Za-z0-9._-]/g, '_')}.json`;

async function readAll<S extends z.ZodType>(store: ArtifactStore, prefix: string, schema: S): Promise<z.output<S>[]> {
  const keys = (await store.list(prefix)).filter((key) => key.endsWith('.json'));
  return Promise.all(keys.map(async (key) => {
    const parsed = schema.safeParse(await store.getJson(key));
    if (!parsed.success) throw new Error(formatZodError(parsed.error, store.locate(key)));
    return parsed.data;
  }));
}

export async function readSeriesSpec(store: ArtifactStore, seriesId: string): Promise<SeriesSpec | undefined> {
  const raw = await store.getJson(seriesSpecKey(seriesId));
  if (raw === undefined) return undefined;
  const parsed = SeriesSpecSchema.safeParse(raw);
  if (!parsed.success) throw new Error(formatZodError(parsed.error, store.locate(seriesSpecKey(seriesId))));
  return parsed.data;
}

export const readSeriesSessions = (store: ArtifactStore, seriesId: string): Promise<SeriesSession[]> =>
  readAll(store, `${seriesPrefix(seriesId)}sessions/`, SeriesSessionSchema);

export const readSeriesMisses = (store: ArtifactStore, seriesId: string): Promise<SeriesMiss[]> =>
  readAll(store, `${seriesPrefix(seriesId)}missed/`, SeriesMissSchema);
