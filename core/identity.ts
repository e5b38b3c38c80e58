/**
 * A platform account's stable identity, as sock-puppet audits need it: feeds depend on the country
 * and device a platform believes it is serving, so an account always shows the same locale,
 * timezone, geolocation and user agent, and goes out through the same proxy. Everything is checked
 * against one country so a platform never sees, say, a zh-CN browser in New York behind a German
 * proxy. Pure: `account add` checks it, the browser worker turns it into Playwright context options.
 */
import { z } from 'zod';

interface Country {
  name: string;
  /** Browser locales a person there plausibly uses; the first is the default. */
  locales: readonly string[];
  /** IANA time zones of the country; the first is the default. */
  timezones: readonly string[];
  /** The default position (the capital or largest city). */
  geolocation: { latitude: number; longitude: number };
  /** A rough bounding box (south, west, north, east): a position outside it names another country. */
  bounds: readonly [number, number, number, number];
}

/** Countries the project can give an identity in. Add one here (with its sources: IANA tz, CLDR). */
export const COUNTRIES = {
  CN: { name: 'China', locales: ['zh-CN'], timezones: ['Asia/Shanghai', 'Asia/Urumqi'], geolocation: { latitude: 39.9042, longitude: 116.4074 }, bounds: [18, 73, 54, 135] },
  HK: { name: 'Hong Kong', locales: ['zh-HK', 'en-HK'], timezones: ['Asia/Hong_Kong'], geolocation: { latitude: 22.3193, longitude: 114.1694 }, bounds: [22.1, 113.8, 22.6, 114.5] },
  TW: { name: 'Taiwan', locales: ['zh-TW'], timezones: ['Asia/Taipei'], geolocation: { latitude: 25.033, longitude: 121.5654 }, bounds: [21.8, 119.3, 25.4, 122.1] },
  SG: { name: 'Singapore', locales: ['en-SG', 'zh-SG'], timezones: ['Asia/Singapore'], geolocation: { latitude: 1.3521, longitude: 103.8198 }, bounds: [1.1, 103.6, 1.5, 104.1] },
  JP: { name: 'Japan', locales: ['ja-JP'], timezones: ['Asia/Tokyo'], geolocation: { latitude: 35.6762, longitude: 139.6503 }, bounds: [24, 122, 46, 146] },
  KR: { name: 'South Korea', locales: ['ko-KR'], timezones: ['Asia/Seoul'], geolocation: { latitude: 37.5665, longitude: 126.978 }, bounds: [33, 124, 39, 132] },
  IN: { name: 'India', locales: ['en-IN', 'hi-IN'], timezones: ['Asia/Kolkata'], geolocation: { latitude: 28.6139, longitude: 77.209 }, bounds: [6, 68, 36, 98] },
  US: {
    name: 'United States', locales: ['en-US', 'es-US'],
    timezones: ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Phoenix', 'America/Anchorage', 'Pacific/Honolulu'],
    geolocation: { latitude: 40.7128, longitude: -74.006 }, bounds: [18, -180, 72, -66],
  },
  CA: { name: 'Canada', locales: ['en-CA', 'fr-CA'], timezones: ['America/Toronto', 'America/Vancouver', 'America/Edmonton', 'America/Winnipeg', 'America/Halifax'], geolocation: { latitude: 43.6532, longitude: -79.3832 }, bounds: [41, -141, 84, -52] },
  BR: { name: 'Brazil', locales: ['pt-BR'], timezones: ['America/Sao_Paulo', 'America/Manaus', 'America/Fortaleza'], geolocation: { latitude: -23.5505, longitude: -46.6333 }, bounds: [-34, -74, 6, -34] },
  GB: { name: 'United Kingdom', locales: ['en-GB'], timezones: ['Europe/London'], geolocation: { latitude: 51.5074, longitude: -0.1278 }, bounds: [49.8, -8.7, 60.9, 1.8] },
  DE: { name: 'Germany', locales: ['de-DE'], timezones: ['Europe/Berlin'], geolocation: { latitude: 52.52, longitude: 13.405 }, bounds: [47.2, 5.8, 55.1, 15.1] },
  FR: { name: 'France', locales: ['fr-FR'], timezones: ['Europe/Paris'], geolocation: { latitude: 48.8566, longitude: 2.3522 }, bounds: [41.3, -5.2, 51.1, 9.6] },
  ES: { name: 'Spain', locales: ['es-ES', 'ca-ES'], timezones: ['Europe/Madrid', 'Atlantic/Canary'], geolocation: { latitude: 40.4168, longitude: -3.7038 }, bounds: [27.6, -18.2, 43.8, 4.4] },
  AU: { name: 'Australia', locales: ['en-AU'], timezones: ['Australia/Sydney', 'Australia/Melbourne', 'Australia/Brisbane', 'Australia/Perth', 'Australia/Adelaide'], geolocation: { latitude: -33.8688, longitude: 151.2093 }, bounds: [-44, 112, -10, 154] },
} as const satisfies Record<string, Country>;

