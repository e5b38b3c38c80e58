/**
 * Accounts on real sites, on the fixture sites with real Chromium, a real local store and a real
 * HTTP proxy, through the browser activities as Temporal runs them (MockActivityEnvironment):
 * - an account's identity (locale, timezone, user agent) is what the site sees, and its traffic
 *   goes through its proxy with its (encrypted) credentials — the site is addressed by a name only
 *   the proxy resolves, so a page that loads came through it;
 * - its cookies and local storage survive from one session to the next, and its position is the
 *   one its country fixes;
 * - the session preflight stops a session whose account is not signed in at a login wall.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { proxyCredentialsKey } from '../../activities/accounts/browser-identity';
import { saveStorageState } from '../../activities/accounts/storage-state';
import { ACCOUNT_COUNTRY_MISMATCH, createBrowserActivities, type ChallengeDetails } from '../../activities/browser/activities';
import { createAdapter } from '../../activities/browser/adapters';
import { launchChromium } from '../../activities/browser/chromium';
import { LiveViewServer } from '../../activities/browser/live-view';
import { SessionPool } from '../../activities/browser/session-pool';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { openArtifactStore } from '../../artifacts/open-store';
import { addAccount } from '../../cli/account/accounts';
import { accountKey } from '../../core/account';
import { FAILURE_TYPES } from '../../core/failures';
import { COUNTRIES, resolveIdentity } from '../../core/identity';
import type { Platform } from '../../core/platforms';
import type { Keyring } from '../../secrets/keyring';
import { FIXTURE_PLATFORMS } from '../helpers/fixture-sites/platforms';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-sites/server';
import { startTestProxy, type TestProxy } from '../helpers/http-proxy';
import { pollUntil } from '../helpers/poll';
import { testSecrets } from '../helpers/secrets';

const TIME_SCALE = 50;
const USER_AGENT = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';
const PROXY_USER = 'alice';
const PROXY_PASSWORD = 'proxy-pa55word';

let dir: string;
let store: ArtifactStore;
let keyring: Keyring;
let pool: SessionPool;
let liveView: LiveViewServer;
let proxy: TestProxy;
let tiktok: FixtureSite;
let douyin: FixtureSite;
/** TikTok's fixture site under a host name only the proxy resolves. */
let tiktokUrl: string;
let activities: ReturnType<typeof createBrowserActivities>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'personaact-identity-'));
  store = openArtifactStore(join(dir, 'artifacts'));
  keyring = testSecrets().keyring;
  pool = new SessionPool(() => launchChromium(), 4);
  liveView = new LiveViewServer({ port: 0 });
  proxy = await startTestProxy({ username: PROXY_USER, password: PROXY_PASSWORD });
  tiktok = await startFixtureSite('tiktok', { timeScale: TIME_SCALE });
  douyin = await startFixtureSite('douyin', { timeScale: TIME_SCALE });
  tiktokUrl = `http://tiktok.fixture.test:${new URL(tiktok.url).port}`;
  const sites = { tiktok: { url: tiktokUrl, timeScale: TIME_SCALE }, douyin: { url: douyin.url, timeScale: TIME_SCALE } };
  activities = createBrowserActivities({
    pool, store, keyring, taskQueue: 'identity', liveView, sendHumanUpdate: async () => 'unused',
    adapterFor: (platform) => createAdapter(platform, { sandboxUrl: 'http://127.0.0.1:9', sites }),
  });
});

