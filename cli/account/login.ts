/**
 * `personaact account login`: starts accountLoginWorkflow, shows the live view of the browser
 * worker's sign-in page, and waits until the person has signed in (Done in the live view).
 */
import { WorkflowFailedError } from '@temporalio/client';
import { startAccountLogin } from '../../clients/account-login';
import { withClient } from '../../clients/connection';
import { failureMessage } from '../../clients/workflow-state';
import type { Platform } from '../../core/observation';
import { loginProgressQuery } from '../../workflows/account-login';
import type { CliConfig } from '../config';
import { UserError } from '../errors';
import { openInBrowser } from '../human/open-url';
import type { Out } from '../output';

/** How long the CLI waits for a browser worker to open the sign-in page. */
const OPEN_TIMEOUT_MS = 60_000;
const POLL_MS = 250;

export interface LoginOptions {
  platform: Platform;
  accountId: string;
  timeoutSeconds: number;
  open: boolean;
}

export async function loginAccount(config: CliConfig, options: LoginOptions, out: Out): Promise<void> {
  await withClient(config, async ({ client }) => {
    const handle = await startAccountLogin(client, { platform: options.platform, accountId: options.accountId, timeoutSeconds: options.timeoutSeconds });
    out(`Opening a sign-in page for ${options.platform}/${options.accountId} on a browser worker…`);
    const deadline = Date.now() + OPEN_TIMEOUT_MS;
    let url: string | undefined;
    while (!url) {
      url = (await handle.query(loginProgressQuery).catch(() => undefined))?.liveViewUrl;
      if (url) break;
      if (Date.now() > deadline) throw new UserError(`no browser worker opened the sign-in page within ${OPEN_TIMEOUT_MS / 1000} s (is \`personaact worker\` running?)`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    out(`live view: ${url}`);
    out(`Sign in there (QR code, SMS… as the platform asks), then press Done. Waiting up to ${options.timeoutSeconds} s.`);
    if (options.open && !(await openInBrowser(url))) out('(no browser opener here: open the URL yourself)');
    try {
      await handle.result();
    } catch (error) {
      if (error instanceof WorkflowFailedError) throw new UserError(`login of ${options.platform}/${options.accountId} failed: ${failureMessage(error)}`);
      throw error;
    }
    out(`Signed in: ${options.platform}/${options.accountId}'s storage state is saved (encrypted); every session of the account starts from it.`);
  });
}
