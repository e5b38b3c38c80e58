/**
 * Reads a study spec (JSON, or YAML with the `yaml` package) and everything it names — persona
 * files, the profiles file — and checks them all before anything starts: every problem names the
 * file and the field (`study.yaml: platforms[0].profiles[1]: unknown profile "x"`).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { POLICIES } from '../../activities/policy/activities';
import type { Persona } from '../../core/persona';
import { StudySpecSchema, type StudySpec } from '../../core/study-spec';
import { formatZodError } from '../../core/zod-error';
import { loadProfiles, ProfileFileError } from '../../sandbox/profiles';
import type { RecommenderProfile } from '../../sandbox/recommender';
import { readPersonaFile } from '../persona/files';
import { UserError } from '../errors';

export interface LoadedStudy {
  file: string;
  spec: StudySpec;
  /** In the spec's order. */
  personas: Persona[];
  /** Profiles from the spec's profiles file that the cells use, by name (the sandbox learns them at sign-in). */
  profileDefinitions: Record<string, RecommenderProfile>;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read study spec ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
}

function parseText(file: string, text: string): unknown {
  const extension = path.extname(file).toLowerCase();
  try {
    if (extension === '.json') return JSON.parse(text);
    if (extension === '.yaml' || extension === '.yml') return parseYaml(text);
  } catch (error) {
    throw new UserError(`study spec ${file} is not valid ${extension === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  throw new UserError(`study spec ${file}: expected a .json, .yaml or .yml file`);
}

/** The profiles the cells may name: the built-in ones, and the spec's file's (which must not redefine a built-in one). */
function knownProfiles(file: string, spec: StudySpec): { known: Map<string, RecommenderProfile>; fromFile: Set<string> } {
  const known = loadProfiles();
  const fromFile = new Set<string>();
  if (!spec.profilesFile) return { known, fromFile };
  const profilesFile = path.resolve(path.dirname(file), spec.profilesFile);
  let own: Map<string, RecommenderProfile>;
  try {
    own = loadProfiles(profilesFile);
  } catch (error) {
    if (error instanceof ProfileFileError) throw new UserError(`${file}: profilesFile: ${error.message}`);
    throw error;
  }
  for (const [name, profile] of own) {
    const builtIn = known.get(name);
    if (builtIn && JSON.stringify(builtIn) !== JSON.stringify(profile)) {
      throw new UserError(`${file}: profilesFile ${profilesFile}: profile "${name}" redefines a built-in profile with other parameters; give it another name`);
    }
    if (!builtIn) fromFile.add(name);
    known.set(name, profile);
  }
  return { known, fromFile };
}

export async function loadStudyFile(file: string): Promise<LoadedStudy> {
  const parsed = StudySpecSchema.safeParse(parseText(file, await readText(file)));
  if (!parsed.success) throw new UserError(`study spec ${file} is not valid:\n${formatZodError(parsed.error, file)}`);
  const spec = parsed.data;

  if (!(POLICIES as readonly string[]).includes(spec.policy)) throw new UserError(`${file}: policy: unknown policy "${spec.policy}"; expected one of ${POLICIES.join(', ')}`);

  const { known, fromFile } = knownProfiles(file, spec);
  const profileDefinitions: Record<string, RecommenderProfile> = {};
  for (const [i, { profiles }] of spec.platforms.entries()) {
    for (const [j, name] of (profiles ?? []).entries()) {
      const profile = known.get(name);
      if (!profile) throw new UserError(`${file}: platforms[${i}].profiles[${j}]: unknown profile "${name}"; known: ${[...known.keys()].join(', ')}${spec.profilesFile ? '' : ' (add profilesFile for your own)'}`);
      if (fromFile.has(name)) profileDefinitions[name] = profile;
    }
  }

  const personas: Persona[] = [];
  const firstUse = new Map<string, number>();
  for (const [i, personaFile] of spec.personas.entries()) {
    const resolved = path.resolve(path.dirname(file), personaFile);
    let persona: Persona;
    try {
      persona = await readPersonaFile(resolved);
    } catch (error) {
      throw new UserError(`${file}: personas[${i}]: ${(error as Error).message}`);
    }
    if (persona.reversal) throw new UserError(`${file}: personas[${i}]: ${resolved} holds a counterfactual persona (p' of "${persona.reversal.of}"); list the original persona`);
    const earlier = firstUse.get(persona.id);
    if (earlier !== undefined) throw new UserError(`${file}: personas[${i}]: persona id "${persona.id}" is already used by personas[${earlier}]`);
    firstUse.set(persona.id, i);
    personas.push(persona);
  }
  return { file: path.resolve(file), spec, personas, profileDefinitions };
}
