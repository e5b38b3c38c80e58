/** Loads recommender profiles from the built-in file or a user's own file, with clear errors. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProfileFileSchema, type RecommenderProfile } from './recommender';
import { formatZodError } from '../core/schemas';

export const BUILT_IN_PROFILES_FILE = fileURLToPath(new URL('./profiles.json', import.meta.url));

export class ProfileFileError extends Error {
  override name = 'ProfileFileError';
}

export function loadProfiles(file: string = BUILT_IN_PROFILES_FILE): Map<string, RecommenderProfile> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ProfileFileError(`cannot read profiles file ${file}: ${(error as Error).message}`);
  }
  const parsed = ProfileFileSchema.safeParse(raw);
  if (!parsed.success) throw new ProfileFileError(formatZodError(parsed.error, file));
  return new Map(parsed.data.profiles.map((p) => [p.name, p]));
}
