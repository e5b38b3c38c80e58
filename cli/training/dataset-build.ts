/** `personaact dataset build`: logs + persona (+ frames) → datasets/<id>/ in the artifact store. */
import { performance } from 'node:perf_hooks';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { openArtifactStore } from '../../artifacts/open-store';
import { S3ArtifactStore } from '../../artifacts/s3-store';
import { exportDataset, InvalidDatasetInputError, type DatasetInputs, type DatasetRef } from '../../activities/training/dataset-export';
import { sessionIdsOf, splitBySession } from '../../core/session-split';
import { openCliStore } from '../audit/store';
import type { CliConfig } from '../config';
import { UserError } from '../errors';
import { readDatasetInputs, type InputOptions } from './inputs';

export interface DatasetBuildOptions extends InputOptions {
  /** A folder or s3://bucket/prefix; default PERSONAACT_ARTIFACTS. */
  out?: string;
  /** p' in this share of the train and validation samples (activities/training/dataset-export.ts). */
  reversal?: DatasetInputs['reversal'];
}

export interface DatasetBuildResult extends DatasetRef {
  /** The sessions of each split, in time order. */
  sessions: { train: string[]; validation: string[]; test: string[] };
  seconds: number;
}

export async function openStoreAt(location: string | undefined, config: CliConfig): Promise<ArtifactStore> {
  let store: ArtifactStore;
  try {
    store = location === undefined ? openCliStore(config) : openArtifactStore(location, config.PERSONAACT_S3_ENDPOINT ? { s3Endpoint: config.PERSONAACT_S3_ENDPOINT } : {});
  } catch (error) {
    throw new UserError(`${location === undefined ? 'PERSONAACT_ARTIFACTS' : '--out'}: ${(error as Error).message}`);
  }
  if (store instanceof S3ArtifactStore) await store.ensureBucket();
  return store;
}

export async function buildDataset(options: DatasetBuildOptions, config: CliConfig, progress: (line: string) => void): Promise<DatasetBuildResult> {
  const began = performance.now();
  const inputs = await readDatasetInputs(options);
  progress(`read ${inputs.log.steps.length} steps of user "${inputs.log.user}" from ${inputs.log.sources.length} file(s)`);
  if (options.persona === undefined) progress(`persona ${inputs.persona.id} built from the ${inputs.persona.stats.steps} steps of the training sessions`);
  const store = await openStoreAt(options.out, config);
  let ref: DatasetRef;
  try {
    ref = await exportDataset({ ...inputs, ...(options.reversal ? { reversal: options.reversal } : {}) }, store, progress);
  } catch (error) {
    if (error instanceof InvalidDatasetInputError) throw new UserError(`cannot build a dataset: ${error.message}`);
    throw error;
  }
  const split = splitBySession(inputs.log.steps);
  return {
    ...ref,
    sessions: { train: sessionIdsOf(split.train), validation: sessionIdsOf(split.validation), test: sessionIdsOf(split.test) },
    seconds: (performance.now() - began) / 1000,
  };
}

export function renderDatasetBuild(result: DatasetBuildResult): string {
  const total = result.splits.train + result.splits.validation + result.splits.test;
  const row = (name: 'train' | 'validation' | 'test') => {
    const sessions = result.sessions[name];
    const share = total > 0 ? ((result.splits[name] / total) * 100).toFixed(1) : '0.0';
    return `  ${name.padEnd(10)} ${String(result.splits[name]).padStart(6)} samples  ${share.padStart(5)} %  ${sessions.length} session${sessions.length === 1 ? '' : 's'}${sessions.length > 0 ? ` (${sessions[0]}${sessions.length > 1 ? ` … ${sessions.at(-1)}` : ''})` : ''}`;
  };
  return [
    `Dataset ${result.datasetId}`,
    `  users ${result.users.join(', ')} · prompt ${result.promptVersion} · ${result.images} image${result.images === 1 ? '' : 's'} · sha256 ${result.hash.slice(0, 16)}…`,
    row('train'), row('validation'), row('test'),
    `Stored in ${result.location}/ (${result.seconds.toFixed(1)} s)`,
    `Train on it: personaact train start --dataset ${result.datasetId} --base-model <folder or hub id>`,
  ].join('\n');
}