export type CountryCode = keyof typeof COUNTRIES;
export const COUNTRY_CODES = Object.keys(COUNTRIES) as [CountryCode, ...CountryCode[]];
export const CountrySchema = z.enum(COUNTRY_CODES, { error: () => `expected a country code, one of ${COUNTRY_CODES.join(', ')} (add others in core/identity.ts)` });

export const GeolocationSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
}).strict();

/**
 * The account's proxy as stored in account.json: where it is, never who signs in to it (its
 * username and password are kept encrypted beside the cookies, activities/accounts/proxy-credentials.ts).
 */
export const ProxySchema = z.object({
  server: z.string().superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return void ctx.addIssue({ code: 'custom', message: 'expected a proxy URL such as http://proxy.example:3128 or socks5://127.0.0.1:1080' });
    }
    if (!['http:', 'https:', 'socks5:', 'socks4:'].includes(url.protocol)) {
      ctx.addIssue({ code: 'custom', message: `proxy scheme "${url.protocol}" is not supported: use http://, https://, socks5:// or socks4://` });
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'the proxy URL must not contain a username or password (they would be stored in plain text): give them with --proxy-username and --proxy-password-stdin' });
    }
    if (!url.port) ctx.addIssue({ code: 'custom', message: 'the proxy URL needs a port (e.g. http://proxy.example:3128)' });
  }),
  /** Whether encrypted credentials are stored for it. */
  credentials: z.boolean(),
}).strict();

/** Chromium's user agent names itself "HeadlessChrome" when headless: a fixed identity must not. */
const UserAgentSchema = z.string().min(10).max(512).refine((ua) => !/headless/i.test(ua), 'the user agent names a headless browser, which sites refuse');

export const IdentitySchema = z.object({
  country: CountrySchema,
  locale: z.string(),
  timezone: z.string(),
  geolocation: GeolocationSchema,
  userAgent: UserAgentSchema.optional(),
  proxy: ProxySchema.optional(),
}).strict().superRefine((identity, ctx) => {
  for (const issue of inconsistencies(identity)) ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message });
});
export type Identity = z.output<typeof IdentitySchema>;

/** What a person asks for (`account add` flags): the country, and any field they want other than its default. */
export interface IdentityRequest {
  country: CountryCode;
  locale?: string;
  timezone?: string;
  geolocation?: { latitude: number; longitude: number };
  userAgent?: string;
  proxy?: { server: string; credentials: boolean };
}

function inconsistencies(identity: Omit<Identity, 'userAgent' | 'proxy'>): { field: keyof Identity; message: string }[] {
  const country: Country = COUNTRIES[identity.country];
  const issues: { field: keyof Identity; message: string }[] = [];
  const { code, name } = { code: identity.country, name: country.name };
  if (!country.locales.includes(identity.locale)) {
    issues.push({ field: 'locale', message: `locale ${identity.locale} does not fit ${name} (${code}): use one of ${country.locales.join(', ')}` });
  }
  if (!country.timezones.includes(identity.timezone)) {
    issues.push({ field: 'timezone', message: `timezone ${identity.timezone} is not in ${name} (${code}): use one of ${country.timezones.join(', ')}` });
  }
  const [south, west, north, east] = country.bounds;
  const { latitude, longitude } = identity.geolocation;
  if (latitude < south || latitude > north || longitude < west || longitude > east) {
    issues.push({ field: 'geolocation', message: `geolocation ${latitude},${longitude} is outside ${name} (${code}): latitude ${south}…${north}, longitude ${west}…${east}` });
  }
  return issues;
}

/** The identity `request` asks for, every field the country leaves open filled with its default (not yet checked: IdentitySchema does). */
export function withCountryDefaults(request: IdentityRequest): z.input<typeof IdentitySchema> {
  const country = COUNTRIES[request.country];
  return {
    country: request.country,
    locale: request.locale ?? country.locales[0],
    timezone: request.timezone ?? country.timezones[0],
    geolocation: request.geolocation ?? country.geolocation,
    ...(request.userAgent !== undefined ? { userAgent: request.userAgent } : {}),
    ...(request.proxy ? { proxy: request.proxy } : {}),
  };
}

/** The identity `request` asks for; a ZodError naming the field when it does not fit its country. */
export function resolveIdentity(request: IdentityRequest): Identity {
  return IdentitySchema.parse(withCountryDefaults(request));
}

/** "51.5,-0.12" → a position (the `--geolocation` flag's format). */
export function parseGeolocation(text: string): { latitude: number; longitude: number } | undefined {
  const match = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!match) return undefined;
  const parsed = GeolocationSchema.safeParse({ latitude: Number(match[1]), longitude: Number(match[2]) });
  return parsed.success ? parsed.data : undefined;
}
