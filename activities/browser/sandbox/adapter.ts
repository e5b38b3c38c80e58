/**
 * The sandbox platform's adapter: drives the feed page through its stable test ids. The sandbox
 * exposes the true categories in data attributes, standing in for the VLM labeller that real
 * platforms need.
 */
import type { Page } from 'playwright-core';
import type { Decision } from '../../../core/decision';
import { ObservationSchema } from '../../../core/observation';
import { givenLabel } from '../../../core/content-label';
import { SignInRefused, type Challenge, type ObservedVideo, type OpenOptions, type PlatformAdapter } from '../platform-adapter';
import { OBSERVE_TIMEOUT_MS } from '../../../core/step-timeouts';

const VIDEO = '[data-testid="video"]';

/**
 * Runs in the page: resolves true once a video other than `previous` (or a captcha) is on screen.
 * Plain JavaScript text, because tsx's name-keeping helpers do not exist in the page.
 */
const WAIT_FOR_NEW_VIDEO = `({ selector, previous, timeoutMs }) => new Promise((resolve) => {
  const ready = () => {
    const id = document.querySelector(selector)?.dataset.impressionId;
    const captcha = document.querySelector('[data-testid="captcha"]');
    return (Boolean(id) && id !== previous) || (captcha !== null && !captcha.hidden);
  };
  if (ready()) return resolve(true);
  const observer = new MutationObserver(() => {
    if (!ready()) return;
    observer.disconnect();
    resolve(true);
  });
  observer.observe(document.body, { attributes: true, childList: true, subtree: true });
  setTimeout(() => { observer.disconnect(); resolve(false); }, timeoutMs);
})`;

interface CardState {
  impressionId: string;
  videoId: string;
  category: string;
  level2: string;
  durationSeconds: string;
  shownAt: string;
  title: string;
  creator: string;
  now: number;
}

export class SandboxAdapter implements PlatformAdapter {
  readonly platform = 'sandbox' as const;

  constructor(private readonly baseUrl: string) {}

  async open(page: Page, account: string, options: OpenOptions = {}): Promise<void> {
    await page.goto(`${this.baseUrl}/`);
    if (!page.url().endsWith('/login')) return;
    const profile = options.sandboxProfile;
    if (profile) {
      // A study's setting no person would choose: sign in through the API with the account's recommender profile.
      const body = JSON.stringify({ account, profile: profile.name, ...(profile.definition ? { profileDefinition: profile.definition } : {}) });
      const answer = await page.evaluate<{ status: number; text: string }>(
        `fetch('/api/signin', { method: 'POST', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(body)} })
          .then(async (r) => ({ status: r.status, text: await r.text() }))`,
      );
      const why = `sandbox sign-in of ${account} with profile "${profile.name}" failed (${answer.status}): ${answer.text}`;
      // 400/409: a bad or conflicting profile, for good; anything else (rate limit, restart) may pass on a retry.
      if (answer.status === 400 || answer.status === 409) throw new SignInRefused(why);
      if (answer.status !== 200) throw new Error(why);
      await page.goto(`${this.baseUrl}/`);
      return;
    }
    await page.getByTestId('signin-account').fill(account);
    await page.getByTestId('signin-submit').click();
    await page.waitForURL(`${this.baseUrl}/`);
  }

  async openSignIn(page: Page): Promise<void> {
    await page.goto(`${this.baseUrl}/login`);
  }

  async isSignedIn(page: Page, account: string): Promise<boolean> {
    const me = await page.evaluate<{ account?: string } | null>(`fetch('/api/me').then((r) => (r.ok ? r.json() : null))`);
    return me?.account === account;
  }

  async observe(page: Page, previousKey?: string): Promise<ObservedVideo> {
    // A MutationObserver reacts as the card's data attributes change, not on the next frame.
    const args = JSON.stringify({ selector: VIDEO, previous: previousKey ?? '', timeoutMs: OBSERVE_TIMEOUT_MS });
    const appeared = await page.evaluate<boolean>(`(${WAIT_FOR_NEW_VIDEO})(${args})`);
    if (!appeared) throw new Error(`no new video appeared within ${OBSERVE_TIMEOUT_MS / 1000} s`);
    const challenge = await this.detectChallenge(page);
    if (challenge) throw new Error(`cannot observe: ${challenge.kind} on screen (${challenge.detail})`);
    // One round trip for everything the observation needs.
    const card = await page.$eval(VIDEO, (el) => ({
      ...(el as HTMLElement).dataset,
      title: document.querySelector('[data-testid="video-title"]')?.textContent ?? '',
      creator: document.querySelector('[data-testid="video-creator"]')?.textContent ?? '',
      now: performance.now(),
    }) as unknown as CardState);
    return {
      key: card.impressionId,
      onScreenMs: card.now - Number(card.shownAt),
      observation: ObservationSchema.parse({
        platform: this.platform,
        videoId: card.videoId,
        title: card.title,
        creator: card.creator.replace(/^@/, ''),
        level1: [card.category],
        level2: [card.level2],
        // The sandbox's categories are the ground truth.
        label: givenLabel('sandbox', [card.category], [card.level2]),
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
