/**
 * `personaact audit start`: everything is validated (persona file, numbers, platform, policy, the
 * sandbox's clock) before anything is started, so a mistake never leaves a half-made audit behind.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import proto from '@temporalio/proto'; // CommonJS: Node's ESM loader sees only its default export
import { z } from 'zod';
import { AuditSpecSchema, type AuditSpec } from '../../core/audit-spec';
import type { ChallengeTimeoutAction } from '../../core/challenge';
import { isPlatform, unsupportedPlatformMessage, type Platform } from '../../core/platforms';
import type { EngagementMode, ReversalApply, ReversalStrategy } from '../../core/persona';
import { startAudit as startAuditWorkflow } from '../../clients/audit';
import { uiLink, withClient, type TemporalClient } from '../../clients/connection';
import { KeySegmentSchema } from '../../core/primitives';
import { formatZodError } from '../../core/zod-error';
import type { AuditWorkflowInput } from '../../workflows/audit';
import { BROWSER_TASK_QUEUE, MAIN_TASK_QUEUE } from '../../workflows/task-queues';
import type { CliConfig } from '../config';
import { UserError } from '../errors';
import { readPersonaFile } from '../persona/files';
import { checkAuditId } from './snapshot';
import type { Out } from '../output';

export interface StartOptions {
  platform: Platform;
  persona: string;
  account?: string;
  cultivation: number;
  counterfactual: number;
  policy: string;
  reversal: ReversalStrategy;
  engagement: EngagementMode;
  /** Default output (core/reversed-decision.ts). */
  reversalApply?: ReversalApply;
  seed?: string;
  study?: string;
  screenshots: boolean;
  id?: string;
  challengeTimeout?: number;
  onChallengeTimeout?: ChallengeTimeoutAction;
}

export interface PreparedAudit {
  input: AuditWorkflowInput;
  personaFile: string;
  /** Where the time scale came from, for the user. */
  timeScaleNote?: string;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** `audit-<persona>-<yyyymmddThhmmss>-<4 hex>` in UTC: sorts by start time, unique enough to never collide by accident. */
export function defaultAuditId(personaId: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').slice(0, 15);
  return `audit-${personaId}-${stamp}-${hex(2)}`;
}

/** A fresh platform account per audit: cultivation shapes it, so it must not carry an earlier audit's history. */
export function defaultAccountId(personaId: string): string {
  return `${personaId}-${hex(4)}`;
}

function checkSegment(value: string | undefined, option: string): void {
  if (value === undefined) return;
  const parsed = KeySegmentSchema.safeParse(value);
  if (!parsed.success) throw new UserError(`${option} "${value}": ${parsed.error.issues[0]?.message ?? 'invalid'}`);
}

const SandboxConfigSchema = z.object({ timeScale: z.number().positive() });

/**
 * The sandbox's clock: envStep waits platform seconds / timeScale, so the spec must use the
 * server's own value or every dwell the platform measures would be off by that factor.
 */
export async function sandboxTimeScale(sandboxUrl: string): Promise<number> {
  const url = `${sandboxUrl}/api/clock`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    const why = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    throw new UserError(
      `the sandbox platform at ${sandboxUrl} does not answer (${why}).\n` +
        'Start the local stack with `personaact dev up` (or set PERSONAACT_SANDBOX_URL to where the sandbox runs).',
    );
  }
  if (!response.ok) {
    throw new UserError(`the sandbox at ${sandboxUrl} answered ${response.status} to GET /api/clock; cannot read its time scale`);
  }
  const parsed = SandboxConfigSchema.pick({ timeScale: true }).safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) throw new UserError(`${url} did not return a sandbox configuration with a timeScale: is PERSONAACT_SANDBOX_URL the sandbox?`);
  return parsed.data.timeScale;
}

