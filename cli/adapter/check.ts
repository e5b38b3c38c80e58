/**
 * `personaact adapter check PLATFORM`: a live preflight on the researcher's own machine. Opens the
 * feed the way an audit does (same adapter, same phone-sized viewport, the account's saved
 * sign-in), reads a few items and reports which endpoints and selectors matched, whether the page
 * is signed in and any challenge; every problem is named so that the site profile can be fixed.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { createAdapter } from '../../activities/browser/adapters';
import { launchChromium } from '../../activities/browser/chromium';
import { displayForHeaded, type VirtualDisplay } from '../../activities/browser/virtual-display';
import type { Challenge, PlatformAdapter } from '../../activities/browser/platform-adapter';
import { WebAdapter } from '../../activities/browser/web/web-adapter';
import { platformEntry, type Platform } from '../../core/platforms';

export interface CheckOptions {
  platform: Platform;
  sandboxUrl: string;
  /** Another origin than the registry's (a mirror, a fixture site). */
  url?: string;
  items: number;
  chromium: string;
  /** The account's saved sign-in, decrypted, and its identity (activities/accounts/browser-identity.ts); none: an anonymous session. */
  contextOptions?: BrowserContextOptions;
  account?: string;
  headed?: boolean;
}

export interface CheckedItem {
  id: string;
  title: string;
  author: string;
  durationSeconds: number;
  labels: string[];
  /** Whether the feed API described it or only the page did. */
  source: 'feed API' | 'DOM';
}

export interface CheckReport {
  platform: Platform;
  url: string;
  account?: string;
  signedIn: boolean;
  items: CheckedItem[];
  endpoints: { pattern: string; responses: number }[];
  selectors: { name: string; selector: string; matches: number }[];
  skipped: { ad: number; live: number };
  challenge?: Challenge;
  /** What broke: a non-empty list fails the check. */
  problems: string[];
  /** Worth a look, not a failure (an action button that only appears on hover…). */
  warnings: string[];
}

/** Counts each selector's matches in the page (-1: the selector is not valid CSS). */
const COUNT = `(selectors) => selectors.map((s) => { try { return document.querySelectorAll(s).length; } catch { return -1; } })`;

function selectorsOf(adapter: WebAdapter): { name: string; selector: string; required: boolean }[] {
  const { dom, actions, navigation } = adapter.profile;
  return [
    { name: 'dom.item', selector: dom.item, required: true },
    { name: 'dom.title', selector: dom.title, required: true },
    { name: 'dom.author', selector: dom.author, required: true },
    ...(dom.id.selector ? [{ name: 'dom.id.selector', selector: dom.id.selector, required: true }] : []),
    ...(actions.like ? [{ name: 'actions.like', selector: actions.like.click, required: false }] : []),
    ...(actions.comment ? [{ name: 'actions.comment.open', selector: actions.comment.open, required: false }] : []),
    ...(actions.share ? [{ name: 'actions.share.open', selector: actions.share.open, required: false }] : []),
    ...(actions.notInterested ? [{ name: 'actions.notInterested', selector: actions.notInterested.open ?? actions.notInterested.click, required: false }] : []),
    ...('click' in navigation ? [{ name: 'navigation.click', selector: navigation.click, required: true }] : []),
  ];
}

async function readItems(adapter: PlatformAdapter, page: Page, count: number, report: CheckReport, log: (line: string) => void): Promise<void> {
  let key: string | undefined;
  for (let i = 0; i < count; i++) {
    if (i > 0) await adapter.next(page);
    const observed = await adapter.observe(page, key);
    key = observed.key;
    const { observation } = observed;
    const joined = adapter instanceof WebAdapter ? adapter.trace(page).items.has(observation.videoId) : true;
    const item: CheckedItem = {
      id: observation.videoId, title: observation.title, author: observation.creator, durationSeconds: observation.durationSeconds,
      labels: [...observation.level1, ...(observation.tags ?? [])], source: joined ? 'feed API' : 'DOM',
    };
    report.items.push(item);
    log(`  item ${i + 1}: ${item.id} "${item.title.slice(0, 50)}" by ${item.author || '?'} (${item.durationSeconds} s; ${item.source})`);
  }
}

