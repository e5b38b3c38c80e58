/**
 * Browser smoke test: Debian's Chromium, driven by Playwright, signs in to the real sandbox server,
 * watches 20 videos for given dwell times at 10x, likes some; the admin API's server-measured dwell
 * must match within ±10 % and every like must be recorded.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../activities/browser/chromium';
import { startSandbox, type SandboxServer } from '../../sandbox/server';

const TIME_SCALE = 10;
// Platform seconds; at 10x these take 0.4–2.2 s of wall time each, so ±10 % is ±40 ms or more.
const DWELLS = [4, 4.5, 6, 8, 12, 5, 4.5, 20, 7, 9, 4, 15, 6.5, 10, 4, 22, 5.5, 8.5, 11, 4];
const LIKED = new Set([1, 4, 7, 12, 18]);

let server: SandboxServer;
let browser: Browser;
let dataDir: string;

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'personaact-sandbox-'));
  server = await startSandbox({ port: 0, dataDir, timeScale: TIME_SCALE });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function impressionOnScreen(page: Page, previous: string | null): Promise<string> {
  const card = page.getByTestId('video');
  await page.waitForFunction(
    (prev) => {
      const id = document.querySelector('[data-testid="video"]')?.getAttribute('data-impression-id');
      return Boolean(id) && id !== prev;
    },
    previous,
  );
  return (await card.getAttribute('data-impression-id'))!;
}

test('a browser session watches 20 videos and the server measures each dwell within ±10 % and every like', async (t) => {
  const page = await browser.newPage({ viewport: { width: 420, height: 746 } });
  await page.goto(`${server.url}/`);
  await page.waitForURL(/\/login$/);
  await page.getByTestId('signin-account').fill('smoke-test');
  await page.getByTestId('signin-submit').click();

  let impression: string | null = null;
  const seen: string[] = [];
  for (const [i, dwell] of DWELLS.entries()) {
    impression = await impressionOnScreen(page, impression);
    // Dwell runs from the video's appearance, which the page stamps on its own clock.
    const appeared = performance.now() - (await page.evaluate(() =>
      performance.now() - Number(document.querySelector<HTMLElement>('[data-testid="video"]')!.dataset.shownAt)));
    seen.push(impression);
    if (LIKED.has(i)) {
      await page.getByTestId('like').click();
      await page.waitForSelector('[data-testid="like"][aria-pressed="true"]');
    }
    const remainingMs = (dwell * 1000) / TIME_SCALE - (performance.now() - appeared);
    if (remainingMs > 0) await page.waitForTimeout(remainingMs);
    await page.keyboard.press('ArrowDown');
  }
  await impressionOnScreen(page, impression);

  const response = await fetch(`${server.url}/admin/accounts/smoke-test/impressions`);
  const { impressions } = (await response.json()) as {
    impressions: { id: number; dwellSeconds: number | null; liked: boolean }[];
  };
  assert.equal(impressions.length, DWELLS.length + 1, 'one impression per video plus the one on screen');
  let worst = 0;
  for (const [i, dwell] of DWELLS.entries()) {
    const row = impressions[i]!;
    assert.equal(String(row.id), seen[i]);
    assert.ok(row.dwellSeconds !== null, `impression ${i} is closed`);
    const error = Math.abs(row.dwellSeconds - dwell) / dwell;
    worst = Math.max(worst, error);
    assert.ok(error <= 0.1, `video ${i}: intended ${dwell} s, server measured ${row.dwellSeconds.toFixed(2)} s (${(error * 100).toFixed(1)} % off)`);
    assert.equal(row.liked, LIKED.has(i), `video ${i} like recorded`);
  }
  t.diagnostic(`worst dwell error ${(worst * 100).toFixed(1)} %`);
  await page.close();
});

test('the feed page shows the player clock running at the server time scale', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/login`);
  await page.getByTestId('signin-account').fill('clock-test');
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('video').and(page.locator('[data-impression-id]')).waitFor();
  await page.waitForTimeout(500);
  const shown = await page.getByTestId('player-time').textContent();
  const elapsed = Number(shown!.split(' / ')[0]);
  const duration = Number(await page.getByTestId('video').getAttribute('data-duration-seconds'));
  // 0.5 s of wall time at 10x is ~5 platform seconds (modulo a loop for short videos).
  assert.ok(Math.abs(elapsed - (5 % duration)) < 1.5 || elapsed < duration, `player clock shows ${shown}`);
  await page.close();
});
