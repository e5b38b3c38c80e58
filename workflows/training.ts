/**
 * trainingPipelineWorkflow: export the dataset → SFT → GRPO (from the SFT model) → evaluate on the
 * test split → register a model manifest. Each training stage is a job on a backend (SageMaker or
 * a local subprocess) that the workflow starts once and then polls with short activities and
 * durable timers (backing off from poll.initialSeconds to poll.maxSeconds): a worker can restart in
 * the middle of a six-hour job and the next poll, on any worker, picks the job up again.
 * Cancelling stops the running job.
 */
import {
  ApplicationFailure, CancellationScope, ContinueAsNew, continueAsNew, defineQuery, isCancellation, log, proxyActivities,
  setHandler, sleep, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import {
  TRAINING_STAGES, TrainingSpecSchema, trainingJobName,
  type JobDescription, type JobHandle, type StageRecord, type TrainingRunProgress, type TrainingSpecInput, type TrainingStage,
} from '../core/training';
import type { TrainingActivities } from '../activities/training/activities';
import type { DatasetRef } from '../activities/training/dataset-export';
import { searchAttributes } from './search-attributes';
import { parseWorkflowInput } from './workflow-input';

export const trainingProgressQuery = defineQuery<TrainingRunProgress>('trainingProgress');

export interface TrainingWorkflowInput {
  schemaVersion: 1;
  /** = the workflow id; names the jobs and the model. */
  runId: string;
  spec: TrainingSpecInput;
  /** Continue-as-new once a run's history is this long (long jobs poll many times). */
  maxHistoryEvents?: number;
  /** Set by continue-as-new: what is done, and the job being polled. */
  carried?: {
    dataset: DatasetRef;
    stages: Partial<Record<TrainingStage, StageRecord>>;
    current?: { stage: TrainingStage; handle: JobHandle; wait: number };
    jobs: TrainingRunProgress['jobs'];
    polls: number;
  };
}

export interface TrainingResult {
  runId: string;
  datasetId: string;
  model: string;
  metrics: Record<string, number>;
  manifest: { key: string; location: string };
}

const MAX_HISTORY_EVENTS = 5000;

const NON_RETRYABLE = ['JobNotFound', 'BackendNotConfigured', 'DatasetNotFound', 'InvalidDatasetInput', 'InvalidTrainingRequest'];
const act = proxyActivities<Pick<TrainingActivities, 'registerModel'>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: NON_RETRYABLE },
});

/** The job activities, on the queue of the worker that owns the jobs (`spec.taskQueue`, e.g. a GPU host). */
function jobActivities(taskQueue: string | undefined) {
  const on = taskQueue ? { taskQueue } : {};
  return {
    start: proxyActivities<Pick<TrainingActivities, 'startTrainingJob'>>({
      ...on,
      startToCloseTimeout: '2 minutes',
      retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', maximumAttempts: 20, nonRetryableErrorTypes: NON_RETRYABLE },
    }),
    /** Looking at or stopping a running job: an API outage or a GPU host's restart must not fail a day-long run, so these keep trying. */
    watch: proxyActivities<Pick<TrainingActivities, 'describeTrainingJob' | 'stopTrainingJob'>>({
      ...on,
      startToCloseTimeout: '2 minutes',
      retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', nonRetryableErrorTypes: NON_RETRYABLE },
    }),
  };
}

const exporter = proxyActivities<Pick<TrainingActivities, 'exportTrainingDataset'>>({
  startToCloseTimeout: '30 minutes',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: ['DatasetNotFound', 'InvalidDatasetInput'] },
});

