import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives at infra/stack/paths.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The default data folder of the local stack (git-ignored). */
export const DEFAULT_DATA_DIR = path.join(REPO_ROOT, '.personaact');

/** Where audits keep records by default: `<repository>/.personaact/artifacts` (`dev up` uses `<data>/artifacts`). */
export const DEFAULT_ARTIFACTS = path.join(DEFAULT_DATA_DIR, 'artifacts');

/** A binary installed by infra/setup.sh into the repository's .venv. */
export function venvBin(name: 'temporal' | 'weed'): string {
  return path.join(REPO_ROOT, '.venv', 'bin', name);
}

export const SANDBOX_MAIN = path.join(REPO_ROOT, 'sandbox', 'main.ts');

/** The `personaact` command (it registers tsx itself). */
export const PERSONAACT_BIN = path.join(REPO_ROOT, 'bin', 'personaact.mjs');

/** Shown next to a path: relative to the cwd when that is shorter. */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && rel.length < p.length ? rel : p;
}
