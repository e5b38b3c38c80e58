/**
 * Durable sandbox state in SQLite: accounts with their learned interests, sign-in sessions and
 * every impression (what was served, when, the server-measured dwell and the actions taken).
 */
import Database from 'better-sqlite3';
import type { InterestState } from './recommender';

export interface AccountRow {
  id: string;
  profile: string;
  createdAt: number;
  interests: InterestState;
  challenge: Challenge | null;
}

export interface Challenge {
  type: 'captcha';
  /** Slider position (0–100) the handle must be dragged to. */
  target: number;
  issuedAt: number;
}

export interface ImpressionRow {
  id: number;
  accountId: string;
  seq: number;
  videoId: string;
  servedAt: number;
  /** When the page reported the video on screen; dwell runs from here (or from servedAt without a report). */
  shownAt: number | null;
  closedAt: number | null;
  dwellSeconds: number | null;
  liked: boolean;
  shared: boolean;
  commented: boolean;
  notInterested: boolean;
  commentText: string | null;
  shareTarget: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY, profile TEXT NOT NULL, created_at INTEGER NOT NULL,
  interests TEXT NOT NULL, challenge TEXT);
CREATE TABLE IF NOT EXISTS custom_profiles (name TEXT PRIMARY KEY, definition TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  token TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id), created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS impressions (
  id INTEGER PRIMARY KEY AUTOINCREMENT, account_id TEXT NOT NULL REFERENCES accounts(id), seq INTEGER NOT NULL,
  video_id TEXT NOT NULL, served_at INTEGER NOT NULL, shown_at INTEGER, closed_at INTEGER, dwell_seconds REAL,
  liked INTEGER NOT NULL DEFAULT 0, shared INTEGER NOT NULL DEFAULT 0, commented INTEGER NOT NULL DEFAULT 0,
  not_interested INTEGER NOT NULL DEFAULT 0, comment_text TEXT, share_target TEXT,
  UNIQUE (account_id, seq));
