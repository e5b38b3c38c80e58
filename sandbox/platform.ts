/**
 * The sandbox platform's behaviour, independent of HTTP: sign-in, serving, measuring dwell,
 * learning, challenges. The web server and the calibration benchmark both drive this class.
 */
import { randomBytes } from 'node:crypto';
import { createRng } from '../core/rng';
import type { Catalogue, Video } from './catalogue';
import {
  emptyInterests, learn, recommend, servingDistribution, type RecommenderProfile,
} from './recommender';
import type { AccountRow, Challenge, ImpressionAction, ImpressionRow, SandboxStore } from './store';

export interface PlatformOptions {
  store: SandboxStore;
  catalogue: Catalogue;
  profiles: ReadonlyMap<string, RecommenderProfile>;
  defaultProfile: string;
  seed: string;
  /** Platform seconds per real second: dwell is measured on this clock, and the page's player runs on it. */
  timeScale: number;
  /** Probability that a swipe is answered with a slider captcha. */
  captchaRate: number;
  /** Real time in ms; injected so benchmarks can run on a virtual clock. */
  clock?: () => number;
}

export interface Served {
  impressionId: number;
  seq: number;
  servedAt: number;
  video: Video;
}

export type NextResult = { kind: 'video'; served: Served } | { kind: 'challenge'; challenge: PublicChallenge };
export interface PublicChallenge { type: 'captcha'; target: number }

/** A request the platform refuses; `status` is the HTTP status the server answers with. */
export class PlatformError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'PlatformError';
  }
}

/** What the page may know of a challenge (not when it was issued). */
const publicChallenge = (challenge: Challenge): PublicChallenge => ({ type: challenge.type, target: challenge.target });

/** Slider positions within this distance of the target pass the captcha. */
export const CAPTCHA_TOLERANCE = 4;

export class SandboxPlatform {
  private readonly clock: () => number;
  private readonly customProfiles = new Map<string, RecommenderProfile>();

  constructor(readonly options: PlatformOptions) {
    this.clock = options.clock ?? Date.now;
    if (!options.profiles.has(options.defaultProfile)) {
      throw new PlatformError(400, `unknown default profile "${options.defaultProfile}"; known: ${[...options.profiles.keys()].join(', ')}`);
    }
  }

  private get store(): SandboxStore {
    return this.options.store;
  }

  profileNames(): string[] {
    return [...this.options.profiles.keys(), ...this.store.customProfiles().keys()];
  }

  /** A profile the server was started with, or one a sign-in brought. */
  private findProfile(name: string): RecommenderProfile | undefined {
    const known = this.options.profiles.get(name) ?? this.customProfiles.get(name);
    if (known) return known;
    // A definition never changes once saved, so reading it once is enough.
    const custom = this.store.customProfiles().get(name);
    if (custom === undefined) return undefined;
    const profile = JSON.parse(custom) as RecommenderProfile;
    this.customProfiles.set(name, profile);
    return profile;
  }

  /**
   * Signs in, creating the account on first use (the sandbox has no passwords). `definition`
   * brings a profile this server was not started with (a study's profiles file); it is kept, so one
   * sandbox serves accounts of several profiles side by side. A name is bound to one definition.
   */
  signIn(accountId: string, profile?: string, definition?: RecommenderProfile): { token: string; created: boolean } {
    const existing = this.store.getAccount(accountId);
    if (existing && profile && existing.profile !== profile) {
      throw new PlatformError(409, `account "${accountId}" already uses profile "${existing.profile}"`);
    }
    const chosen = profile ?? this.options.defaultProfile;
    if (definition && definition.name !== chosen) {
      throw new PlatformError(400, `profileDefinition is named "${definition.name}", not "${chosen}"`);
    }
    const known = this.findProfile(chosen);
    if (known && definition && JSON.stringify(known) !== JSON.stringify(definition)) {
      throw new PlatformError(409, `profile "${chosen}" is already defined with other parameters on this sandbox; give yours another name`);
    }
    if (!known && !definition) {
      throw new PlatformError(400, `unknown profile "${chosen}"; known: ${this.profileNames().join(', ')}`);
    }
    const token = randomBytes(24).toString('base64url');
    this.store.transaction(() => {
      if (!known && definition) this.store.saveCustomProfile(chosen, JSON.stringify(definition));
      if (!existing) this.store.createAccount(accountId, chosen, emptyInterests(), this.clock());
      this.store.createSession(token, accountId, this.clock());
    });
    return { token, created: !existing };
  }

  signOut(token: string): void {
    this.store.deleteSession(token);
  }

  accountForSession(token: string): string | undefined {
    return this.store.sessionAccount(token);
  }

  private account(accountId: string) {
    const account = this.store.getAccount(accountId);
    if (!account) throw new PlatformError(404, `no account "${accountId}"`);
    return account;
  }

  private profileOf(name: string): RecommenderProfile {
    const profile = this.findProfile(name);
    if (!profile) throw new PlatformError(500, `account uses profile "${name}", which this server was not started with`);
    return profile;
  }

  private toServed(row: ImpressionRow): Served {
    return { impressionId: row.id, seq: row.seq, servedAt: row.servedAt, video: this.video(row.videoId) };
  }

  video(id: string): Video {
    const video = this.options.catalogue.byId.get(id);
    if (!video) throw new PlatformError(500, `video ${id} is not in the catalogue (was the server restarted with another seed?)`);
    return video;
  }

