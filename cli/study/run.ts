/**
 * `personaact study start | status | list | cancel`: a study is one `studyWorkflow` whose id is the
 * study id; its audits are child `auditWorkflow`s (`audit list --study ID`). Started the way
 * `audit start` starts audits (cli/audit/start.ts), through the same client.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { KeySegmentSchema } from '../../core/primitives';
import type { StudyProgress } from '../../core/study-progress';
import { studyManifestKey } from '../../core/study-manifest';
import { planStudy, studyCells } from '../../core/study-spec';
import type { StudyResult, StudyWorkflowInput } from '../../workflows/study';
import { queryStudyProgress, startStudyWorkflow, STUDY_WORKFLOW_TYPE, studyHandle, type StudyHandle } from '../../clients/study';
import { uiLink, withClient, type TemporalClient } from '../../clients/connection';
import { failureMessage, isClosed } from '../../clients/workflow-state';
import { progressBar, shortTime, table } from '../audit/format';
import { sandboxTimeScale } from '../audit/start';
import type { CliConfig } from '../config';
import { UserError } from '../errors';
import type { LoadedStudy } from './spec-file';

/** A query needs a worker; a closed study with no worker around must not hang the CLI. */
const QUERY_TIMEOUT_MS = 5_000;
const POLL_MS = 2_000;

type Out = (line?: string) => void;

export function checkStudyId(studyId: string): string {
  const parsed = KeySegmentSchema.safeParse(studyId);
  if (!parsed.success) throw new UserError(`"${studyId}" is not a study id: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return studyId;
}

/** Builds the workflow input: on the sandbox, the audits run on the sandbox's own clock. */
export async function prepareStudy(loaded: LoadedStudy, config: CliConfig): Promise<StudyWorkflowInput> {
  const { spec } = loaded;
  const timeScale = spec.platforms.some((p) => p.platform === 'sandbox') ? await sandboxTimeScale(config.PERSONAACT_SANDBOX_URL) : undefined;
  return {
    schemaVersion: 1, spec, personas: loaded.personas,
    ...(Object.keys(loaded.profileDefinitions).length > 0 ? { profileDefinitions: loaded.profileDefinitions } : {}),
    ...(timeScale !== undefined ? { timeScale } : {}),
  };
}

export async function startStudy(loaded: LoadedStudy, input: StudyWorkflowInput, config: CliConfig, out: Out): Promise<string> {
  const { spec } = loaded;
  const cells = studyCells(spec, loaded.personas.map((p) => p.id));
  const audits = planStudy(spec, loaded.personas.map((p) => p.id)).length;
  return withClient(config, async (client) => {
    try {
      await startStudyWorkflow(client.client, input);
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) {
        throw new UserError(`a study (or audit) with id "${spec.id}" already exists; change "id" in ${loaded.file}`);
      }
      throw error;
    }
    out(`Started study ${spec.id} (${loaded.file})`);
    out(`  design         ${cells.length} cells × ${spec.replicates} replicates = ${audits} audits, ${spec.concurrency} at a time`);
    out(`  arms           ${spec.arms.join(', ')}`);
    out(`  personas       ${loaded.personas.map((p) => p.id).join(', ')}`);
    out(`  platforms      ${spec.platforms.map((p) => (p.profiles ? `${p.platform} (${p.profiles.join(', ')})` : p.platform)).join('; ')}`);
    out(`  phases         ${spec.cultivationSteps} cultivation + ${spec.counterfactualSteps} counterfactual, policy ${spec.policy}, seed ${JSON.stringify(spec.seed)}`);
    if (input.timeScale !== undefined) out(`  clock          time scale ${input.timeScale} (read from the sandbox at ${config.PERSONAACT_SANDBOX_URL})`);
    out(`  retries        a failed audit runs again on a new account up to ${spec.retries} time(s)`);
    out(`  Temporal UI    ${uiLink(config.temporal, spec.id)}`);
    out();
    out('Next:');
    out(`  personaact study status ${spec.id}        follow its progress`);
    out(`  personaact audit list --study ${spec.id}  its audits`);
    out(`  personaact study cancel ${spec.id}        stop it (records so far are kept)`);
    return spec.id;
  });
}

async function describeStudy(client: TemporalClient, studyId: string) {
  const handle = studyHandle(client.client, studyId);
  try {
    return { handle, description: await handle.describe() };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new UserError(`no study "${studyId}" in namespace ${client.target.namespace} (see \`personaact study list\`)`);
    }
    throw error;
  }
}

async function queryProgress(client: TemporalClient, handle: StudyHandle): Promise<StudyProgress | null> {
  try {
    return await client.client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => queryStudyProgress(handle));
  } catch {
    return null;
  }
}

export interface StudyStatusJson {
  studyId: string;
  temporalStatus: string;
  startTime: string;
  closeTime: string | null;
  /** The workflow's answer to the progress query; null when no worker answered in time. */
  progress: StudyProgress | null;
  manifest: string;
  failure?: string;
  ui: string;
}

