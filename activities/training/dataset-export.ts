/**
 * Behaviour logs + a persona (+ frames) → the training dataset the Python trainer reads, in the
 * artifact store under `datasets/<id>/`:
 *
 *   dataset.json                      {"schemaVersion":1,"users":[…],"promptVersion":…,"splits":{…}}
 *   sft/train.jsonl, sft/validation.jsonl      chat samples: system, user (image + text), assistant (action block)
 *   grpo/train.jsonl, grpo/validation.jsonl, test.jsonl   prompts with the ground truth (solution, watch_seconds, actions)
 *   images/<user>-<nnnnnn>.<ext>      frames, when given
 *   checksums.json                    written last: its presence means the dataset is complete
 *
 * Each user's log is split by session (core/session-split.ts, as the evaluation does), so no
 * session is in two splits. The id is the users plus a content hash: the same inputs give the
 * same dataset, and building it again writes nothing.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BehaviourLogSchema, hasAction, sessionsOf, type BehaviourLog, type LogStep } from '../../core/behaviour-log';
import { formatActionBlock, type Decision } from '../../core/decision';
import type { Persona, ReversalSettings } from '../../core/persona';
import { PersonaSchema } from '../../core/persona';
import { isReversedSample, reversedOutcome, type StepOutcome } from '../../core/reversed-sample';
import { heldOutLeak } from '../../core/training-persona';
import { historyEntryOfStep, policyVideoOfStep } from '../../core/log-step-context';
import type { PolicyHistoryEntry } from '../../core/policy';
import { buildPolicyPrompt, PROMPT_HISTORY_STEPS, PROMPT_VERSION } from '../../core/prompt';
import { splitBySession, SessionSplitError } from '../../core/session-split';
import {
  datasetPrefix, DatasetChecksumsSchema, DatasetManifestSchema,
  type DatasetChecksums, type DatasetManifest, type DatasetSource,
} from '../../core/training';
import { formatZodError } from '../../core/zod-error';
import type { ArtifactStore } from '../../artifacts/artifact-store';

/** A problem with the logs, persona or frames that retrying cannot fix. */
export class InvalidDatasetInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidDatasetInput';
  }
}

export interface Frame {
  bytes: Uint8Array;
  extension: 'jpg' | 'png';
}

/** The frame of a step, when there is one: `<user>/<sessionId>/<index in session>.{jpg,jpeg,png}` by convention. */
export type FrameSource = (user: string, sessionId: string, index: number) => Promise<Frame | undefined>;

export interface DatasetInputs {
  logs: readonly BehaviourLog[];
  persona: Persona;
  frames?: FrameSource;
  /**
   * Show p' instead of p in this share of the train and validation samples, with targets
   * transformed by `settings` (core/reversed-sample.ts). The test split always shows p: its
   * metrics measure how well the model imitates the person.
   */
  reversal?: { share: number; settings: ReversalSettings };
}

/** What the pipeline and the CLI know of a built dataset. */
export interface DatasetRef {
  datasetId: string;
  /** checksums.json's hash. */
  hash: string;
  /** Where the dataset folder is (a path or an s3:// URI). */
  location: string;
  users: string[];
  splits: DatasetManifest['splits'];
  promptVersion: string;
  images: number;
}

type Content = { type: 'text'; text: string } | { type: 'image' };
interface Message { role: 'system' | 'user' | 'assistant'; content: Content[] }

interface Sample {
  id: string;
  /** The prompt shows p' and the target is the transformed step. */
  reversed: boolean;
  prompt: [Message, Message];
  images: string[];
  decision: Decision;
  actions: string[];
}

/** The ground truth of a step as a decision; `favorite` has no counterpart in the action block. */
export function decisionOfStep(step: LogStep): Decision {
  const comment = step.actions.find((a) => a.type === 'comment');
  const share = step.actions.find((a) => a.type === 'share');
  return {
    watchSeconds: step.watchSeconds,
    like: hasAction(step, 'like'),
    ...(comment ? { comment: comment.text?.trim() || '…' } : {}),
    ...(share ? { share: share.text ?? '' } : {}),
    notInterested: false,
  };
}

const ACTION_ORDER = ['like', 'comment', 'share'] as const;
const actionNames = (decision: Decision) => ACTION_ORDER.filter((type) => (type === 'like' ? decision.like : decision[type] !== undefined));

/** A decision with the outcome p' would have had (texts of new comments and shares as decisionOfStep writes missing ones). */
function withOutcome(decision: Decision, outcome: StepOutcome): Decision {
  return {
    watchSeconds: outcome.watchSeconds,
    like: outcome.like,
    ...(outcome.comment ? { comment: decision.comment ?? '…' } : {}),
    ...(outcome.share ? { share: decision.share ?? '' } : {}),
    notInterested: false,
  };
}

const text = (value: string): Content => ({ type: 'text', text: value });
const jsonl = (rows: readonly unknown[]) => rows.map((row) => `${JSON.stringify(row)}\n`).join('');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

