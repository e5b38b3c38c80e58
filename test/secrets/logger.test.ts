/** pino redaction: what workers log never carries cookies, tokens, keys or Authorization headers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CENSOR } from '../../workers/logger';
import { captureLogs } from '../helpers/secrets';

test('secret fields are redacted at any depth up to three levels; other fields stay', () => {
  const { logger, lines } = captureLogs();
  const secrets = {
    cookie: 'S-cookie', storageState: { cookies: [{ name: 'sandbox_session', value: 'S-state' }] },
    headers: { authorization: 'Bearer S-bearer', Authorization: 'Basic S-basic', 'set-cookie': 'sid=S-setcookie' },
    request: { headers: { cookie: 'sid=S-deep' } },
    openai: { apiKey: 'sk-S-openai' }, env: { OPENAI_API_KEY: 'sk-S-env', AWS_SECRET_ACCESS_KEY: 'S-aws', PERSONAACT_SECRET_KEY: 'S-key' },
    credentials: { accessKeyId: 'AKIA-visible', secretAccessKey: 'S-aws2', sessionToken: 'S-session' },
    account: { password: 'S-password', token: 'S-token' },
  };
  logger.info({ ...secrets, auditId: 'audit-7', phase: 'cultivation' }, 'signed in');
  logger.info({ accountId: 'a1', nested: secrets }, 'nested one level');
  assert.equal(lines.length, 2);
  for (const line of lines) assert.doesNotMatch(line, /S-[a-z0-9]+/, line);
  const first = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
  assert.equal(first.cookie, CENSOR);
  assert.equal(first.auditId, 'audit-7');
  assert.deepEqual(first.credentials, { accessKeyId: 'AKIA-visible', secretAccessKey: CENSOR, sessionToken: CENSOR });
});
