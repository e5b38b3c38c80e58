/**
 * One fixture site per real platform, for tests and benchmarks: a phone-sized vertical feed page
 * that loads its items from the platform's feed API (path, method and response shape of
 * platforms.ts), with ads and live rooms among them, like / comment / share / not-interested
 * controls, a sign-in that sets the platform's session cookie, and challenges on demand (captcha,
 * login wall, rate limit, account blocked) served the way the platform serves them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChallengeKind } from '../../../core/platforms';
import { createRng } from '../../../core/rng';
import { TAXONOMY } from '../../../core/taxonomy';
import { FIXTURE_PLATFORMS, type FixtureItem, type WebPlatform } from './platforms';

export interface FixtureEvent {
  type: 'like' | 'comment' | 'share' | 'not-interested';
  id: string;
  text?: string;
}

/** What one page load of the site saw of the browser: its headers, and what its script read from the page. */
export interface FixtureVisit {
  userAgent: string;
  acceptLanguage: string;
  /** The visit number the browser's cookie carried (0: no cookie: a browser the site never saw). */
  cookieVisits: number;
  /** Reported by the page's script (navigator, Intl, geolocation, localStorage). */
  page?: { language: string; timeZone: string; userAgent: string; geolocation: { latitude: number; longitude: number } | string; storedVisits: number };
}

export interface FixtureSite {
  platform: WebPlatform;
  url: string;
  /** The site's clock: site seconds per real second (pacing and dwell scale with it, as on the sandbox). */
  timeScale: number;
  /** What the page reported: actions on items, in order. */
  events: FixtureEvent[];
  /** Every item the feed API served, in order (ads and live rooms included). */
  served: FixtureItem[];
  /** Every page load, in order: the browser identity and state the site saw. */
  visits: FixtureVisit[];
  /** From the next feed request on, answer with this challenge until a person presses the page's "solved" button. */
  challenge(kind: ChallengeKind | null): void;
  close(): Promise<void>;
}

const PAGE_SIZE = 4;

function itemAt(platform: WebPlatform, n: number): FixtureItem {
  const spec = FIXTURE_PLATFORMS[platform];
  const rng = createRng(`${platform}:${n}`);
  const category = rng.pick(TAXONOMY);
  const kind = n % 5 === 3 ? 'ad' : spec.live && n % 7 === 5 ? 'live' : 'video';
  return {
    id: spec.idFor(n), title: `${category.en} clip ${n}`, author: `creator_${n % 9}`,
    durationSeconds: 5 + rng.int(56), category: { slug: category.slug, zh: category.zh, en: category.en }, kind,
    // Many real shorts have no hashtag; every third one here, so audits meet items only the classifier can label.
    tagged: !(platform === 'youtube-shorts' && n % 3 === 1),
  };
}

const escapeScript = (json: string) => json.replace(/</g, '\\u003c');

