// The feed page: one video at a time, a player clock at the server's time scale, actions, swipe.
const $ = (id) => document.querySelector(`[data-testid="${id}"]`);
const card = $('video');
let current = null;
let shownAt = 0;
let busy = false;

async function api(method, path, body) {
  const response = await fetch(path, {
    method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status === 401) { location.href = '/login'; return null; }
  const data = await response.json();
  if (response.status === 429) { toast(data.error); return null; }
  if (response.status === 409 && data.challenge) { showCaptcha(data.challenge); return null; }
  if (!response.ok) { toast(data.error); return null; }
  return data;
}

function toast(text) {
  const el = $('toast');
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.hidden = true; }, 3000);
}

function render(item) {
  current = item;
  shownAt = performance.now();
  const v = item.video;
  Object.assign(card.dataset, {
    shownAt, impressionId: item.impressionId, videoId: v.id, category: v.level1.slug, level2: v.level2.slug,
    durationSeconds: v.durationSeconds, creatorId: v.creator.id, timeScale: item.timeScale,
  });
  $('video-visual').style.background = `radial-gradient(circle at 30% 30%, ${v.visual.color}, #111 80%)`;
  $('video-glyph').textContent = v.visual.glyph;
  $('video-category').textContent = `${v.level1.zh} · ${v.level2.zh}`;
  $('video-title').textContent = v.title;
  $('video-creator').textContent = `@${v.creator.name}`;
  $('like').setAttribute('aria-pressed', 'false');
  $('comment-sheet').hidden = true;
  $('share-sheet').hidden = true;
  showClock();
  // Impression beacon: the platform measures dwell from the moment the video went on screen; the
  // page says how long ago that was, in case rendering held the request up.
  api('POST', `/api/impressions/${item.impressionId}/view`, { shownMsAgo: performance.now() - shownAt });
}

// The player's own clock: platform seconds run timeScale times faster than real ones; videos loop.
// Shown 4 times a second, not every frame: a page repainting at 60 fps costs a core's fifth per
// open session (measured in headless Chromium), which a study's concurrent sessions take from the
// steps' round trip — and on an accelerated clock that round trip lands on every dwell.
const PLAYER_TICK_MS = 250;
function showClock() {
  if (current) {
    const elapsed = ((performance.now() - shownAt) / 1000) * current.timeScale;
    const duration = current.video.durationSeconds;
    $('player-progress').style.width = `${((elapsed % duration) / duration) * 100}%`;
    $('player-time').textContent = `${(elapsed % duration).toFixed(1)} / ${duration.toFixed(1)} s`;
  }
}

async function load(path, method) {
  if (busy) return;
  busy = true;
  try {
    const item = await api(method, path);
    if (item) render(item);
  } finally {
    busy = false;
  }
}

const next = () => load('/api/feed/next', 'POST');
const act = (body) => current && api('POST', `/api/impressions/${current.impressionId}/actions`, body);

$('next').addEventListener('click', next);
$('like').addEventListener('click', async () => { if (await act({ type: 'like' })) $('like').setAttribute('aria-pressed', 'true'); });
$('not-interested').addEventListener('click', async () => { if (await act({ type: 'not-interested' })) toast('We will show fewer videos like this'); });
$('comment').addEventListener('click', () => { $('comment-sheet').hidden = false; $('comment-input').focus(); });
$('comment-sheet').addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = $('comment-input').value.trim();
  if (text && await act({ type: 'comment', text })) { $('comment-input').value = ''; $('comment-sheet').hidden = true; toast('Comment posted'); }
});
$('share').addEventListener('click', () => { $('share-sheet').hidden = false; });
$('share-sheet').addEventListener('click', async (event) => {
  const target = event.target.dataset && event.target.dataset.target;
  if (target && await act({ type: 'share', target })) { $('share-sheet').hidden = true; toast(`Shared to ${target}`); }
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'ArrowDown' && document.activeElement !== $('comment-input')) { event.preventDefault(); next(); }
});
let touchY = null;
document.addEventListener('touchstart', (event) => { touchY = event.touches[0].clientY; }, { passive: true });
document.addEventListener('touchend', (event) => {
  if (touchY !== null && touchY - event.changedTouches[0].clientY > 50) next();
  touchY = null;
});
let wheelLock = 0;
document.addEventListener('wheel', (event) => {
  if (event.deltaY > 30 && performance.now() > wheelLock) { wheelLock = performance.now() + 500; next(); }
}, { passive: true });

function showCaptcha(challenge) {
  $('captcha').hidden = false;
  $('captcha-gap').style.left = `${challenge.target}%`;
  $('captcha-slider').value = '0';
  $('captcha-error').textContent = '';
}
$('captcha-slider').addEventListener('change', async (event) => {
  const response = await fetch('/api/captcha', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ position: Number(event.target.value) }),
  });
  if (response.ok) { $('captcha').hidden = true; load('/api/feed/current', 'GET'); }
  else $('captcha-error').textContent = (await response.json()).error;
});

load('/api/feed/current', 'GET');
setInterval(showClock, PLAYER_TICK_MS);
