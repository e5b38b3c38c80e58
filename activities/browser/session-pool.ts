/**
 * The browser worker's live sessions: one Chromium per worker, one context and page per session.
 * Sessions are process-local state, which is why the session activities run on this worker's own
 * task queue (Temporal's worker-specific task queue pattern).
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { Platform } from '../../core/observation';
import type { InteractionRecord } from '../../core/interaction-record';
import { PAGE_ACTION_TIMEOUT_MS } from '../../core/step-timeouts';
import type { ObservedVideo, PlatformAdapter } from './platform-adapter';
import { FAILURE_TYPES } from '../../core/failures';

/** The video on screen, as last observed, with what is needed to record its step. */
export interface CurrentVideo extends ObservedVideo {
  /** performance.now() of this process when the video appeared. */
  appearedAt: number;
  /** Started when the video is observed; awaited before the swipe. */
  screenshot?: Promise<Buffer>;
  /** Set once swiped away: a retry of the step then only records and observes, never swipes twice. */
  swiped?: { actions: string[]; executedDwellMs: number; endedAt: Date };
}

export interface Session {
  readonly id: string;
  readonly platform: Platform;
  readonly accountId: string;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly adapter: PlatformAdapter;
  current?: CurrentVideo;
  /** The last completed step, replayed when a retry of that step arrives after its swipe. */
  lastStep?: { videoKey: string; result: unknown };
  /**
   * A swiped step whose record is not stored yet (the store failed): the retry writes this record
   * (its measured timings) again and goes on from `next`, instead of finding another video on
   * screen and losing the session.
   */
  unwritten?: { video: CurrentVideo; record: Omit<InteractionRecord, 'attempt'>; next?: { videoKey: string; observation: ObservedVideo['observation'] } };
  /** performance.now() of the last activity that used the session: idle sessions are reaped. */
  lastUsedAt: number;
  /** The attempt acting on the page now: a retried attempt waits for it, never acts beside it. */
  acting?: Promise<unknown>;
}

export interface SessionCensus {
  sessions: number;
  contexts: number;
  pages: number;
}

export class SessionCapacityError extends Error {
  override name = 'SessionCapacityError';
}

export class SessionLost extends Error {
  override name = FAILURE_TYPES.sessionLost;
}

export class SessionPool {
  private browser?: Promise<Browser>;
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly launch: () => Promise<Browser>,
    readonly maxSessions: number,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  /** The open sessions' ids. */
  get ids(): string[] {
    return [...this.sessions.keys()];
  }

  async open(
    platform: Platform,
    accountId: string,
    adapter: PlatformAdapter,
    /** The account's saved sign-in and identity (activities/accounts/browser-identity.ts). */
    contextOptions: BrowserContextOptions = {},
  ): Promise<Session> {
    if (this.sessions.size >= this.maxSessions) {
      throw new SessionCapacityError(`this browser worker already runs ${this.sessions.size} of ${this.maxSessions} sessions`);
    }
    // Launched lazily and shared; a crashed browser is relaunched on the next open.
    this.browser ??= this.launch();
    let browser = await this.browser;
    if (!browser.isConnected()) {
      this.browser = this.launch();
      browser = await this.browser;
    }
    const context = await browser.newContext({ viewport: { width: 420, height: 746 }, ...contextOptions });
    const page = await context.newPage();
    // Every click and navigation gives up before the step's heartbeat timeout (core/step-timeouts.ts).
    page.setDefaultTimeout(PAGE_ACTION_TIMEOUT_MS);
    const session: Session = { id: randomUUID(), platform, accountId, context, page, adapter, lastUsedAt: performance.now() };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The session if this worker has it, whatever state its page is in (closing it saves what it can). */
  find(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  get(id: string): Session {
    const session = this.sessions.get(id);
    if (!session) throw new SessionLost(`browser session ${id} is not on this worker (it restarted or closed the session)`);
    if (session.page.isClosed()) {
      this.sessions.delete(id);
      throw new SessionLost(`browser session ${id} lost its page (the browser crashed or was closed)`);
    }
    session.lastUsedAt = performance.now();
    return session;
  }

  /**
   * Closes the sessions no activity has used for `idleMs` (their audit failed, was terminated, or
   * moved to another worker without closing them), except those `keep` names (a person is at
   * them: a challenge or a sign-in). Returns the ids closed.
   */
  async reapIdle(idleMs: number, keep: (id: string) => boolean = () => false): Promise<string[]> {
    const now = performance.now();
    const idle = [...this.sessions.values()].filter((s) => now - s.lastUsedAt >= idleMs && !s.acting && !keep(s.id)).map((s) => s.id);
    await Promise.all(idle.map((id) => this.close(id)));
    return idle;
  }

  async close(id: string): Promise<void> {
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    await session?.context.close().catch(() => undefined);
  }

  /**
   * What is open now, by the pool's own bookkeeping (sessions) and by the browser's (contexts and
   * their pages, as Chromium reported them to Playwright): a difference is a leak.
   */
  async census(): Promise<SessionCensus> {
    const browser = await this.browser?.catch(() => undefined);
    const contexts = browser?.isConnected() ? browser.contexts() : [];
    return { sessions: this.sessions.size, contexts: contexts.length, pages: contexts.reduce((n, context) => n + context.pages().length, 0) };
  }

  /** Graceful shutdown: every context, then the browser. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
    const browser = await this.browser?.catch(() => undefined);
    this.browser = undefined;
    await browser?.close().catch(() => undefined);
  }
}
