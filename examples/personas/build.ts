/**
 * Builds the example personas from the paper's logs:
 *   npx tsx examples/personas/build.ts
 * reads data/personaact/raw_data/<user>/ and writes examples/personas/user-<user>.json.
 * Deterministic, so the committed files equal a fresh build (the tests check it).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LEVEL1_SLUGS, PersonaSchema, type Persona } from '../../core';
import { EXAMPLE_PROFILES, type ExampleProfile } from './profiles';
import { readRawUser, stepsInOrder, type RawSessionFile } from './raw-data';
import { logStats, QUICK_SKIP_SECONDS } from './stats';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(HERE, '..', '..');
const RAW_DATA = join(REPO_ROOT, 'data', 'personaact', 'raw_data');

const LICENSE = 'MIT, Copyright (c) 2025 Shilong Zhao; github.com/Silung/PersonaAct raw_data/ (see data/personaact/LICENSE)';

/** Fixed precision keeps float noise (7.345000000000001) out of the committed JSON. */
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Repository-relative with forward slashes, so the document is the same on every machine. */
const repoPath = (file: string) => relative(REPO_ROOT, file).split(sep).join('/');

export function buildExamplePersona(profile: ExampleProfile, files: readonly RawSessionFile[]): Persona {
  const missing = LEVEL1_SLUGS.filter((slug) => profile.categoryAffinities[slug] === undefined);
  if (missing.length > 0) throw new Error(`profile ${profile.user}: no affinity for ${missing.join(', ')}`);
  const stats = logStats(stepsInOrder(files.map((f) => f.session)));
  const watchSeconds = Object.fromEntries(Object.entries(stats.watchSeconds).map(([k, v]) => [k, round(v, 3)]));
  return PersonaSchema.parse({
    id: `user-${profile.user}`,
    schemaVersion: 1,
    name: profile.name,
    narrative: profile.narrative,
    traits: profile.traits,
    stats: {
      steps: stats.steps,
      likeRate: round(stats.likeRate, 4),
      commentRate: round(stats.commentRate, 4),
      shareRate: round(stats.shareRate, 4),
      quickSkipRate: round(stats.quickSkipRate, 4),
      watchSeconds,
      // Taxonomy order, so the document reads the same way for every persona.
      categoryAffinities: Object.fromEntries(LEVEL1_SLUGS.map((slug) => [slug, profile.categoryAffinities[slug]])),
    },
    provenance: {
      sources: files.map((f) => repoPath(f.file)),
      license: LICENSE,
      notes:
        `Only the statistics come from the logs: steps, like/comment/share rates (steps with that action / steps), ` +
        `quick-skip rate (viewing_duration < ${QUICK_SKIP_SECONDS} s) and watch-time quantiles (numpy's linear ` +
        `interpolation) over all steps in session order, computed by examples/personas/build.ts. The logs carry no ` +
        `categories: categoryAffinities, the narrative and the traits are ASSUMPTIONS until the persona/interview ` +
        `stage derives them from an interview. ${profile.assumption}`,
    },
  });
}

export interface ExamplePersonaFile {
  readonly path: string;
  readonly persona: Persona;
  readonly text: string;
}

/** Every example persona with the path it is committed at and its exact file text. */
export function buildExamplePersonas(rawData = RAW_DATA): ExamplePersonaFile[] {
  return EXAMPLE_PROFILES.map((profile) => {
    const persona = buildExamplePersona(profile, readRawUser(join(rawData, profile.user)));
    return { path: join(HERE, `${persona.id}.json`), persona, text: `${JSON.stringify(persona, null, 2)}\n` };
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const { path, persona, text } of buildExamplePersonas()) {
    writeFileSync(path, text);
    const { steps, likeRate, watchSeconds } = persona.stats;
    console.log(
      `wrote ${repoPath(path)}: ${steps} steps, like rate ${(likeRate * 100).toFixed(2)} %, median watch ${watchSeconds.p50} s`,
    );
  }
}
