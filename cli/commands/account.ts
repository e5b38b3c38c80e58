/** `personaact account add | list | remove | login`: the platform accounts audits drive. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_LOGIN_TIMEOUT_SECONDS } from '../../core/account';
import { PLATFORMS, type Platform } from '../../core/platforms';
import { KeySegmentSchema } from '../../core/primitives';
import { loadAccount } from '../../activities/accounts/browser-identity';
import { addAccount, listAccounts, removeAccount } from '../account/accounts';
import { identityFromFlags, type IdentityFlags } from '../account/identity-flags';
import { loginAccount } from '../account/login';
import { COUNTRY_CODES, type Identity } from '../../core/identity';
import { requireKeyring, resolveSecrets } from '../../secrets/config';
import { platformArgument, positiveInt } from '../arguments';
import { shortTime, table } from '../audit/format';
import { openCliStore } from '../audit/store';
import { cliConfig } from '../config';
import { UserError } from '../errors';
import { out } from '../output';


function accountIdArgument(value: string): string {
  const parsed = KeySegmentSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  return value;
}

/** "GB en-GB Europe/London via socks5://10.0.0.5:1080": never the proxy's credentials. */
const describeIdentity = (identity: Identity) =>
  [identity.country, identity.locale, identity.timezone, ...(identity.proxy ? [`via ${identity.proxy.server}`] : [])].join(' ');

export function registerAccountCommand(program: Command): void {
  const account = program
    .command('account')
    .description('platform accounts: register them, sign them in once through the live view, list and remove them')
    .addHelpText('after', `
Accounts live in the artifact store (PERSONAACT_ARTIFACTS) under accounts/<platform>/<id>/:
account.json (platform, id, note) and, once signed in, storage-state.enc.json — the browser's
cookies and local storage, encrypted with PERSONAACT_SECRET_KEY (AES-256-GCM). Every browser
session of the account starts from that state, so a person signs in only once.

  personaact account add sandbox alice --note "test account"
  personaact account login sandbox alice     # sign in through the live view, press Done
  personaact account list
  personaact audit start --persona examples/personas/user-a.json --account alice
  personaact account remove sandbox alice`);

  account
    .command('add')
    .description('register an account (nothing is signed in yet: see `account login`)')
    .argument('<platform>', `one of ${PLATFORMS.join(', ')}`, platformArgument)
    .argument('<account-id>', 'the account\'s id in this project (letters, digits, . _ -)', accountIdArgument)
    .option('--note <text>', 'a note for people (whose phone signs it in, what it is for)')
    .option('--country <code>', `the country the account lives in: its locale, timezone and geolocation default to it, and must agree with it (${COUNTRY_CODES.join(', ')})`)
    .option('--locale <tag>', 'browser locale (navigator.language, Accept-Language), e.g. en-GB; default: the country\'s')
    .option('--timezone <iana>', 'time zone, e.g. Europe/London; default: the country\'s capital\'s')
    .option('--geolocation <lat,lon>', 'position the browser reports, e.g. 51.5074,-0.1278; default: the country\'s capital')
    .option('--user-agent <ua>', 'a fixed user agent (default: the worker\'s Chromium\'s own)')
    .option('--proxy <url>', 'the account\'s proxy: http://, https://, socks5:// or socks4://host:port, exiting in --country')
    .option('--proxy-username <name>', 'the proxy\'s username (stored encrypted, needs PERSONAACT_SECRET_KEY)')
    .option('--proxy-password-stdin', 'read the proxy\'s password from standard input (never give it on the command line)')
    .addHelpText('after', `
The identity is fixed for the account's life: every session (audits, sign-in, adapter check)
shows the platform the same locale, timezone, geolocation, user agent and proxy, because feeds
depend on country and device. An inconsistent combination is refused.

  personaact account add tiktok tt-uk-01 --country GB --proxy socks5://10.0.0.5:1080
  personaact account add douyin dy-01 --country CN --timezone Asia/Shanghai \\
    --proxy http://proxy.example:3128 --proxy-username alice --proxy-password-stdin < proxy-password.txt`)
    .action(async (platform: Platform, accountId: string, flags: { note?: string } & IdentityFlags) => {
      const config = cliConfig();
      const { identity, credentials } = await identityFromFlags(flags);
      const keyring = credentials ? requireKeyring(resolveSecrets(config), 'the proxy\'s credentials are stored encrypted') : undefined;
      const store = openCliStore(config);
      await addAccount(store, {
        platform, accountId, ...(flags.note ? { note: flags.note } : {}), ...(identity ? { identity } : {}),
        ...(credentials && keyring ? { proxyCredentials: { credentials, keyring } } : {}),
      });
      out(`Added ${platform}/${accountId}${identity ? ` (${describeIdentity(identity)})` : ''}. Sign it in with: personaact account login ${platform} ${accountId}`);
    });

  account
    .command('list')
    .description('list the registered accounts and whether each has a saved sign-in')
    .addOption(new Option('--platform <platform>', 'only this platform').choices(PLATFORMS))
    .addOption(new Option('--json', 'print machine-readable JSON'))
    .action(async (flags: { platform?: Platform; json?: boolean }) => {
      const entries = await listAccounts(openCliStore(cliConfig()), flags.platform);
      if (flags.json) return void out(JSON.stringify(entries, null, 2));
      if (entries.length === 0) return void out('No accounts yet: personaact account add <platform> <id>');
      out(table(['PLATFORM', 'ACCOUNT', 'SIGNED IN', 'IDENTITY', 'ADDED', 'NOTE'],
        entries.map((e) => [e.platform, e.accountId, e.signedIn ? 'yes' : 'no', e.identity ? describeIdentity(e.identity) : '-', shortTime(e.createdAt), e.note ?? ''])));
    });

  account
    .command('remove')
    .description('delete an account\'s metadata and its saved sign-in (storage state)')
    .argument('<platform>', `one of ${PLATFORMS.join(', ')}`, platformArgument)
    .argument('<account-id>', 'the account id', accountIdArgument)
    .action(async (platform: Platform, accountId: string) => {
      const deleted = await removeAccount(openCliStore(cliConfig()), platform, accountId);
      out(`Removed ${platform}/${accountId} (${deleted.length} object${deleted.length === 1 ? '' : 's'}).`);
    });

  account
    .command('login')
    .description('sign an account in through the live view of a browser worker; saves its storage state (encrypted)')
    .argument('<platform>', `one of ${PLATFORMS.join(', ')}`, platformArgument)
    .argument('<account-id>', 'an account added with `account add`', accountIdArgument)
    .option('--timeout <seconds>', 'how long to wait for the person to sign in', positiveInt, DEFAULT_LOGIN_TIMEOUT_SECONDS)
    .option('--no-open', 'only print the live view\'s URL')
    .addHelpText('after', `
Needs a browser worker (\`personaact worker\`; its live view listens on 127.0.0.1, port
PERSONAACT_LIVE_VIEW_PORT or any free one). The page opens on the platform's sign-in page (on
real platforms a QR code or an SMS code); press Done in the live view when you are signed in:
the worker checks the page and saves the storage state, encrypted.`)
    .action(async (platform: Platform, accountId: string, flags: { timeout: number; open: boolean }) => {
      const config = cliConfig();
      if (!(await loadAccount(openCliStore(config), platform, accountId))) {
        throw new UserError(`no account ${platform}/${accountId}: add it first (personaact account add ${platform} ${accountId})`);
      }
      await loginAccount(config, { platform, accountId, timeoutSeconds: flags.timeout, open: flags.open }, out);
    });
}
