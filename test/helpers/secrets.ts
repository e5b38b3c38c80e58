/** A fresh secret key per test process: the keyring, and the variables that give it to a CLI or worker subprocess. */
import { generateSecretKey, Keyring, parseSecretKey } from '../../activities/secrets/keyring';

export function testSecrets(): { keyText: string; keyring: Keyring; env: { PERSONAACT_SECRET_KEY: string } } {
  const keyText = generateSecretKey();
  return { keyText, keyring: new Keyring(parseSecretKey(keyText, 'test key')), env: { PERSONAACT_SECRET_KEY: keyText } };
}
