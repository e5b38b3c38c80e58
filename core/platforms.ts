/**
 * The platform registry: the one list of platforms an audit can drive, and what the rest of the
 * system needs to know about each. The browser worker builds adapters from it
 * (activities/browser/adapters.ts), `audit start`, `account …`, `adapter …` and `--help` list it,
 * and the audit workflow refuses any other platform. Pure, so workflows can import it.
 *
 * Behaviour logs may name other platforms too (a persona can come from any app's history); only
 * the platforms here can be audited.
 */
import { z } from 'zod';

/** How an adapter drives the platform: the sandbox's own test ids, or the data-driven web engine. */
export type AdapterEngine =
  | { kind: 'sandbox' }
  /** `site` is the folder under activities/browser/ whose site.json holds selectors and endpoints. */
  | { kind: 'web'; site: string };

/** Minimum gap between two actions on a page (clicks, key presses), plus a random extra up to `jitterMs`. Real-site milliseconds. */
export interface Pacing {
  minActionGapMs: number;
  jitterMs: number;
}

export interface PlatformEntry {
  /** The name people know it by. */
  displayName: string;
  adapter: AdapterEngine;
  /** Where a real session starts (the sandbox's URL comes from PERSONAACT_SANDBOX_URL). */
  homeUrl?: string;
  /** How a person signs an account in through the live view. */
  signIn: string;
  /** How the adapter decides that a page is signed in (the site profile's `signedIn` entry for web adapters). */
  signedInCheck: string;
  /** The challenges the adapter recognises. */
  challenges: readonly ChallengeKind[];
  /** Where an observed item's category comes from. */
  labelSource: string;
  pacing: Pacing;
}

/** Kinds of challenges an adapter can meet; each pauses the audit for a person (AWAITING_HUMAN). */
export const CHALLENGE_KINDS = ['captcha', 'login-wall', 'rate-limit', 'account-blocked'] as const;
export type ChallengeKind = (typeof CHALLENGE_KINDS)[number];

const ALL_CHALLENGES = CHALLENGE_KINDS;
const TAG_LABELS = "the platform's own tags or category, matched to the taxonomy by name (slug or Chinese name); else the offline title classifier (docs/labels.md)";
/** Real sites: about one action a second at most, never on a fixed beat (docs/platforms.md). */
const HUMAN_PACING: Pacing = { minActionGapMs: 800, jitterMs: 700 };

const web = (site: string): AdapterEngine => ({ kind: 'web', site });

export const PLATFORM_REGISTRY = {
  sandbox: {
    displayName: 'Sandbox (local test platform)', adapter: { kind: 'sandbox' },
    signIn: 'account name on the sandbox\'s /login page', signedInCheck: 'GET /api/me names the account',
    challenges: ['captcha', 'login-wall', 'rate-limit'], labelSource: 'the sandbox\'s true categories (data attributes)',
    pacing: { minActionGapMs: 0, jitterMs: 0 },
  },
  douyin: {
    displayName: 'Douyin (抖音)', adapter: web('douyin'), homeUrl: 'https://www.douyin.com/',
    signIn: 'QR code scanned with the Douyin app', signedInCheck: 'session cookie', challenges: ALL_CHALLENGES, labelSource: TAG_LABELS, pacing: HUMAN_PACING,
  },
  bilibili: {
    displayName: 'Bilibili (哔哩哔哩)', adapter: web('bilibili'), homeUrl: 'https://www.bilibili.com/',
    signIn: 'QR code scanned with the Bilibili app', signedInCheck: 'session cookie', challenges: ALL_CHALLENGES, labelSource: TAG_LABELS, pacing: HUMAN_PACING,
  },
  kuaishou: {
    displayName: 'Kuaishou (快手)', adapter: web('kuaishou'), homeUrl: 'https://www.kuaishou.com/',
    signIn: 'QR code scanned with the Kuaishou app', signedInCheck: 'session cookie', challenges: ALL_CHALLENGES, labelSource: TAG_LABELS, pacing: HUMAN_PACING,
  },
  xiaohongshu: {
    displayName: 'Xiaohongshu (小红书, RED)', adapter: web('xiaohongshu'), homeUrl: 'https://www.xiaohongshu.com/',
    signIn: 'QR code scanned with the Xiaohongshu app', signedInCheck: 'session cookie', challenges: ALL_CHALLENGES, labelSource: TAG_LABELS, pacing: HUMAN_PACING,
  },
  tiktok: {
    displayName: 'TikTok', adapter: web('tiktok'), homeUrl: 'https://www.tiktok.com/',
    signIn: 'QR code, or e-mail/phone and password', signedInCheck: 'session cookie', challenges: ALL_CHALLENGES, labelSource: TAG_LABELS, pacing: HUMAN_PACING,
  },
  'youtube-shorts': {
    displayName: 'YouTube Shorts', adapter: web('youtube-shorts'), homeUrl: 'https://www.youtube.com/shorts',
    signIn: 'Google account sign-in', signedInCheck: 'session cookie', challenges: ALL_CHALLENGES, labelSource: TAG_LABELS, pacing: HUMAN_PACING,
  },
} as const satisfies Record<string, PlatformEntry>;

export type Platform = keyof typeof PLATFORM_REGISTRY;

/** Every auditable platform, in the registry's order (the sandbox first: it is the default). */
export const PLATFORMS = Object.keys(PLATFORM_REGISTRY) as [Platform, ...Platform[]];
export const PlatformSchema = z.enum(PLATFORMS);

export const DEFAULT_PLATFORM: Platform = 'sandbox';

export function isPlatform(name: string): name is Platform {
  return Object.hasOwn(PLATFORM_REGISTRY, name);
}

export function platformEntry(platform: Platform): PlatformEntry {
  return PLATFORM_REGISTRY[platform];
}

/** Failure type of an audit, sign-in or preflight asked for a platform without an adapter (never retried). */
export const PLATFORM_NOT_SUPPORTED = 'PlatformNotSupported';

/** The message every client shows for a platform the registry does not know. */
export function unsupportedPlatformMessage(name: string): string {
  return `platform "${name}" has no browser adapter; audits can run on: ${PLATFORMS.join(', ')}`;
}

/** For `--help`: one line per platform. */
export function platformHelp(): string {
  return PLATFORMS.map((p) => `  ${p.padEnd(15)} ${PLATFORM_REGISTRY[p].displayName}`).join('\n');
}

/**
 * Whether the platform is a real site, driven by a person's account: its sessions take the account
 * lock and pass the session preflight (signed in, no challenge) before they start.
 */
export function isRealPlatform(platform: Platform): boolean {
  return PLATFORM_REGISTRY[platform].adapter.kind === 'web';
}
