/**
 * What `dataset build` and `train start --logs` read: a user's behaviour logs (behaviour-logs),
 * the persona (default: built from the training sessions only), and optional frames from a folder laid out as <user>/<sessionId>/<index>.{jpg,jpeg,png}
 * (index = the step's position in its session, from 0). Every problem becomes a UserError naming
 * the file or option, raised before anything is written.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { importLogs } from '../../behaviour-logs/import-logs';
import { assembleDataset, InvalidDatasetInputError, type DatasetInputs, type Frame, type FrameSource } from '../../activities/training/dataset-export';
import type { BehaviourLog } from '../../core/behaviour-log';
import type { Persona } from '../../core/persona';
import { SessionSplitError } from '../../core/session-split';
import { trainingPersona } from '../../core/training-persona';
import { readPersonaFile } from '../persona/files';
import { UserError } from '../errors';

export interface InputOptions {
  logs: string[];
  /** Default: the template persona of the log's training sessions (core/training-persona.ts). */
  persona?: string;
  user?: string;
  images?: string;
}

const FRAME_EXTENSIONS: ReadonlyArray<[string, Frame['extension']]> = [['jpg', 'jpg'], ['jpeg', 'jpg'], ['png', 'png']];

/** Frames from a folder: <dir>/<user>/<sessionId>/<index>.{jpg,jpeg,png}. */
export function folderFrames(dir: string): FrameSource {
  return async (user, sessionId, index) => {
    for (const [suffix, extension] of FRAME_EXTENSIONS) {
      const file = path.join(dir, user, sessionId, `${index}.${suffix}`);
      if (existsSync(file)) return { bytes: await readFile(file), extension };
    }
    return undefined;
  };
}

export interface ReadInputs extends DatasetInputs {
  log: BehaviourLog;
  persona: Persona;
}

export async function readDatasetInputs(options: InputOptions): Promise<ReadInputs> {
  if (options.logs.length === 0) throw new UserError('--logs needs at least one log file or folder');
  let log: BehaviourLog;
  try {
    log = await importLogs(options.logs, options.user ? { user: options.user } : {});
  } catch (error) {
    // The importers' errors name the file, the line and the field already.
    throw new UserError((error as Error).message);
  }
  const persona = options.persona === undefined ? personaOfTrainingSessions(log) : await readPersonaFile(options.persona);
  if (persona.reversal) throw new UserError(`persona file ${options.persona} holds a counterfactual persona (p' of "${persona.reversal.of}"): train on the original persona`);
  if (options.images !== undefined) {
    const isFolder = existsSync(options.images) && statSync(options.images).isDirectory();
    if (!isFolder) throw new UserError(`--images ${options.images}: no such folder (expected <user>/<sessionId>/<index>.jpg inside)`);
    if (!existsSync(path.join(options.images, log.user))) {
      throw new UserError(`--images ${options.images} has no folder "${log.user}" for the log's user (expected ${path.join(options.images, log.user, '<sessionId>', '<index>.jpg')})`);
    }
  }
  return { log, logs: [log], persona, ...(options.images !== undefined ? { frames: folderFrames(options.images) } : {}) };
}

function personaOfTrainingSessions(log: BehaviourLog): Persona {
  try {
    return trainingPersona(log);
  } catch (error) {
    // A log that cannot be split has no training sessions; the message says why.
    if (error instanceof SessionSplitError) throw new UserError(`cannot build a dataset: user "${log.user}": ${error.message}`);
    throw error;
  }
}

/** Runs the whole assembly in memory, so a log that cannot be split fails here and nothing is stored. */
export async function checkDatasetInputs(inputs: DatasetInputs): Promise<Awaited<ReturnType<typeof assembleDataset>>> {
  try {
    return await assembleDataset(inputs);
  } catch (error) {
    if (error instanceof InvalidDatasetInputError) throw new UserError(`cannot build a dataset: ${error.message}`);
    throw error;
  }
}
