/** `personaact adapter check | parse`: a live preflight of a platform adapter, and its feed-response parser on a saved body. */
import { Command, Option } from 'commander';
import { accountContextOptions } from '../../activities/accounts/browser-identity';
import { DEFAULT_CHROMIUM } from '../../activities/browser/chromium';
import { platformHelp, type Platform } from '../../core/platforms';
import { HttpUrlSchema, KeySegmentSchema } from '../../core/primitives';
import { requireKeyring, resolveSecrets } from '../../secrets/config';
import { checkAdapter, renderCheckReport } from '../adapter/check';
import { parseSavedResponse, renderParsedItems } from '../adapter/parse';
import { matchingSchema as matching, platformArgument, positiveInt } from '../arguments';
import { openCliStore } from '../audit/store';
import { cliConfig } from '../config';
import { UserError } from '../errors';

const out = (line = '') => process.stdout.write(`${line}\n`);

export function registerAdapterCommand(program: Command): void {
  const adapter = program
    .command('adapter')
    .description('check a platform adapter against the live site, or run its feed-response parser on a saved response')
    .addHelpText('after', `
Platforms (the registry, core/platforms.ts; docs/platforms.md says what is verified where):
${platformHelp()}

Each real platform's selectors and feed-API paths are data: activities/browser/<platform>/site.json.
When a site changes, \`adapter check\` names what no longer matches; fix it there.`);

  adapter
    .command('check')
    .description('open the feed, read a few items, report which endpoints and selectors matched, sign-in state and any challenge')
    .argument('<platform>', 'a registered platform', platformArgument)
    .option('--account <id>', 'start from this account\'s saved sign-in (`personaact account login` first)', matching(KeySegmentSchema))
    .option('--items <n>', 'how many items to read', positiveInt, 3)
    .option('--url <origin>', 'reach the platform here instead of its home URL (a mirror, a fixture site)', matching(HttpUrlSchema))
    .option('--chromium <path>', 'Chromium executable', process.env.PERSONAACT_CHROMIUM ?? DEFAULT_CHROMIUM)
    .option('--headed', 'headed Chromium, for sites that refuse headless browsers: on DISPLAY, or a virtual display (Xvfb) when there is none')
    .addOption(new Option('--json', 'print the report as JSON'))
    .addHelpText('after', `
Run it on your own machine before an audit: it drives the site exactly as an audit does (same
adapter, same phone-sized viewport), at the platform's pacing. Exit 0: items were read from the
feed API and the page; exit 1: the report names what broke (an endpoint, a selector, a challenge,
a sign-in that expired).

  personaact adapter check douyin --account dy-01
  personaact adapter check tiktok --json`)
    .action(async (platform: Platform, flags: { account?: string; items: number; url?: string; chromium: string; headed?: boolean; json?: boolean }) => {
      const config = cliConfig();
      let contextOptions;
      if (flags.account) {
        const keyring = requireKeyring(resolveSecrets(config), 'the account\'s saved sign-in is encrypted');
        // The account's identity too (locale, timezone, proxy…): the site must meet the browser audits show it.
        ({ contextOptions } = await accountContextOptions(openCliStore(config), keyring, platform, flags.account));
        if (!contextOptions.storageState) throw new UserError(`account ${platform}/${flags.account} has no saved sign-in: personaact account login ${platform} ${flags.account}`);
      }
      const report = await checkAdapter({
        platform, sandboxUrl: config.PERSONAACT_SANDBOX_URL, items: flags.items, chromium: flags.chromium,
        ...(flags.url ? { url: flags.url.replace(/\/+$/, '') } : {}), ...(contextOptions ? { contextOptions } : {}),
        ...(flags.account ? { account: flags.account } : {}), ...(flags.headed ? { headed: true } : {}),
      }, flags.json ? undefined : out);
      out(flags.json ? JSON.stringify(report, null, 2) : renderCheckReport(report));
      const [first, ...more] = report.problems;
      if (first) throw new UserError(`${platform} adapter check failed: ${first}${more.length > 0 ? ` (and ${more.length} more above)` : ''}`);
    });

  adapter
    .command('parse')
    .description('list the items the adapter\'s feed-response parser finds in a response body saved from the browser')
    .argument('<platform>', 'a registered platform with a feed API', platformArgument)
    .argument('<file>', 'the response body (JSON), e.g. saved from the developer tools\' Network tab')
    .addOption(new Option('--json', 'print the items as JSON'))
    .addHelpText('after', `
The same pure function the adapter uses in the page (activities/browser/web/feed-parser.ts). A
body of another shape gets an error naming the path that did not match.

  personaact adapter parse douyin feed.json`)
    .action(async (platform: Platform, file: string, flags: { json?: boolean }) => {
      const items = await parseSavedResponse(platform, file);
      out(flags.json ? JSON.stringify({ platform, items }, null, 2) : renderParsedItems(items));
    });
}
