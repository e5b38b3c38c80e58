/**
 * npx tsx bench/feed-page-cpu.ts [--pages N (default 4)] [--seconds S (default 15)] [--json]
 * CPU that open sandbox feed pages take while a video simply plays (no steps): this process, the
 * sandbox it starts and its Chromium, per page. A study holds one such page per concurrent session
 * for the whole audit, so whatever the page burns is taken from every step's round trip (which, on
 * an accelerated clock, lands on the dwell: docs/sizing.md). Before the player clock was shown at
 * 4 Hz and the glyph stopped breathing: ≈ 0.19 cores per page; after: ≈ 0.013 (sandbox/README.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from '../activities/browser/chromium';
import { startSandbox } from '../sandbox/server';
import { cpuSeconds, processTree } from '../test/helpers/proc';

const { values } = parseArgs({
  options: { pages: { type: 'string', default: '4' }, seconds: { type: 'string', default: '15' }, json: { type: 'boolean', default: false } },
});
const pages = Number(values.pages);
const seconds = Number(values.seconds);
if (!Number.isInteger(pages) || pages < 1) throw new Error(`--pages must be a positive integer, got "${values.pages}"`);
if (!(seconds > 0)) throw new Error(`--seconds must be a positive number, got "${values.seconds}"`);

const dataDir = mkdtempSync(join(tmpdir(), 'feed-page-cpu-'));
const sandbox = await startSandbox({ port: 0, dataDir, timeScale: 5, rateLimitPerMinute: 0 });
const browser = await launchChromium();
try {
  for (let i = 0; i < pages; i++) {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${sandbox.url}/login`);
    await page.getByTestId('signin-account').fill(`feed-page-cpu-${i}`);
    await page.getByTestId('signin-submit').click();
    await page.waitForURL(`${sandbox.url}/`);
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const before = cpuSeconds(processTree());
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const cores = (cpuSeconds(processTree()) - before) / ((performance.now() - started) / 1000);
  const result = { pages, seconds, cores: Number(cores.toFixed(3)), coresPerPage: Number((cores / pages).toFixed(3)), load1: Number((loadavg()[0] ?? 0).toFixed(2)) };
  process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${pages} idle feed pages: ${result.cores} cores (${result.coresPerPage} per page), load ${result.load1}\n`);
} finally {
  await browser.close();
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
}
