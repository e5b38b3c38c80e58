import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSecrets } from '../../secrets/config';
import { openJson, sealJson } from '../../secrets/envelope';
import { DecryptionError, generateSecretKey, Keyring, parseSecretKey, SecretKeyError } from '../../secrets/keyring';

const keyring = (text = generateSecretKey(), previous: string[] = []) =>
  new Keyring(parseSecretKey(text, 'K'), previous.map((p) => parseSecretKey(p, 'P')));

test('seal and open round trip; every seal uses a fresh iv', () => {
  const ring = keyring();
  const plain = Buffer.from('sandbox_session=abc123');
  const a = ring.seal(plain, 'ctx');
  const b = ring.seal(plain, 'ctx');
  assert.notDeepEqual(a.iv, b.iv);
  assert.ok(!a.ciphertext.includes(plain));
  assert.deepEqual(ring.open(a, 'ctx'), plain);
  assert.deepEqual(ring.open(Keyring.unpack(a.keyId, Keyring.pack(a)), 'ctx'), plain);
});

test('keys parse from hex, base64 and base64url; the id does not depend on the spelling', () => {
  const text = generateSecretKey();
  const bytes = Buffer.from(text, 'base64');
  const ids = [text, bytes.toString('hex'), bytes.toString('base64url'), ` ${text}\n`].map((t) => parseSecretKey(t, 'K').id);
  assert.equal(new Set(ids).size, 1);
  assert.match(ids[0] ?? '', /^[0-9a-f]{16}$/);
});

test('a key of the wrong length or format is refused, naming the variable and never echoing the key', () => {
  const short = Buffer.alloc(16, 7).toString('base64');
  for (const [text, reason] of [[short, /decodes to 16 bytes/], ['not a key!', /neither hex nor base64/], ['ab'.repeat(33), /decodes to 33 bytes/]] as const) {
    assert.throws(() => parseSecretKey(text, 'PERSONAACT_SECRET_KEY'), (error: Error) => {
      assert.ok(error instanceof SecretKeyError);
      assert.match(error.message, /^PERSONAACT_SECRET_KEY must be a 32-byte key/);
      assert.match(error.message, reason);
      assert.match(error.message, /personaact secrets keygen/);
      assert.ok(!error.message.includes(text), 'the key text is not in the message');
      return true;
    });
  }
});

test('the wrong key: a clear error naming the key id', () => {
  const sealed = keyring().seal(Buffer.from('x'), 'ctx');
  assert.throws(() => keyring().open(sealed, 'ctx'), (error: Error) =>
    error instanceof DecryptionError && error.message.includes(sealed.keyId) && /PERSONAACT_PREVIOUS_SECRET_KEYS/.test(error.message));
});

test('tampered ciphertext, tag or context fails authentication', () => {
  const ring = keyring();
  const sealed = ring.seal(Buffer.from('a cookie value'), 'accounts/sandbox/a/storage-state');
  const flipped = Buffer.from(sealed.ciphertext);
  flipped[0] = (flipped[0] ?? 0) ^ 1;
  const badTag = Buffer.from(sealed.tag);
  badTag[3] = (badTag[3] ?? 0) ^ 0x80;
  for (const [bad, context] of [
    [{ ...sealed, ciphertext: flipped }, 'accounts/sandbox/a/storage-state'],
    [{ ...sealed, tag: badTag }, 'accounts/sandbox/a/storage-state'],
    [sealed, 'accounts/sandbox/b/storage-state'],
  ] as const) {
    assert.throws(() => ring.open(bad, context), /authentication failed/);
  }
});

test('rotation: the new key seals, the previous key still opens old ciphertext', () => {
  const oldText = generateSecretKey();
  const old = keyring(oldText);
  const before = old.seal(Buffer.from('old secret'), 'ctx');
  const rotated = keyring(generateSecretKey(), [oldText]);
  assert.equal(rotated.open(before, 'ctx').toString(), 'old secret');
  const after = rotated.seal(Buffer.from('new secret'), 'ctx');
  assert.notEqual(after.keyId, before.keyId);
  assert.equal(after.keyId, rotated.current.id);
  assert.throws(() => old.open(after, 'ctx'), DecryptionError);
});

test('JSON envelope: opens only under its context; a plain document is refused by name', () => {
  const ring = keyring();
  const envelope = sealJson(ring, { cookies: [{ name: 's', value: 'v' }] }, 'k1');
  assert.equal(envelope.format, 'personaact/aes-256-gcm');
  assert.deepEqual(openJson(ring, JSON.parse(JSON.stringify(envelope)), 'k1', 'file.json'), { cookies: [{ name: 's', value: 'v' }] });
  assert.throws(() => openJson(ring, envelope, 'k2', 'file.json'), /^DecryptionError: file.json: authentication failed/);
  assert.throws(() => openJson(ring, { cookies: [] }, 'k1', 'file.json'), /file.json is not an encrypted envelope: format/);
});

test('settings from the environment: key or key file, previous keys, payload encryption', () => {
  const dir = mkdtempSync(join(tmpdir(), 'personaact-secrets-'));
  try {
    const text = generateSecretKey();
    const previous = generateSecretKey();
    const file = join(dir, 'secret.key');
    writeFileSync(file, `${text}\n`, { mode: 0o600 });
    const base = { PERSONAACT_ENCRYPT_PAYLOADS: false };
    assert.deepEqual(resolveSecrets(base), { encryptPayloads: false });
    const fromFile = resolveSecrets({ ...base, PERSONAACT_SECRET_KEY_FILE: file, PERSONAACT_PREVIOUS_SECRET_KEYS: ` ${previous} ,` });
    assert.equal(fromFile.keyring?.current.id, parseSecretKey(text, 'K').id);
    assert.equal(fromFile.keyring?.keyIds.length, 2);
    assert.equal(resolveSecrets({ PERSONAACT_SECRET_KEY: text, PERSONAACT_ENCRYPT_PAYLOADS: true }).encryptPayloads, true);
    assert.throws(() => resolveSecrets({ PERSONAACT_SECRET_KEY: text, PERSONAACT_SECRET_KEY_FILE: file, PERSONAACT_ENCRYPT_PAYLOADS: false }), /both PERSONAACT_SECRET_KEY and PERSONAACT_SECRET_KEY_FILE/);
    assert.throws(() => resolveSecrets({ PERSONAACT_ENCRYPT_PAYLOADS: true }), /PERSONAACT_ENCRYPT_PAYLOADS needs a key: set PERSONAACT_SECRET_KEY/);
    assert.throws(() => resolveSecrets({ ...base, PERSONAACT_SECRET_KEY_FILE: join(dir, 'missing') }), /PERSONAACT_SECRET_KEY_FILE: cannot read/);
    // A key file others can read has leaked: refused, naming the file, its mode and the fix.
    const loose = join(dir, 'loose.key');
    writeFileSync(loose, `${text}\n`);
    chmodSync(loose, 0o644);
    assert.throws(() => resolveSecrets({ ...base, PERSONAACT_SECRET_KEY_FILE: loose }), /PERSONAACT_SECRET_KEY_FILE: .*loose\.key is readable by others \(mode 0644\); run `chmod 600/);
    assert.throws(() => resolveSecrets({ ...base, PERSONAACT_SECRET_KEY: text, PERSONAACT_PREVIOUS_SECRET_KEYS: 'short' }), /PERSONAACT_PREVIOUS_SECRET_KEYS \(key 1\) must be a 32-byte key/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
