/**
 * `personaact train start`: validates everything first (run id, options, base model, the dataset or
 * the logs + persona, which are assembled in memory once) and only then stores the inputs and
 * starts the training pipeline workflow.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { readDatasetRef, storedInputKeys, storedFrameKey } from '../../activities/training/dataset-export';
import { uiLink, withClient } from '../../clients/connection';
import { startTrainingRun, trainingHandle } from '../../clients/training';
import { sessionsOf } from '../../core/behaviour-log';
import {
  TRAINING_STAGES, TrainingRunIdSchema, TrainingSpecSchema,
  type BackendName, type Hyperparameters, type TrainingSpec, type TrainingSpecInput, type TrainingStage,
} from '../../core/training';
import { formatZodError } from '../../core/zod-error';
import type { TrainingWorkflowInput } from '../../workflows/training';
import type { CliConfig } from '../config';
import { UserError } from '../errors';
import type { Out } from '../output';
import { openStoreAt } from './dataset-build';
import { checkDatasetInputs, readDatasetInputs } from './inputs';

export interface TrainStartOptions {
  dataset?: string;
  logs?: string[];
  persona?: string;
  user?: string;
  images?: string;
  baseModel: string;
  backend: BackendName;
  sftSteps?: number;
  grpoSteps?: number;
  evalLimit?: number;
  hp: string[];
  instanceType?: string;
  spot: boolean;
  maxRuntimeHours?: number;
  maxWaitHours?: number;
  pollMax?: number;
  taskQueue?: string;
  id?: string;
  study?: string;
}

/** `sft.learning_rate=1e-4` → stage, key, value (numbers and true/false typed). */
export function parseHyperparameter(text: string): { stage: TrainingStage; key: string; value: string | number | boolean } {
  const match = /^([a-z]+)\.([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(text);
  if (!match || !(TRAINING_STAGES as readonly string[]).includes(match[1] as string)) {
    throw new UserError(`--hp "${text}": expected <stage>.<name>=<value> with stage ${TRAINING_STAGES.join(', ')}, e.g. sft.learning_rate=1e-4`);
  }
  const raw = match[3] as string;
  const value = raw === 'true' ? true : raw === 'false' ? false : raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  return { stage: match[1] as TrainingStage, key: match[2] as string, value };
}

const HUB_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/** A folder the local trainer can read (made absolute: the trainer runs in its job folder), an s3:// URI or a Hugging Face id. */
export function resolveBaseModel(model: string, backend: BackendName): string {
  if (backend === 'sagemaker') {
    if (model.startsWith('s3://') || HUB_ID.test(model)) return model;
    throw new UserError(`--base-model ${model}: SageMaker needs an s3:// URI or a Hugging Face id such as Qwen/Qwen2.5-VL-7B-Instruct`);
  }
  if (existsSync(model)) return path.resolve(model);
  if (HUB_ID.test(model) && !model.startsWith('.')) return model;
  throw new UserError(`--base-model ${model}: no such folder (and not a Hugging Face id such as Qwen/Qwen2.5-VL-7B-Instruct)`);
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export function defaultRunId(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').slice(0, 15);
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 20) || 'run';
  return `train-${slug}-${stamp}-${hex(2)}`;
}

export interface PreparedRun {
  runId: string;
  input: TrainingWorkflowInput;
  store: ArtifactStore;
  /** Stores the inputs the export stage reads (only with --logs); nothing before this is written. */
  storeInputs(): Promise<void>;
  summary: string[];
}

export async function prepareRun(options: TrainStartOptions, config: CliConfig): Promise<PreparedRun> {
  if ((options.dataset === undefined) === (options.logs === undefined)) throw new UserError('give either --dataset ID or --logs PATH... [--persona FILE]');
  if (options.dataset && (options.persona || options.images || options.user)) throw new UserError('--persona, --images and --user go with --logs; a --dataset already holds its prompts');
  if (options.id !== undefined) {
    const parsed = TrainingRunIdSchema.safeParse(options.id);
    if (!parsed.success) throw new UserError(`--id "${options.id}": ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  const hyperparameters: Record<TrainingStage, Hyperparameters> = { sft: {}, grpo: {}, evaluate: {} };
  for (const text of options.hp) {
    const { stage, key, value } = parseHyperparameter(text);
    hyperparameters[stage][key] = value;
  }
  if (options.evalLimit !== undefined) hyperparameters.evaluate.limit = options.evalLimit;
  const baseModel = resolveBaseModel(options.baseModel, options.backend);
  const store = await openStoreAt(undefined, config);
  if (options.backend === 'sagemaker' && !store.location.startsWith('s3://')) {
    throw new UserError(`--backend sagemaker reads the dataset from S3, but PERSONAACT_ARTIFACTS is ${store.location}: set it to s3://bucket/prefix (the workers' too)`);
  }

  let name: string;
  let datasetId: string | undefined;
  let inputs: Awaited<ReturnType<typeof readDatasetInputs>> | undefined;
  const summary: string[] = [];
  if (options.dataset !== undefined) {
    const ref = await readDatasetRef(store, options.dataset);
    if (!ref) throw new UserError(`no dataset "${options.dataset}" in ${store.location} (build one with \`personaact dataset build\`)`);
    datasetId = ref.datasetId;
    name = ref.users.join('-');
    summary.push(`dataset ${ref.datasetId}: ${ref.splits.train} train / ${ref.splits.validation} validation / ${ref.splits.test} test samples`);
  } else {
    inputs = await readDatasetInputs({ logs: options.logs ?? [], ...(options.persona ? { persona: options.persona } : {}), ...(options.user ? { user: options.user } : {}), ...(options.images ? { images: options.images } : {}) });
    const built = await checkDatasetInputs(inputs);
    name = inputs.persona.id;
    summary.push(`logs of user "${inputs.log.user}" + persona ${inputs.persona.id}: ${built.manifest.splits.train} train / ${built.manifest.splits.validation} validation / ${built.manifest.splits.test} test samples, ${built.images} images (built by the export stage)`);
  }
  const runId = options.id ?? defaultRunId(name);
  const keys = storedInputKeys(runId);
  const dataset: TrainingSpecInput['dataset'] = datasetId !== undefined
    ? { datasetId }
    : { build: { logsKey: keys.logsKey, personaKey: keys.personaKey, ...(inputs?.frames ? { imagesPrefix: keys.imagesPrefix } : {}) } };
  const personaId = inputs?.persona.id;
  const storeInputs = async () => {
    if (!inputs) return;
    const { log, persona, frames } = inputs;
    await store.putJson(keys.logsKey, [log]);
    await store.putJson(keys.personaKey, persona);
    if (!frames) return;
    for (const session of sessionsOf(log.steps)) {
      for (let index = 0; index < session.steps.length; index++) {
        const frame = await frames(log.user, session.sessionId, index);
        if (frame) await store.put(storedFrameKey(keys.imagesPrefix, log.user, session.sessionId, index, frame.extension), frame.bytes);
      }
    }
  };

  const specInput: TrainingSpecInput = {
    schemaVersion: 1, backend: options.backend, dataset, baseModel,
    ...(personaId ? { personaId } : {}), ...(options.study ? { studyId: options.study } : {}),
    ...(options.taskQueue ? { taskQueue: options.taskQueue } : {}),
    sft: { ...(options.sftSteps ? { maxSteps: options.sftSteps } : {}), hyperparameters: hyperparameters.sft },
    grpo: { ...(options.grpoSteps ? { maxSteps: options.grpoSteps } : {}), hyperparameters: hyperparameters.grpo },
    evaluate: { hyperparameters: hyperparameters.evaluate },
    sagemaker: {
      ...(options.instanceType ? { instanceType: options.instanceType } : {}), spot: options.spot,
      ...(options.maxRuntimeHours ? { maxRuntimeSeconds: Math.round(options.maxRuntimeHours * 3600) } : {}),
      ...(options.maxWaitHours ? { maxWaitSeconds: Math.round(options.maxWaitHours * 3600) } : {}),
    },
    ...(options.pollMax ? { poll: { maxSeconds: options.pollMax } } : {}),
  };
  const parsed = TrainingSpecSchema.safeParse(specInput);
  if (!parsed.success) throw new UserError(formatZodError(parsed.error, 'training options'));
  return { runId, input: { schemaVersion: 1, runId, spec: specInput }, store, storeInputs, summary: [...summary, describeSpec(parsed.data)] };
}

function describeSpec(spec: TrainingSpec): string {
  const steps = (n: number | undefined) => (n === undefined ? 'whole epochs' : `${n} steps`);
  const where = spec.backend === 'sagemaker'
    ? `SageMaker ${spec.sagemaker.instanceType}${spec.sagemaker.spot ? ' (spot)' : ''}, at most ${spec.sagemaker.maxRuntimeSeconds / 3600} h per job`
    : 'the local backend (the worker\'s machine)';
  return `base model ${spec.baseModel} · SFT ${steps(spec.sft.maxSteps)} → GRPO ${steps(spec.grpo.maxSteps)} → evaluate on ${where}`;
}

export async function startRun(prepared: PreparedRun, config: CliConfig, out: Out): Promise<void> {
  await withClient(config, async ({ client }) => {
    const existing = await trainingHandle(client, prepared.runId).describe().then(() => true, () => false);
    if (existing) throw new UserError(`a training run "${prepared.runId}" exists already; choose another --id`);
    await prepared.storeInputs();
    try {
      await startTrainingRun(client, prepared.input);
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw new UserError(`a training run "${prepared.runId}" exists already; choose another --id`);
      throw error;
    }
  });
  out(`Started training run ${prepared.runId}`);
  for (const line of prepared.summary) out(`  ${line}`);
  out(`  follow it: personaact train status ${prepared.runId} --follow   ·   UI: ${uiLink(config.temporal, prepared.runId)}`);
}
