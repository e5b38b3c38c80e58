/**
 * Training on AWS SageMaker: one training job per stage, on the Hugging Face PyTorch training
 * image, with the trainer's SageMaker entry point (trainer/train.py, which reads
 * personaact_trainer/sagemaker_entry.py's layout). The dataset (`train`) and the previous stage's
 * model (`model`) are S3 channels (/opt/ml/input/data/<channel>); the model lands in OutputDataConfig
 * (model.tar.gz); checkpoints sync with S3 (/opt/ml/checkpoints), so a spot interruption resumes.
 * Metrics come back through MetricDefinitions: regexes over the trainer's JSON-lines log.
 */
import {
  CreateTrainingJobCommand, DescribeTrainingJobCommand, StopTrainingJobCommand,
  type CreateTrainingJobCommandInput, type DescribeTrainingJobCommandOutput, type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { datasetPrefix, type JobDescription, type JobHandle, type JobProgress } from '../../core/training';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { JobNotFoundError, type TrainingBackend, type TrainingJobRequest } from './backend';

export interface SageMakerBackendOptions {
  client: SageMakerClient;
  /** The execution role SageMaker assumes (reads the dataset, writes output and checkpoints). */
  roleArn: string;
  /** A Hugging Face PyTorch training image (account, region and versions differ per deployment). */
  imageUri: string;
  /** s3://bucket/prefix for the jobs' output and checkpoints. */
  outputPath: string;
  /** The artifact store the datasets are in; must be S3 so SageMaker can read them. */
  store: ArtifactStore;
  /** The trainer's code as a tarball on S3 and its entry point (the image's training toolkit runs it). */
  source: { s3Uri: string; entryPoint: string };
}

const NUMBER = '(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)';
/** Numbers the trainer prints in its JSON lines (progress: loss, reward; evaluate's done event: the metrics), as SageMaker metrics. */
export const METRIC_DEFINITIONS = [
  ...['loss', 'reward', 'smape', 'mae', 'pearson', 'typeAccuracy', 'formatRate', 'kl'].map((name) => ({ Name: name, Regex: `"${name}":\\s*${NUMBER}` })),
  ...['like', 'comment', 'share'].map((flag) => ({ Name: `f1.${flag}`, Regex: `"f1":\\s*\\{[^}]*"${flag}":\\s*${NUMBER}` })),
];

const CHECKPOINTS_LOCAL_PATH = '/opt/ml/checkpoints';

const trimSlash = (uri: string) => uri.replace(/\/+$/, '');
const errorName = (error: unknown) => (error as { name?: string }).name;

export class SageMakerTrainingBackend implements TrainingBackend {
  readonly name = 'sagemaker' as const;

  constructor(private readonly options: SageMakerBackendOptions) {
    if (!/^s3:\/\/[^/]+/.test(options.outputPath)) throw new Error(`SageMaker output path "${options.outputPath}" is not an s3:// URI`);
  }

  /** The request CreateTrainingJob gets for `job` (exported for tests and `train start --dry-run`-style inspection). */
  createRequest(job: TrainingJobRequest): CreateTrainingJobCommandInput {
    const { roleArn, imageUri, source } = this.options;
    const output = trimSlash(this.options.outputPath);
    const datasetUri = this.datasetUri(job.datasetId);
    const modelIsS3 = job.model.startsWith('s3://');
    const hyperparameters: Record<string, string> = {
      ...Object.fromEntries(Object.entries(job.hyperparameters).map(([key, value]) => [key, String(value)])),
      stage: job.stage,
      ...(job.maxSteps !== undefined ? { max_steps: String(job.maxSteps) } : {}),
      // A model on S3 arrives as the `model` channel; a hub id is loaded by name.
      ...(modelIsS3 ? {} : { model: job.model }),
      sagemaker_program: source.entryPoint,
      sagemaker_submit_directory: source.s3Uri,
    };
    const channel = (name: string, s3Uri: string) => ({
      ChannelName: name,
      DataSource: { S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: s3Uri, S3DataDistributionType: 'FullyReplicated' as const } },
      InputMode: 'File' as const,
    });
    const { sagemaker } = job;
    return {
      TrainingJobName: job.jobName,
      RoleArn: roleArn,
      AlgorithmSpecification: {
        TrainingImage: imageUri,
        TrainingInputMode: 'File',
        MetricDefinitions: METRIC_DEFINITIONS,
      },
      HyperParameters: hyperparameters,
      InputDataConfig: [channel('train', datasetUri), ...(modelIsS3 ? [channel('model', job.model)] : [])],
      OutputDataConfig: { S3OutputPath: `${output}/jobs` },
      CheckpointConfig: { S3Uri: `${output}/checkpoints/${job.jobName}`, LocalPath: CHECKPOINTS_LOCAL_PATH },
      ResourceConfig: { InstanceType: sagemaker.instanceType as never, InstanceCount: sagemaker.instanceCount, VolumeSizeInGB: sagemaker.volumeSizeGb },
      StoppingCondition: {
        MaxRuntimeInSeconds: sagemaker.maxRuntimeSeconds,
        // Spot: the wait includes the runtime; default to twice the runtime for capacity to appear.
        ...(sagemaker.spot ? { MaxWaitTimeInSeconds: sagemaker.maxWaitSeconds ?? 2 * sagemaker.maxRuntimeSeconds } : {}),
      },
      EnableManagedSpotTraining: sagemaker.spot,
      Tags: [{ Key: 'personaact:stage', Value: job.stage }, { Key: 'personaact:dataset', Value: job.datasetId }],
    };
  }

  async start(job: TrainingJobRequest): Promise<JobHandle> {
    const handle: JobHandle = { backend: 'sagemaker', jobName: job.jobName };
    const request = this.createRequest(job);
    try {
      await this.options.client.send(new CreateTrainingJobCommand(request));
    } catch (error) {
      // Job names are unique per account and region: if this one exists, an earlier attempt created it.
      const exists = await this.options.client.send(new DescribeTrainingJobCommand({ TrainingJobName: job.jobName })).then(() => true, () => false);
      if (!exists) throw error;
    }
    return handle;
  }

  async describe(handle: JobHandle): Promise<JobDescription> {
    let job: DescribeTrainingJobCommandOutput;
    try {
      job = await this.options.client.send(new DescribeTrainingJobCommand({ TrainingJobName: handle.jobName }));
    } catch (error) {
      // DescribeTrainingJob answers a missing job with a ValidationException ("Requested resource not found").
      if (errorName(error) === 'ResourceNotFound' || /not found/i.test((error as Error).message)) throw new JobNotFoundError(handle, 'DescribeTrainingJob');
      throw error;
    }
    const metrics = Object.fromEntries((job.FinalMetricDataList ?? []).flatMap((m) => (m.MetricName && typeof m.Value === 'number' ? [[m.MetricName, m.Value]] : [])));
    const progress: JobProgress = { ...(job.SecondaryStatus ? { message: job.SecondaryStatus } : {}), ...(typeof metrics.loss === 'number' ? { loss: metrics.loss } : {}) };
    const withProgress = Object.keys(progress).length > 0 ? { progress } : {};
    switch (job.TrainingJobStatus) {
      case 'Completed':
        return {
          status: 'Completed', ...withProgress,
          ...(Object.keys(metrics).length > 0 ? { metrics } : {}),
          ...(job.ModelArtifacts?.S3ModelArtifacts ? { modelLocation: job.ModelArtifacts.S3ModelArtifacts } : {}),
        };
      case 'Failed':
        return { status: 'Failed', ...withProgress, failureReason: job.FailureReason ?? 'SageMaker gave no failure reason' };
      case 'Stopped':
        return { status: 'Stopped', ...withProgress };
      case 'Deleting':
        return { status: 'Failed', ...withProgress, failureReason: 'the training job is being deleted' };
      default: // InProgress, Stopping
        return { status: 'InProgress', ...withProgress };
    }
  }

  async stop(handle: JobHandle): Promise<void> {
    const { status } = await this.describe(handle);
    if (status !== 'InProgress') return; // finished, or already stopping
    await this.options.client.send(new StopTrainingJobCommand({ TrainingJobName: handle.jobName }));
  }

  private datasetUri(datasetId: string): string {
    const marker = this.options.store.locate(`${datasetPrefix(datasetId)}/dataset.json`);
    if (!marker.startsWith('s3://')) {
      throw new Error(`SageMaker reads datasets from S3, but the artifact store is ${this.options.store.location}: set PERSONAACT_ARTIFACTS=s3://bucket/prefix`);
    }
    return `${marker.slice(0, -'dataset.json'.length)}`;
  }
}
