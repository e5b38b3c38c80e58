/**
 * Where audits keep what they produce (interaction records, screenshots, reports): a local folder
 * or an S3 bucket, with one key layout. Keys are '/'-separated relative paths such as
 * `audits/<id>/cultivation/000007.json` (core/interaction-record.ts builds them). A put of an
 * existing key overwrites it, so a retried step never duplicates its record.
 */

export interface ArtifactStore {
  /** The folder or `s3://bucket/prefix` this store writes to (for messages and logs). */
  readonly location: string;
  /** Writes the whole object; an existing key is overwritten. */
  put(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  /** The object's bytes, or undefined when the key does not exist. */
  get(key: string): Promise<Buffer | undefined>;
  /** Parsed JSON, or undefined when the key does not exist. Not validated: parse it with its zod schema. */
  getJson<T = unknown>(key: string): Promise<T | undefined>;
  putJson(key: string, value: unknown): Promise<void>;
  /**
   * All keys that start with `prefix` (a plain string prefix, as in S3: `audits/a1` also matches
   * `audits/a10/...`; end it with '/' for one folder), sorted. '' lists everything.
   */
  list(prefix: string): Promise<string[]>;
  /** Removes the object; a key that does not exist is not an error (deleting twice is fine). */
  delete(key: string): Promise<void>;
  /** Where a key lives, for people: a file path or an s3:// URL. */
  locate(key: string): string;
}

export class ArtifactKeyError extends Error {
  constructor(key: string, reason: string) {
    super(`invalid artifact key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'ArtifactKeyError';
  }
}

/**
 * Why `key` is not a valid key, or undefined. Keys must not escape the store's root or mean
 * different things in a folder and a bucket. Segments starting with '.' ('.', '..', hidden files)
 * are refused: the local store uses such names for writes in progress.
 */
export function keyProblem(key: string): string | undefined {
  if (key === '') return 'it is empty';
  for (const segment of key.split('/')) {
    if (segment === '') return "it has an empty segment (a leading, trailing or doubled '/')";
    if (segment.startsWith('.')) return `segment "${segment}" starts with '.' ('..', '.' and hidden names are not allowed)`;
    // eslint-disable-next-line no-control-regex
    if (/[\\\u0000-\u001f\u007f]/.test(segment)) return `segment ${JSON.stringify(segment)} has a backslash or a control character`;
  }
  return undefined;
}

export function assertKey(key: string): void {
  const problem = keyProblem(key);
  if (problem) throw new ArtifactKeyError(key, problem);
}

/** A list prefix: '' or the start of a key (a trailing '/' is fine; the last segment may be partial). */
export function assertPrefix(prefix: string): void {
  const problem = prefix === '' ? undefined : keyProblem(prefix.length > 1 && prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
  if (problem) throw new ArtifactKeyError(prefix, problem);
}

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  jsonl: 'application/x-ndjson',
};

/** A content type from the key's extension, so a browser shows a screenshot or a report as such. */
export function contentTypeFor(key: string): string {
  const extension = /\.([^./]+)$/.exec(key)?.[1]?.toLowerCase();
  return CONTENT_TYPES[extension ?? ''] ?? 'application/octet-stream';
}

/** JSON on top of put/get, the same for every store. */
export abstract class BaseArtifactStore implements ArtifactStore {
  abstract readonly location: string;
  abstract put(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  abstract get(key: string): Promise<Buffer | undefined>;
  abstract list(prefix: string): Promise<string[]>;
  abstract delete(key: string): Promise<void>;
  abstract locate(key: string): string;

  async getJson<T = unknown>(key: string): Promise<T | undefined> {
    const body = await this.get(key);
    if (body === undefined) return undefined;
    try {
      return JSON.parse(body.toString('utf8')) as T;
    } catch (error) {
      throw new Error(`${this.locate(key)} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }

  async putJson(key: string, value: unknown): Promise<void> {
    const text = JSON.stringify(value, null, 2) as string | undefined;
    if (text === undefined) throw new TypeError(`cannot store ${typeof value} as JSON at ${this.locate(key)}`);
    await this.put(key, `${text}\n`, 'application/json');
  }
}
