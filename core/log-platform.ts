/**
 * Platform names in behaviour logs. A persona is about the person, not the platform being audited:
 * a log from any platform imports (the paper's own collection has Xiaohongshu sessions). Known
 * names are normalised — to the audit's platform names where the project has one (douyin,
 * bilibili, kuaishou, tiktok, youtube-shorts), else to one spelling (xiaohongshu) — so per-platform
 * statistics meet the platform an audit runs on; any other name is kept as given (trimmed).
 */
import { z } from 'zod';

/** Spellings seen in exports and by people, lower-cased, with the name they stand for. */
const ALIASES: Readonly<Record<string, string>> = {
  'douyin': 'douyin', '抖音': 'douyin',
  'bilibili': 'bilibili', 'b站': 'bilibili', '哔哩哔哩': 'bilibili',
  'kuaishou': 'kuaishou', '快手': 'kuaishou',
  'xiaohongshu': 'xiaohongshu', '小红书': 'xiaohongshu', 'xhs': 'xiaohongshu', 'rednote': 'xiaohongshu',
  'tiktok': 'tiktok', 'tik tok': 'tiktok',
  'youtube': 'youtube-shorts', 'youtube-shorts': 'youtube-shorts', 'youtube shorts': 'youtube-shorts', 'youtube_shorts': 'youtube-shorts', 'shorts': 'youtube-shorts',
  'instagram': 'instagram-reels', 'instagram-reels': 'instagram-reels', 'reels': 'instagram-reels',
  'sandbox': 'sandbox',
};

/** The normalised name of a known platform, or the name as given (trimmed). */
export function normalizePlatform(name: string): string {
  const trimmed = name.trim();
  return ALIASES[trimmed.toLowerCase()] ?? trimmed;
}

/** Any non-empty platform name, normalised; never refused for the name alone. */
export const LogPlatformSchema = z
  .string()
  .refine((name) => name.trim() !== '', { message: 'platform must not be empty' })
  .transform(normalizePlatform);