/** Logs of the same user are one log (e.g. several export files); users keep their first-seen order. */
function byUser(logs: readonly BehaviourLog[]): Map<string, LogStep[]> {
  const users = new Map<string, LogStep[]>();
  for (const log of logs) users.set(log.user, [...(users.get(log.user) ?? []), ...log.steps]);
  return users;
}

/** The id of a user in file names: letters, digits, '_' and '-' only. */
function userSlug(user: string): string {
  return user.replace(/[^A-Za-z0-9_-]+/g, '_');
}

export interface BuiltDataset {
  files: Map<string, Uint8Array | string>;
  manifest: DatasetManifest;
  images: number;
}

/** Everything the dataset holds, in memory (a few MB for the paper's users; frames dominate). */
export async function assembleDataset(inputs: DatasetInputs): Promise<BuiltDataset> {
  const files = new Map<string, Uint8Array | string>();
  const splits = { train: [] as Sample[], validation: [] as Sample[], test: [] as Sample[] };
  let images = 0;
  const users = byUser(inputs.logs);
  if (users.size === 0) throw new InvalidDatasetInputError('no logs given');

  for (const [user, steps] of users) {
    if (steps.length === 0) throw new InvalidDatasetInputError(`the log of user "${user}" has no steps`);
    let split;
    try {
      split = splitBySession(steps);
    } catch (error) {
      if (error instanceof SessionSplitError) throw new InvalidDatasetInputError(`user "${user}": ${error.message}`);
      throw error;
    }
    const leak = heldOutLeak(inputs.persona, user, split);
    if (leak) throw new InvalidDatasetInputError(leak);
    // Where each step sits in its session and in the user's log: ids, history and frame names.
    const place = new Map<LogStep, { index: number; history: PolicyHistoryEntry[]; ordinal: number }>();
    let ordinal = 0;
    for (const session of sessionsOf(steps)) {
      session.steps.forEach((step, index) => {
        const history = session.steps.slice(Math.max(0, index - PROMPT_HISTORY_STEPS), index).map(historyEntryOfStep);
        place.set(step, { index, history, ordinal: ordinal++ });
      });
    }
    for (const part of ['train', 'validation', 'test'] as const) {
      for (const step of split[part]) {
        const { index, history, ordinal: n } = place.get(step) as { index: number; history: PolicyHistoryEntry[]; ordinal: number };
        const frame = await inputs.frames?.(user, step.sessionId, index);
        const image = frame ? `images/${userSlug(user)}-${String(n).padStart(6, '0')}.${frame.extension}` : undefined;
        if (frame && image) {
          files.set(image, frame.bytes);
          images++;
        }
        const id = `${user}/${step.sessionId}/${index}`;
        const reversal = part !== 'test' && inputs.reversal && isReversedSample(id, inputs.reversal.share) ? inputs.reversal.settings : undefined;
        const reverse = (outcome: StepOutcome) => (reversal ? reversedOutcome(outcome, inputs.persona.stats, step.platform, reversal) : outcome);
        // The serving prompt, word for word; with a frame it says one is attached (the image part itself is a placeholder here).
        const prompt = buildPolicyPrompt({
          persona: inputs.persona, video: policyVideoOfStep(step), history: history.map((entry) => ({ ...entry, ...reverse(entry) })), seed: '',
          ...(reversal ? { reversal } : {}),
          ...(frame ? { screenshot: { mimeType: frame.extension === 'png' ? 'image/png' : 'image/jpeg', base64: '' } } : {}),
        });
        const userContent: Content[] = image ? [{ type: 'image' }, text(prompt.user)] : [text(prompt.user)];
        const truth = decisionOfStep(step);
        const decision = reversal ? withOutcome(truth, reverse(historyEntryOfStep(step))) : truth;
        splits[part].push({
          id: reversal ? `${id}/reversed` : id,
          prompt: [{ role: 'system', content: [text(prompt.system)] }, { role: 'user', content: userContent }],
          images: image ? [image] : [],
          decision,
          actions: actionNames(decision),
          reversed: reversal !== undefined,
        });
      }
    }
  }

  const sft = (samples: Sample[]) => samples.map((s) => ({
    id: s.id, messages: [...s.prompt, { role: 'assistant', content: [text(formatActionBlock(s.decision))] }], images: s.images,
  }));
  const grpo = (samples: Sample[]) => samples.map((s) => ({
    id: s.id, prompt: s.prompt, images: s.images, solution: formatActionBlock(s.decision), watch_seconds: s.decision.watchSeconds, actions: s.actions,
  }));
  files.set('sft/train.jsonl', jsonl(sft(splits.train)));
  files.set('sft/validation.jsonl', jsonl(sft(splits.validation)));
  files.set('grpo/train.jsonl', jsonl(grpo(splits.train)));
  files.set('grpo/validation.jsonl', jsonl(grpo(splits.validation)));
  files.set('test.jsonl', jsonl(grpo(splits.test)));
  const reversedCount = (samples: Sample[]) => samples.filter((sample) => sample.reversed).length;
  const manifest: DatasetManifest = {
    schemaVersion: 1, users: [...users.keys()], promptVersion: PROMPT_VERSION,
    splits: { train: splits.train.length, validation: splits.validation.length, test: splits.test.length },
    ...(inputs.reversal && inputs.reversal.share > 0
      ? { reversal: { share: inputs.reversal.share, ...inputs.reversal.settings, samples: { train: reversedCount(splits.train), validation: reversedCount(splits.validation) } } }
      : {}),
  };
  files.set('dataset.json', `${JSON.stringify(manifest, null, 2)}\n`);
  return { files, manifest, images };
}

