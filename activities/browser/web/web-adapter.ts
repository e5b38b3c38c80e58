/**
 * The web-adapter engine: one PlatformAdapter for every real platform, driven by its site profile
 * (activities/browser/<platform>/site.json). Metadata comes from the platform's own feed API
 * responses intercepted in the page and is joined to the item on screen by id; the DOM is only the
 * fallback. Dwell runs from the moment this adapter's watcher in the page saw the item become the
 * one on screen (real sites stamp nothing for us).
 */
import type { Page, Response } from 'playwright-core';
import type { Decision } from '../../../core/decision';
import { ObservationSchema } from '../../../core/observation';
import type { Pacing, Platform } from '../../../core/platforms';
import { normalizeLevel1 } from '../../../core/taxonomy';
import { givenLabel } from '../../../core/content-label';
import type { Challenge, ObservedVideo, PlatformAdapter } from '../platform-adapter';
import { FeedShapeError, parseFeedResponse, valuesAt, type FeedItem } from './feed-parser';
import type { SiteProfile } from './site-profile';

const OBSERVE_TIMEOUT_MS = 30_000;
/** One in-page wait; between two, the adapter looks at what the feed responses said. */
const WAIT_SLICE_MS = 500;
/** How long an item on screen may wait for its feed response before the DOM alone describes it. */
const JOIN_WAIT_MS = 3_000;
/** Ads and live rooms skipped in a row before the adapter gives up (the feed serves nothing else). */
const MAX_SKIPS = 20;
/** Feed items remembered per page for the join (a long session loads thousands). */
const MAX_ITEMS = 500;
const ACTION_TIMEOUT_MS = 10_000;
/** The watcher marks the item on screen with this attribute, so actions click that item's buttons. */
const CURRENT = 'data-personaact-current';

export interface WebAdapterOptions {
  /** The platform's origin (its homeUrl) or a fixture site's URL. */
  baseUrl: string;
  pacing: Pacing;
  /** Site seconds per real second: a fixture site's fast clock scales pacing down; real sites run at 1. */
  timeScale?: number;
}

/** What an adapter saw of a page's feed so far: for the join and for `personaact adapter check`. */
export interface FeedTrace {
  items: Map<string, FeedItem>;
  /** Feed responses that parsed, per endpoint pattern. */
  endpointHits: Map<string, number>;
  /** Feed responses that did not have the expected shape (the path that broke). */
  parseErrors: string[];
  /** A challenge the last feed response announced (status or body), until a good response clears it. */
  responseChallenge?: Challenge;
  skipped: { ad: number; live: number };
  lastActionAt: number;
}

interface Card {
  key: string;
  id: string;
  seenAt: number;
  now: number;
  title: string;
  author: string;
  ad: boolean;
  live: boolean;
}

/**
 * Runs in the page (plain JavaScript: tsx's helpers do not exist there). Keeps track of which
 * feed item covers most of the viewport, marks it, and stamps when it became the current one.
 */
const INSTALL_WATCHER = `(cfg) => {
  if (window.__personaact) return;
  const nonce = Math.random().toString(36).slice(2, 8);
  const state = { key: '', id: '', seenAt: 0, count: 0 };
  const idOf = (item) => {
    const el = cfg.idSelector ? item.querySelector(cfg.idSelector) : item;
    const raw = (el && el.getAttribute(cfg.attribute)) || '';
    if (!cfg.pattern) return raw;
    const match = raw.match(new RegExp(cfg.pattern));
    return match ? match[1] : '';
  };
  const current = () => {
    let best = null;
    let bestArea = 0;
    for (const el of document.querySelectorAll(cfg.item)) {
      const r = el.getBoundingClientRect();
      const w = Math.min(r.right, innerWidth) - Math.max(r.left, 0);
      const h = Math.min(r.bottom, innerHeight) - Math.max(r.top, 0);
      const area = w > 0 && h > 0 ? w * h : 0;
      if (area > bestArea) { bestArea = area; best = el; }
    }
    return best;
  };
  const check = () => {
    const el = current();
    // An item without a readable id (often an ad) still counts as on screen, under its position.
    const id = el ? idOf(el) || '#' + Array.prototype.indexOf.call(document.querySelectorAll(cfg.item), el) : '';
    if (!id || id === state.id) return;
    document.querySelectorAll('[${CURRENT}]').forEach((old) => old.removeAttribute('${CURRENT}'));
    el.setAttribute('${CURRENT}', '');
    state.id = id;
    state.count += 1;
    state.key = nonce + ':' + id + '#' + state.count;
    state.seenAt = performance.now();
  };
  let queued = false;
  const soon = () => { if (queued) return; queued = true; queueMicrotask(() => { queued = false; check(); }); };
  new MutationObserver(soon).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['class', 'style', 'hidden', cfg.attribute] });
  addEventListener('scroll', soon, true);
  setInterval(check, 100);
  window.__personaact = { state, check };
  check();
}`;

