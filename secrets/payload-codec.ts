/**
 * A Temporal payload codec that encrypts every payload (workflow inputs, activity arguments and
 * results, queries, memos) with AES-256-GCM before it leaves the process, so the server's history
 * holds only ciphertext. The encrypted payload is the serialized original payload, sealed, with
 * metadata `encoding: binary/encrypted` and the key id. Decoding passes unencrypted payloads
 * through, so histories written before encryption was switched on still read.
 *
 * Search attributes are not payloads the codec sees (the server indexes them): keep secrets out.
 */
import { fileURLToPath } from 'node:url';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto'; // CommonJS: Node's ESM loader sees only its default export
import { DecryptionError, Keyring } from './keyring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
/** Bound to every payload ciphertext, so it cannot pass for a storage state or the reverse. */
const PAYLOAD_CONTEXT = 'temporal-payload';

const PayloadMessage = proto.temporal.api.common.v1.Payload;
const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.encoding) === ENCRYPTED_ENCODING;
}

export class EncryptionCodec implements PayloadCodec {
  /**
   * `keyring` undefined: nothing to decrypt with (an encrypted payload fails with a message
   * saying which variable to set). `encrypt` false: decode only, encode passes through.
   */
  constructor(private readonly options: { keyring?: Keyring; encrypt: boolean }) {
    if (options.encrypt && !options.keyring) throw new Error('EncryptionCodec: encrypting needs a keyring');
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { keyring, encrypt } = this.options;
    if (!encrypt || !keyring) return payloads;
    return payloads.map((payload) => {
      const sealed = keyring.seal(PayloadMessage.encode(payload).finish(), PAYLOAD_CONTEXT);
      return { metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(sealed.keyId) }, data: Keyring.pack(sealed) };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!isEncrypted(payload)) return payload;
      const keyId = text(payload.metadata?.[KEY_ID_METADATA]) ?? '';
      if (!this.options.keyring) {
        throw new DecryptionError(`a payload is encrypted (key ${keyId}) but no secret key is configured: set PERSONAACT_SECRET_KEY or PERSONAACT_SECRET_KEY_FILE`);
      }
      const plain = this.options.keyring.open(Keyring.unpack(keyId, payload.data ?? new Uint8Array()), PAYLOAD_CONTEXT);
      return PayloadMessage.decode(plain);
    });
  }
}

/**
 * The codecs a client or worker installs for these settings. Installed even without a key: it
 * passes plain payloads through, and on an encrypted one names the variable to set.
 */
export function payloadCodecs(secrets: { keyring?: Keyring; encryptPayloads: boolean }): PayloadCodec[] {
  return [new EncryptionCodec({ keyring: secrets.keyring, encrypt: secrets.encryptPayloads })];
}

/** The data converter of every worker and client (Worker.create / new Client `dataConverter`). */
export function dataConverterFor(secrets: { keyring?: Keyring; encryptPayloads: boolean }): DataConverter {
  return {
    payloadCodecs: payloadCodecs(secrets),
    // Failure messages (which can quote inputs) are encrypted with the payloads.
    ...(secrets.encryptPayloads ? { failureConverterPath: ENCRYPTED_FAILURES_PATH } : {}),
  };
}

const ENCRYPTED_FAILURES_PATH = fileURLToPath(new URL('./encrypted-failures.ts', import.meta.url));
