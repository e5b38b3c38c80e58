/**
 * `personaact persona build`: logs (and an optional answers file) → persona document, without an
 * interview session. Everything is read and validated before the one write at the end.
 */
import { resolve } from 'node:path';
import { importLogs } from '../../behaviour-logs/import-logs';
import type { BehaviourLog } from '../../core/behaviour-log';
import type { Persona } from '../../core/persona';
import { extractFeatures, type PersonaFeatures } from '../../core/persona-features';
import { synthesizePersona } from '../../core/persona-synthesis';
import { SlugSchema } from '../../core/primitives';
import { UserError } from '../errors';
import { readAnswersFile, writePersonaFile } from './files';

export interface BuildOptions {
  readonly logs: readonly string[];
  readonly answers?: string;
  readonly id?: string;
  readonly name?: string;
  readonly user?: string;
  readonly out?: string;
}

export interface BuiltPersona {
  readonly persona: Persona;
  readonly log: BehaviourLog;
  readonly features: PersonaFeatures;
  readonly file: string;
}

/** "user-<user>" as a slug: lowercase letters and digits between single dashes. */
export function defaultPersonaId(user: string): string {
  const slug = `user-${user}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return SlugSchema.safeParse(slug).success ? slug : 'persona';
}

/** Imports and validates the logs, with a progress line a person can check against their data. */
export async function loadLogs(paths: readonly string[], user: string | undefined, progress: (line: string) => void): Promise<{ log: BehaviourLog; features: PersonaFeatures }> {
  const log = await importLogs(paths, user ? { user } : {});
  const features = extractFeatures(log);
  const inferred = features.watchSecondsInferredRate > 0 ? ` (watch time inferred for ${(features.watchSecondsInferredRate * 100).toFixed(0)} %)` : '';
  progress(`imported ${features.steps} steps in ${features.sessions} sessions of user "${log.user}" from ${log.sources.length} file(s)${inferred}`);
  return { log, features };
}

export async function buildPersona(options: BuildOptions, progress: (line: string) => void): Promise<BuiltPersona> {
  const { log, features } = await loadLogs(options.logs, options.user, progress);
  const transcript = options.answers === undefined ? undefined : await readAnswersFile(options.answers);
  if (transcript) progress(`read ${transcript.turns.length} answers (interview ${transcript.interviewId})`);
  const id = options.id ?? defaultPersonaId(log.user);
  const persona = synthesizePersona({
    id,
    name: options.name ?? `User ${log.user}`,
    log,
    features,
    ...(transcript ? { transcript } : {}),
    sources: log.sources,
  });
  const file = resolve(options.out ?? `${id}.json`);
  if (options.logs.some((path) => resolve(path) === file)) throw new UserError(`--out ${file} is one of the --logs paths: refusing to overwrite a log`);
  await writePersonaFile(file, persona);
  return { persona, log, features, file };
}
