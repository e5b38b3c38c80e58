/**
 * `account add`'s identity flags → the account's identity (core/identity.ts) and its proxy
 * credentials. Every flag is checked before anything is written, with a message naming it.
 */
import { text } from 'node:stream/consumers';
import { COUNTRY_CODES, CountrySchema, IdentitySchema, parseGeolocation, ProxySchema, withCountryDefaults, type Identity, type IdentityRequest } from '../../core/identity';
import type { ProxyCredentials } from '../../activities/accounts/browser-identity';
import { UserError } from '../errors';

export interface IdentityFlags {
  country?: string;
  locale?: string;
  timezone?: string;
  geolocation?: string;
  userAgent?: string;
  proxy?: string;
  proxyUsername?: string;
  proxyPasswordStdin?: boolean;
}

const FLAG_OF: Record<string, string> = { locale: '--locale', timezone: '--timezone', geolocation: '--geolocation', userAgent: '--user-agent', proxy: '--proxy' };

/** The identity the flags ask for, or undefined when none was given; `readPassword` is only called for --proxy-password-stdin. */
export async function identityFromFlags(
  flags: IdentityFlags, readPassword: () => Promise<string> = () => text(process.stdin),
): Promise<{ identity?: Identity; credentials?: ProxyCredentials }> {
  const given = (['locale', 'timezone', 'geolocation', 'userAgent', 'proxy'] as const).filter((name) => flags[name] !== undefined);
  if (flags.country === undefined) {
    if (given.length > 0) throw new UserError(`${given.map((name) => FLAG_OF[name]).join(', ')} ${given.length === 1 ? 'needs' : 'need'} --country: an account's locale, timezone, geolocation and proxy must agree with one country (${COUNTRY_CODES.join(', ')})`);
    if (flags.proxyUsername !== undefined || flags.proxyPasswordStdin) throw new UserError('--proxy-username and --proxy-password-stdin need --proxy (and --country)');
    return {};
  }
  const country = CountrySchema.safeParse(flags.country.toUpperCase());
  if (!country.success) throw new UserError(`--country ${flags.country}: ${country.error.issues[0]?.message}`);
  const request: IdentityRequest = { country: country.data };
  if (flags.locale !== undefined) request.locale = flags.locale;
  if (flags.timezone !== undefined) request.timezone = flags.timezone;
  if (flags.userAgent !== undefined) request.userAgent = flags.userAgent;
  if (flags.geolocation !== undefined) {
    const position = parseGeolocation(flags.geolocation);
    if (!position) throw new UserError(`--geolocation ${flags.geolocation}: expected "latitude,longitude" in degrees, e.g. 51.5074,-0.1278`);
    request.geolocation = position;
  }
  let credentials: ProxyCredentials | undefined;
  if (flags.proxy !== undefined) {
    const proxy = ProxySchema.safeParse({ server: flags.proxy, credentials: flags.proxyUsername !== undefined });
    if (!proxy.success) throw new UserError(`--proxy: ${proxy.error.issues[0]?.message}`);
    if (flags.proxyPasswordStdin && flags.proxyUsername === undefined) throw new UserError('--proxy-password-stdin needs --proxy-username');
    if (flags.proxyUsername !== undefined) {
      if (!flags.proxyPasswordStdin) throw new UserError('--proxy-username needs --proxy-password-stdin (the password is read from standard input, never from the command line, so it stays out of shell history)');
      credentials = { username: flags.proxyUsername, password: (await readPassword()).replace(/\r?\n$/, '') };
    }
    request.proxy = proxy.data;
  } else if (flags.proxyUsername !== undefined || flags.proxyPasswordStdin) {
    throw new UserError('--proxy-username and --proxy-password-stdin need --proxy');
  }
  const resolved = IdentitySchema.safeParse(withCountryDefaults(request));
  if (!resolved.success) {
    throw new UserError(resolved.error.issues.map((issue) => `${FLAG_OF[String(issue.path[0])] ?? '--country'}: ${issue.message}`).join('\n'));
  }
  return { identity: resolved.data, ...(credentials ? { credentials } : {}) };
}