`;

interface RawImpression {
  id: number; account_id: string; seq: number; video_id: string; served_at: number; shown_at: number | null; closed_at: number | null;
  dwell_seconds: number | null; liked: number; shared: number; commented: number; not_interested: number;
  comment_text: string | null; share_target: string | null;
}

const toImpression = (r: RawImpression): ImpressionRow => ({
  id: r.id, accountId: r.account_id, seq: r.seq, videoId: r.video_id, servedAt: r.served_at, shownAt: r.shown_at, closedAt: r.closed_at,
  dwellSeconds: r.dwell_seconds, liked: r.liked === 1, shared: r.shared === 1, commented: r.commented === 1,
  notInterested: r.not_interested === 1, commentText: r.comment_text, shareTarget: r.share_target,
});

export type ImpressionAction =
  | { type: 'like' }
  | { type: 'share'; target: string }
  | { type: 'comment'; text: string }
  | { type: 'not-interested' };

export class SandboxStore {
  private readonly db: Database.Database;

  /** `file` is a path, or ':memory:' for benchmarks. */
  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  /** Reads a meta value, writing `fallback` first if the key is new. */
  metaOrInit(key: string, fallback: string): string {
    this.db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(key, fallback);
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string }).value;
  }

  getAccount(id: string): AccountRow | undefined {
    const row = this.db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as
      | { id: string; profile: string; created_at: number; interests: string; challenge: string | null }
      | undefined;
    if (!row) return undefined;
    return {
      id: row.id, profile: row.profile, createdAt: row.created_at,
      interests: JSON.parse(row.interests) as InterestState,
      challenge: row.challenge ? (JSON.parse(row.challenge) as Challenge) : null,
    };
  }

  listAccounts(): { id: string; profile: string; createdAt: number; impressions: number }[] {
    return this.db.prepare(
      `SELECT a.id, a.profile, a.created_at AS createdAt, COUNT(i.id) AS impressions
       FROM accounts a LEFT JOIN impressions i ON i.account_id = a.id GROUP BY a.id ORDER BY a.created_at`,
    ).all() as { id: string; profile: string; createdAt: number; impressions: number }[];
  }

  /** Recommender profiles brought by sign-ins (a study's own profiles file), as JSON by name. */
  customProfiles(): Map<string, string> {
    const rows = this.db.prepare('SELECT name, definition FROM custom_profiles').all() as { name: string; definition: string }[];
    return new Map(rows.map((row) => [row.name, row.definition]));
  }

  saveCustomProfile(name: string, definition: string): void {
    this.db.prepare('INSERT INTO custom_profiles (name, definition) VALUES (?, ?)').run(name, definition);
  }

  createAccount(id: string, profile: string, interests: InterestState, now: number): void {
    this.db.prepare('INSERT INTO accounts (id, profile, created_at, interests) VALUES (?, ?, ?, ?)')
      .run(id, profile, now, JSON.stringify(interests));
  }

  saveInterests(id: string, interests: InterestState): void {
    this.db.prepare('UPDATE accounts SET interests = ? WHERE id = ?').run(JSON.stringify(interests), id);
  }

  setChallenge(id: string, challenge: Challenge | null): void {
    this.db.prepare('UPDATE accounts SET challenge = ? WHERE id = ?').run(challenge ? JSON.stringify(challenge) : null, id);
  }

  createSession(token: string, accountId: string, now: number): void {
    this.db.prepare('INSERT INTO sessions (token, account_id, created_at) VALUES (?, ?, ?)').run(token, accountId, now);
  }

  sessionAccount(token: string): string | undefined {
    return (this.db.prepare('SELECT account_id FROM sessions WHERE token = ?').get(token) as { account_id: string } | undefined)?.account_id;
  }

  deleteSession(token: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token = ?').run(token);
  }

  openImpression(accountId: string): ImpressionRow | undefined {
    const row = this.db.prepare('SELECT * FROM impressions WHERE account_id = ? AND closed_at IS NULL ORDER BY seq DESC LIMIT 1')
      .get(accountId) as RawImpression | undefined;
    return row && toImpression(row);
  }

  getImpression(id: number): ImpressionRow | undefined {
    const row = this.db.prepare('SELECT * FROM impressions WHERE id = ?').get(id) as RawImpression | undefined;
    return row && toImpression(row);
  }

  impressionCount(accountId: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM impressions WHERE account_id = ?').get(accountId) as { n: number }).n;
  }

  recentVideoIds(accountId: string, limit: number): Set<string> {
    const rows = this.db.prepare('SELECT video_id FROM impressions WHERE account_id = ? ORDER BY seq DESC LIMIT ?')
      .all(accountId, limit) as { video_id: string }[];
    return new Set(rows.map((r) => r.video_id));
  }

  listImpressions(accountId: string, offset: number, limit: number): ImpressionRow[] {
    return (this.db.prepare('SELECT * FROM impressions WHERE account_id = ? ORDER BY seq LIMIT ? OFFSET ?')
      .all(accountId, limit, offset) as RawImpression[]).map(toImpression);
  }

  insertImpression(accountId: string, seq: number, videoId: string, servedAt: number): ImpressionRow {
    const info = this.db.prepare('INSERT INTO impressions (account_id, seq, video_id, served_at) VALUES (?, ?, ?, ?)')
      .run(accountId, seq, videoId, servedAt);
    return this.getImpression(Number(info.lastInsertRowid))!;
  }

  /** Only the first report counts: a reload must not restart the dwell clock. */
  markShown(id: number, at: number): void {
    this.db.prepare('UPDATE impressions SET shown_at = ? WHERE id = ? AND shown_at IS NULL AND closed_at IS NULL').run(at, id);
  }

  closeImpression(id: number, closedAt: number, dwellSeconds: number): void {
    this.db.prepare('UPDATE impressions SET closed_at = ?, dwell_seconds = ? WHERE id = ?').run(closedAt, dwellSeconds, id);
  }

  recordAction(id: number, action: ImpressionAction): void {
    const sql = {
      like: 'UPDATE impressions SET liked = 1 WHERE id = ?',
      share: 'UPDATE impressions SET shared = 1, share_target = ? WHERE id = ?',
      comment: 'UPDATE impressions SET commented = 1, comment_text = ? WHERE id = ?',
      'not-interested': 'UPDATE impressions SET not_interested = 1 WHERE id = ?',
    }[action.type];
    const args = action.type === 'share' ? [action.target, id] : action.type === 'comment' ? [action.text, id] : [id];
    this.db.prepare(sql).run(...args);
  }

  /** Runs `fn` in one transaction, so a close-learn-serve step is all or nothing. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