/** Resolves 'item' once an item other than `previous` is current, 'challenge' when one shows, 'timeout' otherwise. */
const WAIT_FOR_ITEM = `({ previous, timeoutMs, challenges }) => new Promise((resolve) => {
  const end = performance.now() + timeoutMs;
  const visible = (sel) => { const el = document.querySelector(sel); return el !== null && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const tick = () => {
    const watcher = window.__personaact;
    if (watcher) { watcher.check(); if (watcher.state.key && watcher.state.key !== previous) return resolve('item'); }
    if (challenges.some(visible)) return resolve('challenge');
    if (performance.now() > end) return resolve('timeout');
    setTimeout(tick, 25);
  };
  tick();
})`;

/** Reads the current item's DOM in one round trip. */
const READ_CARD = `(cfg) => {
  const { state } = window.__personaact;
  const item = document.querySelector('[${CURRENT}]');
  const text = (sel) => ((item && item.querySelector(sel)) || document.querySelector(sel))?.textContent?.trim() ?? '';
  return {
    key: state.key, id: state.id, seenAt: state.seenAt, now: performance.now(),
    title: text(cfg.title), author: text(cfg.author).replace(/^@/, ''),
    ad: Boolean(cfg.ad && item && item.querySelector(cfg.ad)),
    live: Boolean(cfg.live && item && item.querySelector(cfg.live)),
  };
}`;

/** Which challenge markers are on the page (visible element or URL). */
const VISIBLE_MARKERS = `(selectors) => selectors.map((sel) => {
  if (!sel) return false;
  const el = document.querySelector(sel);
  return el !== null && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
})`;