  /** The video on screen now; serves one when none is open (first visit, after a captcha). */
  current(accountId: string): NextResult {
    const account = this.account(accountId);
    if (account.challenge) return { kind: 'challenge', challenge: publicChallenge(account.challenge) };
    const open = this.store.openImpression(accountId);
    return { kind: 'video', served: open ? this.toServed(open) : this.serve(account) };
  }

  /**
   * A swipe: closes the open impression and learns from it, then serves the next video — unless a
   * captcha is pending or this swipe draws one. `at` is when the swipe arrived (default: now).
   */
  next(accountId: string, at: number = this.clock()): NextResult {
    return this.store.transaction(() => {
      const account = this.account(accountId);
      let challenge = account.challenge && publicChallenge(account.challenge);
      const open = this.store.openImpression(accountId);
      if (open) {
        const dwellSeconds = (Math.max(0, at - (open.shownAt ?? open.servedAt)) / 1000) * this.options.timeScale;
        this.store.closeImpression(open.id, at, dwellSeconds);
        learn(account.interests, this.profileOf(account.profile), this.video(open.videoId), {
          dwellSeconds, liked: open.liked, shared: open.shared, commented: open.commented, notInterested: open.notInterested,
        });
        this.store.saveInterests(accountId, account.interests);
        if (!challenge && this.options.captchaRate > 0
          && createRng(`${this.options.seed}/captcha/${accountId}/${open.seq}`).chance(this.options.captchaRate)) {
          challenge = this.issueChallenge(accountId, open.seq);
        }
      }
      return challenge ? { kind: 'challenge', challenge } : { kind: 'video', served: this.serve(account) };
    });
  }

  /** `account` as loaded by the caller (with the interests it just learned): not read again. */
  private serve(account: AccountRow): Served {
    const accountId = account.id;
    const profile = this.profileOf(account.profile);
    const seq = this.store.impressionCount(accountId);
    const rng = createRng(`${this.options.seed}/serve/${accountId}/${seq}`);
    const video = recommend(this.options.catalogue, account.interests, profile, this.store.recentVideoIds(accountId, profile.recentWindow), rng);
    return this.toServed(this.store.insertImpression(accountId, seq, video.id, this.clock()));
  }

  /**
   * The page's impression beacon: the video went on screen at `at` (default: now), as the page
   * reports it; never before it was served.
   */
  markShown(accountId: string, impressionId: number, at: number = this.clock()): void {
    const impression = this.openImpressionOf(accountId, impressionId);
    this.store.markShown(impressionId, Math.max(impression.servedAt, at));
  }

  private openImpressionOf(accountId: string, impressionId: number): ImpressionRow {
    const impression = this.store.getImpression(impressionId);
    if (!impression || impression.accountId !== accountId) throw new PlatformError(404, `no impression ${impressionId} for this account`);
    if (impression.closedAt !== null) throw new PlatformError(409, `impression ${impressionId} is no longer on screen`);
    return impression;
  }

  /** Likes, comments, shares and "not interested" apply to the video on screen. */
  act(accountId: string, impressionId: number, action: ImpressionAction): void {
    this.openImpressionOf(accountId, impressionId);
    this.store.recordAction(impressionId, action);
  }

  issueChallenge(accountId: string, salt: number | string): PublicChallenge {
    this.account(accountId);
    const challenge: Challenge = {
      type: 'captcha',
      target: 10 + createRng(`${this.options.seed}/captcha-target/${accountId}/${salt}`).int(81),
      issuedAt: this.clock(),
    };
    this.store.setChallenge(accountId, challenge);
    return publicChallenge(challenge);
  }

  solveCaptcha(accountId: string, position: number): void {
    const challenge = this.account(accountId).challenge;
    if (!challenge) throw new PlatformError(409, 'no captcha is pending');
    if (Math.abs(position - challenge.target) > CAPTCHA_TOLERANCE) {
      throw new PlatformError(422, `slider at ${position} does not match the gap; drag it to the marked position`);
    }
    this.store.setChallenge(accountId, null);
  }

  clearChallenge(accountId: string): void {
    this.account(accountId);
    this.store.setChallenge(accountId, null);
  }

  /** Ground truth for the admin API: learned scores and the resulting serving distribution. */
  interests(accountId: string) {
    const account = this.account(accountId);
    const profile = this.profileOf(account.profile);
    return {
      accountId,
      profile: account.profile,
      impressions: account.interests.impressions,
      level1Scores: account.interests.level1,
      level2Scores: account.interests.level2,
      servingDistribution: servingDistribution(account.interests, profile),
    };
  }

  impressions(accountId: string, offset: number, limit: number) {
    this.account(accountId);
    return this.store.listImpressions(accountId, offset, limit).map((row) => {
      const video = this.video(row.videoId);
      return {
        id: row.id, seq: row.seq, servedAt: new Date(row.servedAt).toISOString(),
        shownAt: row.shownAt === null ? null : new Date(row.shownAt).toISOString(),
        closedAt: row.closedAt === null ? null : new Date(row.closedAt).toISOString(),
        dwellSeconds: row.dwellSeconds, liked: row.liked, shared: row.shared, commented: row.commented,
        notInterested: row.notInterested, commentText: row.commentText, shareTarget: row.shareTarget,
        video: { id: video.id, title: video.title, creatorId: video.creatorId, level1: video.level1, level2: video.level2, durationSeconds: video.durationSeconds },
      };
    });
  }
}
