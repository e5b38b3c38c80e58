/**
 * `personaact account add` with an identity, through the real CLI on a local artifact store: the
 * proxy password comes from standard input and is stored only encrypted; an inconsistent
 * combination exits 1 naming the flag, with nothing written.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { proxyCredentialsKey } from '../../activities/accounts/browser-identity';
import { accountKey, AccountSchema } from '../../core/account';
import { EnvelopeSchema } from '../../secrets/envelope';
import { BIN, run } from '../infra/helpers';
import { testSecrets } from '../helpers/secrets';

const PASSWORD = 'proxy-pa55-from-stdin';
let dir: string;
let artifacts: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'personaact-account-identity-'));
  artifacts = join(dir, 'artifacts');
  writeFileSync(join(dir, 'password.txt'), `${PASSWORD}\n`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** The CLI with standard input from `stdinFile` (the run helper closes stdin otherwise). */
const cli = (args: string[], stdinFile = '/dev/null') => run('sh', ['-c', 'exec "$0" "$@" < "$STDIN_FILE"', process.execPath, BIN, ...args], {
  env: { ...process.env, ...testSecrets().env, PERSONAACT_ARTIFACTS: artifacts, STDIN_FILE: stdinFile }, cwd: dir, timeoutMs: 60_000,
});

test('account add --country … --proxy … --proxy-password-stdin: the identity in account.json, the password only encrypted', async () => {
  const added = await cli([
    'account', 'add', 'tiktok', 'tt-uk', '--country', 'GB', '--timezone', 'Europe/London',
    '--proxy', 'socks5://10.0.0.5:1080', '--proxy-username', 'alice', '--proxy-password-stdin',
  ], join(dir, 'password.txt'));
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /Added tiktok\/tt-uk \(GB en-GB Europe\/London via socks5:\/\/10\.0\.0\.5:1080\)/);
  const account = AccountSchema.parse(JSON.parse(readFileSync(join(artifacts, accountKey('tiktok', 'tt-uk')), 'utf8')));
  assert.deepEqual(account.identity?.proxy, { server: 'socks5://10.0.0.5:1080', credentials: true });
  const sealed = readFileSync(join(artifacts, proxyCredentialsKey('tiktok', 'tt-uk')), 'utf8');
  assert.ok(EnvelopeSchema.safeParse(JSON.parse(sealed)).success, 'the credentials are an encrypted envelope');
  for (const text of [sealed, added.stdout, added.stderr]) assert.ok(!text.includes(PASSWORD), 'the password is nowhere in plain text');
});

test('account add refuses an identity that does not fit its country, naming the flag, and writes nothing', async () => {
  const refused = await cli(['account', 'add', 'douyin', 'dy-bad', '--country', 'CN', '--locale', 'en-US', '--timezone', 'America/New_York']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /--locale: locale en-US does not fit China \(CN\): use one of zh-CN/);
  assert.match(refused.stderr, /--timezone: timezone America\/New_York is not in China \(CN\)/);
  assert.ok(!existsSync(join(artifacts, accountKey('douyin', 'dy-bad'))), 'no account.json');
});
