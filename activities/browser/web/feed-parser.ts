/**
 * The feed-response parser: a platform's feed API body (as intercepted in the page, or saved
 * from a browser's developer tools) → the items it lists. Pure; the web adapter and
 * `personaact adapter parse` use this same function.
 */
import type { FeedApi } from './site-profile';

export interface FeedItem {
  id: string;
  title: string;
  author: string;
  /** Absent when the response does not say. */
  durationSeconds?: number;
  tags: string[];
  category: string[];
  ad: boolean;
  live: boolean;
}

/** The body does not have the shape the site profile expects; `path` is where it stopped matching. */
export class FeedShapeError extends Error {
  override name = 'FeedShapeError';
  constructor(readonly path: string, why: string) {
    super(`${path}: ${why}`);
  }
}

interface Segment {
  key: string;
  each: boolean;
}

const segments = (path: string): Segment[] =>
  path.split('.').map((part) => (part.endsWith('[]') ? { key: part.slice(0, -2), each: true } : { key: part, each: false }));

const kindOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value);

function child(value: unknown, key: string): unknown {
  if (Array.isArray(value) && /^\d+$/.test(key)) return value[Number(key)];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return (value as Record<string, unknown>)[key];
  return undefined;
}

/** Every value at `path` (several when it maps over arrays); missing steps yield nothing. */
export function valuesAt(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const { key, each } of segments(path)) {
    const next: unknown[] = [];
    for (const value of current) {
      const found = child(value, key);
      if (found === undefined || found === null) continue;
      if (each) {
        if (Array.isArray(found)) next.push(...found);
      } else next.push(found);
    }
    current = next;
  }
  return current;
}

/** Follows `path` step by step and says where it breaks (for error messages). */
function brokenAt(root: unknown, path: string): FeedShapeError {
  let value = root;
  const walked: string[] = [];
  for (const { key } of segments(path)) {
    walked.push(key);
    const found = child(value, key);
    if (found === undefined || found === null) {
      const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).slice(0, 12).join(', ') : '';
      return new FeedShapeError(walked.join('.'), `missing in the response${keys ? ` (found keys: ${keys})` : ` (${walked.length > 1 ? walked.slice(0, -1).join('.') : 'the body'} is ${kindOf(value)})`}`);
    }
    value = found;
  }
  return new FeedShapeError(path, `expected an array of items, found ${kindOf(value)}`);
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;

function first(item: unknown, paths: readonly string[]): string | undefined {
  for (const path of paths) {
    for (const value of valuesAt(item, path)) {
      const found = text(value);
      if (found) return found;
    }
  }
  return undefined;
}

function all(item: unknown, paths: readonly string[]): string[] {
  const found = paths.flatMap((path) => valuesAt(item, path).map(text)).filter((v): v is string => Boolean(v));
  return [...new Set(found)];
}

const marked = (item: unknown, markers: FeedApi['item']['ad']) =>
  markers.some(({ path, equals }) => valuesAt(item, path).some((value) => (equals === undefined ? Boolean(value) : value === equals)));

/** The items of one feed response, in the order the platform serves them. */
export function parseFeedResponse(api: FeedApi, body: unknown): FeedItem[] {
  const lists = valuesAt(body, api.itemsPath);
  const items = lists.length === 1 && Array.isArray(lists[0]) ? (lists[0] as unknown[]) : api.itemsPath.includes('[]') ? lists : undefined;
  if (!items) throw brokenAt(body, api.itemsPath);
  return items.map((item, i) => {
    const ad = marked(item, api.item.ad);
    const live = marked(item, api.item.live);
    const id = first(item, api.item.id);
    // Ads and live rooms are skipped, so they may lack an id; a video may not.
    if (!id && !ad && !live) throw new FeedShapeError(`${api.itemsPath}[${i}].${api.item.id.join('|')}`, `no id in item (found keys: ${Object.keys(item ?? {}).slice(0, 12).join(', ')})`);
    const duration = first(item, api.item.duration.paths);
    const seconds = duration === undefined ? undefined : Number(duration) / (api.item.duration.unit === 'ms' ? 1000 : 1);
    return {
      id: id ?? '', title: first(item, api.item.title) ?? '', author: first(item, api.item.author) ?? '',
      ...(seconds !== undefined && Number.isFinite(seconds) && seconds >= 0 ? { durationSeconds: seconds } : {}),
      tags: all(item, api.item.tags), category: all(item, api.item.category), ad, live,
    };
  });
}
