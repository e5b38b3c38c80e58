/**
 * A real platform's web app, as data: the feed API to intercept and where its fields are, the
 * page's selectors, how to go to the next item, the actions it offers and the challenges it shows.
 * One file per platform (activities/browser/<platform>/site.json) so a researcher can follow a
 * site change without touching code; every entry cites where its shape is documented.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { CHALLENGE_KINDS, PlatformSchema } from '../../../core/platforms';
import { formatZodError } from '../../../core/zod-error';

/** Where a shape is documented (an open-source crawler's file, an API collection, docs); "fixture only" where nothing is. */
const cite = z.string().min(1);

/**
 * A path into a JSON value: dot-separated keys, `[]` maps over an array, a number indexes one.
 * E.g. `author.nickname`, `text_extra[].hashtag_name`, `runs.0.text`.
 */
export const JsonPathSchema = z.string().regex(/^[A-Za-z0-9_$-]+(\[\])?(\.[A-Za-z0-9_$-]+(\[\])?)*$/, 'a path like a.b[].c');

/** A flag on an item: true when the value at `path` equals `equals`, or is present and truthy when `equals` is omitted. */
const MarkerSchema = z.object({ path: JsonPathSchema, equals: z.union([z.string(), z.number(), z.boolean()]).optional() });

const FieldSchema = z.array(JsonPathSchema).min(1).describe('candidate paths, first non-empty wins');

export const FeedApiSchema = z.object({
  /** Responses whose URL contains one of these (and, for GraphQL, whose request names the operation) carry the feed. */
  endpoints: z.array(z.object({ urlIncludes: z.string().min(1), graphqlOperation: z.string().min(1).optional(), cite })).min(1),
  /** Where the list of items is in the response body. */
  itemsPath: JsonPathSchema,
  item: z.object({
    id: FieldSchema,
    title: FieldSchema,
    author: FieldSchema,
    duration: z.object({ paths: FieldSchema, unit: z.enum(['s', 'ms']) }),
    tags: z.array(JsonPathSchema).default([]),
    category: z.array(JsonPathSchema).default([]),
    ad: z.array(MarkerSchema).default([]),
    live: z.array(MarkerSchema).default([]),
  }),
  cite,
});
export type FeedApi = z.output<typeof FeedApiSchema>;

const ChallengeMarkerSchema = z.object({
  kind: z.enum(CHALLENGE_KINDS),
  /** A visible element matching this selector… */
  selector: z.string().min(1).optional(),
  /** …or a page URL containing this… */
  urlIncludes: z.string().min(1).optional(),
  detail: z.string().min(1),
  cite,
}).refine((m) => m.selector !== undefined || m.urlIncludes !== undefined, 'a challenge marker needs a selector or urlIncludes');

const ResponseChallengeSchema = z.object({
  kind: z.enum(CHALLENGE_KINDS),
  /** A feed response with this HTTP status… */
  status: z.number().int().optional(),
  /** …or whose body has `equals` at `path`. */
  path: JsonPathSchema.optional(),
  equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
  detail: z.string().min(1),
  cite,
}).refine((m) => m.status !== undefined || m.path !== undefined, 'a response challenge needs a status or a path');

const NavigationSchema = z.union([
  z.object({ key: z.string().min(1), cite }),
  z.object({ wheel: z.number().positive(), cite }),
  z.object({ click: z.string().min(1), cite }),
]);

export const SiteProfileSchema = z.object({
  platform: PlatformSchema,
  /** Paths on the platform's home origin (registry homeUrl; a fixture site's URL in tests). */
  feedPath: z.string().startsWith('/'),
  signInPath: z.string().startsWith('/'),
  /** Signed in when the site has set this cookie (non-empty). */
  signedIn: z.object({ cookie: z.string().min(1), cite }),
  feedApi: FeedApiSchema,
  dom: z.object({
    /** Every feed item in the page; the one covering most of the viewport is the current one. */
    item: z.string().min(1),
    /** Where the item's id is: an attribute of the item (or of `selector` inside it), `pattern`'s first group if given. */
    id: z.object({ selector: z.string().min(1).optional(), attribute: z.string().min(1), pattern: z.string().min(1).optional() }),
    title: z.string().min(1),
    author: z.string().min(1),
    /** Inside an item: marks an ad or a live stream the audit must skip. */
    ad: z.string().min(1).optional(),
    live: z.string().min(1).optional(),
    cite,
  }),
  navigation: NavigationSchema,
  actions: z.object({
    like: z.object({ click: z.string().min(1), cite }).optional(),
    comment: z.object({ open: z.string().min(1), input: z.string().min(1), send: z.string().min(1), cite }).optional(),
    share: z.object({ open: z.string().min(1), target: z.string().min(1), cite }).optional(),
    notInterested: z.object({ open: z.string().min(1).optional(), click: z.string().min(1), cite }).optional(),
  }),
  challenges: z.array(ChallengeMarkerSchema).min(1),
  responseChallenges: z.array(ResponseChallengeSchema).default([]),
});
export type SiteProfile = z.output<typeof SiteProfileSchema>;

export const siteProfilePath = (site: string) => fileURLToPath(new URL(`../${site}/site.json`, import.meta.url));

/** Reads and checks a site profile; a broken file names itself and the field. */
export function loadSiteProfile(site: string): SiteProfile {
  const file = siteProfilePath(site);
  const parsed = SiteProfileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`site profile ${file} is not valid:\n${formatZodError(parsed.error, file)}`);
  return parsed.data;
}