function feedPage(platform: WebPlatform): string {
  const spec = FIXTURE_PLATFORMS[platform];
  const config = { api: spec.api, dom: spec.dom, overlays: spec.overlays, pageSize: PAGE_SIZE };
  const panel = (id: string, html?: string) => (html ? `<div class="fx-panel" id="fx-${id}" hidden>${html}</div>` : '');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${platform} (fixture)</title>
<style>
  html, body { margin: 0; height: 100%; overflow: hidden; font: 14px system-ui, sans-serif; }
  #fx-feed > * { display: block; height: 100vh; position: relative; box-sizing: border-box; padding: 12px; border-bottom: 1px solid #ccc; }
  .fx-video { height: 50vh; background: linear-gradient(#555, #999); }
  .fx-actions { position: absolute; right: 10px; bottom: 90px; display: flex; flex-direction: column; gap: 12px; }
  .fx-actions > * { cursor: pointer; font-size: 22px; }
  .fx-panel { position: fixed; left: 0; right: 0; bottom: 0; background: #fff; border-top: 2px solid #000; padding: 10px; z-index: 5; }
  .fx-panel [contenteditable], .fx-panel textarea { display: block; min-height: 2em; border: 1px solid #888; margin-bottom: 6px; width: 90%; }
  #fx-overlay { position: fixed; inset: 0; background: rgba(0, 0, 0, .85); color: #fff; padding: 60px 20px; z-index: 10; }
  #fixture-sign-in { position: fixed; top: 4px; left: 4px; z-index: 6; }
  [hidden] { display: none !important; }
</style></head>
<body>
<button id="fixture-sign-in">Sign in (fixture)</button>
<div id="fx-feed"></div>
${panel('comment', spec.panels.comment)}${panel('share', spec.panels.share)}${panel('more', spec.panels.more)}
<div id="fx-overlay" hidden></div>
<script>
const FX = ${escapeScript(JSON.stringify(config))};
const readItems = ${spec.readItems};
const feed = document.getElementById('fx-feed');
const overlay = document.getElementById('fx-overlay');
const items = [];
let index = 0, loading = false, stopped = false, page = 0;
const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const render = (it) => FX.dom.item.replaceAll('{id}', esc(it.id)).replaceAll('{title}', esc(it.title)).replaceAll('{author}', esc(it.author))
  .replaceAll('{badge}', it.ad ? FX.dom.adBadge : it.live ? FX.dom.liveBadge : '');
async function load() {
  if (loading || stopped) return;
  loading = true;
  const op = FX.api.graphqlOperation;
  const body = op ? { operationName: op, variables: { page }, query: 'query ' + op + ' { feeds }' } : { num: FX.pageSize, cursor_score: String(page) };
  const response = await fetch(FX.api.path + (FX.api.method === 'GET' ? '?count=' + FX.pageSize + '&page=' + page : ''),
    FX.api.method === 'POST' ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {});
  // Read the body whatever it says, as the platforms' bundles do (an unread body never finishes loading).
  const json = await response.json().catch(() => null);
  loading = false;
  const challenge = response.headers.get('x-fixture-challenge');
  if (challenge) {
    stopped = true;
    if (FX.overlays[challenge]) {
      overlay.innerHTML = FX.overlays[challenge].replace('{solve}', '<button data-fx="solve">Solved</button>');
      overlay.hidden = false;
    }
    return;
  }
  page += 1;
  for (const it of readItems(json)) {
    items.push(it);
    feed.insertAdjacentHTML('beforeend', render(it));
  }
}
const hidePanels = () => document.querySelectorAll('.fx-panel').forEach((p) => { p.hidden = true; });
function go(i) {
  if (i < 0 || i >= items.length) return;
  index = i;
  hidePanels();
  feed.style.transform = 'translateY(' + (-100 * index) + 'vh)';
  if (items.length - index <= 2) load();
}
const event = (type, extra) => fetch('/fixture/event', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type, id: items[index].id, ...extra }) });
const show = (id) => { hidePanels(); const p = document.getElementById('fx-' + id); p.hidden = false; p.querySelectorAll('textarea, [contenteditable]').forEach((e) => { if (e.tagName === 'TEXTAREA') e.value = ''; else e.textContent = ''; }); };
document.addEventListener('keydown', (e) => { if (e.key === 'ArrowDown') go(index + 1); if (e.key === 'ArrowUp') go(index - 1); });
// One wheel event, one item (the adapter sends one per swipe; a trackpad's burst is not modelled).
document.addEventListener('wheel', (e) => go(index + (e.deltaY > 0 ? 1 : -1)));
document.addEventListener('click', async (e) => {
  if (e.target.id === 'fixture-sign-in') { await fetch('/fixture/sign-in', { method: 'POST' }); e.target.textContent = 'Signed in'; return; }
  const fx = e.target.closest('[data-fx]');
  if (!fx) return;
  const what = fx.dataset.fx;
  if (what === 'like' || what === 'not-interested') { hidePanels(); await event(what); }
  else if (what === 'comment' || what === 'share' || what === 'more') show(what);
  else if (what === 'comment-send') {
    const input = document.querySelector('#fx-comment textarea, #fx-comment [contenteditable]');
    await event('comment', { text: input.tagName === 'TEXTAREA' ? input.value : input.textContent });
    hidePanels();
  } else if (what === 'share-send') { hidePanels(); await event('share'); }
  else if (what === 'solve') { await fetch('/fixture/solve', { method: 'POST' }); location.reload(); }
});
// What a platform's bundle can read of the browser: reported once per page load.
(async () => {
  const stored = Number(localStorage.getItem('fx-visits') ?? 0);
  localStorage.setItem('fx-visits', String(stored + 1));
  const geolocation = await new Promise((resolve) => {
    if (!navigator.geolocation) return resolve('unavailable');
    navigator.geolocation.getCurrentPosition((p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude }), (e) => resolve('denied: ' + e.message), { timeout: 2000 });
  });
  await fetch('/fixture/identity', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({
    language: navigator.language, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, userAgent: navigator.userAgent, geolocation, storedVisits: stored,
  }) });
})();
load();
</script>
</body></html>`;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFixtureSite(platform: WebPlatform, options: { timeScale?: number; port?: number } = {}): Promise<FixtureSite> {
  const spec = FIXTURE_PLATFORMS[platform];
  const events: FixtureEvent[] = [];
  const served: FixtureItem[] = [];
  const visits: FixtureVisit[] = [];
  let pending: ChallengeKind | null = null;
  let next = 0;
  const html = feedPage(platform);

  const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
    response.end(JSON.stringify(body));
  };

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://fixture');
      if (url.pathname === spec.api.path && request.method === spec.api.method) {
        const body = request.method === 'POST' ? await readBody(request) : '';
        if (spec.api.graphqlOperation && (JSON.parse(body || '{}') as { operationName?: string }).operationName !== spec.api.graphqlOperation) {
          return json(response, 200, { data: {} });
        }
        if (pending) {
          const challenge = spec.challenge[pending];
          return json(response, challenge.status, challenge.body, { 'x-fixture-challenge': pending });
        }
        const items = Array.from({ length: PAGE_SIZE }, () => itemAt(platform, next++));
        served.push(...items);
        return json(response, 200, spec.body(items, Math.floor(next / PAGE_SIZE)));
      }
      if (request.method === 'POST' && url.pathname === '/fixture/event') {
        events.push(JSON.parse(await readBody(request)) as FixtureEvent);
        return json(response, 200, { ok: true });
      }
      if (request.method === 'POST' && url.pathname === '/fixture/sign-in') {
        return json(response, 200, { ok: true }, { 'set-cookie': `${spec.cookie}=fixture-${next}; Path=/; HttpOnly` });
      }
      if (request.method === 'POST' && url.pathname === '/fixture/solve') {
        pending = null;
        return json(response, 200, { ok: true });
      }
      if (request.method === 'POST' && url.pathname === '/fixture/identity') {
        const visit = visits.at(-1);
        if (visit) visit.page = JSON.parse(await readBody(request)) as FixtureVisit['page'];
        return json(response, 200, { ok: true });
      }
      if (url.pathname === '/fixture/config') return json(response, 200, { platform, timeScale: options.timeScale ?? 1 });
      if (request.method === 'GET' && url.pathname !== '/favicon.ico') {
        // A first-party cookie that counts this browser's visits: it survives only if the account's cookies do.
        const cookieVisits = Number(/(?:^|; )fx_visits=(\d+)/.exec(request.headers.cookie ?? '')?.[1] ?? 0);
        visits.push({ userAgent: request.headers['user-agent'] ?? '', acceptLanguage: request.headers['accept-language'] ?? '', cookieVisits });
        response.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'set-cookie': `fx_visits=${cookieVisits + 1}; Path=/; Max-Age=86400; HttpOnly`,
        });
        return response.end(html);
      }
      response.writeHead(404).end();
    })().catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    platform, url: `http://127.0.0.1:${port}`, timeScale: options.timeScale ?? 1, events, served, visits,
    challenge(kind) {
      pending = kind;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
