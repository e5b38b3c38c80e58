/** The platform registry is the one list, and every web platform's site profile agrees with it. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { siteProfileOf } from '../../activities/browser/adapters';
import { SiteProfileSchema, siteProfilePath } from '../../activities/browser/web/site-profile';
import { formatZodError } from '../../core/zod-error';
import { isPlatform, PLATFORM_REGISTRY, platformEntry, PLATFORMS, PlatformSchema, unsupportedPlatformMessage } from '../../core/platforms';
import { PLATFORMS as OBSERVATION_PLATFORMS } from '../../core/observation';

test('the registry is the list: schema, names and the re-export agree; the sandbox comes first (the default)', () => {
  assert.deepEqual(PLATFORMS, Object.keys(PLATFORM_REGISTRY));
  assert.deepEqual(PlatformSchema.options, PLATFORMS);
  assert.equal(OBSERVATION_PLATFORMS, PLATFORMS);
  assert.equal(PLATFORMS[0], 'sandbox');
  assert.ok(isPlatform('xiaohongshu'));
  assert.ok(!isPlatform('weibo'));
  assert.ok(!isPlatform('toString'), 'not fooled by Object.prototype');
  assert.match(unsupportedPlatformMessage('weibo'), /platform "weibo" has no browser adapter; audits can run on: sandbox, douyin, bilibili, kuaishou, xiaohongshu, tiktok, youtube-shorts$/);
});

test('each web platform\'s site profile loads, names its platform, and detects exactly the registry\'s challenges', () => {
  for (const platform of PLATFORMS) {
    const entry = platformEntry(platform);
    if (entry.adapter.kind !== 'web') continue;
    const profile = siteProfileOf(platform);
    assert.equal(profile.platform, platform);
    const kinds = new Set([...profile.challenges, ...profile.responseChallenges].map((c) => c.kind));
    assert.deepEqual([...kinds].sort(), [...entry.challenges].sort(), platform);
    assert.ok(entry.homeUrl?.startsWith('https://'), `${platform} has a home URL`);
    assert.ok(entry.pacing.minActionGapMs > 0, `${platform} paces its actions`);
  }
});

test('a broken site profile is refused naming the field', () => {
  const raw = JSON.parse(readFileSync(siteProfilePath('douyin'), 'utf8')) as { feedApi: Record<string, unknown>; dom: Record<string, unknown> };
  delete raw.feedApi.itemsPath;
  raw.dom.id = { attribute: '' };
  const parsed = SiteProfileSchema.safeParse(raw);
  assert.equal(parsed.success, false);
  const message = formatZodError(parsed.error!, 'site.json');
  assert.match(message, /feedApi\.itemsPath: required/);
  assert.match(message, /dom\.id\.attribute/);
});
