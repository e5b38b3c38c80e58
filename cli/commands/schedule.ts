/**
 * `personaact schedule create | list | describe | pause | unpause | trigger | backfill | delete`:
 * longitudinal series on Temporal Schedules (docs/series.md). The logic is in cli/schedule/.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { POLICIES } from '../../activities/policy/activities';
import { PLATFORMS } from '../../core/observation';
import { EngagementModeSchema, ReversalStrategySchema } from '../../core/persona';
import { KeySegmentSchema } from '../../core/primitives';
import { positiveInt } from '../arguments';
import { uiLink, withClient } from '../../clients/connection';
import { table } from '../audit/format';
import { cliConfig } from '../config';
import { UserError } from '../errors';
import { dateArgument, durationArgument, prepareSeries, type CreateFlags } from '../schedule/prepare';
import {
  backfillSeries, checkPeriod, createSeriesSchedule, describeSeriesSchedule, listSeriesSchedules, scheduleFacts, specOf, triggerSeries,
} from '../../clients/series';

const out = (line = ''): void => { process.stdout.write(`${line}\n`); };
const json = (value: unknown) => out(JSON.stringify(value, null, 2));

const keySegment = (what: string) => (value: string): string => {
  const parsed = KeySegmentSchema.safeParse(value);
  if (!parsed.success) throw new UserError(`"${value}" is not ${what}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return value;
};
const seriesIdArgument = keySegment('a series id');

function nonNegativeInt(value: string): number {
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(Number(value))) throw new InvalidArgumentError('must be a whole number ≥ 0.');
  return Number(value);
}

const HELP = `
A series audits ONE account again and again: every --every, a session of --session-steps
interactions as persona p, and from session --reverse-after on as its reversal p'. Sessions
never overlap (a window that comes while one still runs is skipped and reported as missed by
\`personaact series report\`); the account's cookies carry over between sessions.

Typical series:
  personaact schedule create --persona examples/personas/user-a.json --every 1d --session-steps 100 --reverse-after 7 --until 2027-03-01
  personaact schedule describe <ID>
  personaact series report <ID>
See docs/series.md.`;

export function registerScheduleCommand(program: Command): void {
  const schedule = program
    .command('schedule')
    .description('longitudinal series: one account audited in sessions on a Temporal Schedule')
    .addHelpText('after', HELP);

  schedule
    .command('create')
    .description('validate the inputs and create the schedule of a series')
    .requiredOption('--persona <file>', 'persona JSON document (examples in examples/personas/)')
    .addOption(new Option('--platform <platform>', 'platform to audit (core/platforms.ts)').choices(PLATFORMS).default('sandbox'))
    .requiredOption('--every <duration>', 'interval between sessions: a whole number and s, m, h or d (6h, 1d)', durationArgument)
    .requiredOption('--session-steps <n>', 'interactions per session', positiveInt)
    .option('--reverse-after <k>', "sessions 0..k−1 run as p, session k and later as p' (default: never reversed)", nonNegativeInt)
    .option('--until <date>', 'no session starts after this ISO 8601 date or date-time', dateArgument)
    .option('--jitter <duration>', 'start each session up to this much later, at random (shorter than --every)', durationArgument)
    .option('--account <id>', 'the account every session drives (default: a fresh <persona>-<8 hex>)', keySegment('an account id'))
    .option('--id <series-id>', 'series id = schedule id (default: series-<persona>-<yyyymmddThhmmss>-<4 hex>)', seriesIdArgument)
    .option('--seed <seed>', 'seed of the policy (session i uses <seed>/s<i>; default: the series id)')
    .addOption(new Option('--policy <name>', 'what decides each action (as in `audit start`)').choices(POLICIES).default('persona-stat'))
    .addOption(new Option('--reversal <strategy>', "how p' is derived").choices(ReversalStrategySchema.options).default('quantile-flip'))
    .addOption(new Option('--engagement <mode>', "likes/comments/shares of p'").choices(EngagementModeSchema.options).default('suppress'))
    .option('--screenshots', 'keep a screenshot per step', false)
    .option('--no-start-now', 'wait one interval for the first session (default: session 0 starts at once)')
    .addHelpText('after', HELP)
    .action(async (flags: CreateFlags) => {
      const config = cliConfig();
      const { spec, timeScaleNote } = await prepareSeries(flags, config);
      await withClient(config, async ({ client }) => {
        const handle = await createSeriesSchedule(client, spec, { startNow: flags.startNow });
        const { description } = await describeSeriesSchedule(client, handle.scheduleId);
        out(`Created series ${spec.seriesId}`);
        out(`  persona        ${spec.persona.id} (${flags.persona}) on ${spec.platform}, account ${spec.accountId}`);
        out(`  sessions       ${spec.sessionSteps} interactions every ${spec.everyMs / 1000} s${spec.jitterMs ? ` (+ up to ${spec.jitterMs / 1000} s jitter)` : ''}` +
          (spec.reverseAfter === undefined ? ', all as p' : `, as p' from session ${spec.reverseAfter} on`) + (spec.until ? `, until ${spec.until}` : ''));
        if (timeScaleNote) out(`  clock          ${timeScaleNote}`);
        out(`  next           ${flags.startNow ? 'now, then ' : ''}${description.info.nextActionTimes[0]?.toISOString() ?? '–'}`);
        out(`  Temporal UI    ${config.temporal.uiUrl}/namespaces/${encodeURIComponent(config.temporal.namespace)}/schedules/${encodeURIComponent(spec.seriesId)}`);
        out();
        out('Next:');
        out(`  personaact series report ${spec.seriesId}       metrics per session`);
        out(`  personaact schedule pause ${spec.seriesId}      stop taking sessions for now`);
      });
    });

  schedule
    .command('list')
    .description('list the series schedules')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const entries = await withClient(cliConfig(), ({ client }) => listSeriesSchedules(client));
      if (flags.json) return json(entries);
      if (entries.length === 0) return out('No series schedules. Create one with `personaact schedule create`.');
      out(table(['SERIES', 'PERSONA', 'PLATFORM', 'STATE', 'NEXT'], entries.map((e) => [e.seriesId, e.persona ?? '', e.platform ?? '', e.paused ? 'paused' : 'active', e.nextActionTimes[0] ?? '–'])));
    });

  schedule
    .command('describe')
    .description("a series schedule's spec, state, recent and next sessions")
    .argument('<series-id>', 'the series id', seriesIdArgument)
    .option('--json', 'print JSON')
    .action(async (seriesId: string, flags: { json?: boolean }) => {
      const config = cliConfig();
      await withClient(config, async ({ client }) => {
        const { description } = await describeSeriesSchedule(client, seriesId);
        const spec = specOf(description);
        const facts = scheduleFacts(description);
        if (flags.json) return json({ seriesId, spec: spec ? { ...spec, persona: spec.persona.id } : null, ...facts });
        out(`Series ${seriesId}: ${facts.paused ? 'PAUSED' : 'active'}${facts.note ? ` (${facts.note})` : ''}`);
        if (spec) out(`  ${spec.persona.id} on ${spec.platform}, account ${spec.accountId}; ${spec.sessionSteps} interactions every ${spec.everyMs / 1000} s` + (spec.reverseAfter === undefined ? '' : `; p' from session ${spec.reverseAfter}`));
        out(`  actions taken ${facts.actionsTaken}, skipped (overlap) ${facts.skippedOverlap}, missed catch-up window ${facts.missedCatchupWindow}`);
        for (const id of facts.running) out(`  running   ${id}   ${uiLink(config.temporal, id)}`);
        for (const a of facts.recent.slice(-5)) out(`  recent    ${a.scheduledAt}  ${a.workflowId ?? ''}`);
        for (const t of facts.nextActionTimes.slice(0, 3)) out(`  next      ${t}`);
      });
    });

  const simple = (name: string, description: string, act: (client: Parameters<typeof triggerSeries>[0], seriesId: string) => Promise<string>) =>
    schedule.command(name).description(description).argument('<series-id>', 'the series id', seriesIdArgument).action(async (seriesId: string) => {
      out(await withClient(cliConfig(), ({ client }) => act(client, seriesId)));
    });
  simple('pause', 'take no sessions until unpaused (windows meanwhile are reported missed)', async (client, id) => {
    await (await describeSeriesSchedule(client, id)).handle.pause('paused with personaact schedule pause');
    return `Paused series ${id}; a running session finishes. Resume with: personaact schedule unpause ${id}`;
  });
  simple('unpause', 'take sessions again', async (client, id) => {
    await (await describeSeriesSchedule(client, id)).handle.unpause('unpaused with personaact schedule unpause');
    return `Unpaused series ${id}`;
  });
  simple('trigger', 'run a session now (after the running one, if any)', async (client, id) => {
    await triggerSeries(client, id);
    return `Triggered a session of series ${id}`;
  });
  simple('delete', 'delete the schedule (sessions, records and the running session are kept)', async (client, id) => {
    await (await describeSeriesSchedule(client, id)).handle.delete();
    return `Deleted the schedule of series ${id}; its sessions stay in the artifact store (personaact series report ${id})`;
  });

  schedule
    .command('backfill')
    .description("run the windows of a past period the series missed, one after another")
    .argument('<series-id>', 'the series id', seriesIdArgument)
    .requiredOption('--from <date>', 'start of the period (ISO 8601)', dateArgument)
    .requiredOption('--to <date>', 'end of the period (ISO 8601)', dateArgument)
    .action(async (seriesId: string, flags: { from: Date; to: Date }) => {
      checkPeriod(flags.from, flags.to);
      await withClient(cliConfig(), ({ client }) => backfillSeries(client, seriesId, flags.from, flags.to));
      out(`Backfilling series ${seriesId} from ${flags.from.toISOString()} to ${flags.to.toISOString()}: its windows run one after another`);
    });
}
