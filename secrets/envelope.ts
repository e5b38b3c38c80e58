/**
 * A sealed JSON value as a JSON document (for files and objects at rest): the key id, iv, tag and
 * ciphertext, base64. The document says what it is, so a reader can tell it from plain JSON.
 */
import { z } from 'zod';
import { formatZodError } from '../core/zod-error';
import { DecryptionError, type Keyring } from './keyring';

export const ENVELOPE_FORMAT = 'personaact/aes-256-gcm';

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');
export const EnvelopeSchema = z.object({
  format: z.literal(ENVELOPE_FORMAT),
  version: z.literal(1),
  keyId: z.string().min(1),
  iv: Base64,
  tag: Base64,
  ciphertext: Base64,
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

/** `context` is bound to the ciphertext (e.g. the object's key): the envelope opens only there. */
export function sealJson(keyring: Keyring, value: unknown, context: string): Envelope {
  const sealed = keyring.seal(Buffer.from(JSON.stringify(value), 'utf8'), context);
  return {
    format: ENVELOPE_FORMAT, version: 1, keyId: sealed.keyId,
    iv: sealed.iv.toString('base64'), tag: sealed.tag.toString('base64'), ciphertext: sealed.ciphertext.toString('base64'),
  };
}

/** The value sealed in `document`; `where` names it in errors. */
export function openJson(keyring: Keyring, document: unknown, context: string, where: string): unknown {
  const parsed = EnvelopeSchema.safeParse(document);
  if (!parsed.success) throw new DecryptionError(`${where} is not an encrypted envelope: ${formatZodError(parsed.error)}`);
  const { keyId, iv, tag, ciphertext } = parsed.data;
  let plain: Buffer;
  try {
    plain = keyring.open({ keyId, iv: Buffer.from(iv, 'base64'), tag: Buffer.from(tag, 'base64'), ciphertext: Buffer.from(ciphertext, 'base64') }, context);
  } catch (error) {
    throw new DecryptionError(`${where}: ${(error as Error).message}`, { cause: error });
  }
  return JSON.parse(plain.toString('utf8')) as unknown;
}
