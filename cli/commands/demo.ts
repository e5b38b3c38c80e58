/**
 * `personaact demo`: starts the local stack and runs the browser scenario on the sandbox. (The
 * audit issue turns this into a full counterfactual audit.)
 */
import { Command, InvalidArgumentError } from 'commander';
import { stackUp } from '../../infra/stack/stack';
import { calibrationPersona } from '../../sandbox/calibration';
import { categoryName, runBrowserDemo } from '../browser-demo';

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer.');
  return n;
};
const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number.');
  return n;
};

const say = (line: string) => process.stdout.write(`[demo] ${line}\n`);

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('start the local stack and let a persona agent browse the sandbox in Chromium')
    .option('--videos <n>', 'videos to watch (bubbles take a few hundred to form)', positiveInt, 500)
    .option('--time-scale <x>', 'sandbox clock when the stack is started here (platform seconds per real second)', positive, 50)
    .option('--account <name>', 'sandbox account (default: a new one per run)')
    .option('--data-dir <dir>', 'data folder of the local stack (default: .personaact/)')
    .addHelpText('after', `
The agent acts out a synthetic persona with clear tastes (the calibration persona) using the
persona-stat policy; the sandbox's default recommender learns from it. Watch the feed narrow.`)
    .action(async (options: { videos: number; timeScale: number; account?: string; dataDir?: string }) => {
      const started = performance.now();
      const up = await stackUp({ dataDir: options.dataDir, timeScale: options.timeScale }, (line) => say(line));
      for (const warning of up.warnings) say(`warning: ${warning}`);
      const urls = Object.fromEntries(up.status.services.map((s) => [s.name, s.urls]));
      const sandboxUrl = urls.sandbox!.http!;
      say(`Temporal UI ${urls.temporal!.ui} · sandbox ${sandboxUrl}`);
      const persona = calibrationPersona(0);
      const account = options.account ?? `demo-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
      say(`account ${account} · persona "${persona.name}": ${persona.narrative}`);
      const result = await runBrowserDemo({ sandboxUrl, account, persona, videos: options.videos, seed: account, progress: say });
      const lines = [
        '',
        `Videos watched        ${result.videos} at ${result.timeScale}x (${result.likes} liked)`,
        `Diversity             ${result.firstWindowDiversity} → ${result.lastWindowDiversity} distinct categories in the first → last 20 videos`,
        `Diversity change      ${result.diversityChangePct === null ? 'n/a' : `${result.diversityChangePct.toFixed(0)} %`} (last vs first quarter of the 20-video windows; negative = narrowing)`,
        `Served most (last 50) ${result.topCategories.map((c) => `${categoryName(c.slug)} ${(c.share * 100).toFixed(0)} %`).join(', ')}`,
        `Dwell error           p50 ${result.dwellErrorMs.p50.toFixed(0)} ms, p95 ${result.dwellErrorMs.p95.toFixed(0)} ms of wall time (server-measured vs intended)`,
        `Ground truth          ${sandboxUrl}/admin/accounts/${account}/interests`,
        `Wall time             ${((performance.now() - started) / 1000).toFixed(1)} s`,
        `The stack keeps running; stop it with: personaact dev down${options.dataDir ? ` --data-dir ${options.dataDir}` : ''}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