/** Validates everything and builds the workflow input; starts nothing. */
export async function prepareAudit(options: StartOptions, config: CliConfig): Promise<PreparedAudit> {
  // The registry (core/platforms.ts) is the one list; the workflow checks it again for other clients.
  if (!isPlatform(options.platform)) throw new UserError(unsupportedPlatformMessage(options.platform));
  checkSegment(options.account, '--account');
  checkSegment(options.study, '--study');
  if (options.id !== undefined) checkAuditId(options.id);
  const personaFile = path.resolve(options.persona);
  const persona = await readPersonaFile(options.persona);
  if (persona.reversal) {
    throw new UserError(`persona file ${options.persona} holds a counterfactual persona (p' of "${persona.reversal.of}"): start the audit with the original persona`);
  }

  let timeScale: number | undefined;
  let timeScaleNote: string | undefined;
  if (options.platform === 'sandbox') {
    timeScale = await sandboxTimeScale(config.PERSONAACT_SANDBOX_URL);
    timeScaleNote = `time scale ${timeScale} (read from the sandbox at ${config.PERSONAACT_SANDBOX_URL}; dwell times are platform seconds)`;
  }

  const auditId = options.id ?? defaultAuditId(persona.id);
  const seed = options.seed === undefined ? auditId : /^-?\d+$/.test(options.seed) ? Number(options.seed) : options.seed;
  const parsed = AuditSpecSchema.safeParse({
    schemaVersion: 1,
    platform: options.platform,
    persona,
    accountId: options.account ?? defaultAccountId(persona.id),
    cultivationSteps: options.cultivation,
    counterfactualSteps: options.counterfactual,
    policy: options.policy,
    reversal: { strategy: options.reversal, engagement: options.engagement, apply: options.reversalApply ?? 'output' },
    seed,
    ...(options.study ? { studyId: options.study } : {}),
    ...(timeScale !== undefined ? { timeScale } : {}),
    challenges: {
      ...(options.challengeTimeout !== undefined ? { timeoutSeconds: options.challengeTimeout } : {}),
      ...(options.onChallengeTimeout ? { onTimeout: options.onChallengeTimeout } : {}),
    },
  });
  if (!parsed.success) throw new UserError(formatZodError(parsed.error, 'audit spec'));
  const spec: AuditSpec = parsed.data;
  return { input: { schemaVersion: 1, auditId, spec, screenshots: options.screenshots }, personaFile, ...(timeScaleNote ? { timeScaleNote } : {}) };
}

/** Task queues without a poller: the audit would wait silently, so say so. */
async function idleQueues(audit: TemporalClient): Promise<string[]> {
  const idle: string[] = [];
  for (const [name, type] of [
    [MAIN_TASK_QUEUE, proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW],
    [BROWSER_TASK_QUEUE, proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY],
  ] as const) {
    try {
      const response = await audit.client.workflowService.describeTaskQueue({
        namespace: audit.target.namespace, taskQueue: { name }, taskQueueType: type,
      });
      if ((response.pollers ?? []).length === 0) idle.push(name);
    } catch {
      // Only a hint: never fail a start over it.
    }
  }
  return idle;
}

export async function startAudit(prepared: PreparedAudit, config: CliConfig, out: Out): Promise<string> {
  const { input } = prepared;
  const { spec, auditId } = input;
  return withClient(config, async (audit) => {
    try {
      await startAuditWorkflow(audit.client, input);
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw new UserError(`an audit with id "${auditId}" already exists; choose another --id (or leave it out for a fresh one)`);
      }
      throw error;
    }
    out(`Started audit ${auditId}`);
    out(`  persona        ${spec.persona.id} (${prepared.personaFile})`);
    out(`  platform       ${spec.platform}, account ${spec.accountId}`);
    out(`  phases         ${spec.cultivationSteps} cultivation + ${spec.counterfactualSteps} counterfactual (reversal ${spec.reversal.strategy} applied to the ${spec.reversal.apply === 'prompt-only' ? 'prompt only' : 'policy\'s output'}, engagement ${spec.reversal.engagement})`);
    out(`  policy         ${spec.policy}, seed ${JSON.stringify(spec.seed)}${spec.studyId ? `, study ${spec.studyId}` : ''}`);
    if (prepared.timeScaleNote) out(`  clock          ${prepared.timeScaleNote}`);
    if (spec.challenges) out(`  captchas       wait ${spec.challenges.timeoutSeconds} s for a person, then ${spec.challenges.onTimeout === 'fail' ? 'fail' : 'keep waiting'} (personaact captcha open ${auditId})`);
    out(`  screenshots    ${input.screenshots ? 'yes' : 'no'}`);
    out(`  Temporal UI    ${uiLink(config.temporal, auditId)}`);
    const idle = await idleQueues(audit);
    if (idle.length > 0) {
      out();
      out(`warning: no worker polls ${idle.join(' and ')}: the audit waits until one does. Start them with \`personaact worker\`.`);
    }
    out();
    out('Next:');
    out(`  personaact audit status ${auditId}     follow its progress`);
    out(`  personaact audit report ${auditId}     results once it has finished`);
    out(`  personaact audit cancel ${auditId}     stop it (records so far are kept)`);
    return auditId;
  });
}
