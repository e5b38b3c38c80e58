/**
 * The live view: a local web page that shows a browser session's page as it is now and lets a
 * person use it (solve a captcha, sign in). It runs in the browser worker process, because that
 * process owns the Page: frames come from CDP `Page.startScreencast`, and the viewer's mouse and
 * keyboard go back through `Input.dispatchMouseEvent` / `Input.dispatchKeyEvent`.
 *
 * Transport needs nothing beyond node:http: frames stream as Server-Sent Events, input arrives as
 * small POSTs. Each session gets its own unguessable token in the URL; the server listens on
 * 127.0.0.1 only, on a configurable port (0 = any free one), and starts on first use.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CDPSession, Page } from 'playwright-core';
import { z } from 'zod';
import { LIVE_VIEW_PAGE } from './live-view-page';

/** What the viewer page sends: CDP input events, checked before they reach the browser. */
const InputSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('mouse'),
    type: z.enum(['mousePressed', 'mouseReleased', 'mouseMoved', 'mouseWheel']),
    x: z.number().finite(),
    y: z.number().finite(),
    button: z.enum(['none', 'left', 'middle', 'right']).default('none'),
    buttons: z.number().int().min(0).max(31).default(0),
    clickCount: z.number().int().min(0).max(3).default(0),
    deltaX: z.number().finite().optional(),
    deltaY: z.number().finite().optional(),
  }).strict(),
  z.object({
    kind: z.literal('key'),
    type: z.enum(['keyDown', 'keyUp', 'char']),
    key: z.string().max(32),
    code: z.string().max(32).default(''),
    text: z.string().max(8).optional(),
    windowsVirtualKeyCode: z.number().int().min(0).max(255).optional(),
  }).strict(),
]);
type LiveInput = z.infer<typeof InputSchema>;

/** A body larger than this is not an input event. */
const MAX_BODY_BYTES = 4096;
const SCREENCAST = { format: 'jpeg', quality: 70, everyNthFrame: 1 } as const;

export interface LiveViewTarget {
  /** Shown in the page's title bar: what the person is asked to do. */
  purpose: string;
  page: Page;
  /** The page's "Done" button: tells the waiting workflow; its answer (or error) is shown to the person. */
  done(): Promise<string>;
}

interface Frame {
  data: string;
  width: number;
  height: number;
}

/** One session on view: its CDP screencast runs while at least one viewer is connected. */
class Viewing {
  private cdp?: Promise<CDPSession>;
  private readonly viewers = new Set<ServerResponse>();
  private last?: Frame;

  constructor(readonly target: LiveViewTarget) {}

  async attach(response: ServerResponse): Promise<void> {
    this.viewers.add(response);
    response.on('close', () => {
      this.viewers.delete(response);
      if (this.viewers.size === 0) void this.stop();
    });
    if (this.last) send(response, 'frame', this.last);
    if (this.viewers.size === 1) await this.start();
  }

  private async start(): Promise<void> {
    const { page } = this.target;
    this.cdp ??= page.context().newCDPSession(page);
    const cdp = await this.cdp;
    cdp.on('Page.screencastFrame', (event) => {
      this.last = { data: event.data, width: event.metadata.deviceWidth, height: event.metadata.deviceHeight };
      for (const viewer of this.viewers) send(viewer, 'frame', this.last);
      cdp.send('Page.screencastFrameAck', { sessionId: event.sessionId }).catch(() => undefined);
    });
    const viewport = page.viewportSize();
    await cdp.send('Page.startScreencast', { ...SCREENCAST, ...(viewport ? { maxWidth: viewport.width, maxHeight: viewport.height } : {}) });
  }

  private async stop(): Promise<void> {
    const cdp = await this.cdp?.catch(() => undefined);
    this.cdp = undefined;
    await cdp?.detach().catch(() => undefined);
  }

  async input(event: LiveInput): Promise<void> {
    const cdp = await (this.cdp ??= this.target.page.context().newCDPSession(this.target.page));
    if (event.kind === 'mouse') {
      const { kind: _kind, ...params } = event;
      await cdp.send('Input.dispatchMouseEvent', { ...params, ...(event.type === 'mouseWheel' ? { deltaX: event.deltaX ?? 0, deltaY: event.deltaY ?? 0 } : {}) });
    } else {
      const { kind: _kind, ...params } = event;
      await cdp.send('Input.dispatchKeyEvent', params);
    }
  }

  async close(): Promise<void> {
    for (const viewer of this.viewers) viewer.end();
    this.viewers.clear();
    await this.stop();
  }
}

function send(response: ServerResponse, event: string, data: unknown): void {
  response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

export class LiveViewServer {
  private server?: Promise<Server>;
  private readonly byToken = new Map<string, Viewing>();
  private readonly tokenOf = new Map<string, string>();

  constructor(private readonly options: { host?: string; port: number }) {}

  /** The view's URL for session `id` (the same URL for the session's lifetime). */
  async open(id: string, target: LiveViewTarget): Promise<string> {
    const server = await (this.server ??= this.listen());
    let token = this.tokenOf.get(id);
    if (!token) {
      token = randomBytes(24).toString('base64url');
      this.tokenOf.set(id, token);
      this.byToken.set(token, new Viewing(target));
    }
    const { address, port } = server.address() as AddressInfo;
    return `http://${address}:${port}/live/${token}`;
  }

  /** Whether session `id` has a live view (a person may be at its page). */
  isOpen(id: string): boolean {
    return this.tokenOf.has(id);
  }

  /** Stops showing session `id` (its page is closing) and disconnects its viewers. */
  async close(id: string): Promise<void> {
    const token = this.tokenOf.get(id);
    if (!token) return;
    this.tokenOf.delete(id);
    const viewing = this.byToken.get(token);
    this.byToken.delete(token);
    await viewing?.close();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.tokenOf.keys()].map((id) => this.close(id)));
    const server = await this.server?.catch(() => undefined);
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private listen(): Promise<Server> {
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) reply(response, 500, { error: error instanceof Error ? error.message : String(error) });
        else response.end();
      });
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host ?? '127.0.0.1', () => resolve(server));
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/live\/([A-Za-z0-9_-]{32})(\/frames|\/input|\/done)?$/.exec(new URL(request.url ?? '/', 'http://x').pathname);
    const viewing = match ? this.byToken.get(match[1]!) : undefined;
    // The same answer for a wrong token and a closed session: tokens cannot be probed.
    if (!match || !viewing) return reply(response, 404, { error: 'no live view here (the session ended, or the link is wrong)' });
    const route = `${request.method} ${match[2] ?? ''}`;
    switch (route) {
      case 'GET ':
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
          .end(LIVE_VIEW_PAGE.replace('{{PURPOSE}}', escapeHtml(viewing.target.purpose)));
        return;
      case 'GET /frames':
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        await viewing.attach(response);
        return;
      case 'POST /input': {
        const parsed = InputSchema.safeParse(await readJson(request).catch(() => null));
        if (!parsed.success) return reply(response, 400, { error: `bad input event: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
        await viewing.input(parsed.data);
        return reply(response, 200, { ok: true });
      }
      case 'POST /done':
        try {
          return reply(response, 200, { message: await viewing.target.done() });
        } catch (error) {
          return reply(response, 409, { error: error instanceof Error ? error.message : String(error) });
        }
      default:
        return reply(response, 405, { error: `${request.method} is not allowed here` });
    }
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