export async function trainingPipelineWorkflow(input: TrainingWorkflowInput): Promise<TrainingResult> {
  const spec = parseWorkflowInput(TrainingSpecSchema, input.spec, 'training spec');
  const jobs = jobActivities(spec.taskQueue);
  const stages: Partial<Record<TrainingStage, StageRecord>> = { ...input.carried?.stages };
  const progress: TrainingRunProgress = { runId: input.runId, status: 'EXPORTING', stage: 'export', jobs: { ...input.carried?.jobs }, polls: input.carried?.polls ?? 0 };
  setHandler(trainingProgressQuery, () => progress);
  let current = input.carried?.current;

  const report = (extra: SearchAttributeUpdatePair[] = []) => upsertSearchAttributes([
    { key: searchAttributes.status, value: progress.status },
    { key: searchAttributes.phase, value: progress.stage },
    ...extra,
  ]);
  const enter = (stage: TrainingRunProgress['stage'], status: TrainingRunProgress['status']) => {
    progress.stage = stage;
    progress.status = status;
    report();
  };

  /** Polls `handle` until it ends; continues as new when the history grows long. */
  async function waitFor(stage: TrainingStage, handle: JobHandle, initialWait: number): Promise<JobDescription> {
    let wait = initialWait;
    for (;;) {
      const description = await jobs.watch.describeTrainingJob(handle);
      progress.polls++;
      progress.jobs[stage] = {
        jobName: handle.jobName, status: description.status,
        ...(description.progress ? { progress: description.progress } : {}),
        ...(description.failureReason ? { failureReason: description.failureReason } : {}),
      };
      if (description.status === 'Completed') return description;
      if (description.status !== 'InProgress') {
        throw ApplicationFailure.nonRetryable(
          `${stage} job ${handle.jobName} ${description.status.toLowerCase()}${description.failureReason ? `: ${description.failureReason}` : ''}`,
          description.status === 'Failed' ? 'TrainingJobFailed' : 'TrainingJobStopped',
        );
      }
      await sleep(wait * 1000);
      wait = Math.min(wait * 2, spec.poll.maxSeconds);
      const info = workflowInfo();
      if (info.continueAsNewSuggested || info.historyLength > (input.maxHistoryEvents ?? MAX_HISTORY_EVENTS)) {
        await continueAsNew<typeof trainingPipelineWorkflow>({ ...input, carried: { dataset, stages, current: { stage, handle, wait }, jobs: progress.jobs, polls: progress.polls } });
      }
    }
  }

  async function runStage(stage: TrainingStage, model: string): Promise<StageRecord> {
    const done = stages[stage];
    if (done) return done;
    const settings = spec[stage];
    const maxSteps = 'maxSteps' in settings ? settings.maxSteps : undefined;
    // The handle is known before the job starts, so a cancellation during the start still stops it.
    const resumed = current?.stage === stage ? current : undefined;
    const handle: JobHandle = resumed?.handle ?? { backend: spec.backend, jobName: trainingJobName(input.runId, stage) };
    current = { stage, handle, wait: resumed?.wait ?? Math.min(spec.poll.initialSeconds, spec.poll.maxSeconds) };
    if (!resumed) {
      await jobs.start.startTrainingJob({
        backend: spec.backend,
        job: {
          jobName: handle.jobName, stage, datasetId: dataset.datasetId, model,
          ...(maxSteps !== undefined ? { maxSteps } : {}),
          hyperparameters: settings.hyperparameters, sagemaker: spec.sagemaker,
        },
      });
      log.info('training job started', { stage, jobName: handle.jobName });
    }
    const description = await waitFor(stage, handle, current.wait);
    current = undefined;
    const record: StageRecord = {
      jobName: handle.jobName, hyperparameters: settings.hyperparameters,
      ...(maxSteps !== undefined ? { maxSteps } : {}),
      ...(description.modelLocation ? { modelLocation: description.modelLocation } : {}),
      ...(description.metrics ? { metrics: description.metrics } : {}),
    };
    stages[stage] = record;
    return record;
  }

  const modelOf = (record: StageRecord, stage: TrainingStage): string => {
    if (!record.modelLocation) throw ApplicationFailure.nonRetryable(`the ${stage} job ${record.jobName} completed without a model location`, 'TrainingJobFailed');
    return record.modelLocation;
  };

  let dataset: DatasetRef;
  try {
    if (input.carried) {
      dataset = input.carried.dataset;
    } else {
      report([
        ...(spec.personaId ? [{ key: searchAttributes.persona, value: spec.personaId }] : []),
        ...(spec.studyId ? [{ key: searchAttributes.study, value: spec.studyId }] : []),
      ]);
      dataset = await exporter.exportTrainingDataset({ source: spec.dataset });
    }
    progress.datasetId = dataset.datasetId;

    enter('sft', 'TRAINING');
    const sft = await runStage('sft', spec.baseModel);
    enter('grpo', 'TRAINING');
    const grpo = await runStage('grpo', modelOf(sft, 'sft'));
    enter('evaluate', 'EVALUATING');
    const model = modelOf(grpo, 'grpo');
    const evaluation = await runStage('evaluate', model);

    enter('register', 'REGISTERING');
    const metrics = evaluation.metrics ?? {};
    const manifest = await act.registerModel({
      schemaVersion: 1, runId: input.runId, backend: spec.backend, baseModel: spec.baseModel,
      ...(spec.personaId ? { personaId: spec.personaId } : {}),
      dataset: { id: dataset.datasetId, hash: dataset.hash, location: dataset.location, splits: dataset.splits, promptVersion: dataset.promptVersion },
      metrics, model,
      stages: Object.fromEntries(TRAINING_STAGES.map((stage) => [stage, stages[stage] as StageRecord])) as Record<TrainingStage, StageRecord>,
    });
    progress.modelManifest = manifest.location;
    enter('register', 'COMPLETED');
    return { runId: input.runId, datasetId: dataset.datasetId, model, metrics, manifest };
  } catch (error) {
    if (error instanceof ContinueAsNew) throw error; // not a failure: the next run goes on
    if (isCancellation(error)) {
      // Stop the job even though the workflow is being cancelled: a forgotten GPU job costs money.
      await CancellationScope.nonCancellable(async () => {
        if (current) await jobs.watch.stopTrainingJob(current.handle).catch((stopError: unknown) => log.warn('could not stop the training job', { error: String(stopError) }));
        progress.status = 'CANCELLED';
        report();
      });
    } else {
      progress.status = 'FAILED';
      report();
    }
    throw error;
  }
}
