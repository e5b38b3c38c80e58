/**
 * `personaact demo` (npm run demo): the main job end to end on one machine. Starts the local stack
 * (Temporal + UI, sandbox at an accelerated clock, audit worker), runs a full default audit —
 * 800 cultivation + 800 counterfactual interactions as one of the paper's real users — follows it
 * live, and prints the report and the wall time. The clock runs at 20x: a step's decision round
 * trip (~0.1 s) then stays under the 3 s quick-skip threshold in platform time, so skips still
 * look like skips to the recommender; much faster clocks would turn every quick skip into a view.
 */
import path from 'node:path';
import { Command } from 'commander';
import { positiveInt, timeScale } from '../arguments';
import { REPO_ROOT } from '../../infra/stack/paths';
import { stackUp } from '../../infra/stack/stack';
import { loadReport, renderReport } from '../audit/report';
import { prepareAudit, startAudit } from '../audit/start';
import { followAudit } from '../audit/status';
import { cliConfig, type CliConfig } from '../config';
import { UserError } from '../errors';
import { localStackTarget } from '../../clients/temporal-config';
import { out } from '../output';

const say = (line: string) => out(`[demo] ${line}`);

interface DemoOptions {
  persona: string;
  cultivation: number;
  counterfactual: number;
  timeScale: number;
  dataDir?: string;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('start the local stack and run a full counterfactual audit on the sandbox, live')
    .option('--persona <file>', 'persona to audit with', path.join(REPO_ROOT, 'examples', 'personas', 'user-a.json'))
    .option('--cultivation <n>', 'cultivation interactions', positiveInt, 800)
    .option('--counterfactual <n>', 'counterfactual interactions', positiveInt, 800)
    .option('--time-scale <x>', 'sandbox clock when the stack is started here (platform seconds per real second)', timeScale, 20)
    .option('--data-dir <dir>', 'data folder of the local stack (default: .personaact/)')
    .addHelpText('after', `
The agent acts out the paper's user a (examples/personas/user-a.json: statistics from the real
logs, category tastes assumed) with the persona-stat policy on a fresh sandbox account, then its
quantile-flipped reversal on the same account. Watch it in the Temporal UI while it runs; the
stack keeps running afterwards (personaact dev status / dev down).`)
    .action(async (options: DemoOptions) => {
      const started = performance.now();
      const up = await stackUp({ dataDir: options.dataDir, timeScale: options.timeScale }, say);
      for (const warning of up.warnings) say(`warning: ${warning}`);
      const services = Object.fromEntries(up.status.services.map((s) => [s.name, s]));
      const [temporal, sandbox, worker] = [services.temporal, services.sandbox, services.worker];
      if (!temporal?.urls.grpc || !sandbox?.urls.http || !worker?.urls.artifacts) {
        throw new UserError('the local stack did not report Temporal, the sandbox and the worker; see `personaact dev status`');
      }
      // Talk to the stack just started, whatever the environment says.
      const config: CliConfig = {
        ...cliConfig(),
        temporal: localStackTarget(temporal.urls.grpc, temporal.urls.ui ?? cliConfig().temporal.uiUrl),
        PERSONAACT_SANDBOX_URL: sandbox.urls.http,
        PERSONAACT_ARTIFACTS: worker.urls.artifacts,
        // The stack's own key, when its worker uses it: what the worker encrypts must read here too.
        ...(worker.urls.secretKeyFile ? { PERSONAACT_SECRET_KEY_FILE: worker.urls.secretKeyFile } : {}),
      };
      const prepared = await prepareAudit({
        platform: 'sandbox', persona: options.persona, cultivation: options.cultivation, counterfactual: options.counterfactual,
        policy: 'persona-stat', reversal: 'quantile-flip', engagement: 'suppress', screenshots: true,
      }, config);
      if (prepared.input.spec.timeScale !== options.timeScale) {
        throw new UserError(
          `the running sandbox's clock is ${prepared.input.spec.timeScale}x, not ${options.timeScale}x: ` +
            `stop the stack first (personaact dev down), or pass --time-scale ${prepared.input.spec.timeScale}`,
        );
      }
      out();
      const auditId = await startAudit(prepared, config, out);
      out();
      await followAudit(config, auditId, out);
      const { metrics, artifacts } = await loadReport(config, auditId);
      out();
      out(renderReport(metrics, artifacts));
      out(`Wall time: ${((performance.now() - started) / 1000 / 60).toFixed(1)} min (setup excluded). The stack keeps running: personaact dev down${options.dataDir ? ` --data-dir ${options.dataDir}` : ''} stops it.`);
    });
}