const HASHTAG = /#([^\s#]+)/gu;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class WebAdapter implements PlatformAdapter {
  readonly platform: Platform;
  private readonly traces = new WeakMap<Page, FeedTrace>();
  private readonly watcherConfig: string;

  constructor(readonly profile: SiteProfile, private readonly options: WebAdapterOptions) {
    this.platform = profile.platform;
    const { dom } = profile;
    this.watcherConfig = JSON.stringify({
      item: dom.item, idSelector: dom.id.selector, attribute: dom.id.attribute, pattern: dom.id.pattern,
      title: dom.title, author: dom.author, ad: dom.ad, live: dom.live,
    });
  }

  private url(path: string): string {
    return new URL(path, this.options.baseUrl).toString();
  }

  /** The page's feed trace, listening to its responses from the first call on. */
  trace(page: Page): FeedTrace {
    let trace = this.traces.get(page);
    if (!trace) {
      trace = { items: new Map(), endpointHits: new Map(), parseErrors: [], skipped: { ad: 0, live: 0 }, lastActionAt: 0 };
      this.traces.set(page, trace);
      const seen = trace;
      page.on('response', (response) => void this.onResponse(seen, response));
    }
    return trace;
  }

  private endpointOf(response: Response): string | undefined {
    const url = response.url();
    for (const endpoint of this.profile.feedApi.endpoints) {
      if (!url.includes(endpoint.urlIncludes)) continue;
      if (endpoint.graphqlOperation) {
        let operation: unknown;
        try {
          operation = (response.request().postDataJSON() as { operationName?: unknown } | null)?.operationName;
        } catch {
          operation = undefined;
        }
        if (operation !== endpoint.graphqlOperation) continue;
      }
      return endpoint.urlIncludes;
    }
    return undefined;
  }

  private async onResponse(trace: FeedTrace, response: Response): Promise<void> {
    const endpoint = this.endpointOf(response);
    if (!endpoint) return;
    const byStatus = this.profile.responseChallenges.find((c) => c.status === response.status());
    if (byStatus) {
      trace.responseChallenge = { kind: byStatus.kind, detail: byStatus.detail };
      return;
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      trace.parseErrors.push(`${endpoint}: the response is not JSON (${(error as Error).message.split('\n')[0]})`);
      return;
    }
    const byBody = this.profile.responseChallenges.find((c) => c.path !== undefined && valuesAt(body, c.path).some((v) => (c.equals === undefined ? Boolean(v) : v === c.equals)));
    if (byBody) {
      trace.responseChallenge = { kind: byBody.kind, detail: byBody.detail };
      return;
    }
    try {
      for (const item of parseFeedResponse(this.profile.feedApi, body)) {
        if (item.id) trace.items.set(item.id, item);
      }
      for (const id of [...trace.items.keys()].slice(0, Math.max(0, trace.items.size - MAX_ITEMS))) trace.items.delete(id);
      trace.endpointHits.set(endpoint, (trace.endpointHits.get(endpoint) ?? 0) + 1);
      delete trace.responseChallenge;
    } catch (error) {
      trace.parseErrors.push(`${endpoint}: ${error instanceof FeedShapeError ? error.message : String(error)}`);
    }
  }

  /** Waits out the platform's minimum gap between actions (with jitter), so no caller can act faster. */
  private async pace(page: Page): Promise<void> {
    const trace = this.trace(page);
    const { minActionGapMs, jitterMs } = this.options.pacing;
    const gap = (minActionGapMs + Math.random() * jitterMs) / (this.options.timeScale ?? 1);
    const wait = trace.lastActionAt + gap - performance.now();
    if (wait > 0) await sleep(wait);
    trace.lastActionAt = performance.now();
  }

  private async installWatcher(page: Page): Promise<void> {
    await page.evaluate(`(${INSTALL_WATCHER})(${this.watcherConfig})`);
  }

  async open(page: Page, _account: string): Promise<void> {
    this.trace(page);
    await page.goto(this.url(this.profile.feedPath), { waitUntil: 'domcontentloaded' });
    await this.installWatcher(page);
  }

  async openSignIn(page: Page): Promise<void> {
    this.trace(page);
    await page.goto(this.url(this.profile.signInPath), { waitUntil: 'domcontentloaded' });
  }

  /** Real sites do not say who is signed in without an API call per site: the session cookie is the check. */
  async isSignedIn(page: Page, _account: string): Promise<boolean> {
    const cookies = await page.context().cookies(this.options.baseUrl);
    return cookies.some((cookie) => cookie.name === this.profile.signedIn.cookie && cookie.value !== '');
  }

  async observe(page: Page, previousKey?: string): Promise<ObservedVideo> {
    const trace = this.trace(page);
    const challengeSelectors = this.profile.challenges.flatMap((c) => (c.selector ? [c.selector] : []));
    let previous = previousKey ?? '';
    for (let skips = 0; ; skips++) {
      await this.installWatcher(page);
      const args = JSON.stringify({ previous, timeoutMs: WAIT_SLICE_MS, challenges: challengeSelectors });
      // In slices, so that a challenge announced only by a feed response (a 429) ends the wait too.
      const end = performance.now() + OBSERVE_TIMEOUT_MS;
      let outcome: string;
      do {
        outcome = await page.evaluate<string>(`(${WAIT_FOR_ITEM})(${args})`);
      } while (outcome === 'timeout' && !trace.responseChallenge && performance.now() < end);
      const challenge = await this.detectChallenge(page);
      if (challenge) throw new Error(`cannot observe: ${challenge.kind} on screen (${challenge.detail})`);
      if (outcome !== 'item') throw new Error(`no new ${this.platform} item appeared within ${OBSERVE_TIMEOUT_MS / 1000} s (selector ${this.profile.dom.item})`);
      let card = await page.evaluate<Card>(`(${READ_CARD})(${this.watcherConfig})`);
      const identified = !card.id.startsWith('#');
      // The page usually renders from the feed response, so it is there; give a slow body a moment.
      for (const end = performance.now() + JOIN_WAIT_MS; identified && !trace.items.has(card.id) && performance.now() < end;) await sleep(50);
      const item = trace.items.get(card.id);
      if (!identified && !card.ad && !card.live) {
        throw new Error(`the ${this.platform} item on screen has no id (${this.profile.dom.id.selector ?? this.profile.dom.item} ${this.profile.dom.id.attribute}${this.profile.dom.id.pattern ? ` ~ ${this.profile.dom.id.pattern}` : ''}): fix dom.id in its site.json`);
      }
      if (item?.ad || item?.live || card.ad || card.live) {
        if (skips >= MAX_SKIPS) throw new Error(`${MAX_SKIPS} ads or live rooms in a row on ${this.platform}: the feed shows nothing else`);
        trace.skipped[item?.live || card.live ? 'live' : 'ad'] += 1;
        previous = card.key;
        await this.next(page);
        continue;
      }
      card = { ...card, now: await page.evaluate<number>('performance.now()') };
      return { key: card.key, onScreenMs: Math.max(0, card.now - card.seenAt), observation: this.describe(page, card, item) };
    }
  }

  private describe(page: Page, card: Card, item: FeedItem | undefined) {
    const title = item?.title || card.title;
    // Hashtags in the title are the creator's own labels (YouTube Shorts has no other).
    const hashtags = [...title.matchAll(HASHTAG)].map((match) => match[1]!);
    const labels = [...new Set([...(item?.category ?? []), ...(item?.tags ?? []), ...hashtags])];
    const level1 = [...new Set(labels.map(normalizeLevel1).filter((slug): slug is string => slug !== undefined))];
    return ObservationSchema.parse({
      platform: this.platform,
      videoId: card.id,
      title,
      creator: item?.author || card.author,
      level1,
      level2: [],
      // Unlabelled here when the platform's tags name no category: the audit's labelling activity classifies the title.
      ...(level1.length > 0 ? { label: givenLabel('platform', level1) } : {}),
      ...(labels.length > 0 ? { tags: labels } : {}),
      durationSeconds: item?.durationSeconds ?? 0,
      url: page.url(),
      observedAt: new Date().toISOString(),
    });
  }

  /** The selector inside the current item when it has one there (each item has its own buttons), else on the page. */
  private async target(page: Page, selector: string) {
    const scoped = page.locator(`[${CURRENT}]`).locator(selector).first();
    return (await scoped.count()) > 0 ? scoped : page.locator(selector).first();
  }

  private async click(page: Page, selector: string): Promise<void> {
    await this.pace(page);
    await (await this.target(page, selector)).click({ timeout: ACTION_TIMEOUT_MS });
  }

  async act(page: Page, decision: Decision): Promise<string[]> {
    const { actions } = this.profile;
    const done: string[] = [];
    if (decision.like && actions.like) {
      await this.click(page, actions.like.click);
      done.push('like');
    }
    if (decision.comment !== undefined && actions.comment) {
      await this.click(page, actions.comment.open);
      await this.pace(page);
      await page.locator(actions.comment.input).first().fill(decision.comment, { timeout: ACTION_TIMEOUT_MS });
      await this.click(page, actions.comment.send);
      done.push('comment');
    }
    if (decision.share !== undefined && actions.share) {
      await this.click(page, actions.share.open);
      await this.click(page, actions.share.target);
      done.push('share');
    }
    if (decision.notInterested && actions.notInterested) {
      if (actions.notInterested.open) await this.click(page, actions.notInterested.open);
      await this.click(page, actions.notInterested.click);
      done.push('not-interested');
    }
    return done;
  }

  async detectChallenge(page: Page): Promise<Challenge | null> {
    const markers = this.profile.challenges;
    const url = page.url();
    const visible = await page.evaluate<boolean[]>(`(${VISIBLE_MARKERS})(${JSON.stringify(markers.map((m) => m.selector ?? ''))})`).catch(() => markers.map(() => false));
    const found = markers.find((marker, i) => visible[i] || (marker.urlIncludes !== undefined && url.includes(marker.urlIncludes)));
    if (found) return { kind: found.kind, detail: found.detail };
    return this.trace(page).responseChallenge ?? null;
  }

  async next(page: Page): Promise<void> {
    const navigation = this.profile.navigation;
    if ('click' in navigation) return this.click(page, navigation.click);
    await this.pace(page);
    if ('key' in navigation) return page.keyboard.press(navigation.key);
    const viewport = page.viewportSize() ?? { width: 420, height: 746 };
    await page.mouse.move(viewport.width / 2, viewport.height / 2);
    await page.mouse.wheel(0, navigation.wheel);
  }
}