export function checksumsOf(files: ReadonlyMap<string, Uint8Array | string>): DatasetChecksums {
  const sums = Object.fromEntries([...files].map(([name, data]) => [name, sha256(data)]).sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1)));
  const listing = Object.entries(sums).map(([name, sum]) => `${sum}  ${name}\n`).join('');
  return { hash: sha256(listing), files: sums };
}

const refOf = (store: ArtifactStore, datasetId: string, checksums: DatasetChecksums, manifest: DatasetManifest, images: number): DatasetRef => ({
  datasetId, hash: checksums.hash, location: store.locate(datasetPrefix(datasetId)), users: manifest.users,
  splits: manifest.splits, promptVersion: manifest.promptVersion, images,
});

/** A complete dataset's reference (checksums.json is written last), or undefined. */
export async function readDatasetRef(store: ArtifactStore, datasetId: string): Promise<DatasetRef | undefined> {
  const prefix = datasetPrefix(datasetId);
  const checksums = DatasetChecksumsSchema.safeParse(await store.getJson(`${prefix}/checksums.json`));
  const manifest = DatasetManifestSchema.safeParse(await store.getJson(`${prefix}/dataset.json`));
  if (!checksums.success || !manifest.success) return undefined;
  const images = Object.keys(checksums.data.files).filter((name) => name.startsWith('images/')).length;
  return refOf(store, datasetId, checksums.data, manifest.data, images);
}

/** Builds and stores the dataset; returns at once when a complete copy is already there. */
export async function exportDataset(inputs: DatasetInputs, store: ArtifactStore, onProgress?: (line: string) => void): Promise<DatasetRef> {
  const built = await assembleDataset(inputs);
  const checksums = checksumsOf(built.files);
  const datasetId = `${built.manifest.users.map(userSlug).join('-')}-${checksums.hash.slice(0, 12)}`;
  const existing = await readDatasetRef(store, datasetId);
  if (existing?.hash === checksums.hash) {
    onProgress?.(`dataset ${datasetId} is already in ${store.location}; nothing written`);
    return existing;
  }
  const prefix = datasetPrefix(datasetId);
  let written = 0;
  for (const [name, data] of built.files) {
    await store.put(`${prefix}/${name}`, data);
    if (++written % 200 === 0) onProgress?.(`wrote ${written}/${built.files.size} files`);
  }
  await store.putJson(`${prefix}/checksums.json`, checksums);
  return refOf(store, datasetId, checksums, built.manifest, built.images);
}

const InputLogsSchema = z.array(BehaviourLogSchema).min(1);

function parseStored<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  if (value === undefined) throw new InvalidDatasetInputError(`${what} is missing`);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidDatasetInputError(formatZodError(parsed.error, what));
  return parsed.data;
}

/** The keys `train start --logs` stores its inputs under, beside the run. */
export const storedInputKeys = (runId: string) => ({
  logsKey: `training/${runId}/inputs/logs.json`,
  personaKey: `training/${runId}/inputs/persona.json`,
  imagesPrefix: `training/${runId}/inputs/images`,
});

/** Where `train start --logs --images` stores a step's frame for the export stage. */
export const storedFrameKey = (imagesPrefix: string, user: string, sessionId: string, index: number, extension: Frame['extension']) =>
  `${imagesPrefix}/${userSlug(user)}/${sessionId}/${index}.${extension}`;

/** The export stage of the pipeline: inputs the CLI validated and stored, read back and checked again. */
export async function buildDatasetFromStoredInputs(store: ArtifactStore, source: Extract<DatasetSource, { build: unknown }>['build']): Promise<DatasetRef> {
  const logs = parseStored(InputLogsSchema, await store.getJson(source.logsKey), store.locate(source.logsKey));
  const persona = parseStored(PersonaSchema, await store.getJson(source.personaKey), store.locate(source.personaKey));
  const { imagesPrefix } = source;
  const frames: FrameSource | undefined = imagesPrefix === undefined ? undefined : async (user, sessionId, index) => {
    for (const extension of ['jpg', 'png'] as const) {
      const bytes = await store.get(storedFrameKey(imagesPrefix, user, sessionId, index, extension));
      if (bytes) return { bytes, extension };
    }
    return undefined;
  };
  return exportDataset({ logs, persona, ...(frames ? { frames } : {}) }, store);
}