after(async () => {
  await liveView?.stop();
  await pool?.closeAll();
  await proxy?.close();
  await tiktok?.close();
  await douyin?.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = <R>(work: () => Promise<R>): Promise<R> => new MockActivityEnvironment().run(work) as Promise<R>;

/** A saved sign-in: the platform's session cookie for the site's host, as `account login` saves it. */
async function signIn(platform: 'tiktok' | 'douyin', accountId: string, url: string) {
  const cookie = { name: FIXTURE_PLATFORMS[platform].cookie, value: `signed-in-${accountId}`, domain: new URL(url).hostname, path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Lax' as const };
  await saveStorageState(store, keyring, platform, accountId, { cookies: [cookie], origins: [] });
}

/** One audit session: acquire (preflight included), wait for the page's own report, close (saves the state). */
async function session(platform: Platform, accountId: string, site: FixtureSite) {
  const before = site.visits.length;
  const acquired = await run(() => activities.acquireSession({ platform, accountId, screenshots: false }));
  const visit = await pollUntil('the page reports what it sees', () => site.visits[before], (v) => v?.page !== undefined);
  await run(() => activities.closeSession({ sessionId: acquired.sessionId }));
  return visit!;
}

test('the site sees the account\'s locale, timezone and user agent, and its traffic came through the account\'s proxy with its credentials', async () => {
  const identity = resolveIdentity({ country: 'GB', userAgent: USER_AGENT, proxy: { server: proxy.url, credentials: true } });
  await addAccount(store, { platform: 'tiktok', accountId: 'tt-gb', identity, proxyCredentials: { keyring, credentials: { username: PROXY_USER, password: PROXY_PASSWORD } } });
  await signIn('tiktok', 'tt-gb', tiktokUrl);

  const visit = await session('tiktok', 'tt-gb', tiktok);
  assert.equal(visit.userAgent, USER_AGENT, 'User-Agent header');
  assert.match(visit.acceptLanguage, /^en-GB\b/, 'Accept-Language header');
  assert.equal(visit.page?.language, 'en-GB', 'navigator.language');
  assert.equal(visit.page?.timeZone, 'Europe/London', 'Intl time zone in the page');
  assert.equal(visit.page?.userAgent, USER_AGENT, 'navigator.userAgent');
  const host = new URL(tiktokUrl).host;
  assert.ok(proxy.seen.some((r) => r.target === `${tiktokUrl}/foryou` || r.target.startsWith(`http://${host}/`)), 'the proxy carried the page');
  assert.ok(proxy.seen.some((r) => r.target.includes(FIXTURE_PLATFORMS.tiktok.api.path)), 'the proxy carried the feed API calls');

  // The credentials are at rest only encrypted: neither account.json nor the credentials object holds the password.
  const stored = [accountKey('tiktok', 'tt-gb'), proxyCredentialsKey('tiktok', 'tt-gb')].map((key) => readFileSync(store.locate(key), 'utf8'));
  for (const text of stored) assert.ok(!text.includes(PROXY_PASSWORD), 'no plain-text proxy password at rest');
});

test('cookies and local storage survive between two sessions of one account; its position is its country\'s', async () => {
  await addAccount(store, { platform: 'douyin', accountId: 'dy-jp', identity: resolveIdentity({ country: 'JP' }) });
  await signIn('douyin', 'dy-jp', douyin.url);

  const first = await session('douyin', 'dy-jp', douyin);
  const second = await session('douyin', 'dy-jp', douyin);
  assert.equal(first.cookieVisits, 0, 'a browser the site has not seen');
  assert.equal(second.cookieVisits, 1, 'the cookie the site set in the first session came back in the second');
  assert.equal(first.page?.storedVisits, 0);
  assert.equal(second.page?.storedVisits, 1, 'local storage written in the first session is there in the second');
  assert.deepEqual(second.page?.geolocation, COUNTRIES.JP.geolocation, 'navigator.geolocation');
  assert.equal(second.page?.timeZone, 'Asia/Tokyo');
  assert.equal(second.page?.language, 'ja-JP');
});

test('the session preflight: an account that is not signed in stops at a login wall, for a person to sign in through the live view', async () => {
  const failure = await run(() => activities.acquireSession({ platform: 'douyin', accountId: 'dy-new', screenshots: false })).then(
    () => assert.fail('the session started without a sign-in'),
    (error: unknown) => error,
  );
  assert.ok(failure instanceof ApplicationFailure && failure.type === FAILURE_TYPES.challengeRequired, String(failure));
  const details = failure.details?.[0] as ChallengeDetails;
  assert.equal(details.challenge.kind, 'login-wall');
  assert.match(details.challenge.detail, /dy-new is not signed in/);
  assert.match(details.liveViewUrl, /^http:\/\/127\.0\.0\.1:\d+\//, 'the session stays open at its live view');
  await run(() => activities.closeSession({ sessionId: details.session.sessionId }));
});

test('an audit that names a country (a study cell\'s) refuses an account of another country before opening a browser', async () => {
  const sessions = pool.size;
  await assert.rejects(
    run(() => activities.acquireSession({ platform: 'douyin', accountId: 'dy-jp', screenshots: false, country: 'US' })),
    (error: unknown) => error instanceof ApplicationFailure && error.type === ACCOUNT_COUNTRY_MISMATCH && error.nonRetryable
      && /douyin account dy-jp lives in JP, but this audit runs in US: add it with `personaact account add douyin dy-jp --country US`/.test(error.message),
  );
  assert.equal(pool.size, sessions, 'no session opened');
});
