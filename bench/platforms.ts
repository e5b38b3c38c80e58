/**
 * npm run bench:platforms [-- --json] [-- --steps N] [-- --time-scale X]
 * One audit of N + N interactions (persona user-a, default 50 + 50) on each real platform's
 * fixture site, all six at once on one stack (Temporal dev server, workers, Chromium), and the
 * time each took. Each audit is checked: completed, contiguous records, only videos the site
 * served (ads and live rooms skipped), every recorded action seen by the site.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { PersonaSchema } from '../core/persona';
import { runFixtureAudit, startFixtureStack, WEB_PLATFORMS, type FixtureAudit } from '../test/helpers/fixture-sites/audit';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    steps: { type: 'string', default: '50' },
    'time-scale': { type: 'string', default: '200' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write('Usage: npm run bench:platforms -- [--json] [--steps N (per phase, default 50)] [--time-scale X (default 200)]\n');
  process.exit(0);
}
const steps = Number(values.steps);
const timeScale = Number(values['time-scale']);
if (!Number.isInteger(steps) || steps < 1) throw new Error(`--steps must be a positive integer, got "${values.steps}"`);
if (!(timeScale > 0 && timeScale <= 1000)) throw new Error(`--time-scale must be in (0, 1000], got "${values['time-scale']}"`);
const say = (line: string) => values.json || process.stderr.write(`[bench:platforms] ${line}\n`);

const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../examples/personas/user-a.json', import.meta.url), 'utf8')));

/** What is wrong with an audit's records, measured against its fixture site. */
function problems(audit: FixtureAudit, fixtures: Awaited<ReturnType<typeof startFixtureStack>>): string[] {
  const site = fixtures.sites.get(audit.platform)!;
  const found: string[] = [];
  if (audit.result.status !== 'COMPLETED') found.push(`status ${audit.result.status}`);
  for (const [phase, records] of Object.entries(audit.records)) {
    if (records.some((r, i) => r.index !== i) || records.length !== steps) found.push(`${phase}: ${records.length} records, not 0..${steps - 1}`);
    for (const record of records) {
      const served = site.served.find((item) => item.id === record.observation.videoId);
      if (served?.kind !== 'video') found.push(`${phase} ${record.index}: ${record.observation.videoId} is not a served video`);
      for (const action of record.actionsPerformed.filter((a) => a !== 'swipe')) {
        if (!site.events.some((e) => e.type === action && e.id === record.observation.videoId)) found.push(`${phase} ${record.index}: the site did not see ${action}`);
      }
    }
  }
  return found;
}

const fixtures = await startFixtureStack(timeScale);
try {
  say(`${WEB_PLATFORMS.length} audits of ${steps} + ${steps} at ${timeScale}x, concurrently…`);
  const started = performance.now();
  const audits = await Promise.all(WEB_PLATFORMS.map((platform) => runFixtureAudit(fixtures, platform, persona, steps)));
  const totalSeconds = (performance.now() - started) / 1000;
  const platforms = Object.fromEntries(audits.map((audit) => {
    const all = [...audit.records.cultivation, ...audit.records.counterfactual];
    const labelled = all.filter((r) => r.observation.level1.length > 0).length / all.length;
    return [audit.platform, {
      status: audit.result.status, seconds: Number(audit.seconds.toFixed(1)), records: all.length,
      labelledShare: Number(labelled.toFixed(3)), bep: audit.result.metrics.bep?.value ?? null, problems: problems(audit, fixtures),
    }];
  }));
  const output = { steps, timeScale, totalSeconds: Number(totalSeconds.toFixed(1)), platforms };
  if (values.json) process.stdout.write(`${JSON.stringify(output)}\n`);
  else {
    for (const [platform, r] of Object.entries(platforms)) say(`${platform.padEnd(15)} ${r.status} ${r.records} records in ${r.seconds} s; BEP ${r.bep?.toFixed(3)}; ${r.problems.length === 0 ? 'checks passed' : r.problems.join('; ')}`);
    say(`all six: ${output.totalSeconds} s`);
  }
  if (Object.values(platforms).some((r) => r.problems.length > 0)) process.exitCode = 1;
} finally {
  await fixtures.stop();
}