export async function checkAdapter(options: CheckOptions, log: (line: string) => void = () => undefined): Promise<CheckReport> {
  const entry = platformEntry(options.platform);
  const adapter = createAdapter(options.platform, {
    sandboxUrl: options.sandboxUrl, ...(options.url ? { sites: { [options.platform]: { url: options.url } } } : {}),
  });
  const url = options.url ?? (entry.adapter.kind === 'sandbox' ? options.sandboxUrl : entry.homeUrl ?? '');
  const report: CheckReport = {
    platform: options.platform, url, ...(options.account ? { account: options.account } : {}), signedIn: false,
    items: [], endpoints: [], selectors: [], skipped: { ad: 0, live: 0 }, problems: [], warnings: [],
  };
  let browser: Browser | undefined;
  let display: VirtualDisplay | undefined;
  try {
    display = options.headed ? await displayForHeaded(process.env) : undefined;
    browser = await launchChromium({ executablePath: options.chromium, ...(display ? { headless: false, display: display.display } : {}) });
    const context = await browser.newContext({ viewport: { width: 420, height: 746 }, ...options.contextOptions });
    const page = await context.newPage();
    log(`Opening the ${entry.displayName} feed at ${url}…`);
    try {
      await adapter.open(page, options.account ?? 'preflight');
      await readItems(adapter, page, options.items, report, log);
    } catch (error) {
      report.problems.push(`reading ${options.items} items failed after ${report.items.length}: ${(error as Error).message.split('\n')[0]}`);
    }
    const challenge = await adapter.detectChallenge(page).catch(() => null);
    if (challenge) {
      report.challenge = challenge;
      report.problems.push(`${challenge.kind} on screen: ${challenge.detail} (sign the account in or solve it: personaact account login ${options.platform} <id>)`);
    }
    report.signedIn = await adapter.isSignedIn(page, options.account ?? 'preflight').catch(() => false);
    if (options.account && !report.signedIn) report.problems.push(`account ${options.account} is not signed in on the page (its saved sign-in expired?): personaact account login ${options.platform} ${options.account}`);
    if (adapter instanceof WebAdapter) {
      const trace = adapter.trace(page);
      report.skipped = { ...trace.skipped };
      report.endpoints = adapter.profile.feedApi.endpoints.map((e) => ({ pattern: e.urlIncludes + (e.graphqlOperation ? ` (${e.graphqlOperation})` : ''), responses: trace.endpointHits.get(e.urlIncludes) ?? 0 }));
      if (report.endpoints.every((e) => e.responses === 0)) {
        report.problems.push(`no feed API response matched ${report.endpoints.map((e) => e.pattern).join(' or ')}: fix feedApi.endpoints in the site profile`);
      } else if (report.items.length > 0 && report.items.every((item) => item.source === 'DOM')) {
        report.problems.push('feed API responses arrived but no item on screen was found in them: fix feedApi.item.id or dom.id in the site profile');
      }
      for (const error of new Set(trace.parseErrors)) report.problems.push(`feed API response did not parse: ${error}`);
      const wanted = selectorsOf(adapter);
      const counts = await page.evaluate<number[]>(`(${COUNT})(${JSON.stringify(wanted.map((s) => s.selector))})`).catch(() => wanted.map(() => 0));
      wanted.forEach((s, i) => {
        const matches = counts[i] ?? 0;
        report.selectors.push({ name: s.name, selector: s.selector, matches });
        if (matches > 0) return;
        const why = `${s.name} (${s.selector}) ${matches < 0 ? 'is not a valid selector' : 'matched nothing'}`;
        // Behind a challenge the feed is not there: the challenge is the problem, not the selectors.
        (s.required && !report.challenge ? report.problems : report.warnings).push(why);
      });
    }
  } finally {
    await browser?.close().catch(() => undefined);
    await display?.stop();
  }
  return report;
}

export function renderCheckReport(report: CheckReport): string {
  const lines: string[] = [];
  lines.push(`${report.platform} at ${report.url}${report.account ? ` as ${report.account}` : ' (no account: anonymous)'}`);
  lines.push(`  signed in: ${report.signedIn ? 'yes' : 'no'}`);
  lines.push(`  items read: ${report.items.length} (skipped ${report.skipped.ad} ads, ${report.skipped.live} live rooms)`);
  for (const e of report.endpoints) lines.push(`  ${e.responses > 0 ? '✓' : '✗'} endpoint ${e.pattern}: ${e.responses} responses`);
  for (const s of report.selectors) lines.push(`  ${s.matches > 0 ? '✓' : '✗'} ${s.name} ${s.selector}: ${s.matches}`);
  if (report.challenge) lines.push(`  challenge: ${report.challenge.kind} (${report.challenge.detail})`);
  for (const w of report.warnings) lines.push(`  warning: ${w}`);
  lines.push(report.problems.length === 0 ? 'OK: the adapter reads this feed.' : `FAILED:\n${report.problems.map((p) => `  - ${p}`).join('\n')}`);
  return lines.join('\n');
}
