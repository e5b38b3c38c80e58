/**
 * The secret key settings, read the same way by workers and the CLI:
 *
 *   PERSONAACT_SECRET_KEY            the current key (32 bytes, hex or base64), or
 *   PERSONAACT_SECRET_KEY_FILE       a file holding it (what `personaact dev up` sets up)
 *   PERSONAACT_PREVIOUS_SECRET_KEYS  comma-separated older keys, for decryption only (rotation)
 *   PERSONAACT_ENCRYPT_PAYLOADS      true: encrypt every Temporal payload (needs a key)
 */
import { z } from 'zod';
import { readPrivateFile } from './private-file';
import { Keyring, parseSecretKey, SecretKeyError } from './keyring';

export const SECRET_KEY_VARIABLE = 'PERSONAACT_SECRET_KEY';
export const SECRET_KEY_FILE_VARIABLE = 'PERSONAACT_SECRET_KEY_FILE';

/** The variables as strings (parsed by `resolveSecrets`, whose messages never echo a key). */
export const SecretsEnvShape = {
  PERSONAACT_SECRET_KEY: z.string().optional(),
  PERSONAACT_SECRET_KEY_FILE: z.string().optional(),
  PERSONAACT_PREVIOUS_SECRET_KEYS: z.string().optional(),
  PERSONAACT_ENCRYPT_PAYLOADS: z
    .enum(['true', 'false', '1', '0', ''], { message: 'expected true or false' })
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
};
export type SecretsEnv = z.output<z.ZodObject<typeof SecretsEnvShape>>;

export interface Secrets {
  /** Undefined when no key is configured. */
  keyring?: Keyring;
  encryptPayloads: boolean;
}

export const NO_KEY_HINT =
  `set ${SECRET_KEY_VARIABLE} (generate one with \`personaact secrets keygen\`) or ${SECRET_KEY_FILE_VARIABLE}; ` +
  '`personaact dev up` keeps one in <data>/secret.key';

function currentKeyText(env: SecretsEnv): { text: string; source: string } | undefined {
  const value = env.PERSONAACT_SECRET_KEY;
  const file = env.PERSONAACT_SECRET_KEY_FILE;
  if (value && file) throw new SecretKeyError(`both ${SECRET_KEY_VARIABLE} and ${SECRET_KEY_FILE_VARIABLE} are set: keep one`);
  if (value) return { text: value, source: SECRET_KEY_VARIABLE };
  if (!file) return undefined;
  return { text: readPrivateFile(file, SECRET_KEY_FILE_VARIABLE), source: `${SECRET_KEY_FILE_VARIABLE} (${file})` };
}

export function resolveSecrets(env: SecretsEnv): Secrets {
  const current = currentKeyText(env);
  const previousTexts = (env.PERSONAACT_PREVIOUS_SECRET_KEYS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!current) {
    if (previousTexts.length > 0) throw new SecretKeyError(`PERSONAACT_PREVIOUS_SECRET_KEYS is set but no current key: ${NO_KEY_HINT}`);
    if (env.PERSONAACT_ENCRYPT_PAYLOADS) throw new SecretKeyError(`PERSONAACT_ENCRYPT_PAYLOADS needs a key: ${NO_KEY_HINT}`);
    return { encryptPayloads: false };
  }
  const previous = previousTexts.map((text, i) => parseSecretKey(text, `PERSONAACT_PREVIOUS_SECRET_KEYS (key ${i + 1})`));
  return { keyring: new Keyring(parseSecretKey(current.text, current.source), previous), encryptPayloads: env.PERSONAACT_ENCRYPT_PAYLOADS };
}

/** The keyring, or an error saying how to configure one (for code that must not run without). */
export function requireKeyring(secrets: Secrets, why: string): Keyring {
  if (!secrets.keyring) throw new SecretKeyError(`no secret key configured: ${why}; ${NO_KEY_HINT}`);
  return secrets.keyring;
}
