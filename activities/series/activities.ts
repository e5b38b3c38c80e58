/**
 * The series session workflow's activities (main queue): which session comes next, and each
 * session's entry in the series' session list, summarised from its audit's records.
 */
import { diversityWindows } from '../../core/metrics';
import { PHASES } from '../../core/interaction-record';
import { SeriesSpecSchema, sessionSummary, type SeriesMiss, type SeriesSession, type SeriesSpec } from '../../core/series';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { loadPhaseRecords } from '../analysis/analyze-audit';
import { readSeriesSessions, seriesMissKey, seriesSessionKey, seriesSpecKey } from './series-store';

export function createSeriesActivities(deps: { store: ArtifactStore }) {
  const { store } = deps;
  return {
    /**
     * The next session's index: one past every session the list holds, whatever its status (a
     * failed or abandoned session keeps its index and audit id). Stores the spec beside them.
     * `ranAs`: the session this action's workflow id already ran (a schedule action started twice).
     */
    async nextSeriesSession(input: { spec: SeriesSpec; workflowId: string }): Promise<{ index: number; ranAs?: string }> {
      const spec = SeriesSpecSchema.parse(input.spec);
      await store.putJson(seriesSpecKey(spec.seriesId), spec);
      const sessions = await readSeriesSessions(store, spec.seriesId);
      const ran = sessions.find((s) => s.workflowId === input.workflowId);
      return { index: sessions.reduce((next, s) => Math.max(next, s.index + 1), 0), ...(ran ? { ranAs: ran.auditId } : {}) };
    },

    /** Writes the session's entry; a finished session's counts and diversity come from its records. */
    async recordSeriesSession(input: Omit<SeriesSession, 'steps' | 'categoryCounts' | 'meanDiversity' | 'schemaVersion'>): Promise<SeriesSession> {
      const records = (await Promise.all(PHASES.map((phase) => loadPhaseRecords(store, input.auditId, phase)))).flat();
      const steps = records.map((r) => ({ level1: r.observation.level1 }));
      const session: SeriesSession = { schemaVersion: 1, ...input, ...sessionSummary(steps, diversityWindows(steps)) };
      await store.putJson(seriesSessionKey(input.seriesId, input.index), session);
      return session;
    },

    async recordSeriesMiss(input: Omit<SeriesMiss, 'schemaVersion'>): Promise<void> {
      await store.putJson(seriesMissKey(input.seriesId, input.workflowId), { schemaVersion: 1, ...input });
    },
  };
}

export type SeriesActivities = ReturnType<typeof createSeriesActivities>;
