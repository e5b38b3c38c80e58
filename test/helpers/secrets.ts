/** Secrets in tests: a fresh key, and a logger whose lines a test can grep. */
import { Writable } from 'node:stream';
import { generateSecretKey, Keyring, parseSecretKey } from '../../secrets/keyring';
import { createLogger } from '../../workers/logger';

/** A fresh key: the keyring, and the variables that give it to a CLI or worker subprocess. */
export function testSecrets(): { keyText: string; keyring: Keyring; env: { PERSONAACT_SECRET_KEY: string } } {
  const keyText = generateSecretKey();
  return { keyText, keyring: new Keyring(parseSecretKey(keyText, 'test key')), env: { PERSONAACT_SECRET_KEY: keyText } };
}

/** The workers' logger (with its redaction), writing JSON lines into `lines`. */
export function captureLogs(level = 'trace') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger(level, stream), lines };
}
