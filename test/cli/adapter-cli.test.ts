/**
 * `personaact adapter check | parse` as a researcher runs them, against a fixture site: the
 * preflight reads items and names what matched, and names what broke when something does; the
 * parser lists a saved response's items and names the path a wrong body breaks at.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { saveStorageState } from '../../activities/accounts/storage-state';
import { openArtifactStore } from '../../artifacts/open-store';
import type { CheckReport } from '../../cli/adapter/check';
import { FIXTURE_PLATFORMS } from '../helpers/fixture-sites/platforms';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-sites/server';
import { personaact, type RunResult } from '../infra/helpers';
import { testSecrets } from '../helpers/secrets';

const dir = mkdtempSync(join(tmpdir(), 'personaact-adapter-cli-'));
const secrets = testSecrets();
let site: FixtureSite;

before(async () => {
  site = await startFixtureSite('douyin');
});
after(async () => {
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]): Promise<RunResult> =>
  personaact(args, { env: { PERSONAACT_ARTIFACTS: join(dir, 'artifacts'), PERSONAACT_TEMPORAL_ADDRESS: '127.0.0.1:1', ...secrets.env }, timeoutMs: 120_000 });

test('adapter check reads 3 items from the feed API and the page, and names what matched', async () => {
  const result = await cli('adapter', 'check', 'douyin', '--url', site.url, '--json');
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout) as CheckReport;
  assert.equal(report.items.length, 3);
  assert.ok(report.items.every((item) => item.source === 'feed API' && item.durationSeconds > 0), JSON.stringify(report.items));
  assert.deepEqual(report.endpoints.map((e) => e.responses > 0), [true]);
  assert.ok(report.selectors.every((s) => s.matches > 0), JSON.stringify(report.selectors));
  assert.equal(report.signedIn, false, 'no account: anonymous');
  assert.deepEqual(report.problems, []);
});

test('adapter check --account starts from the account\'s saved sign-in and reports it signed in', async () => {
  const missing = await cli('adapter', 'check', 'douyin', '--url', site.url, '--account', 'dy-02');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /account douyin\/dy-02 has no saved sign-in: personaact account login douyin dy-02/);

  // What `account login` saves once a person has signed in: the site's session cookie, encrypted.
  const { hostname } = new URL(site.url);
  await saveStorageState(openArtifactStore(join(dir, 'artifacts')), secrets.keyring, 'douyin', 'dy-01', {
    cookies: [{ name: 'sessionid', value: 'signed-in', domain: hostname, path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Lax' }], origins: [],
  });
  const result = await cli('adapter', 'check', 'douyin', '--url', site.url, '--account', 'dy-01', '--items', '1', '--json');
  assert.equal(result.code, 0, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout) as CheckReport;
  assert.equal(report.account, 'dy-01');
  assert.equal(report.signedIn, true);
});

test('adapter check exits non-zero naming a challenge, and a profile that does not fit the site', async () => {
  site.challenge('captcha');
  const challenged = await cli('adapter', 'check', 'douyin', '--url', site.url);
  site.challenge(null);
  assert.equal(challenged.code, 1, challenged.stdout + challenged.stderr);
  assert.match(challenged.stdout, /FAILED:[\s\S]*captcha on screen: Douyin verification/);
  assert.match(challenged.stderr, /douyin adapter check failed: reading 3 items failed after 0: cannot observe: captcha on screen/);

  // TikTok's profile against Douyin's site: nothing it expects is there.
  const wrong = await cli('adapter', 'check', 'tiktok', '--url', site.url, '--items', '1');
  assert.equal(wrong.code, 1);
  assert.match(wrong.stdout, /no feed API response matched \/api\/recommend\/item_list\//);
  assert.match(wrong.stdout, /dom\.item \(\[data-e2e="recommend-list-item-container"\]\) matched nothing/);
});

test('adapter parse lists a saved response\'s items; a wrong body, a missing file and a platform without a feed API are named', async () => {
  const douyin = FIXTURE_PLATFORMS.douyin;
  const category = { slug: 'food', zh: '美食', en: 'Food' };
  const saved = join(dir, 'feed.json');
  writeFileSync(saved, JSON.stringify(douyin.body([
    { id: douyin.idFor(1), title: '饺子', author: 'chef', durationSeconds: 12, category, kind: 'video' },
    { id: douyin.idFor(2), title: 'promo', author: 'brand', durationSeconds: 15, category, kind: 'ad' },
  ], 0)));
  const parsed = await cli('adapter', 'parse', 'douyin', saved, '--json');
  assert.equal(parsed.code, 0, parsed.stderr);
  const { items } = JSON.parse(parsed.stdout) as { items: { id: string; durationSeconds: number; tags: string[]; ad: boolean }[] };
  assert.deepEqual(items.map((i) => [i.id, i.durationSeconds, i.ad]), [[douyin.idFor(1), 12, false], [douyin.idFor(2), 15, true]]);
  assert.deepEqual(items[0]?.tags, ['美食']);
  const listed = await cli('adapter', 'parse', 'douyin', saved);
  assert.match(listed.stdout, /ID\s+TITLE\s+AUTHOR\s+DURATION[\s\S]*饺子 #美食\s+chef\s+12 s\s+美食\n[\s\S]*promo #美食\s+brand\s+15 s\s+美食\s+ad/);

  const wrongShape = join(dir, 'tiktok-body.json');
  writeFileSync(wrongShape, JSON.stringify(FIXTURE_PLATFORMS.tiktok.body([], 0)));
  const wrong = await cli('adapter', 'parse', 'douyin', wrongShape);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /tiktok-body\.json is not a douyin feed response as the adapter expects it: aweme_list: missing in the response \(found keys: statusCode, hasMore, itemList\)[\s\S]*douyin\/site\.json/);

  const notJson = join(dir, 'page.html');
  writeFileSync(notJson, '<html>');
  for (const [args, message] of [
    [['douyin', join(dir, 'nope.json')], /cannot read .*nope\.json: no such file/],
    [['douyin', notJson], /page\.html is not valid JSON \(save the response body, not the page\)/],
    [['sandbox', saved], /platform "sandbox" has no feed API to parse/],
    [['weibo', saved], /platform "weibo" has no browser adapter; audits can run on: sandbox, douyin/],
  ] as const) {
    const result = await cli('adapter', 'parse', ...args);
    assert.notEqual(result.code, 0, args.join(' '));
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'a user error, not a crash');
  }
});
