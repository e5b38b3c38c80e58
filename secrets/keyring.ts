/**
 * AES-256-GCM with named keys. Every ciphertext carries the id of the key that sealed it, so keys
 * can rotate: the keyring seals with its current key and opens with any key it holds (the current
 * one and the previous ones). A context string is bound to each ciphertext as additional
 * authenticated data: a storage state moved to another account, or a Temporal payload pasted
 * into a file, no longer opens.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A key that cannot be used: wrong length or format, or none configured. Names the variable.
 * `userFacing`: the CLI prints the message without a stack trace (cli/errors.ts).
 */
export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
  readonly userFacing = true;
}

/** A ciphertext that cannot be opened: unknown key, wrong context, or tampered with. */
export class DecryptionError extends Error {
  override name = 'DecryptionError';
  readonly userFacing = true;
}

export interface SecretKey {
  /** Derived from the key (a one-way hash): tells keys apart without revealing them. */
  readonly id: string;
  readonly key: Buffer;
}

export interface Sealed {
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** A new random key, base64 (what `personaact secrets keygen` prints). */
export function generateSecretKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

export function secretKeyId(key: Buffer): string {
  return createHash('sha256').update('personaact key id\0').update(key).digest('hex').slice(0, 16);
}

/** The bytes the text spells (hex first at 64 characters, then base64), or undefined. */
function decodeKeyText(text: string): Buffer | undefined {
  const hex = /^([0-9a-f]{2})+$/i.test(text);
  if (hex && text.length === KEY_BYTES * 2) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const bytes = Buffer.from(text, 'base64');
    // Buffer.from ignores what it cannot decode: re-encode to be sure every character counted.
    const canonical = (b: Buffer, url: boolean) => b.toString(url ? 'base64url' : 'base64').replace(/=+$/, '');
    if (canonical(bytes, /[-_]/.test(text)) === text.replace(/=+$/, '')) return bytes;
  }
  return hex ? Buffer.from(text, 'hex') : undefined;
}

/**
 * Parses a key written as 64 hex characters or base64 (standard or URL-safe) of 32 bytes.
 * `source` names where it came from (an environment variable, a file) for the error message; the
 * key itself is never repeated.
 */
export function parseSecretKey(text: string, source: string): SecretKey {
  const trimmed = text.trim();
  const bytes = decodeKeyText(trimmed);
  if (bytes?.length !== KEY_BYTES) {
    const what = bytes ? `decodes to ${bytes.length} bytes` : `is ${trimmed.length} characters that are neither hex nor base64`;
    throw new SecretKeyError(
      `${source} must be a ${KEY_BYTES}-byte key written as 64 hex characters or base64 (44 characters), but it ${what}. ` +
        'Generate one with `personaact secrets keygen`.',
    );
  }
  return { id: secretKeyId(bytes), key: bytes };
}

export class Keyring {
  private readonly byId = new Map<string, SecretKey>();

  constructor(
    readonly current: SecretKey,
    previous: readonly SecretKey[] = [],
  ) {
    for (const key of [current, ...previous]) if (!this.byId.has(key.id)) this.byId.set(key.id, key);
  }

  get keyIds(): string[] {
    return [...this.byId.keys()];
  }

  seal(plaintext: Uint8Array, context: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { keyId: this.current.id, iv, tag: cipher.getAuthTag(), ciphertext };
  }

  open(sealed: Sealed, context: string): Buffer {
    const key = this.byId.get(sealed.keyId);
    if (!key) {
      throw new DecryptionError(
        `encrypted with key ${sealed.keyId}, which is not configured (this process has ${this.keyIds.join(', ')}); ` +
          'add it to PERSONAACT_PREVIOUS_SECRET_KEYS if it was rotated out',
      );
    }
    if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) {
      throw new DecryptionError(`malformed ciphertext (iv ${sealed.iv.length} bytes, tag ${sealed.tag.length} bytes)`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key.key, sealed.iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(sealed.tag);
    try {
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
    } catch {
      throw new DecryptionError(`authentication failed with key ${sealed.keyId}: the ciphertext was altered or belongs to another ${JSON.stringify(context)}`);
    }
  }

  /** `iv | tag | ciphertext` in one buffer (the key id travels beside it). */
  static pack(sealed: Sealed): Buffer {
    return Buffer.concat([sealed.iv, sealed.tag, sealed.ciphertext]);
  }

  static unpack(keyId: string, packed: Uint8Array): Sealed {
    const bytes = Buffer.from(packed);
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new DecryptionError(`malformed ciphertext: ${bytes.length} bytes is shorter than iv and tag`);
    return { keyId, iv: bytes.subarray(0, IV_BYTES), tag: bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES), ciphertext: bytes.subarray(IV_BYTES + TAG_BYTES) };
  }
}
