/**
 * An account's identity (core/identity.ts) and `account add`'s identity flags
 * (cli/account/identity-flags.ts): defaults from the country, inconsistent combinations refused
 * naming the flag, credentials only from standard input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { identityFromFlags } from '../../cli/account/identity-flags';
import { COUNTRIES, COUNTRY_CODES, resolveIdentity } from '../../core/identity';
import { planStudy, StudySpecSchema, studyAuditId } from '../../core/study-spec';
import { formatZodError } from '../../core/zod-error';

test('a country fills the identity: its first locale and timezone, its capital\'s position; every table entry is consistent with itself', () => {
  assert.deepEqual(resolveIdentity({ country: 'GB' }), { country: 'GB', locale: 'en-GB', timezone: 'Europe/London', geolocation: COUNTRIES.GB.geolocation });
  for (const code of COUNTRY_CODES) {
    const country = COUNTRIES[code];
    for (const locale of country.locales) for (const timezone of country.timezones) resolveIdentity({ country: code, locale, timezone });
    for (const timezone of country.timezones) assert.doesNotThrow(() => new Intl.DateTimeFormat('en', { timeZone: timezone }), `${code}: ${timezone} is an IANA time zone`);
  }
});

test('an inconsistent combination is refused, naming the field and what would fit', () => {
  assert.throws(() => resolveIdentity({ country: 'GB', locale: 'zh-CN' }), /locale zh-CN does not fit United Kingdom \(GB\): use one of en-GB/);
  assert.throws(() => resolveIdentity({ country: 'CN', timezone: 'America/New_York' }), /timezone America\/New_York is not in China \(CN\)/);
  assert.throws(() => resolveIdentity({ country: 'US', geolocation: { latitude: 51.5, longitude: -0.12 } }), /geolocation 51.5,-0.12 is outside United States/);
  assert.throws(() => resolveIdentity({ country: 'GB', userAgent: 'Mozilla/5.0 HeadlessChrome/131.0' }), /names a headless browser/);
});

test('account add\'s identity flags: checked before anything is written, each error naming its flag', async () => {
  const noPassword = async () => assert.fail('the password is read only with --proxy-password-stdin');
  assert.deepEqual(await identityFromFlags({}, noPassword), {}, 'no flags: no identity (the worker\'s browser as it is)');
  const cases: [Parameters<typeof identityFromFlags>[0], RegExp][] = [
    [{ timezone: 'Europe/London' }, /--timezone needs --country/],
    [{ proxy: 'http://p.example:3128', locale: 'en-GB' }, /--locale, --proxy need --country/],
    [{ country: 'XX' }, /--country XX: expected a country code, one of CN, HK/],
    [{ country: 'gb', locale: 'de-DE' }, /--locale: locale de-DE does not fit United Kingdom/],
    [{ country: 'GB', geolocation: 'London' }, /--geolocation London: expected "latitude,longitude"/],
    [{ country: 'GB', geolocation: '35.68,139.65' }, /--geolocation: geolocation 35.68,139.65 is outside United Kingdom/],
    [{ country: 'GB', proxy: 'http://alice:secret@p.example:3128' }, /--proxy: the proxy URL must not contain a username or password/],
    [{ country: 'GB', proxy: 'ftp://p.example:21' }, /--proxy: proxy scheme "ftp:" is not supported/],
    [{ country: 'GB', proxy: 'socks5://p.example' }, /--proxy: the proxy URL needs a port/],
    [{ country: 'GB', proxy: 'http://p.example:3128', proxyUsername: 'alice' }, /--proxy-username needs --proxy-password-stdin/],
    [{ country: 'GB', proxyUsername: 'alice', proxyPasswordStdin: true }, /need --proxy/],
  ];
  for (const [flags, message] of cases) await assert.rejects(identityFromFlags(flags, noPassword), message, JSON.stringify(flags));

  const { identity, credentials } = await identityFromFlags(
    { country: 'gb', proxy: 'socks5://127.0.0.1:1080', proxyUsername: 'alice', proxyPasswordStdin: true }, async () => 's3cret\n',
  );
  assert.deepEqual(identity?.proxy, { server: 'socks5://127.0.0.1:1080', credentials: true });
  assert.equal(identity?.timezone, 'Europe/London');
  assert.deepEqual(credentials, { username: 'alice', password: 's3cret' }, 'the trailing newline of the piped password is not part of it');
});

test('a study cell can name its country: the same platform in two countries is two cells, with their own ids and seeds; the sandbox has none', () => {
  const spec = StudySpecSchema.parse({
    id: 'geo', seed: 1, personas: ['a.json'], arms: ['reversed'], replicates: 1, cultivationSteps: 5, counterfactualSteps: 5,
    platforms: [{ platform: 'tiktok', country: 'GB' }, { platform: 'tiktok', country: 'US' }],
  });
  const plan = planStudy(spec, ['user-a']);
  assert.deepEqual(plan.map((p) => p.cell), [
    { platform: 'tiktok', country: 'GB', personaId: 'user-a', arm: 'reversed' },
    { platform: 'tiktok', country: 'US', personaId: 'user-a', arm: 'reversed' },
  ]);
  assert.deepEqual(plan.map((p) => studyAuditId('geo', p, 0)), ['geo-tiktok.GB.user-a.reversed-r0', 'geo-tiktok.US.user-a.reversed-r0']);
  assert.notEqual(plan[0]?.seed, plan[1]?.seed);
  const sandbox = StudySpecSchema.safeParse({ ...spec, platforms: [{ platform: 'sandbox', country: 'GB' }] });
  assert.ok(!sandbox.success);
  assert.match(formatZodError(sandbox.error), /^platforms\[0\]\.country: the sandbox has no countries/m);
  const unknown = StudySpecSchema.safeParse({ ...spec, platforms: [{ platform: 'tiktok', country: 'Mars' }] });
  assert.ok(!unknown.success);
  assert.match(formatZodError(unknown.error), /^platforms\[0\]\.country: expected a country code, one of CN/m);
});
