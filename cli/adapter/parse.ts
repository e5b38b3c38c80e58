/**
 * `personaact adapter parse PLATFORM FILE`: the items the adapter's own feed-response parser
 * finds in a response body a researcher saved from the browser's developer tools.
 */
import { readFile } from 'node:fs/promises';
import { siteProfileOf } from '../../activities/browser/adapters';
import { siteProfilePath } from '../../activities/browser/web/site-profile';
import { FeedShapeError, parseFeedResponse, type FeedItem } from '../../activities/browser/web/feed-parser';
import { platformEntry, type Platform } from '../../core/platforms';
import { UserError } from '../errors';
import { table } from '../audit/format';

export async function parseSavedResponse(platform: Platform, file: string): Promise<FeedItem[]> {
  const engine = platformEntry(platform).adapter;
  if (engine.kind !== 'web') throw new UserError(`platform "${platform}" has no feed API to parse (its adapter reads the page)`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file} is not valid JSON (save the response body, not the page): ${(error as Error).message}`);
  }
  try {
    return parseFeedResponse(siteProfileOf(platform).feedApi, body);
  } catch (error) {
    if (!(error instanceof FeedShapeError)) throw error;
    throw new UserError(
      `${file} is not a ${platform} feed response as the adapter expects it: ${error.message}\n` +
        `The expected shape is feedApi in ${siteProfilePath(engine.site)}; if the platform changed it, fix the path there.`,
    );
  }
}

const flag = (item: FeedItem) => (item.ad ? 'ad' : item.live ? 'live' : '');

export function renderParsedItems(items: FeedItem[]): string {
  if (items.length === 0) return 'The response lists no items.';
  return table(
    ['ID', 'TITLE', 'AUTHOR', 'DURATION', 'CATEGORY / TAGS', 'SKIP'],
    items.map((item) => [
      item.id || '-', item.title.slice(0, 40), item.author, item.durationSeconds === undefined ? '-' : `${item.durationSeconds} s`,
      [...new Set([...item.category, ...item.tags])].join(', ') || '-', flag(item),
    ]),
  );
}
