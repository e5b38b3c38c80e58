/**
 * Headed Chromium under a virtual display (activities/browser/virtual-display.ts), for sites that
 * refuse headless browsers: the fixture site sees a browser that does not call itself headless,
 * where the default headless one does. Skipped, saying why, where Xvfb is not installed.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium } from '../../activities/browser/chromium';
import { startVirtualDisplay, xvfbAvailable } from '../../activities/browser/virtual-display';
import { startFixtureSite, type FixtureSite } from '../helpers/fixture-sites/server';
import { pollUntil } from '../helpers/poll';

let site: FixtureSite;
before(async () => {
  site = await startFixtureSite('douyin');
});
after(() => site?.close());

/** The user agent the site's page reads in a browser launched with `options`. */
async function userAgentSeen(options: Parameters<typeof launchChromium>[0]): Promise<string> {
  const browser = await launchChromium(options);
  try {
    const seen = site.visits.length;
    const page = await browser.newPage();
    await page.goto(site.url);
    const visit = await pollUntil('the page reports its browser', () => site.visits[seen], (v) => v?.page !== undefined);
    return visit!.page!.userAgent;
  } finally {
    await browser.close();
  }
}

test('headed Chromium on a virtual display does not name itself headless (the default headless one does)', { skip: xvfbAvailable() ? false : 'Xvfb is not installed (apt-get install xvfb)' }, async () => {
  assert.match(await userAgentSeen({}), /HeadlessChrome/, 'control: headless Chromium says so');
  const display = await startVirtualDisplay();
  try {
    assert.match(display.display, /^:\d+$/);
    const userAgent = await userAgentSeen({ headless: false, display: display.display });
    assert.doesNotMatch(userAgent, /Headless/i);
    assert.match(userAgent, /Chrome\//);
  } finally {
    await display.stop();
  }
});
