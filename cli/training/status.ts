/** `personaact train status [--follow]`: a training run's stages, job progress, metrics or failure. */
import type { WorkflowExecutionStatusName } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { uiLink, withClient, type TemporalClient } from '../../clients/connection';
import { queryTrainingProgress, TRAINING_WORKFLOW_TYPE, trainingHandle } from '../../clients/training';
import { failureMessage, firstStartTime, isClosed } from '../../clients/workflow-state';
import { TRAINING_STAGES, type JobProgress, type TrainingRunProgress } from '../../core/training';
import type { TrainingResult } from '../../workflows/training';
import type { CliConfig } from '../config';
import { UserError } from '../errors';
import type { Out } from '../output';

export interface RunStatus {
  runId: string;
  temporalStatus: WorkflowExecutionStatusName;
  startTime: string;
  closeTime: string | null;
  progress: TrainingRunProgress | null;
  result?: TrainingResult;
  failure?: string;
}

export async function describeRun(temporal: TemporalClient, runId: string): Promise<RunStatus> {
  const handle = trainingHandle(temporal.client, runId);
  let description;
  try {
    description = await handle.describe();
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) {
      throw new UserError(`no training run "${runId}" in namespace ${temporal.target.namespace} at ${temporal.target.address}`);
    }
    throw error;
  }
  if (description.type !== TRAINING_WORKFLOW_TYPE) throw new UserError(`"${runId}" is a ${description.type}, not a training run`);
  const progress = await temporal.client.connection.withDeadline(Date.now() + 5_000, () => queryTrainingProgress(handle)).catch(() => null);
  const status: RunStatus = {
    runId, temporalStatus: description.status.name, startTime: (await firstStartTime(temporal.client, description)).toISOString(),
    closeTime: description.closeTime?.toISOString() ?? null, progress,
  };
  if (description.status.name === 'COMPLETED') status.result = await handle.result();
  else if (isClosed(description.status.name)) status.failure = await handle.result().then(() => undefined, failureMessage);
  return status;
}

export const runStatus = (config: CliConfig, runId: string) => withClient(config, (temporal) => describeRun(temporal, runId));

function progressText(progress: JobProgress | undefined): string {
  if (!progress) return '';
  const parts = [
    progress.step !== undefined ? `step ${progress.step}${progress.maxSteps !== undefined ? `/${progress.maxSteps}` : ''}` : '',
    progress.loss !== undefined ? `loss ${progress.loss.toFixed(4)}` : '',
    progress.message ?? '',
  ];
  return parts.filter(Boolean).join(' · ');
}

const formatMetric = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(4));

export function renderRunStatus(status: RunStatus, ui: string): string {
  const p = status.progress;
  const state = p && !isClosed(status.temporalStatus) ? p.status : status.temporalStatus;
  const lines = [`Training run ${status.runId} · ${state}${p?.datasetId ? ` · dataset ${p.datasetId}` : ''}`];
  if (p) {
    for (const stage of TRAINING_STAGES) {
      const job = p.jobs[stage];
      const cells = job ? [job.status.padEnd(10), progressText(job.progress), job.failureReason ? `reason: ${job.failureReason}` : '', `(job ${job.jobName})`] : [p.stage === stage ? 'starting' : '—'];
      lines.push(`  ${stage.padEnd(9)} ${cells.filter(Boolean).join('  ')}`);
    }
    lines.push(`  ${p.polls} polls of the backend so far`);
  } else if (!isClosed(status.temporalStatus)) {
    lines.push('  no worker answered the progress query (is `personaact worker` running?)');
  }
  if (status.result) {
    const metrics = Object.entries(status.result.metrics).map(([name, value]) => `${name} ${formatMetric(value)}`).join(' · ');
    lines.push(`Metrics on the test split: ${metrics || '(none reported)'}`, `Model: ${status.result.model}`, `Manifest: ${status.result.manifest.location}`);
  }
  if (status.failure) lines.push(`Failure: ${status.failure}`);
  lines.push(`UI: ${ui}`);
  return lines.join('\n');
}

/** Prints the status whenever it changes, until the run closes. */
export async function followRun(config: CliConfig, runId: string, out: Out, intervalMs = 2_000): Promise<RunStatus> {
  let last = '';
  for (;;) {
    const status = await runStatus(config, runId);
    const text = renderRunStatus(status, uiLink(config.temporal, runId));
    if (text !== last) {
      out(text);
      out();
      last = text;
    }
    if (isClosed(status.temporalStatus)) return status;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
