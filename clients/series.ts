/**
 * A series' Temporal Schedule (docs/series.md): created from a validated SeriesSpec, one action =
 * one seriesSessionWorkflow. These functions take a Client, so the CLI and the tests drive the
 * same code.
 *
 * Overlap: SKIP for the schedule's own windows (a window that comes while a session still runs is
 * skipped, and `series report` lists it), BUFFER_ALL for `trigger` (runs after the running
 * session) and for `backfill` (every past window, one after another): never two sessions at once. The session workflow's account lock covers anything else.
 */
import {
  ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, WorkflowIdReusePolicy,
  type Client, type ScheduleDescription, type ScheduleHandle, type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { SeriesSpecSchema, type SeriesSpec } from '../core/series';
import type { seriesSessionWorkflow, SeriesSessionInput } from '../workflows/series';
import { searchAttributes } from '../workflows/search-attributes';
import { MAIN_TASK_QUEUE } from '../workflows/task-queues';

/** A series' schedule cannot be made or found: the CLI prints the message alone. */
export class SeriesScheduleError extends Error {
  override name = 'SeriesScheduleError';
  readonly userFacing = true;
}

export const SERIES_WORKFLOW_TYPE = 'seriesSessionWorkflow' satisfies (typeof seriesSessionWorkflow)['name'];

/** Temporal refuses catch-up windows under 10 s. */
const MIN_CATCHUP_MS = 10_000;

export interface CreateSeriesOptions {
  /** Run session 0 now rather than one interval from now. */
  startNow: boolean;
}

const seriesTags = (spec: SeriesSpec) => [
  { key: searchAttributes.series, value: spec.seriesId },
  { key: searchAttributes.platform, value: spec.platform },
  { key: searchAttributes.persona, value: spec.persona.id },
];

/** Windows are aligned to `now`: the first scheduled session comes one interval after creation. */
export async function createSeriesSchedule(client: Client, input: SeriesSpec, options: CreateSeriesOptions, now = Date.now()): Promise<ScheduleHandle> {
  const spec = SeriesSpecSchema.parse(input);
  const tags = seriesTags(spec);
  try {
    return await client.schedule.create<typeof seriesSessionWorkflow>({
      scheduleId: spec.seriesId,
      spec: {
        // Rounded down: a window rounded up would fall just after creation and run at once.
        intervals: [{ every: spec.everyMs, offset: (Math.floor(now / 1000) * 1000) % spec.everyMs }],
        ...(spec.jitterMs > 0 ? { jitter: spec.jitterMs } : {}),
        ...(spec.until ? { endAt: new Date(spec.until) } : {}),
      },
      action: {
        type: 'startWorkflow',
        workflowType: SERIES_WORKFLOW_TYPE,
        // Temporal appends the action's time: <series>-<ISO time>.
        workflowId: spec.seriesId,
        taskQueue: MAIN_TASK_QUEUE,
        args: [{ schemaVersion: 1, spec }],
        typedSearchAttributes: tags,
      },
      policies: {
        overlap: ScheduleOverlapPolicy.SKIP,
        // A window later than one interval (server or workers down) is not caught up: it is reported missed.
        catchupWindow: Math.max(MIN_CATCHUP_MS, spec.everyMs),
      },
      typedSearchAttributes: tags,
      state: { triggerImmediately: options.startNow, note: `series of ${spec.persona.id} on ${spec.platform}` },
    });
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) throw new SeriesScheduleError(`a schedule "${spec.seriesId}" already exists; choose another --id (or delete it: personaact schedule delete ${spec.seriesId})`);
    throw error;
  }
}

/**
 * One session outside the schedule, under the caller's workflow id (tests, recorded histories):
 * what the schedule's action starts, with no nominal time, so its own start is its window.
 */
export function startSeriesSession(client: Client, workflowId: string, input: SeriesSessionInput): Promise<WorkflowHandleWithFirstExecutionRunId<typeof seriesSessionWorkflow>> {
  return client.workflow.start<typeof seriesSessionWorkflow>(SERIES_WORKFLOW_TYPE, {
    taskQueue: MAIN_TASK_QUEUE, workflowId, workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: seriesTags(input.spec), args: [input],
  });
}

