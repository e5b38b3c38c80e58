/**
 * The seam between the training pipeline and where training runs. A job is named once (the run id
 * and the stage), so every method can be called again from any worker: start() of an existing job
 * returns its handle, describe() reads the job's state from the backend alone (SageMaker, or the
 * local job folder), stop() of a finished job does nothing.
 */
import type { BackendName, Hyperparameters, JobDescription, JobHandle, TrainingSpec, TrainingStage } from '../../core/training';

export interface TrainingJobRequest {
  /** Unique per (run, stage): `trainingJobName(runId, stage)`. */
  jobName: string;
  stage: TrainingStage;
  /** The dataset in the artifact store (`datasets/<id>/…`). */
  datasetId: string;
  /** The model to start from: the base model, or the previous stage's modelLocation. */
  model: string;
  maxSteps?: number;
  hyperparameters: Hyperparameters;
  /** SageMaker only: instance, spot, limits. */
  sagemaker: TrainingSpec['sagemaker'];
}

export interface TrainingBackend {
  readonly name: BackendName;
  start(job: TrainingJobRequest): Promise<JobHandle>;
  describe(handle: JobHandle): Promise<JobDescription>;
  stop(handle: JobHandle): Promise<void>;
}

export type TrainingBackends = Partial<Record<BackendName, TrainingBackend>>;

/** The job does not exist on the backend (a wrong name, or the job folder was deleted). */
export class JobNotFoundError extends Error {
  constructor(handle: JobHandle, where: string) {
    super(`no ${handle.backend} training job "${handle.jobName}" (${where})`);
    this.name = 'JobNotFound';
  }
}
