/**
 * A person at the live view, played by a second Chromium: it looks at the streamed frames (pixels
 * only — it never sees the worker's DOM), finds the sandbox slider's thumb and the marked gap, and
 * drags the thumb onto the gap with the mouse; the live view forwards every event to the worker.
 */
import type { Page } from 'playwright-core';

export interface Sighting { gapX: number; thumbX: number; thumbY: number }

/**
 * Runs in the viewer page (a string: tsx's helpers do not exist there). The captcha's dark overlay
 * dims the video, so the only bright blue is the slider's thumb (Chromium's #0075ff), and the
 * gap's dashed border (#fdcb6e) is the yellow in the track just above it.
 */
const LOOK = `(() => {
  const canvas = document.querySelector('[data-testid="live-screen"]');
  if (!canvas || !canvas.dataset.frames) return null;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const at = (x, y) => { const i = (y * canvas.width + x) * 4; return [data[i], data[i + 1], data[i + 2]]; };
  let tx = 0, ty = 0, tn = 0;
  for (let y = 0; y < canvas.height; y++) for (let x = 0; x < canvas.width; x++) {
    const [r, g, b] = at(x, y);
    if (b > 200 && r < 70 && g > 70 && g < 170) { tx += x; ty += y; tn++; }
  }
  if (tn < 10) return null;
  const thumbY = Math.round(ty / tn);
  let gx = 0, gn = 0;
  for (let y = Math.max(0, thumbY - 80); y < thumbY - 10; y++) for (let x = 0; x < canvas.width; x++) {
    const [r, g, b] = at(x, y);
    if (r > 200 && g > 160 && g < 240 && b > 50 && b < 170) { gx += x; gn++; }
  }
  return gn > 10 ? { gapX: gx / gn, thumbX: tx / tn, thumbY } : null;
})()`;

async function look(page: Page, timeoutMs: number): Promise<Sighting | null> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const seen = await page.evaluate<Sighting | null>(LOOK);
    if (seen || Date.now() > end) return seen;
    await page.waitForTimeout(100);
  }
}

/** Canvas pixels → the viewer page's coordinates. */
async function toPage(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const canvas = page.getByTestId('live-screen');
  const box = (await canvas.boundingBox())!;
  const size = await page.evaluate<{ width: number; height: number }>(
    `(() => { const c = document.querySelector('[data-testid="live-screen"]'); return { width: c.width, height: c.height }; })()`,
  );
  return { x: box.x + (x * box.width) / size.width, y: box.y + (y * box.height) / size.height };
}

/** Drags the slider onto the gap, as a person would; the live view's Done button then tells whether it worked. */
export async function dragSliderInLiveView(page: Page, timeoutMs = 20_000): Promise<Sighting> {
  const seen = await look(page, timeoutMs);
  if (!seen) throw new Error('the live view never showed a slider captcha');
  const from = await toPage(page, seen.thumbX, seen.thumbY);
  const to = await toPage(page, seen.gapX, seen.thumbY);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
  // Every event has reached the worker's page (the view sends them one by one).
  await page.waitForFunction(`document.querySelector('[data-testid="live-screen"]').dataset.pending === '0'`);
  return seen;
}

/** Presses Done until the workflow accepts (the page may take a moment to take the captcha away); returns its answer. */
export async function pressDone(page: Page, attempts = 5): Promise<string> {
  let message = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await page.getByTestId('live-message').evaluate(`(el) => { el.textContent = ''; }` as never).catch(() => undefined);
    await page.getByTestId('live-done').click();
    await page.getByTestId('live-message').filter({ hasNotText: /^(checking…)?$/ }).waitFor({ timeout: 30_000 });
    message = (await page.getByTestId('live-message').textContent()) ?? '';
    if (!/still on screen/.test(message)) return message;
    await page.waitForTimeout(300);
  }
  return message;
}
