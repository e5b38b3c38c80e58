/**
 * `schedule create` and `series report` refuse bad input before anything is created (docs/bad-input.md).
 * In-process for the checks, plus the real CLI for the exit codes and messages; no Temporal server:
 * PERSONAACT_TEMPORAL_ADDRESS points at a closed port, so a command that got past its checks says so.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { InvalidArgumentError } from 'commander';
import { parseCliConfig } from '../../cli/config';
import { dateArgument, durationArgument, prepareSeries, type CreateFlags } from '../../cli/schedule/prepare';
import { startSandbox } from '../../sandbox/server';
import { personaact, REPO_ROOT } from '../infra/helpers';

const dir = mkdtempSync(join(tmpdir(), 'personaact-schedule-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const PERSONA = join(REPO_ROOT, 'examples', 'personas', 'user-a.json');
const CLOSED = { PERSONAACT_TEMPORAL_ADDRESS: '127.0.0.1:1', PERSONAACT_SANDBOX_URL: 'http://127.0.0.1:1', PERSONAACT_ARTIFACTS: join(dir, 'artifacts') };

const flags = (extra: Partial<CreateFlags> = {}): CreateFlags => ({
  persona: PERSONA, platform: 'sandbox', every: 3_600_000, sessionSteps: 5, policy: 'persona-stat', reversal: 'quantile-flip',
  engagement: 'suppress', screenshots: false, startNow: true, ...extra,
});

test('durations and dates: the parsers say what they expect', () => {
  assert.equal(durationArgument('6h'), 21_600_000);
  assert.throws(() => durationArgument('1w'), (e: unknown) => e instanceof InvalidArgumentError && /s, m, h or d/.test(e.message));
  assert.throws(() => dateArgument('tomorrow'), /ISO 8601/);
  assert.equal(dateArgument('2027-01-31').toISOString(), '2027-01-31T00:00:00.000Z');
});

test('schedule create: every refusal names the flag or file, before Temporal is asked', async () => {
  const sandbox = await startSandbox({ port: 0, dataDir: join(dir, 'sandbox'), timeScale: 100, rateLimitPerMinute: 0 });
  try {
    const config = parseCliConfig({ ...CLOSED, PERSONAACT_SANDBOX_URL: sandbox.url });
    const now = new Date('2026-06-01T00:00:00Z');
    const refused: [string, Partial<CreateFlags>, RegExp][] = [
      ['jitter ≥ every', { jitter: 3_600_000 }, /--jitter \(3600 s\) must be shorter than --every \(3600 s\)/],
      ['until in the past', { until: new Date('2026-05-01T00:00:00Z') }, /--until 2026-05-01T00:00:00.000Z is in the past/],
      ['missing persona', { persona: join(dir, 'nope.json') }, /cannot read persona file .*nope\.json: no such file/],
    ];
    for (const [what, extra, message] of refused) await assert.rejects(prepareSeries(flags(extra), config, now), message, what);
    const { spec } = await prepareSeries(flags({ reverseAfter: 3, until: new Date('2026-07-01T00:00:00Z'), jitter: 60_000 }), config, now);
    assert.equal(spec.timeScale, 100, "the sandbox's own clock");
    assert.match(spec.seriesId, /^series-user-a-20260601T000000-[0-9a-f]{4}$/);
    assert.equal(spec.seed, spec.seriesId);
    assert.deepEqual([spec.reverseAfter, spec.until, spec.jitterMs], [3, '2026-07-01T00:00:00.000Z', 60_000]);
  } finally {
    await sandbox.close();
  }
});

test('the CLI: a bad flag exits non-zero naming it; a report of an unknown series names the store', async () => {
  const cases: [string[], RegExp][] = [
    [['schedule', 'create', '--persona', PERSONA, '--every', '1w', '--session-steps', '5'], /--every <duration>.*s, m, h or d/],
    [['schedule', 'create', '--persona', PERSONA, '--every', '1h', '--session-steps', '0'], /--session-steps.*positive integer/],
    [['schedule', 'backfill', 'series-x', '--from', '2026-01-02', '--to', '2026-01-01'], /--from \(2026-01-02T00:00:00.000Z\) must be before --to/],
    [['series', 'report', 'series-none'], /no series "series-none" in .*artifacts/],
  ];
  for (const [args, message] of cases) {
    const result = await personaact(args, { env: CLOSED, timeoutMs: 60_000 });
    assert.notEqual(result.code, 0, args.join(' '));
    assert.match(result.stderr, message, args.join(' '));
    assert.doesNotMatch(result.stderr, /unexpected error|cannot reach the Temporal server/, args.join(' '));
  }
});
