/**
 * The sandbox platform's adapter: drives the feed page through its stable test ids. The sandbox
 * exposes the true categories in data attributes, standing in for the VLM labeller that real
 * platforms need.
 */
import type { Page } from 'playwright-core';
import type { Decision } from '../../../core/decision';
import { ObservationSchema } from '../../../core/observation';
import type { Challenge, ObservedVideo, PlatformAdapter } from '../platform-adapter';

const VIDEO = '[data-testid="video"]';

interface CardState {
  impressionId: string;
  videoId: string;
  category: string;
  level2: string;
  durationSeconds: string;
  shownAt: string;
  now: number;
}

export class SandboxAdapter implements PlatformAdapter {
  readonly platform = 'sandbox' as const;

  constructor(private readonly baseUrl: string) {}

  async open(page: Page, account: string): Promise<void> {
    await page.goto(`${this.baseUrl}/`);
    if (page.url().endsWith('/login')) {
      await page.getByTestId('signin-account').fill(account);
      await page.getByTestId('signin-submit').click();
      await page.waitForURL(`${this.baseUrl}/`);
    }
  }

  async observe(page: Page, previousKey?: string): Promise<ObservedVideo> {
    await page.waitForFunction(
      ([selector, previous]) => {
        const id = document.querySelector<HTMLElement>(selector!)?.dataset.impressionId;
        const captcha = document.querySelector<HTMLElement>('[data-testid="captcha"]');
        return (Boolean(id) && id !== previous) || (captcha !== null && !captcha.hidden);
      },
      [VIDEO, previousKey ?? ''] as const,
    );
    const challenge = await this.detectChallenge(page);
    if (challenge) throw new Error(`cannot observe: ${challenge.kind} on screen (${challenge.detail})`);
    const card = await page.$eval(VIDEO, (el) => ({ ...(el as HTMLElement).dataset, now: performance.now() }) as unknown as CardState);
    const [title, creator] = await Promise.all([
      page.getByTestId('video-title').textContent(),
      page.getByTestId('video-creator').textContent(),
    ]);
    return {
      key: card.impressionId,
      onScreenMs: card.now - Number(card.shownAt),
      observation: ObservationSchema.parse({
        platform: this.platform,
        videoId: card.videoId,
        title: title ?? '',
        creator: (creator ?? '').replace(/^@/, ''),
        level1: [card.category],
        level2: [card.level2],
        durationSeconds: Number(card.durationSeconds),
        url: page.url(),
        observedAt: new Date().toISOString(),
      }),
    };
  }

  async act(page: Page, decision: Decision): Promise<string[]> {
    const done: string[] = [];
    if (decision.like) {
      await page.getByTestId('like').click();
      await page.waitForSelector('[data-testid="like"][aria-pressed="true"]');
      done.push('like');
    }
    if (decision.comment !== undefined) {
      await page.getByTestId('comment').click();
      await page.getByTestId('comment-input').fill(decision.comment);
      await page.getByTestId('comment-send').click();
      await page.getByTestId('comment-sheet').waitFor({ state: 'hidden' });
      done.push('comment');
    }
    if (decision.share !== undefined) {
      await page.getByTestId('share').click();
      const target = ['friend', 'group', 'copy-link'].includes(decision.share) ? decision.share : 'friend';
      await page.getByTestId(`share-target-${target}`).click();
      await page.getByTestId('share-sheet').waitFor({ state: 'hidden' });
      done.push('share');
    }
    if (decision.notInterested) {
      await page.getByTestId('not-interested').click();
      done.push('not-interested');
    }
    return done;
  }

  async detectChallenge(page: Page): Promise<Challenge | null> {
    if (page.url().endsWith('/login')) return { kind: 'login-wall', detail: 'the sandbox asks to sign in' };
    if (await page.getByTestId('captcha').isVisible()) return { kind: 'captcha', detail: 'slider captcha' };
    const toast = page.getByTestId('toast');
    if ((await toast.isVisible()) && /rate limited/.test((await toast.textContent()) ?? '')) {
      return { kind: 'rate-limit', detail: (await toast.textContent()) ?? '' };
    }
    return null;
  }

  async next(page: Page): Promise<void> {
    await page.keyboard.press('ArrowDown');
  }
}
