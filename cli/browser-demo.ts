/**
 * The demo scenario: a persona-stat agent drives Debian's Chromium through the sandbox feed for a
 * number of videos, as the audit's env/policy loop will, then reports what the platform did with
 * it (diversity before and after, what it learned) and how faithfully dwell was executed.
 */
import { launchChromium } from '../activities/browser/chromium';
import { SandboxAdapter } from '../activities/browser/sandbox/adapter';
import { diversityChangePct, diversityWindows, type CategorizedStep } from '../core/metrics';
import type { Persona } from '../core/persona';
import { decidePersonaStat } from '../core/persona-stat-policy';
import { createRng } from '../core/rng';
import { level1 } from '../core/taxonomy';

export interface BrowserDemoOptions {
  sandboxUrl: string;
  account: string;
  persona: Persona;
  videos: number;
  seed: string;
  progress: (line: string) => void;
}

export interface BrowserDemoResult {
  videos: number;
  likes: number;
  firstWindowDiversity: number;
  lastWindowDiversity: number;
  /** (late − early) / early × 100 over the first and last quarter of the 20-video windows. */
  diversityChangePct: number | null;
  topCategories: { slug: string; share: number }[];
  /** |server-measured − intended| dwell in wall-clock ms (platform seconds / time scale). */
  dwellErrorMs: { p50: number; p95: number };
  timeScale: number;
}

const WINDOW = 20;

function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

export async function runBrowserDemo(options: BrowserDemoOptions): Promise<BrowserDemoResult> {
  const { timeScale } = await fetchJson<{ timeScale: number }>(`${options.sandboxUrl}/admin/config`);
  const adapter = new SandboxAdapter(options.sandboxUrl);
  const rng = createRng(options.seed);
  const browser = await launchChromium();
  const steps: CategorizedStep[] = [];
  const intended: number[] = [];
  let likes = 0;
  try {
    const page = await browser.newPage({ viewport: { width: 420, height: 746 } });
    await adapter.open(page, options.account);
    let key: string | undefined;
    for (let i = 0; i < options.videos; i++) {
      const observed = await adapter.observe(page, key);
      key = observed.key;
      const appeared = performance.now() - observed.onScreenMs;
      const decision = decidePersonaStat(options.persona, observed.observation, rng);
      likes += (await adapter.act(page, decision)).includes('like') ? 1 : 0;
      const remainingMs = (decision.watchSeconds * 1000) / timeScale - (performance.now() - appeared);
      if (remainingMs > 0) await page.waitForTimeout(remainingMs);
      await adapter.next(page);
      steps.push({ level1: observed.observation.level1 });
      intended.push(decision.watchSeconds);
      if ((i + 1) % WINDOW === 0 || i + 1 === options.videos) {
        const recent = diversityWindows(steps.slice(-WINDOW), WINDOW)[0] ?? 0;
        options.progress(`${String(i + 1).padStart(4)}/${options.videos} videos · ${recent} categories in the last ${Math.min(WINDOW, steps.length)} · ${likes} liked`);
      }
    }
    await adapter.observe(page, key); // the last swipe has landed: its dwell is measured
  } finally {
    await browser.close();
  }

  const { impressions } = await fetchJson<{ impressions: { dwellSeconds: number | null }[] }>(
    `${options.sandboxUrl}/admin/accounts/${encodeURIComponent(options.account)}/impressions?offset=0&limit=5000`,
  );
  // The account may have history from earlier demos: compare the last `videos` closed impressions.
  const measured = impressions.filter((row) => row.dwellSeconds !== null).slice(-options.videos);
  const errors = measured
    .map((row, i) => (Math.abs((row.dwellSeconds ?? 0) - (intended[i] ?? 0)) * 1000) / timeScale)
    .sort((a, b) => a - b);
  const windows = diversityWindows(steps, WINDOW);
  const counts = new Map<string, number>();
  const tail = steps.slice(-50);
  for (const step of tail) for (const slug of step.level1) counts.set(slug, (counts.get(slug) ?? 0) + 1);
  return {
    videos: steps.length,
    likes,
    firstWindowDiversity: windows[0] ?? 0,
    lastWindowDiversity: windows.at(-1) ?? 0,
    diversityChangePct: diversityChangePct(windows),
    topCategories: [...counts].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([slug, n]) => ({ slug, share: n / tail.length })),
    dwellErrorMs: { p50: percentile(errors, 0.5), p95: percentile(errors, 0.95) },
    timeScale,
  };
}

export const categoryName = (slug: string): string => {
  const c = level1(slug);
  return c ? `${c.en} (${c.zh})` : slug;
};
