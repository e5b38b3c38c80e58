/**
 * `personaact audit start | list | status | report | analyze | cancel`: counterfactual audits as Temporal
 * workflows. The logic lives in cli/audit/; this file is the CLI face (options and help).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { POLICIES } from '../../activities/policy/activities';
import { CHALLENGE_TIMEOUT_ACTIONS } from '../../core/challenge';
import { DEFAULT_PLATFORM, PLATFORMS, platformHelp, type Platform } from '../../core/platforms';
import { EngagementModeSchema, ReversalApplySchema, ReversalStrategySchema } from '../../core/persona';
import { KeySegmentSchema, SlugSchema } from '../../core/primitives';
import { positiveInt } from '../arguments';
import { reanalyzeAudit } from '../audit/analyze';
import { cancelAudit } from '../audit/cancel';
import { checkAuditId } from '../audit/snapshot';
import { LIST_STATUSES, listAudits, renderList, type ListStatus } from '../audit/list';
import { loadReport, renderReport } from '../audit/report';
import { writeAuditHtml } from '../audit/report-html';
import { prepareAudit, startAudit, type StartOptions } from '../audit/start';
import { auditStatusJson, followAudit } from '../audit/status';
import { cliConfig, TEMPORAL_HELP } from '../config';
import { out } from '../output';

const json = (value: unknown) => out(JSON.stringify(value, null, 2));

const matching = (schema: typeof SlugSchema | typeof KeySegmentSchema) => (value: string): string => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  return value;
};

function listStatus(value: string): ListStatus {
  const status = value.toUpperCase().replace(/-/g, '_');
  if (!(LIST_STATUSES as readonly string[]).includes(status)) throw new InvalidArgumentError(`expected one of ${LIST_STATUSES.join(', ')}.`);
  return status as ListStatus;
}

const jsonOption = () => new Option('--json', 'print machine-readable JSON instead of text');

const CONFIG_HELP = `
Configured by environment variables (defaults fit \`personaact dev up\`):
${TEMPORAL_HELP}
  PERSONAACT_ARTIFACTS         <repo>/.personaact/artifacts (or s3://bucket/prefix; where the workers write)
  PERSONAACT_S3_ENDPOINT       e.g. http://127.0.0.1:8333 for the local S3
  PERSONAACT_SANDBOX_URL       http://127.0.0.1:8300    PERSONAACT_UI_URL     http://127.0.0.1:8233`;

interface StartFlags extends StartOptions {
  wait: boolean;
}

export function registerAuditCommand(program: Command): void {
  const audit = program
    .command('audit')
    .description('run counterfactual audits (cultivation → persona reversal → counterfactual) and read their results')
    .addHelpText('after', `
An audit drives a fresh platform account as persona p (cultivation), then as its reversal p'
on the same account (counterfactual), records every step, and measures the filter bubble:
content diversity over time and the Bubble Escape Potential BEP = JS(P_p ‖ P_p').

Typical session:
  personaact dev up && personaact worker &
  personaact audit start --persona examples/personas/user-a.json --cultivation 200 --counterfactual 200
  personaact audit status <ID>
  personaact audit report <ID>
${CONFIG_HELP}`);

  audit
    .command('start')
    .description('validate the inputs and start an audit workflow')
    .addOption(new Option('--platform <platform>', 'platform to audit (the registry in core/platforms.ts; see below)').choices(PLATFORMS).default(DEFAULT_PLATFORM))
    .requiredOption('--persona <file>', 'persona JSON document (schema: core/persona.ts; examples in examples/personas/)')
    .option('--account <id>', 'platform account the agent drives (default: a fresh <persona>-<8 hex>; cultivation shapes it, so reuse only on purpose)', matching(KeySegmentSchema))
    .option('--cultivation <n>', 'interactions as persona p (the paper: about 800)', positiveInt, 800)
    .option('--counterfactual <m>', "interactions as the reversed persona p' on the same account", positiveInt, 800)
    .addOption(new Option('--policy <name>', 'what decides each action: persona-stat samples from the persona\'s statistics; openai-compatible and sagemaker-endpoint ask a model (the workers\' PERSONAACT_POLICY_* / PERSONAACT_SAGEMAKER_* settings) with the current frame').choices(POLICIES).default('persona-stat'))
    .addOption(new Option('--reversal <strategy>', "how p' is derived: quantile-flip watches at quantile 1−u where p would watch at u; linear-30 is t' = max(0, 30 − t)").choices(ReversalStrategySchema.options).default('quantile-flip'))
    .addOption(new Option('--engagement <mode>', "likes/comments/shares of p': suppress (none, as the paper's code) or invert").choices(EngagementModeSchema.options).default('suppress'))
    .addOption(new Option('--reversal-apply <where>', "output: every policy decides as p and its decision is reversed (the paper's code); prompt-only: the policy is given p' and its decision is executed as it is").choices(ReversalApplySchema.options).default('output'))
    .option('--seed <seed>', 'seed of the policy and the BEP bootstrap (default: the audit id); same seed, same decisions')
    .option('--study <id>', 'group audits into a study (a search attribute: `audit list --study`)', matching(KeySegmentSchema))
    .option('--no-screenshots', 'do not keep a screenshot per step (saves time and space)')
    .option('--id <audit-id>', 'audit id = workflow id (default: audit-<persona>-<yyyymmddThhmmss>-<4 hex>)', matching(KeySegmentSchema))
    .option('--challenge-timeout <seconds>', 'how long a captcha or login wall waits for a person (default 7200)', positiveInt)
    .addOption(new Option('--on-challenge-timeout <action>', 'when nobody solved it in time: fail the audit, or wait on').choices(CHALLENGE_TIMEOUT_ACTIONS))
    .option('--wait', 'follow the audit with the live status view after starting it', false)
    .addHelpText('after', `
Everything is checked before anything starts: the persona file (each problem names the file and
field), the numbers, the platform and the policy. On the sandbox, the audit uses the sandbox's own
time scale (GET <PERSONAACT_SANDBOX_URL>/api/clock), so dwell times stay right at any speed.
Real platforms run at 1x; run \`personaact adapter check <platform> --account <id>\` first.

Platforms (docs/platforms.md says what is verified where):
${platformHelp()}

Example:
  personaact audit start --persona examples/personas/user-a.json --cultivation 200 --counterfactual 200 --seed 7
${CONFIG_HELP}`)
    .action(async (flags: StartFlags) => {
      const config = cliConfig();
      const prepared = await prepareAudit(flags, config);
      const auditId = await startAudit(prepared, config, out);
      if (flags.wait) {
        out();
        await followAudit(config, auditId, out);
      }
    });

  audit
    .command('list')
    .description('list audits (newest first), filtered by their search attributes')
    .addOption(new Option('--status <status>', `only audits with this status: ${LIST_STATUSES.join(', ')}`).argParser(listStatus))
    .addOption(new Option('--platform <platform>', 'only audits of this platform').choices(PLATFORMS))
    .option('--persona <id>', 'only audits of this persona id', matching(SlugSchema))
    .option('--study <id>', 'only audits of this study', matching(KeySegmentSchema))
    .option('--limit <n>', 'at most this many', positiveInt, 20)
    .addOption(jsonOption())
    .addHelpText('after', `
INTERACTIONS comes from the search attributes, which the workflow refreshes every 50 interactions
and at each phase change; \`audit status ID\` has the live count.
${CONFIG_HELP}`)
    .action(async (flags: { status?: ListStatus; platform?: Platform; persona?: string; study?: string; limit: number; json?: boolean }) => {
      const entries = await listAudits(cliConfig(), flags);
      if (flags.json) json(entries);
      else out(renderList(entries, flags.limit));
    });

  audit
    .command('status')
    .description("follow an audit's progress live until it ends (or print it once with --json)")
    .argument('<audit-id>', 'the audit id printed by `audit start`')
    .addOption(jsonOption())
    .addHelpText('after', `
The live view shows interactions done / total, the phase and index, the rolling diversity
(distinct categories among the last 20 videos), the status and the browser sessions used. It is
redrawn in place on a terminal and prints a line every ~10 % otherwise. Ctrl-C stops following;
the audit keeps running. --json prints the workflow's progress and Temporal status once.
${CONFIG_HELP}`)
    .action(async (auditId: string, flags: { json?: boolean }) => {
      checkAuditId(auditId);
      if (flags.json) json(await auditStatusJson(cliConfig(), auditId));
      else await followAudit(cliConfig(), auditId, out);
    });

  audit
    .command('report')
    .description("print a finished audit's results: BEP with its 95 % CI, diversity, categories, dwell error")
    .argument('<audit-id>', 'the audit id')
    .addOption(jsonOption())
    .option('--html', 'also write report.html (diversity and category-share plots) beside report.md and print its path')
    .addHelpText('after', `
Reads metrics.json (and points to report.md) under audits/<id>/ in the artifact store
(PERSONAACT_ARTIFACTS); --json prints metrics.json as it is.
${CONFIG_HELP}`)
    .action(async (auditId: string, flags: { json?: boolean; html?: boolean }) => {
      checkAuditId(auditId);
      const { metrics, artifacts } = await loadReport(cliConfig(), auditId);
      if (flags.json) json(metrics);
      else out(renderReport(metrics, artifacts));
      if (flags.html) {
        const path = await writeAuditHtml(cliConfig(), metrics);
        // With --json, stdout stays pure JSON.
        if (flags.json) process.stderr.write(`HTML report: ${path}\n`);
        else out(`HTML report: ${path}`);
      }
    });

  audit
    .command('analyze')
    .description('run the analysis again from the stored records (after a storage outage or a FAILED end), then print the report')
    .argument('<audit-id>', 'the audit id')
    .addOption(jsonOption())
    .addHelpText('after', `
Reads audits/<id>/spec.json and the phases' records from the artifact store (PERSONAACT_ARTIFACTS),
in this process — no worker or Temporal needed — and writes metrics.json and report.md beside
them, exactly as the audit's own analysis does (same seed, same numbers). Records must be
contiguous from index 0 in each phase; a phase may be shorter than planned.
${CONFIG_HELP}`)
    .action(async (auditId: string, flags: { json?: boolean }) => {
      checkAuditId(auditId);
      const config = cliConfig();
      await reanalyzeAudit(config, auditId);
      const { metrics, artifacts } = await loadReport(config, auditId);
      if (flags.json) json(metrics);
      else out(renderReport(metrics, artifacts));
    });

  audit
    .command('cancel')
    .description('stop a running audit and wait until it has stopped (records so far are kept)')
    .argument('<audit-id>', 'the audit id')
    .option('--timeout <seconds>', 'how long to wait for the workflow to close', positiveInt, 120)
    .addHelpText('after', CONFIG_HELP)
    .action(async (auditId: string, flags: { timeout: number }) => {
      checkAuditId(auditId);
      await cancelAudit(cliConfig(), auditId, { timeoutSeconds: flags.timeout }, out);
    });
}
