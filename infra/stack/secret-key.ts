/**
 * The local stack's own secret key: `dev up` creates `<data>/secret.key` (mode 0600) the first time
 * it starts a worker, and points the worker at it with PERSONAACT_SECRET_KEY_FILE, so account
 * cookies are encrypted at rest with no setup. A key in the environment (PERSONAACT_SECRET_KEY or
 * PERSONAACT_SECRET_KEY_FILE) replaces it. Deleting the file makes saved sign-ins unreadable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateSecretKey } from '../../secrets/keyring';

export const devKeyFile = (dataDir: string) => path.join(dataDir, 'secret.key');

/** The variable that gives the worker the stack's key, unless the environment brings its own. */
export function devKeyVariables(dataDir: string, env: NodeJS.ProcessEnv): Record<string, string> {
  return env.PERSONAACT_SECRET_KEY || env.PERSONAACT_SECRET_KEY_FILE ? {} : { PERSONAACT_SECRET_KEY_FILE: devKeyFile(dataDir) };
}

/** Creates the key file unless it exists; true when it was created. */
export function ensureDevKey(file: string): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, `${generateSecretKey()}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
