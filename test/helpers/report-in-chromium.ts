/**
 * Opens an HTML report in headless Chromium (Debian's, as the workers launch it) the way a reader
 * would and reports what they would see: console errors, which plots drew, and whether the
 * screenshot has anything on it. Also used by the series report's test.
 */
import type { Browser } from 'playwright-core';
import { pathToFileURL } from 'node:url';

export interface ReportView {
  consoleErrors: string[];
  /** data-plot ids of the figures whose SVG has a visible size, in page order. */
  drawnPlots: string[];
  /** Share of the screenshot's pixels that are not (near) white. */
  inkShare: number;
}

export async function viewReport(browser: Browser, file: string): Promise<ReportView> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const consoleErrors: string[] = [];
  page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  try {
    await page.goto(pathToFileURL(file).href);
    const drawnPlots = await page.$$eval('figure.plot', (figures) => figures.flatMap((figure) => {
      const box = figure.querySelector('svg')?.getBoundingClientRect();
      return box && box.width > 50 && box.height > 50 ? [figure.getAttribute('data-plot') ?? ''] : [];
    }));
    const png = (await page.screenshot({ fullPage: true })).toString('base64');
    // No image library in the project: let the browser decode its own screenshot.
    const inkShare = await page.evaluate(async (data) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 235 || pixels[i + 1]! < 235 || pixels[i + 2]! < 235) ink++;
      return ink / (pixels.length / 4);
    }, png);
    return { consoleErrors, drawnPlots, inkShare };
  } finally {
    await page.close();
  }
}
