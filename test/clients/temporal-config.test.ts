/** The connection settings every process reads (clients/temporal-config.ts): envconfig, aliases, precedence. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { uiLink } from '../../clients/connection';
import { resolveTemporalTarget, TemporalConfigError } from '../../clients/temporal-config';
import { parseCliConfig } from '../../cli/config';
import { loadWorkerConfig } from '../../workers/config';

const dir = await mkdtemp(join(tmpdir(), 'personaact-envconfig-'));
after(() => rm(dir, { recursive: true, force: true }));
// No file: a developer's own ~/.config/temporalio/temporal.toml must not leak into these tests.
const NO_FILE = { TEMPORAL_CONFIG_FILE: join(dir, 'absent.toml') };

test('defaults are the local stack, the same for the CLI and the workers', () => {
  for (const config of [parseCliConfig(NO_FILE), loadWorkerConfig(NO_FILE)]) {
    assert.equal(config.temporal.address, '127.0.0.1:7233');
    assert.equal(config.temporal.namespace, 'default');
    assert.deepEqual(config.temporal.connectionOptions, { address: '127.0.0.1:7233' });
    assert.equal(config.temporal.uiUrl, 'http://127.0.0.1:8233');
  }
});

test('TEMPORAL_* wins over the PERSONAACT_* aliases, which count only when the standard variable is unset or empty', () => {
  const both = { ...NO_FILE, TEMPORAL_ADDRESS: 'a:1', PERSONAACT_TEMPORAL_ADDRESS: 'b:2', PERSONAACT_NAMESPACE: 'ns-b' };
  assert.equal(parseCliConfig(both).temporal.address, 'a:1');
  assert.equal(loadWorkerConfig(both).temporal.address, 'a:1');
  assert.equal(parseCliConfig(both).temporal.namespace, 'ns-b');
  const alias = { ...NO_FILE, TEMPORAL_ADDRESS: '', PERSONAACT_TEMPORAL_ADDRESS: 'b:2' };
  assert.equal(parseCliConfig(alias).temporal.address, 'b:2');
  assert.equal(loadWorkerConfig(alias).temporal.address, 'b:2');
});

test('an API key turns TLS on; the UI link drops trailing slashes in both processes', () => {
  const env = { ...NO_FILE, TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_NAMESPACE: 'ns.acct', TEMPORAL_API_KEY: 'k', PERSONAACT_UI_URL: 'https://cloud.temporal.io//' };
  for (const config of [parseCliConfig(env), loadWorkerConfig(env)]) {
    assert.deepEqual(config.temporal.connectionOptions, { address: 'ns.acct.tmprl.cloud:7233', apiKey: 'k', tls: true });
    assert.equal(uiLink(config.temporal, 'audit 1'), 'https://cloud.temporal.io/namespaces/ns.acct/workflows/audit%201');
  }
});

test('a named profile comes from the envconfig TOML file; variables override its fields', async () => {
  const file = join(dir, 'temporal.toml');
  await writeFile(file, [
    '[profile.cloud]', 'address = "p.tmprl.cloud:7233"', 'namespace = "p.acct"', 'api_key = "from-file"',
    '[profile.cloud.grpc_meta]', 'team = "audits"',
  ].join('\n'));
  const target = resolveTemporalTarget({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'cloud', TEMPORAL_NAMESPACE: 'other' }, { PERSONAACT_UI_URL: 'http://ui' });
  assert.equal(target.address, 'p.tmprl.cloud:7233');
  assert.equal(target.namespace, 'other');
  assert.equal(target.profile, 'cloud');
  assert.deepEqual(target.connectionOptions, { address: 'p.tmprl.cloud:7233', apiKey: 'from-file', tls: true, metadata: { team: 'audits' } });
});

test('a profile that is not in the file is refused with a message naming it and the file', async () => {
  const file = join(dir, 'only-default.toml');
  await writeFile(file, '[profile.default]\naddress = "x:1"\n');
  assert.throws(() => parseCliConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'nope' }), (error: unknown) => {
    assert.ok(error instanceof TemporalConfigError);
    assert.match(error.message, /settings of profile "nope" \(TEMPORAL_CONFIG_FILE .*only-default\.toml\): Profile 'nope' not found/);
    return true;
  });
});
