/** The payload codec in process and over HTTP (the Temporal UI's remote codec protocol). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { DEFAULT_UI_ORIGINS, payloadToJson, startCodecServer, type CodecServer } from '../../secrets/codec-server';
import { EncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../secrets/payload-codec';
import { testSecrets } from '../helpers/secrets';

const SECRET = 'persona narrative: I skip cooking videos';
const { keyring } = testSecrets();
const codec = new EncryptionCodec({ keyring, encrypt: true });
const plain = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const text = (bytes: Uint8Array | null | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array());

test('encode encrypts each payload (encoding binary/encrypted, key id); decode restores it', async () => {
  const payloads = [plain({ narrative: SECRET }), plain(42), plain(null)];
  const encoded = await codec.encode(payloads);
  for (const payload of encoded) {
    assert.equal(text(payload.metadata?.encoding), ENCRYPTED_ENCODING);
    assert.equal(text(payload.metadata?.[KEY_ID_METADATA]), keyring.current.id);
    assert.ok(!Buffer.from(payload.data ?? []).includes(Buffer.from('narrative')));
  }
  const decoded = await codec.decode(encoded);
  assert.deepEqual(decoded.map((p) => defaultPayloadConverter.fromPayload(p)), [{ narrative: SECRET }, 42, null]);
});

test('decode passes plain payloads through; decode-only codecs leave encode alone', async () => {
  const payloads = [plain('an old, unencrypted history event')];
  assert.deepEqual(await codec.decode(payloads), payloads);
  const decodeOnly = new EncryptionCodec({ keyring, encrypt: false });
  assert.deepEqual(await decodeOnly.encode(payloads), payloads);
  const roundTrip = await decodeOnly.decode(await codec.encode(payloads));
  assert.deepEqual(roundTrip.map((p) => defaultPayloadConverter.fromPayload(p)), ['an old, unencrypted history event']);
});

test('an encrypted payload without a key, or with another key, fails with a message saying what to set', async () => {
  const encoded = await codec.encode([plain(SECRET)]);
  await assert.rejects(new EncryptionCodec({ encrypt: false }).decode(encoded), /no secret key is configured: set PERSONAACT_SECRET_KEY/);
  await assert.rejects(new EncryptionCodec({ keyring: testSecrets().keyring, encrypt: false }).decode(encoded), new RegExp(`key ${keyring.current.id}, which is not configured`));
});

const TOKEN = 'codec-test-token-0123456789';
let server: CodecServer;
const errors: string[] = [];
before(async () => {
  server = await startCodecServer({ codecs: [codec], port: 0, token: TOKEN, onError: (message) => errors.push(message) });
});
after(() => server?.close());

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.endpoint}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers }, body: JSON.stringify(body) });

test('codec server: /encode then /decode round trip over HTTP, with CORS for the Temporal UI', async () => {
  const origin = DEFAULT_UI_ORIGINS[0] ?? '';
  const input = [plain({ narrative: SECRET })].map(payloadToJson);
  const encoded = await post('/encode', { payloads: input }, { Origin: origin });
  assert.equal(encoded.status, 200);
  assert.equal(encoded.headers.get('access-control-allow-origin'), origin);
  const encodedBody = (await encoded.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
  assert.equal(Buffer.from(encodedBody.payloads[0]?.metadata.encoding ?? '', 'base64').toString(), ENCRYPTED_ENCODING);
  assert.ok(!JSON.stringify(encodedBody).includes(Buffer.from(JSON.stringify({ narrative: SECRET })).toString('base64')));
  const decoded = await post('/decode', encodedBody, { Origin: origin });
  assert.deepEqual(await decoded.json(), { payloads: input });
});

test('codec server: preflight for the UI, other origins and bad requests refused', async () => {
  const preflight = await fetch(`${server.url}/decode`, {
    method: 'OPTIONS',
    headers: { Origin: 'http://127.0.0.1:8233', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace' },
  });
  assert.equal(preflight.status, 204);
  assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /X-Namespace/);
  assert.equal(preflight.headers.get('access-control-allow-credentials'), 'true');
  const evil = await post('/decode', { payloads: [] }, { Origin: 'https://evil.example' });
  assert.equal(evil.status, 403);
  assert.equal(evil.headers.get('access-control-allow-origin'), null);
  assert.equal((await post('/decode', { payloads: [{ data: 'not base64!' }] })).status, 400);
  assert.equal((await post('/nope', { payloads: [] })).status, 404);
  assert.equal((await fetch(`${server.endpoint}/decode`)).status, 405);
  const tampered = (await (await post('/encode', { payloads: [payloadToJson(plain(SECRET))] })).json()) as { payloads: Array<{ data: string }> };
  const bytes = Buffer.from(tampered.payloads[0]?.data ?? '', 'base64');
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
  Object.assign(tampered.payloads[0] ?? {}, { data: bytes.toString('base64') });
  const failed = await post('/decode', tampered);
  assert.equal(failed.status, 500);
  assert.match(await failed.text(), /authentication failed/);
  assert.ok(errors.every((message) => !message.includes(SECRET)), 'error messages carry no payload contents');
});

test('codec server: decodes only for requests with its token (path or bearer header)', async () => {
  const encoded = await (await post('/encode', { payloads: [payloadToJson(plain(SECRET))] })).json();
  const at = (url: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(encoded) });
  const none = await at(`${server.url}/decode`);
  assert.equal(none.status, 401);
  assert.match(await none.text(), /needs its token/);
  assert.equal((await at(`${server.url}/${TOKEN.slice(0, -1)}x/decode`)).status, 401, 'a wrong token');
  assert.equal((await at(`${server.url}/decode`, { Authorization: 'Bearer nope' })).status, 401);
  const bearer = await at(`${server.url}/decode`, { Authorization: `Bearer ${TOKEN}` });
  assert.equal(bearer.status, 200);
  assert.deepEqual(await bearer.json(), { payloads: [payloadToJson(plain(SECRET))] });
});
