/**
 * Each real-platform adapter against its fixture site, through the shared contract
 * (adapter-contract.ts), with Debian's Chromium.
 */
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../activities/browser/chromium';
import type { WebPlatform } from '../helpers/fixture-sites/platforms';
import { FIXTURE_PLATFORMS } from '../helpers/fixture-sites/platforms';
import { startFixtureSite } from '../helpers/fixture-sites/server';
import { adapterContract } from './adapter-contract';

let browser: Browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

for (const platform of Object.keys(FIXTURE_PLATFORMS) as WebPlatform[]) {
  test(`${platform} adapter keeps the adapter contract on its fixture site`, async (t) => {
    const site = await startFixtureSite(platform);
    try {
      await adapterContract(t, browser, site);
    } finally {
      await site.close();
    }
  });
}
