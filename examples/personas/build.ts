/**
 * Builds the example personas from the paper's logs:
 *   npx tsx examples/personas/build.ts
 * imports data/personaact/raw_data/<user>/ (behaviour-logs) and writes examples/personas/user-<user>.json.
 * Deterministic, so the committed files equal a fresh build (the tests check it).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { importLogs } from '../../behaviour-logs/import-logs';
import { LEVEL1_SLUGS, PersonaSchema, type Persona } from '../../core';
import { extractFeatures, QUICK_SKIP_SECONDS } from '../../core/persona-features';
import { personaFacts } from '../../core/persona-synthesis';
import { EXAMPLE_PROFILES, type ExampleProfile } from './profiles';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(HERE, '..', '..');
export const RAW_DATA = join(REPO_ROOT, 'data', 'personaact', 'raw_data');

const LICENSE = 'MIT, Copyright (c) 2025 Shilong Zhao; github.com/Silung/PersonaAct raw_data/ (see data/personaact/LICENSE)';

/** Repository-relative with forward slashes, so the document is the same on every machine. */
const repoPath = (file: string) => relative(REPO_ROOT, file).split(sep).join('/');

/** The statistics come from the user's logs (the importer and features); the rest from the profile. */
export async function buildExamplePersona(profile: ExampleProfile, rawData = RAW_DATA): Promise<Persona> {
  const missing = LEVEL1_SLUGS.filter((slug) => profile.categoryAffinities[slug] === undefined);
  if (missing.length > 0) throw new Error(`profile ${profile.user}: no affinity for ${missing.join(', ')}`);
  const log = await importLogs([join(rawData, profile.user)]);
  const features = extractFeatures(log);
  const { stats, provenance } = personaFacts({ log, features, sources: log.sources.map(repoPath), model: 'hand-written' });
  return PersonaSchema.parse({
    id: `user-${profile.user}`,
    schemaVersion: 1,
    name: profile.name,
    narrative: profile.narrative,
    // The paper's rule-based key traits are measured; the profile's descriptions are assumed.
    traits: { ...features.keyTraits, ...profile.traits },
    stats: {
      ...stats,
      // Taxonomy order, so the document reads the same way for every persona.
      categoryAffinities: Object.fromEntries(LEVEL1_SLUGS.map((slug) => [slug, profile.categoryAffinities[slug]])),
    },
    provenance: {
      ...provenance,
      license: LICENSE,
      notes:
        `Only the statistics and the key traits (emotion_regulation, novelty_tolerance, content_vs_creator, ` +
        `social_sensitivity: the paper's rules, core/persona-features.ts) come from the logs: steps, like/comment/share ` +
        `rates (steps with that action / steps), quick-skip rate (viewing_duration < ${QUICK_SKIP_SECONDS} s) and ` +
        `watch-time quantiles (numpy's linear interpolation) over all steps, computed by examples/personas/build.ts ` +
        `through behaviour-logs/import-logs.ts. The logs carry no categories: categoryAffinities, the narrative and ` +
        `the other traits are ASSUMPTIONS until an interview replaces them. ${profile.assumption}`,
    },
  });
}

export interface ExamplePersonaFile {
  readonly path: string;
  readonly persona: Persona;
  readonly text: string;
}

/** Every example persona with the path it is committed at and its exact file text. */
export async function buildExamplePersonas(rawData = RAW_DATA): Promise<ExamplePersonaFile[]> {
  return Promise.all(
    EXAMPLE_PROFILES.map(async (profile) => {
      const persona = await buildExamplePersona(profile, rawData);
      return { path: join(HERE, `${persona.id}.json`), persona, text: `${JSON.stringify(persona, null, 2)}\n` };
    }),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { path, persona, text } of await buildExamplePersonas()) {
    writeFileSync(path, text);
    const { steps, likeRate, watchSeconds } = persona.stats;
    console.log(
      `wrote ${repoPath(path)}: ${steps} steps, like rate ${(likeRate * 100).toFixed(2)} %, median watch ${watchSeconds.p50} s`,
    );
  }
}
