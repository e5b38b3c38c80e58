/**
 * TikTok's "download your data" export in JSON (user_data.json / user_data_tiktok.json). Only the
 * viewing activity is read; assumptions (docs/log-formats.md):
 * - the activity lives under "Activity" (older exports) or "Your Activity" (newer ones);
 * - views: "Video Browsing History" (or newer "Watch History") → VideoList[] of { Date, Link };
 *   likes: "Like List" → ItemFavoriteList[] of { Date|date, Link|link|VideoLink };
 *   favourites: "Favorite Videos" → FavoriteVideoList[] of { Date, Link };
 * - Date is "YYYY-MM-DD HH:MM:SS" in UTC, when the view started;
 * - the video id is the number in the link (…/video/7212345678901234567/).
 * The export has no watch time: a view lasts until the next view of the same session, capped at
 * MAX_INFERRED_WATCH_SECONDS; a session's last view gets the median of the inferred times. Views
 * more than SESSION_GAP_MINUTES apart start a new session. A like or favourite marks the latest
 * view of the same video at or before it (with a minute's slack for clock rounding); likes of
 * videos that are not in the browsing history (it keeps months, the like list keeps all) are left out.
 */
import { z } from 'zod';
import type { LogAction, LogStep } from '../core/behaviour-log';
import { quantileOfSorted } from '../core/metrics';
import { LogFormatError } from './log-format-error';
import { isoWithOffset } from './paper-session';

export const SESSION_GAP_MINUTES = 30;
export const MAX_INFERRED_WATCH_SECONDS = 180;
const ACTION_SLACK_MS = 60_000;

const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'expected "YYYY-MM-DD HH:MM:SS" (UTC)');
const ViewSchema = z.object({ Date: DateSchema, Link: z.string().min(1) });
const LikeSchema = z
  .object({ Date: DateSchema.optional(), date: DateSchema.optional(), Link: z.string().optional(), link: z.string().optional(), VideoLink: z.string().optional() })
  .refine((like) => (like.Date ?? like.date) !== undefined, { message: 'required: Date' })
  .refine((like) => (like.Link ?? like.link ?? like.VideoLink) !== undefined, { message: 'required: Link (or VideoLink)' });

const ActivitySchema = z.object({
  'Video Browsing History': z.object({ VideoList: z.array(ViewSchema) }).optional(),
  'Watch History': z.object({ VideoList: z.array(ViewSchema) }).optional(),
  'Like List': z.object({ ItemFavoriteList: z.array(LikeSchema).nullable() }).optional(),
  'Favorite Videos': z.object({ FavoriteVideoList: z.array(ViewSchema).nullable() }).optional(),
});

/** Whether a parsed JSON document looks like a TikTok export. */
export const isTiktokExport = (json: unknown): boolean =>
  typeof json === 'object' && json !== null && ('Activity' in json || 'Your Activity' in json);

const utcMs = (date: string) => Date.parse(`${date.replace(' ', 'T')}Z`);

/** The numeric id in a TikTok video link, or the link itself when it has none. */
export function videoIdOf(link: string): string {
  return /\/video\/(\d+)/.exec(link)?.[1] ?? link.trim();
}

interface View {
  readonly startMs: number;
  readonly videoId: string;
  readonly actions: LogAction[];
}

/** Marks the latest view of the same video at or before `atMs` (plus slack). */
function markAction(views: readonly View[], videoId: string, atMs: number, type: LogAction['type']): void {
  const view = views.findLast((v) => v.videoId === videoId && v.startMs <= atMs + ACTION_SLACK_MS);
  if (view && !view.actions.some((a) => a.type === type)) view.actions.push({ type });
}

function sessionsOfViews(views: readonly View[]): View[][] {
  const sessions: View[][] = [];
  for (const view of views) {
    const current = sessions.at(-1);
    const previous = current?.at(-1);
    if (current && previous && view.startMs - previous.startMs <= SESSION_GAP_MINUTES * 60_000) current.push(view);
    else sessions.push([view]);
  }
  return sessions;
}

/** The export's views as log steps (already parsed JSON); errors name the file and the JSON path. */
export function parseTiktokExport(json: unknown, file: string): LogStep[] {
  if (!isTiktokExport(json)) throw new LogFormatError(`${file}: not a TikTok export: expected an "Activity" (or "Your Activity") object at the top`);
  const rootKey = 'Activity' in (json as object) ? 'Activity' : 'Your Activity';
  const parsed = z.object({ [rootKey]: ActivitySchema }).safeParse(json);
  if (!parsed.success) throw LogFormatError.fromZod(parsed.error, file);
  const activity = parsed.data[rootKey] as z.output<typeof ActivitySchema>;
  const history = activity['Video Browsing History'] ?? activity['Watch History'];
  if (!history || history.VideoList.length === 0) {
    throw new LogFormatError(`${file}: ${rootKey}["Video Browsing History"].VideoList: no viewed videos (the export's browsing history is empty or missing)`);
  }
  // The export lists newest first: reversed, then sorted by time (stable, so same-second views keep their order).
  const views: View[] = [...history.VideoList]
    .reverse()
    .map((v) => ({ startMs: utcMs(v.Date), videoId: videoIdOf(v.Link), actions: [] as LogAction[] }))
    .sort((x, y) => x.startMs - y.startMs);
  for (const like of activity['Like List']?.ItemFavoriteList ?? []) {
    markAction(views, videoIdOf((like.Link ?? like.link ?? like.VideoLink) as string), utcMs((like.Date ?? like.date) as string), 'like');
  }
  for (const favorite of activity['Favorite Videos']?.FavoriteVideoList ?? []) {
    markAction(views, videoIdOf(favorite.Link), utcMs(favorite.Date), 'favorite');
  }

  const sessions = sessionsOfViews(views);
  const gaps = sessions.flatMap((s) => s.slice(1).map((v, i) => Math.min(MAX_INFERRED_WATCH_SECONDS, (v.startMs - (s[i] as View).startMs) / 1000)));
  const lastViewSeconds = gaps.length > 0 ? quantileOfSorted([...gaps].sort((x, y) => x - y), 0.5) : 0;
  return sessions.flatMap((session) => {
    const sessionId = `tiktok-${isoWithOffset((session[0] as View).startMs, 0).slice(0, 19).replace(/[-:]/g, '')}`;
    return session.map((view, i): LogStep => {
      const next = session[i + 1];
      const watchSeconds = next ? Math.min(MAX_INFERRED_WATCH_SECONDS, (next.startMs - view.startMs) / 1000) : lastViewSeconds;
      return {
        sessionId,
        time: isoWithOffset(view.startMs + watchSeconds * 1000, 0),
        platform: 'tiktok',
        watchSeconds,
        watchSecondsInferred: true,
        actions: view.actions,
        videoId: view.videoId,
      };
    });
  });
}
