/**
 * The SageMaker backend at the AWS SDK seam (aws-sdk-client-mock: SageMaker itself cannot run
 * here): the CreateTrainingJob request, the status mapping of DescribeTrainingJob, the failure
 * reason, StopTrainingJob on cancel, and an idempotent start.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CreateTrainingJobCommand, DescribeTrainingJobCommand, ResourceInUse, SageMakerClient, SageMakerServiceException, StopTrainingJobCommand,
  type CreateTrainingJobCommandInput, type DescribeTrainingJobCommandOutput,
} from '@aws-sdk/client-sagemaker';
import { ApplicationFailure } from '@temporalio/common';
import { mockClient } from 'aws-sdk-client-mock';
import { createTrainingActivities } from '../../activities/training/activities';
import { LocalArtifactStore } from '../../artifacts/local-store';
import { S3ArtifactStore } from '../../artifacts/s3-store';
import type { TrainingJobRequest } from '../../activities/training/backend';
import { SageMakerTrainingBackend } from '../../activities/training/sagemaker-backend';
import { SageMakerRunOptionsSchema } from '../../core/training';

const ROLE = 'arn:aws:iam::123456789012:role/personaact-training';
const IMAGE = '763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-training:2.8.0-transformers4.56.2-gpu-py312-cu128-ubuntu22.04';

function setup() {
  const client = new SageMakerClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const mock = mockClient(client);
  const store = new S3ArtifactStore({ bucket: 'research', prefix: 'personaact', endpoint: 'http://127.0.0.1:1' });
  const backend = new SageMakerTrainingBackend({
    client, roleArn: ROLE, imageUri: IMAGE, outputPath: 's3://research/personaact/sagemaker/', store,
    source: { s3Uri: 's3://research/code/trainer.tar.gz', entryPoint: 'train.py' },
  });
  return { mock, backend };
}

const job = (overrides: Partial<TrainingJobRequest> = {}): TrainingJobRequest => ({
  jobName: 'run-7-grpo', stage: 'grpo', datasetId: 'a-0123456789ab', model: 's3://research/personaact/sagemaker/jobs/run-7-sft/output/model.tar.gz',
  maxSteps: 200, hyperparameters: { learning_rate: 1e-5, num_generations: 4, bf16: true },
  sagemaker: SageMakerRunOptionsSchema.parse({ instanceType: 'ml.g5.12xlarge', maxRuntimeSeconds: 6 * 3600, spot: true, maxWaitSeconds: 9 * 3600 }),
  ...overrides,
});

const described = (fields: Partial<DescribeTrainingJobCommandOutput>): DescribeTrainingJobCommandOutput =>
  ({ $metadata: {}, TrainingJobName: 'run-7-grpo', ...fields }) as DescribeTrainingJobCommandOutput;

test('CreateTrainingJob: image, role, S3 channels, output, checkpoints, spot, limits and string hyperparameters', async () => {
  const { mock, backend } = setup();
  mock.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/run-7-grpo' });
  const handle = await backend.start(job());
  assert.deepEqual(handle, { backend: 'sagemaker', jobName: 'run-7-grpo' });
  const calls = mock.commandCalls(CreateTrainingJobCommand);
  assert.equal(calls.length, 1);
  const request = calls[0]?.args[0].input as CreateTrainingJobCommandInput;
  assert.equal(request.TrainingJobName, 'run-7-grpo');
  assert.equal(request.RoleArn, ROLE);
  assert.equal(request.AlgorithmSpecification?.TrainingImage, IMAGE);
  assert.equal(request.AlgorithmSpecification?.TrainingInputMode, 'File');
  assert.deepEqual(request.InputDataConfig?.map((c) => [c.ChannelName, c.DataSource?.S3DataSource?.S3Uri, c.DataSource?.S3DataSource?.S3DataType]), [
    ['train', 's3://research/personaact/datasets/a-0123456789ab/', 'S3Prefix'],
    ['model', 's3://research/personaact/sagemaker/jobs/run-7-sft/output/model.tar.gz', 'S3Prefix'],
  ]);
  assert.deepEqual(request.OutputDataConfig, { S3OutputPath: 's3://research/personaact/sagemaker/jobs' });
  assert.deepEqual(request.CheckpointConfig, { S3Uri: 's3://research/personaact/sagemaker/checkpoints/run-7-grpo', LocalPath: '/opt/ml/checkpoints' });
  assert.deepEqual(request.ResourceConfig, { InstanceType: 'ml.g5.12xlarge', InstanceCount: 1, VolumeSizeInGB: 100 });
  assert.equal(request.EnableManagedSpotTraining, true);
  assert.deepEqual(request.StoppingCondition, { MaxRuntimeInSeconds: 21600, MaxWaitTimeInSeconds: 32400 });
  assert.deepEqual(request.HyperParameters, {
    learning_rate: '0.00001', num_generations: '4', bf16: 'true', stage: 'grpo', max_steps: '200',
    sagemaker_program: 'train.py', sagemaker_submit_directory: 's3://research/code/trainer.tar.gz',
  });
  for (const value of Object.values(request.HyperParameters ?? {})) assert.equal(typeof value, 'string');
  // The metric regexes read the trainer's own lines.
  const metric = (name: string, line: string) => {
    const regex = request.AlgorithmSpecification?.MetricDefinitions?.find((m) => m.Name === name)?.Regex;
    return regex ? new RegExp(regex).exec(line)?.[1] : undefined;
  };
  assert.equal(metric('loss', '{"event": "progress", "stage": "sft", "step": 3, "maxSteps": 10, "loss": 2.31e-1}'), '2.31e-1');
  const done = '{"event": "done", "stage": "evaluate", "metrics": {"samples": 3, "smape": 0.61, "mae": 6.0, "pearson": null, "typeAccuracy": 0.72, "f1": {"like": 0.25, "comment": null, "share": 0.5}, "kl": 1.27}}';
  assert.deepEqual(['smape', 'typeAccuracy', 'f1.like', 'f1.comment', 'f1.share', 'kl', 'pearson'].map((name) => metric(name, done)), ['0.61', '0.72', '0.25', undefined, '0.5', '1.27', undefined]);
});

test('on demand: no spot fields; a hub model id is a hyperparameter, not a channel', () => {
  const { backend } = setup();
  const request = backend.createRequest(job({ stage: 'sft', model: 'Qwen/Qwen2.5-VL-7B-Instruct', maxSteps: undefined, sagemaker: SageMakerRunOptionsSchema.parse({}) }));
  assert.equal(request.EnableManagedSpotTraining, false);
  assert.deepEqual(request.StoppingCondition, { MaxRuntimeInSeconds: 86400 });
  assert.deepEqual(request.InputDataConfig?.map((c) => c.ChannelName), ['train']);
  assert.equal(request.HyperParameters?.model, 'Qwen/Qwen2.5-VL-7B-Instruct');
  assert.equal(request.HyperParameters?.max_steps, undefined);
});

test('a start whose job already exists (an activity retry) returns the handle; other errors are thrown', async () => {
  const { mock, backend } = setup();
  mock.on(CreateTrainingJobCommand).rejects(new ResourceInUse({ message: 'Training job names must be unique', $metadata: {} }));
  mock.on(DescribeTrainingJobCommand).resolves(described({ TrainingJobStatus: 'InProgress' }));
  assert.deepEqual(await backend.start(job()), { backend: 'sagemaker', jobName: 'run-7-grpo' });
  mock.reset();
  mock.on(CreateTrainingJobCommand).rejects(new Error('AccessDenied: not allowed to pass the role'));
  mock.on(DescribeTrainingJobCommand).rejects(new Error('Requested resource not found'));
  await assert.rejects(backend.start(job()), /AccessDenied/);
});

test('DescribeTrainingJob: InProgress with its secondary status → Completed with the model and the metrics', async () => {
  const { mock, backend } = setup();
  const handle = { backend: 'sagemaker' as const, jobName: 'run-7-grpo' };
  mock.on(DescribeTrainingJobCommand)
    .resolvesOnce(described({ TrainingJobStatus: 'InProgress', SecondaryStatus: 'Downloading' }))
    .resolvesOnce(described({ TrainingJobStatus: 'InProgress', SecondaryStatus: 'Training', FinalMetricDataList: [{ MetricName: 'loss', Value: 0.8, Timestamp: new Date() }] }))
    .resolves(described({
      TrainingJobStatus: 'Completed', SecondaryStatus: 'Completed',
      ModelArtifacts: { S3ModelArtifacts: 's3://research/personaact/sagemaker/jobs/run-7-grpo/output/model.tar.gz' },
      FinalMetricDataList: [{ MetricName: 'smape', Value: 0.61, Timestamp: new Date() }, { MetricName: 'action_accuracy', Value: 0.72, Timestamp: new Date() }],
    }));
  assert.deepEqual(await backend.describe(handle), { status: 'InProgress', progress: { message: 'Downloading' } });
  assert.deepEqual(await backend.describe(handle), { status: 'InProgress', progress: { message: 'Training', loss: 0.8 } });
  assert.deepEqual(await backend.describe(handle), {
    status: 'Completed', progress: { message: 'Completed' },
    metrics: { smape: 0.61, action_accuracy: 0.72 },
    modelLocation: 's3://research/personaact/sagemaker/jobs/run-7-grpo/output/model.tar.gz',
  });
});

test('a failed job surfaces its FailureReason; a missing job is JobNotFound', async () => {
  const { mock, backend } = setup();
  const handle = { backend: 'sagemaker' as const, jobName: 'run-7-grpo' };
  mock.on(DescribeTrainingJobCommand).resolves(described({
    TrainingJobStatus: 'Failed', SecondaryStatus: 'Failed',
    FailureReason: 'AlgorithmError: CUDA out of memory. Tried to allocate 2.00 GiB, exitCode=1',
  }));
  const failed = await backend.describe(handle);
  assert.equal(failed.status, 'Failed');
  assert.equal(failed.failureReason, 'AlgorithmError: CUDA out of memory. Tried to allocate 2.00 GiB, exitCode=1');
  mock.reset();
  mock.on(DescribeTrainingJobCommand).rejects(Object.assign(new Error('Requested resource not found.'), { name: 'ValidationException' }));
  await assert.rejects(backend.describe(handle), { name: 'JobNotFound' });
});

test('stop: StopTrainingJob while it runs; Stopping reads InProgress, then Stopped; a finished job is left alone', async () => {
  const { mock, backend } = setup();
  const handle = { backend: 'sagemaker' as const, jobName: 'run-7-grpo' };
  mock.on(DescribeTrainingJobCommand)
    .resolvesOnce(described({ TrainingJobStatus: 'InProgress', SecondaryStatus: 'Training' }))
    .resolvesOnce(described({ TrainingJobStatus: 'Stopping', SecondaryStatus: 'Stopping' }))
    .resolvesOnce(described({ TrainingJobStatus: 'Stopped', SecondaryStatus: 'Stopped' }))
    .resolves(described({ TrainingJobStatus: 'Stopped', SecondaryStatus: 'Stopped' }));
  mock.on(StopTrainingJobCommand).resolves({});
  await backend.stop(handle);
  assert.deepEqual(mock.commandCalls(StopTrainingJobCommand).map((c) => c.args[0].input), [{ TrainingJobName: 'run-7-grpo' }]);
  assert.deepEqual(await backend.describe(handle), { status: 'InProgress', progress: { message: 'Stopping' } });
  assert.equal((await backend.describe(handle)).status, 'Stopped');
  await backend.stop(handle);
  assert.equal(mock.commandCalls(StopTrainingJobCommand).length, 1, 'no second StopTrainingJob for a stopped job');
});

test('a dataset in a local artifact store is refused with a message saying what to set', () => {
  const client = new SageMakerClient({ region: 'us-east-1' });
  const backend = new SageMakerTrainingBackend({
    client, roleArn: ROLE, imageUri: IMAGE, outputPath: 's3://research/out', store: new LocalArtifactStore('/tmp/artifacts'),
    source: { s3Uri: 's3://research/code/trainer.tar.gz', entryPoint: 'train.py' },
  });
  assert.throws(() => backend.createRequest(job()), /SageMaker reads datasets from S3.*PERSONAACT_ARTIFACTS=s3:\/\//);
});

test('through the activities, a request SageMaker rejects fails for good (no retries); throttling stays retryable', async () => {
  const { mock, backend } = setup();
  const activities = createTrainingActivities({ store: new LocalArtifactStore('/tmp/unused'), backends: { sagemaker: backend } });
  const rejected = (name: string, message: string, fault: 'client' | 'server') => new SageMakerServiceException({ name, message, $fault: fault, $metadata: {} });
  mock.on(CreateTrainingJobCommand).rejects(rejected('ValidationException', "Value 'ml.g9.huge' at 'resourceConfig.instanceType' failed to satisfy constraint", 'client'));
  mock.on(DescribeTrainingJobCommand).rejects(rejected('ValidationException', 'Requested resource not found.', 'client'));
  await assert.rejects(activities.startTrainingJob({ backend: 'sagemaker', job: job() }), (error: unknown) => {
    assert.ok(error instanceof ApplicationFailure);
    assert.equal(error.nonRetryable, true);
    assert.equal(error.type, 'InvalidTrainingRequest');
    assert.match(error.message, /ValidationException: Value 'ml\.g9\.huge'/);
    return true;
  });
  mock.reset();
  mock.on(DescribeTrainingJobCommand).rejects(rejected('ThrottlingException', 'Rate exceeded', 'client'));
  await assert.rejects(activities.describeTrainingJob({ backend: 'sagemaker', jobName: 'run-7-grpo' }), (error: unknown) => !(error instanceof ApplicationFailure) && /Rate exceeded/.test(String(error)));
  await assert.rejects(activities.describeTrainingJob({ backend: 'local', jobName: 'x' }), (error: unknown) => error instanceof ApplicationFailure && error.type === 'BackendNotConfigured');
});
