/**
 * The contract every real-platform adapter keeps, checked against its fixture site (the way
 * test/artifacts/store-contract.ts serves both artifact stores): the feed is read from the
 * platform's API responses joined to the item on screen, ads and live rooms are skipped, actions
 * reach the site, sign-in is recognised, and each kind of challenge is reported as what it is.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { CHALLENGE_KINDS } from '../../core/platforms';
import { siteProfileOf } from '../../activities/browser/adapters';
import { parseFeedResponse, FeedShapeError } from '../../activities/browser/web/feed-parser';
import { WebAdapter } from '../../activities/browser/web/web-adapter';
import { FIXTURE_PLATFORMS } from '../helpers/fixture-sites/platforms';
import type { FixtureSite } from '../helpers/fixture-sites/server';

const VIEWPORT = { width: 420, height: 746 };

export async function adapterContract(t: TestContext, browser: Browser, site: FixtureSite): Promise<void> {
  const profile = siteProfileOf(site.platform);
  const adapter = new WebAdapter(profile, { baseUrl: site.url, pacing: { minActionGapMs: 0, jitterMs: 0 } });
  const newPage = async (): Promise<Page> => (await browser.newContext({ viewport: VIEWPORT })).newPage();
  const fixture = FIXTURE_PLATFORMS[site.platform];

  await t.test('reads the feed from the API responses, joined to the item on screen, and skips ads and live rooms', async () => {
    const page = await newPage();
    await adapter.open(page, 'contract');
    const keys = new Set<string>();
    let key: string | undefined;
    for (let i = 0; i < 7; i++) {
      const observed = await adapter.observe(page, key);
      key = observed.key;
      keys.add(key);
      const { observation } = observed;
      const served = site.served.find((item) => item.id === observation.videoId);
      assert.ok(served, `${observation.videoId} was served by the feed API`);
      assert.equal(served.kind, 'video', `${served.id} is a ${served.kind}: it should have been skipped`);
      assert.equal(observation.platform, site.platform);
      assert.match(observation.title, new RegExp(served.title));
      assert.equal(observation.creator, served.author);
      assert.ok(Number.isFinite(observed.onScreenMs) && observed.onScreenMs >= 0, 'on screen since the adapter saw it');
      if (profile.feedApi.item.duration.paths.some((path) => path !== 'command.reelWatchEndpoint.lengthSeconds')) {
        // The DOM shows no duration: only the API response can have given it.
        assert.equal(observation.durationSeconds, served.durationSeconds, 'duration from the feed API');
      }
      // An item the platform gave no category (a short without hashtags) stays unlabelled here: the audit's classifier labels it.
      const platformLabels = served.tagged === false ? [] : [served.category.slug];
      assert.deepEqual(observation.level1, platformLabels, 'category from the platform\'s own tags, category or hashtags');
      assert.equal(observation.label?.source, served.tagged === false ? undefined : 'platform');
      await adapter.next(page);
    }
    assert.equal(keys.size, 7, 'each appearance has its own key');
    const trace = adapter.trace(page);
    assert.ok(trace.skipped.ad + trace.skipped.live >= 1, 'an ad or live room was skipped');
    assert.deepEqual(trace.parseErrors, []);
    await page.context().close();
  });

  await t.test('likes, comments, shares and marks "not interested" on the item on screen, where the site offers it', async () => {
    const page = await newPage();
    await adapter.open(page, 'contract');
    const { observation } = await adapter.observe(page);
    const before = site.events.length;
    const done = await adapter.act(page, { watchSeconds: 3, like: true, comment: 'so good', share: 'copy-link', notInterested: true });
    const offered = (['like', 'comment', 'share', 'notInterested'] as const).filter((action) => profile.actions[action] !== undefined);
    assert.deepEqual(done, offered.map((action) => (action === 'notInterested' ? 'not-interested' : action)));
    // The page reports asynchronously: wait for the last one to arrive.
    for (let i = 0; i < 500 && site.events.length - before < done.length; i++) await new Promise((r) => setTimeout(r, 20));
    const events = site.events.slice(before);
    assert.deepEqual(events.map((e) => e.type), done);
    assert.ok(events.every((e) => e.id === observation.videoId), 'on the item the adapter observed');
    const comment = events.find((e) => e.type === 'comment');
    if (comment) assert.equal(comment.text, 'so good');
    await page.context().close();
  });

  await t.test('knows a signed-in page by the platform\'s session cookie', async () => {
    const page = await newPage();
    await adapter.openSignIn(page);
    assert.equal(await adapter.isSignedIn(page, 'contract'), false);
    await page.locator('#fixture-sign-in').click();
    await page.getByText('Signed in').waitFor();
    assert.equal(await adapter.isSignedIn(page, 'contract'), true, `cookie ${profile.signedIn.cookie}`);
    await page.context().close();
  });

  for (const kind of CHALLENGE_KINDS) {
    await t.test(`reports a ${kind} as a typed challenge, and goes on once it is solved`, async () => {
      const page = await newPage();
      await adapter.open(page, 'contract');
      const first = await adapter.observe(page);
      assert.equal(await adapter.detectChallenge(page), null);
      site.challenge(kind);
      await page.reload();
      await assert.rejects(adapter.observe(page, first.key), new RegExp(`cannot observe: ${kind}`));
      assert.equal((await adapter.detectChallenge(page))?.kind, kind);
      if (kind === 'rate-limit') {
        site.challenge(null);
        await page.reload();
      } else {
        // A person presses the site's own button in the live view.
        await Promise.all([page.waitForEvent('load'), page.locator('[data-fx="solve"]').click()]);
      }
      const after = await adapter.observe(page, first.key);
      assert.equal(await adapter.detectChallenge(page), null);
      assert.ok(after.observation.videoId);
      await page.context().close();
    });
  }

  await t.test('the feed-response parser reads a saved body and names the path a wrong body breaks at', () => {
    const items = parseFeedResponse(profile.feedApi, fixture.body([
      { id: fixture.idFor(1), title: 'a', author: 'b', durationSeconds: 9, category: { slug: 'food', zh: '美食', en: 'Food' }, kind: 'video' },
      { id: fixture.idFor(2), title: 'c', author: 'd', durationSeconds: 9, category: { slug: 'food', zh: '美食', en: 'Food' }, kind: 'ad' },
    ], 0));
    assert.equal(items.length, 2);
    assert.equal(items[0]?.id, fixture.idFor(1));
    assert.equal(items[1]?.ad, true);
    assert.throws(() => parseFeedResponse(profile.feedApi, { unexpected: [] }), (error: unknown) =>
      error instanceof FeedShapeError && error.path === profile.feedApi.itemsPath.split('.')[0] && /missing in the response \(found keys: unexpected\)/.test(error.message));
  });
}
