/**
 * The live view's page: draws the screencast frames on a canvas and sends mouse and keyboard
 * events back in page coordinates, in order (one request at a time). "Done" tells the workflow
 * that the person has finished; the workflow checks the page before it believes it.
 */
export const LIVE_VIEW_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>PersonaAct live view</title>
  <style>
    body { margin: 0; font: 14px system-ui, sans-serif; background: #222; color: #eee; display: grid; justify-items: center; gap: 8px; padding: 12px; }
    canvas { background: #000; cursor: crosshair; outline: none; touch-action: none; }
    .bar { display: flex; gap: 12px; align-items: center; }
    button { font: inherit; padding: 6px 16px; }
    #message { min-height: 1.4em; }
  </style>
</head>
<body>
  <div class="bar"><strong>{{PURPOSE}}</strong></div>
  <canvas id="screen" data-testid="live-screen" width="420" height="746" tabindex="0"></canvas>
  <div class="bar">
    <span id="state" data-testid="live-state">connecting…</span>
    <button id="done" data-testid="live-done">Done</button>
  </div>
  <p id="message" data-testid="live-message" role="status"></p>
  <script>
    const base = location.pathname;
    const canvas = document.getElementById('screen');
    const context = canvas.getContext('2d');
    const state = document.getElementById('state');
    let frames = 0;

    const events = new EventSource(base + '/frames');
    events.addEventListener('frame', (message) => {
      const frame = JSON.parse(message.data);
      const image = new Image();
      image.onload = () => {
        if (canvas.width !== frame.width || canvas.height !== frame.height) { canvas.width = frame.width; canvas.height = frame.height; }
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        frames += 1;
        canvas.dataset.frames = String(frames);
        state.textContent = 'live · ' + frames + ' frames';
      };
      image.src = 'data:image/jpeg;base64,' + frame.data;
    });
    events.onerror = () => { state.textContent = 'disconnected (the session may have ended)'; };

    // Events go out one after another, so a drag arrives as pressed → moved… → released.
    // data-pending counts events not yet delivered (a script driving this page waits for 0).
    let queue = Promise.resolve();
    let pending = 0;
    const post = (body) => {
      canvas.dataset.pending = String(++pending);
      queue = queue
        .then(() => fetch(base + '/input', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))
        .catch(() => undefined)
        .then(() => { canvas.dataset.pending = String(--pending); });
    };
    const BUTTONS = ['left', 'middle', 'right'];
    const at = (event) => {
      const box = canvas.getBoundingClientRect();
      return { x: (event.clientX - box.left) * (canvas.width / box.width), y: (event.clientY - box.top) * (canvas.height / box.height) };
    };
    let lastMove = 0;
    canvas.addEventListener('mousedown', (event) => {
      canvas.focus();
      post({ kind: 'mouse', type: 'mousePressed', ...at(event), button: BUTTONS[event.button] || 'left', buttons: event.buttons, clickCount: event.detail || 1 });
      event.preventDefault();
    });
    canvas.addEventListener('mouseup', (event) => {
      post({ kind: 'mouse', type: 'mouseReleased', ...at(event), button: BUTTONS[event.button] || 'left', buttons: event.buttons, clickCount: event.detail || 1 });
    });
    canvas.addEventListener('mousemove', (event) => {
      // Hovering is thinned out; a drag (a button held) sends every move.
      if (event.buttons === 0 && performance.now() - lastMove < 50) return;
      lastMove = performance.now();
      post({ kind: 'mouse', type: 'mouseMoved', ...at(event), button: event.buttons & 1 ? 'left' : 'none', buttons: event.buttons });
    });
    canvas.addEventListener('wheel', (event) => {
      post({ kind: 'mouse', type: 'mouseWheel', ...at(event), deltaX: event.deltaX, deltaY: event.deltaY });
      event.preventDefault();
    }, { passive: false });
    // Keys that type something carry their text (Enter submits forms with '\\r', as a keyboard does).
    const key = (type) => (event) => {
      const text = event.key.length === 1 ? event.key : event.key === 'Enter' ? '\\r' : undefined;
      post({ kind: 'key', type, key: event.key, code: event.code, windowsVirtualKeyCode: event.keyCode, ...(type === 'keyDown' && text ? { text } : {}) });
      event.preventDefault();
    };
    canvas.addEventListener('keydown', key('keyDown'));
    canvas.addEventListener('keyup', key('keyUp'));

    document.getElementById('done').addEventListener('click', async () => {
      const message = document.getElementById('message');
      message.textContent = 'checking…';
      const response = await fetch(base + '/done', { method: 'POST' });
      const body = await response.json();
      message.textContent = response.ok ? body.message : body.error;
    });
  </script>
</body>
</html>
`;
