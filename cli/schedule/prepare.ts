/**
 * `personaact schedule create`: everything is checked (persona file, durations, dates, platform,
 * the sandbox's clock) before the schedule exists, so a mistake never leaves a half-made series.
 */
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError } from 'commander';
import type { EngagementMode, ReversalStrategy } from '../../core/persona';
import type { Platform } from '../../core/observation';
import { parseDurationMs, SeriesSpecSchema, type SeriesSpec } from '../../core/series';
import { formatZodError } from '../../core/zod-error';
import { defaultAccountId, sandboxTimeScale } from '../audit/start';
import { readPersonaFile } from '../persona/files';
import type { CliConfig } from '../config';
import { UserError } from '../errors';

export interface CreateFlags {
  persona: string;
  platform: Platform;
  every: number;
  sessionSteps: number;
  reverseAfter?: number;
  until?: Date;
  jitter?: number;
  account?: string;
  id?: string;
  seed?: string;
  policy: string;
  reversal: ReversalStrategy;
  engagement: EngagementMode;
  screenshots: boolean;
  startNow: boolean;
}

/** commander parser for --every and --jitter. */
export function durationArgument(value: string): number {
  const ms = parseDurationMs(value);
  if (ms === undefined) throw new InvalidArgumentError('expected a whole number with a unit: s, m, h or d (e.g. 30s, 6h, 1d).');
  return ms;
}

/** commander parser for --until, --from and --to: an ISO 8601 date or date-time. */
export function dateArgument(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) throw new InvalidArgumentError('expected an ISO 8601 date or date-time such as 2027-01-31 or 2027-01-31T12:00:00Z.');
  return date;
}

/** `series-<persona>-<yyyymmddThhmmss>-<4 hex>` in UTC. */
export function defaultSeriesId(personaId: string, now = new Date()): string {
  return `series-${personaId}-${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(2).toString('hex')}`;
}

export async function prepareSeries(flags: CreateFlags, config: CliConfig, now = new Date()): Promise<{ spec: SeriesSpec; timeScaleNote?: string }> {
  if (flags.jitter !== undefined && flags.jitter >= flags.every) throw new UserError(`--jitter (${flags.jitter / 1000} s) must be shorter than --every (${flags.every / 1000} s)`);
  if (flags.until !== undefined && flags.until.getTime() <= now.getTime()) throw new UserError(`--until ${flags.until.toISOString()} is in the past: no session would run`);
  const persona = await readPersonaFile(flags.persona);
  if (persona.reversal) throw new UserError(`persona file ${flags.persona} holds a counterfactual persona (p' of "${persona.reversal.of}"): a series starts from the original persona`);
  let timeScale: number | undefined;
  let timeScaleNote: string | undefined;
  if (flags.platform === 'sandbox') {
    timeScale = await sandboxTimeScale(config.PERSONAACT_SANDBOX_URL);
    timeScaleNote = `time scale ${timeScale} (read from the sandbox at ${config.PERSONAACT_SANDBOX_URL})`;
  }
  const seriesId = flags.id ?? defaultSeriesId(persona.id, now);
  const parsed = SeriesSpecSchema.safeParse({
    schemaVersion: 1, seriesId, platform: flags.platform, persona,
    accountId: flags.account ?? defaultAccountId(persona.id),
    sessionSteps: flags.sessionSteps,
    ...(flags.reverseAfter !== undefined ? { reverseAfter: flags.reverseAfter } : {}),
    everyMs: flags.every,
    jitterMs: flags.jitter ?? 0,
    ...(flags.until ? { until: flags.until.toISOString() } : {}),
    policy: flags.policy,
    reversal: { strategy: flags.reversal, engagement: flags.engagement },
    seed: flags.seed === undefined ? seriesId : /^-?\d+$/.test(flags.seed) ? Number(flags.seed) : flags.seed,
    ...(timeScale !== undefined ? { timeScale } : {}),
    screenshots: flags.screenshots,
  });
  if (!parsed.success) throw new UserError(`cannot build the series:\n${formatZodError(parsed.error, 'series')}`);
  return { spec: parsed.data, ...(timeScaleNote ? { timeScaleNote } : {}) };
}