/** The handle and description of an existing series' schedule, or a UserError naming the id. */
export async function describeSeriesSchedule(client: Client, seriesId: string): Promise<{ handle: ScheduleHandle; description: ScheduleDescription }> {
  const handle = client.schedule.getHandle(seriesId);
  try {
    return { handle, description: await handle.describe() };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) throw new SeriesScheduleError(`no schedule "${seriesId}" (see \`personaact schedule list\`)`);
    throw error;
  }
}

/** The series spec the schedule's action carries. */
export function specOf(description: ScheduleDescription): SeriesSpec | undefined {
  const action = description.action;
  if (action.type !== 'startWorkflow' || action.workflowType !== SERIES_WORKFLOW_TYPE) return undefined;
  const parsed = SeriesSpecSchema.safeParse((action.args?.[0] as { spec?: unknown } | undefined)?.spec);
  return parsed.success ? parsed.data : undefined;
}

export async function triggerSeries(client: Client, seriesId: string): Promise<void> {
  const { handle } = await describeSeriesSchedule(client, seriesId);
  // BUFFER_ALL, not BUFFER_ONE: every trigger is a session (BUFFER_ONE drops a second one while one waits).
  await handle.trigger(ScheduleOverlapPolicy.BUFFER_ALL);
}

/** Runs the windows of [from, to] that the schedule would have run, one after another. */
export function checkPeriod(from: Date, to: Date): void {
  if (!(from.getTime() < to.getTime())) throw new SeriesScheduleError(`--from (${from.toISOString()}) must be before --to (${to.toISOString()})`);
}

export async function backfillSeries(client: Client, seriesId: string, from: Date, to: Date): Promise<void> {
  checkPeriod(from, to);
  const { handle } = await describeSeriesSchedule(client, seriesId);
  await handle.backfill({ start: from, end: to, overlap: ScheduleOverlapPolicy.BUFFER_ALL });
}

export interface SeriesScheduleSummary {
  seriesId: string;
  persona?: string;
  platform?: string;
  paused: boolean;
  note?: string;
  nextActionTimes: string[];
}

/** Every schedule whose action is a series session. */
export async function listSeriesSchedules(client: Client): Promise<SeriesScheduleSummary[]> {
  const out: SeriesScheduleSummary[] = [];
  for await (const summary of client.schedule.list()) {
    if (summary.action?.type !== 'startWorkflow' || summary.action.workflowType !== SERIES_WORKFLOW_TYPE) continue;
    const persona = summary.typedSearchAttributes?.get(searchAttributes.persona);
    const platform = summary.typedSearchAttributes?.get(searchAttributes.platform);
    out.push({
      seriesId: summary.scheduleId,
      ...(persona !== undefined ? { persona } : {}),
      ...(platform !== undefined ? { platform } : {}),
      paused: summary.state.paused,
      ...(summary.state.note ? { note: summary.state.note } : {}),
      nextActionTimes: summary.info.nextActionTimes.map((t) => t.toISOString()),
    });
  }
  return out.sort((a, b) => a.seriesId.localeCompare(b.seriesId));
}

/** What `schedule describe --json` prints and `series report` reads: the schedule's own account of its actions. */
export function scheduleFacts(description: ScheduleDescription) {
  const { state, info } = description;
  return {
    paused: state.paused,
    ...(state.note ? { note: state.note } : {}),
    actionsTaken: info.numActionsTaken,
    skippedOverlap: info.numActionsSkippedOverlap,
    missedCatchupWindow: info.numActionsMissedCatchupWindow,
    running: info.runningActions.map((a) => a.workflow.workflowId),
    recent: info.recentActions.map((a) => ({
      scheduledAt: a.scheduledAt.toISOString(), takenAt: a.takenAt.toISOString(),
      ...(a.action.type === 'startWorkflow' ? { workflowId: a.action.workflow.workflowId } : {}),
    })),
    nextActionTimes: info.nextActionTimes.map((t) => t.toISOString()),
  };
}
export type ScheduleFacts = ReturnType<typeof scheduleFacts>;
