/**
 * Secrets kept in files (the secret key, the codec server's token) are read only when nobody but
 * their owner can read them: a key file another user can read is a key that has leaked, so it is
 * refused rather than used. Created files are 0600.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SecretKeyError } from './keyring';

/** The file's text; `what` names the setting for the message (e.g. the variable that points at it). */
export function readPrivateFile(file: string, what: string): string {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch (error) {
    throw new SecretKeyError(`${what}: cannot read ${file}: ${(error as Error).message}`);
  }
  if ((mode & 0o077) !== 0) {
    throw new SecretKeyError(`${what}: ${file} is readable by others (mode ${mode.toString(8).padStart(4, '0')}); run \`chmod 600 ${file}\` and keep it private`);
  }
  return readFileSync(file, 'utf8');
}

/** The token in `file`, created (0600, in a 0700 folder) with a fresh random token if it does not exist. */
export function ensureTokenFile(file: string, what: string): string {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const token = readPrivateFile(file, what).trim();
  if (!/^[A-Za-z0-9_-]{16,}$/.test(token)) throw new SecretKeyError(`${what}: ${file} does not hold a token (16+ letters, digits, "-" or "_")`);
  return token;
}
