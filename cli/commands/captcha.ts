/** `personaact captcha open | resolved`: solve an audit's captcha through the browser worker's live view. */
import { Command, Option } from 'commander';
import { checkAuditId } from '../audit/snapshot';
import { cliConfig } from '../config';
import { describeChallenge, pendingChallenge, resolveChallenge } from '../human/captcha';
import { openInBrowser } from '../human/open-url';
import { out } from '../output';


export function registerCaptchaCommand(program: Command): void {
  const captcha = program
    .command('captcha')
    .description('solve a captcha (or login wall) that paused an audit (status AWAITING_HUMAN)')
    .addHelpText('after', `
When a platform shows a challenge, the audit keeps its browser page open on it and waits for a
person (the spec's challenges.timeoutSeconds, default 2 h; then it fails, or with
challenges.onTimeout "wait" keeps waiting). The browser worker serves a live view of that page
on 127.0.0.1 (PERSONAACT_LIVE_VIEW_PORT; reach a remote worker through an SSH tunnel):

  personaact captcha open <AUDIT_ID>       # prints the live view's URL and opens it
  # drag the slider / type the code in the live view, then press its Done button, or:
  personaact captcha resolved <AUDIT_ID>   # the audit checks the page and resumes at the same step`);

  captcha
    .command('open')
    .description("print the live view's URL of the audit's browser page and open it in a browser")
    .argument('<audit-id>', 'the audit id')
    .option('--no-open', 'only print the URL')
    .addOption(new Option('--json', 'print the pending challenge as JSON'))
    .action(async (auditId: string, flags: { open: boolean; json?: boolean }) => {
      checkAuditId(auditId);
      const challenge = await pendingChallenge(cliConfig(), auditId);
      if (flags.json) {
        out(JSON.stringify(challenge, null, 2));
        return;
      }
      for (const line of describeChallenge(auditId, challenge)) out(line);
      if (flags.open && !(await openInBrowser(challenge.liveViewUrl))) out('(no browser opener here: open the URL yourself)');
    });

  captcha
    .command('resolved')
    .description('tell the audit the challenge is solved; it checks the page, then resumes at the same step')
    .argument('<audit-id>', 'the audit id')
    .action(async (auditId: string) => {
      checkAuditId(auditId);
      out(await resolveChallenge(cliConfig(), auditId));
    });
}