export async function studyStatusJson(config: CliConfig, studyId: string): Promise<StudyStatusJson> {
  return withClient(config, async (client) => {
    const { handle, description } = await describeStudy(client, studyId);
    const status = description.status.name;
    const failure = status === 'FAILED' || status === 'TERMINATED' || status === 'TIMED_OUT' ? await handle.result().then(() => null, failureMessage) : null;
    return {
      studyId, temporalStatus: status, startTime: description.startTime.toISOString(),
      closeTime: description.closeTime ? description.closeTime.toISOString() : null,
      progress: await queryProgress(client, handle), manifest: studyManifestKey(studyId),
      ...(failure ? { failure } : {}), ui: uiLink(config.temporal, studyId),
    };
  });
}

/** The live view's lines: the whole study, then one line per cell. */
export function studyLines(progress: StudyProgress): string[] {
  const { counts } = progress;
  const finished = counts.completed + counts.failed + counts.cancelled;
  const header = `${progressBar(finished, counts.total)}  ${counts.running} running · ${counts.failed} failed · ${counts.cancelled} cancelled · ${progress.retried.length} retried`;
  const rows = progress.cells.map(({ cell, counts: c }) => [cell, `${c.completed}/${c.total} done`, `${c.running} running`, `${c.failed} failed`, `${c.pending} waiting`]);
  return [header, ...table(['CELL', 'DONE', 'RUNNING', 'FAILED', 'WAITING'], rows).split('\n')];
}

/** Follows the study until its workflow closes: redrawn in place on a terminal, a block per change otherwise. */
export async function followStudy(config: CliConfig, studyId: string, out: Out): Promise<void> {
  await withClient(config, async (client) => {
    out(`Study ${studyId}  ·  Temporal UI ${uiLink(config.temporal, studyId)}`);
    let drawn = 0;
    let last = '';
    const interrupted = () => {
      process.stdout.write(`\nStopped following; the study keeps running (personaact study status ${studyId}).\n`);
      process.exit(130);
    };
    process.once('SIGINT', interrupted);
    try {
      for (;;) {
        const { handle, description } = await describeStudy(client, studyId);
        const progress = await queryProgress(client, handle);
        const lines = progress ? studyLines(progress) : ['no worker answered the progress query (is `personaact worker` running?)'];
        const text = lines.join('\n');
        if (process.stdout.isTTY) {
          process.stdout.write(`${drawn > 0 ? `\x1b[${drawn}A` : ''}${lines.map((line) => `\r\x1b[2K${line}\n`).join('')}`);
          drawn = lines.length;
        } else if (text !== last) {
          out(text);
        }
        last = text;
        const status = description.status.name;
        if (isClosed(status)) {
          await outcome(handle, status, studyId, out);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    } finally {
      process.removeListener('SIGINT', interrupted);
    }
  });
}

async function outcome(handle: StudyHandle, status: string, studyId: string, out: Out): Promise<void> {
  if (status === 'COMPLETED') {
    const result: StudyResult = await handle.result();
    out(`Completed: ${result.counts.completed} of ${result.counts.total} audits completed, ${result.counts.failed} failed. Manifest: ${studyManifestKey(studyId)} in the artifact store.`);
    return;
  }
  if (status === 'CANCELLED') {
    out(`Cancelled. Its audits were cancelled and keep their records: personaact audit list --study ${studyId}`);
    return;
  }
  const failure = await handle.result().then(() => null, failureMessage);
  throw new UserError(`study ${studyId} ended ${status}${failure ? `: ${failure}` : ''}`);
}

export interface StudyListEntry {
  studyId: string;
  temporalStatus: string;
  startTime: string;
  closeTime: string | null;
}

export async function listStudies(config: CliConfig, limit: number): Promise<StudyListEntry[]> {
  return withClient(config, async (client) => {
    const entries: StudyListEntry[] = [];
    // Each continue-as-new leaves a closed run behind; the study is its latest run.
    const query = `WorkflowType = '${STUDY_WORKFLOW_TYPE}' AND ExecutionStatus != 'ContinuedAsNew'`;
    for await (const info of client.client.workflow.list({ query, pageSize: Math.min(1000, limit) })) {
      entries.push({
        studyId: info.workflowId, temporalStatus: info.status.name, startTime: info.startTime.toISOString(),
        closeTime: info.closeTime ? info.closeTime.toISOString() : null,
      });
      if (entries.length >= limit) break;
    }
    return entries;
  });
}

export function renderStudyList(entries: readonly StudyListEntry[]): string {
  if (entries.length === 0) return 'No studies yet. Start one with `personaact study start FILE` (examples in examples/studies/).';
  return table(['STUDY', 'STATUS', 'STARTED', 'CLOSED'], entries.map((e) => [e.studyId, e.temporalStatus, shortTime(e.startTime), shortTime(e.closeTime)]));
}

export async function cancelStudy(config: CliConfig, studyId: string, timeoutSeconds: number, out: Out): Promise<void> {
  await withClient(config, async (client) => {
    const { handle, description } = await describeStudy(client, studyId);
    if (isClosed(description.status.name)) throw new UserError(`study ${studyId} has already ended (${description.status.name})`);
    await handle.cancel();
    out(`Cancelling study ${studyId} and its running audits…`);
    const closed = await Promise.race([
      handle.result().then(() => true, () => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutSeconds * 1000).unref()),
    ]);
    if (!closed) throw new UserError(`study ${studyId} did not close within ${timeoutSeconds} s; is \`personaact worker\` running? (personaact study status ${studyId})`);
    out(`Cancelled. Its audits keep their records: personaact audit list --study ${studyId}`);
  });
}
