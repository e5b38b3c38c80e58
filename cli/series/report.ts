/**
 * `personaact series report ID`: the series' metrics per session, from its session list in the
 * artifact store (docs/series.md) and, while its schedule exists, the schedule's own count of
 * skipped and missed actions. Works without Temporal once the schedule is gone.
 */
import { readSeriesMisses, readSeriesSessions, readSeriesSpec, seriesPrefix } from '../../activities/series/series-store';
import { seriesMetrics, type SeriesMetrics, type SeriesSpec } from '../../core/series';
import { level1Label } from '../../core/taxonomy';
import { withClient } from '../../clients/connection';
import { describeSeriesSchedule, scheduleFacts, type ScheduleFacts } from '../../clients/series';
import { openCliStore } from '../audit/store';
import type { CliConfig } from '../config';
import { isUserError, UserError } from '../errors';

export interface SeriesReport extends SeriesMetrics {
  spec: Omit<SeriesSpec, 'persona'> & { persona: string };
  /** null: no schedule of that id (deleted), or Temporal not reachable. */
  schedule: ScheduleFacts | null;
  location: string;
}

const TOP = 3;

async function scheduleOf(config: CliConfig, seriesId: string): Promise<ScheduleFacts | null> {
  try {
    return await withClient(config, async ({ client }) => scheduleFacts((await describeSeriesSchedule(client, seriesId)).description));
  } catch (error) {
    // No schedule (deleted), or no server: the report stands on the store alone.
    if (isUserError(error)) return null;
    throw error;
  }
}

export async function loadSeriesReport(config: CliConfig, seriesId: string, now = new Date()): Promise<SeriesReport> {
  const store = openCliStore(config);
  const spec = await readSeriesSpec(store, seriesId);
  const location = `${store.locate(seriesPrefix(seriesId).slice(0, -1))}/`;
  if (!spec) throw new UserError(`no series "${seriesId}" in ${location}: no session has run yet (see \`personaact schedule describe ${seriesId}\`), or PERSONAACT_ARTIFACTS (${config.PERSONAACT_ARTIFACTS}) is not where the workers write`);
  const [sessions, misses, schedule] = await Promise.all([readSeriesSessions(store, seriesId), readSeriesMisses(store, seriesId), scheduleOf(config, seriesId)]);
  // A window counts as missed once a whole interval has passed without its session (or the series ended).
  const horizon = Math.min(now.getTime() - spec.everyMs, spec.until ? Date.parse(spec.until) : Infinity);
  const metrics = seriesMetrics(spec, sessions, misses, new Date(horizon).toISOString());
  return { ...metrics, spec: { ...spec, persona: spec.persona.id }, schedule, location };
}

const num = (x: number | null, digits = 3) => (x === null ? '–' : x.toFixed(digits));

export function renderSeriesReport(report: SeriesReport): string {
  const { spec } = report;
  const lines = [
    `Series ${report.seriesId}: persona ${spec.persona} on ${spec.platform}, account ${spec.accountId}`,
    `  every ${spec.everyMs / 1000} s${spec.jitterMs ? ` (jitter ≤ ${spec.jitterMs / 1000} s)` : ''}, ${spec.sessionSteps} interactions per session, ` +
      (spec.reverseAfter === undefined ? 'never reversed' : `p' from session ${spec.reverseAfter} on`) + (spec.until ? `, until ${spec.until}` : ''),
    '',
    'SESSION  ROLE  SCHEDULED                 STATUS     STEPS  DIVERSITY  ENTROPY  DRIFT   TOP CATEGORIES',
  ];
  for (const s of report.sessions) {
    const top = Object.entries(s.categoryShare).sort((a, b) => b[1] - a[1]).slice(0, TOP).map(([slug, p]) => `${level1Label(slug)} ${(p * 100).toFixed(0)}%`).join(', ');
    lines.push([
      String(s.index).padEnd(8), (s.role === 'original' ? 'p' : "p'").padEnd(5), s.scheduledAt.padEnd(25), s.status.padEnd(10), String(s.steps).padEnd(6),
      num(s.meanDiversity, 2).padEnd(10), num(s.normalizedEntropy).padEnd(8), num(s.driftFromPrevious).padEnd(7), top,
    ].join(' '));
  }
  if (report.sessions.length === 0) lines.push('(no session yet)');
  lines.push('', 'DIVERSITY: mean distinct categories per 20 steps. DRIFT: JS divergence from the previous completed session.');
  if (report.bep) {
    lines.push(`BEP around the reversal: ${report.bep.adjacent.toFixed(4)} (session ${report.bep.beforeIndex} as p vs session ${report.bep.afterIndex} as p'); ` +
      `${report.bep.pooled.toFixed(4)} over all sessions on each side`);
  } else lines.push('BEP around the reversal: n/a until the series has completed sessions as p and as p\'');
  lines.push('', report.missed.length === 0 ? 'Missed windows: none' : `Missed windows: ${report.missed.length}`);
  for (const miss of report.missed) lines.push(`  ${miss.at}  ${miss.reason}`);
  if (report.schedule) {
    const s = report.schedule;
    lines.push('', `Schedule: ${s.paused ? 'PAUSED' : 'active'}${s.note ? ` (${s.note})` : ''}; ${s.actionsTaken} action(s) taken, ${s.skippedOverlap} skipped (a session still ran), ${s.missedCatchupWindow} missed the catch-up window` +
      (s.running.length > 0 ? `; running: ${s.running.join(', ')}` : '') + (s.nextActionTimes[0] ? `; next ${s.nextActionTimes[0]}` : ''));
  } else lines.push('', 'Schedule: none (deleted, or Temporal not reachable)');
  lines.push(`Session list: ${report.location}sessions/   (records: audits/<session audit id>/)`);
  return lines.join('\n');
}
