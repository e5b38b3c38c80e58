/**
 * `personaact eval` as a person runs it: the real CLI in a subprocess, on the paper's users, on a
 * small JSONL log against a real local OpenAI-compatible server, and on every kind of bad input.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO_ROOT, run, type RunResult } from '../infra/helpers';
import { startScriptedModelServer, type ScriptedModelServer } from '../helpers/scripted-model-server';

const RAW = join(REPO_ROOT, 'data', 'personaact', 'raw_data');
const ROW_KEYS = ['name', 'smape', 'mae', 'pearson', 'typeAccuracy', 'f1', 'kl'];
const ROWS = ['persona-stat', 'constant-median', 'smape-optimal-constant', 'marginal-sample', 'previous-step'];

let dir: string;
let server: ScriptedModelServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'personaact-eval-cli-'));
  server = await startScriptedModelServer(() => ({ content: '```python\nwatch(4.5)\n```' }));
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The environment without any model-policy settings of the machine running the tests. */
const cleanEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PERSONAACT_POLICY_') && !key.startsWith('PERSONAACT_SAGEMAKER_'))),
  ...extra,
});

const evalCli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> =>
  run(process.execPath, [BIN, 'eval', ...args], { cwd: dir, env: cleanEnv(env), timeoutMs: 60_000 });

/** A JSONL log: `sizes` sessions, one step per minute, watch times 1, 2, 3, … */
function jsonlLog(name: string, ...sizes: number[]): string {
  let i = 0;
  const lines = sizes.flatMap((size, s) =>
    Array.from({ length: size }, () => {
      i++;
      return JSON.stringify({ sessionId: `s${s}`, time: new Date(Date.UTC(2025, 0, 1, 12, i)).toISOString(), platform: 'tiktok', watchSeconds: i, actions: [] });
    }),
  );
  const file = join(dir, `${name}.jsonl`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('eval --json on users a and b: exactly {users: [{user, testSteps, policies: [...]}]}, the same numbers every run', async () => {
  const result = await evalCli(['--logs', join(RAW, 'a'), join(RAW, 'b'), '--json']);
  assert.equal(result.code, 0, result.stderr);
  const json = JSON.parse(result.stdout) as { users: { user: string; testSteps: number; policies: Record<string, unknown>[] }[] };
  assert.deepEqual(Object.keys(json), ['users']);
  assert.deepEqual(json.users.map((u) => [u.user, u.testSteps]), [['a', 469], ['b', 94]]);
  for (const user of json.users) {
    assert.deepEqual(Object.keys(user), ['user', 'testSteps', 'policies']);
    assert.deepEqual(user.policies.map((p) => p.name), ROWS);
    for (const row of user.policies) {
      assert.deepEqual(Object.keys(row), ROW_KEYS);
      assert.deepEqual(Object.keys(row.f1 as object), ['like', 'comment', 'share']);
    }
  }
  // The default seed is "1": the numbers test/evaluation pins and the README shows.
  assert.equal(Math.round((json.users[0]?.policies[0]?.smape as number) * 1e4) / 1e4, 0.8353);
  assert.equal(json.users[0]?.policies[1]?.pearson, null);
  assert.equal(json.users[1]?.policies[1]?.f1 && (json.users[1].policies[1].f1 as { share: unknown }).share, null);
  // Progress went to stderr, so stdout is JSON only.
  assert.match(result.stderr, /user a: 939 steps from 8 file\(s\)/);
});

test('eval prints the table: a row per policy and baseline, – where a value is undefined', async () => {
  const result = await evalCli(['--logs', join(RAW, 'b'), '--seed', '7']);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  assert.equal(lines[0], 'user b: 94 held-out test steps');
  assert.match(lines[1] ?? '', /^policy +SMAPE +MAE \(s\) +r +type acc +F1 like +F1 comment +F1 share +KL$/);
  assert.deepEqual(lines.slice(2).map((line) => line.split(/\s+/)[0]), ROWS);
  assert.match(lines[3] ?? '', /^constant-median +0\.894 +18\.00 +– /);
});

test('eval --policy openai-compatible asks the model for every test step and reports progress', async () => {
  const log = jsonlLog('viewer', 8, 2);
  const before = server.requests.length;
  const result = await evalCli(['--logs', log, '--policy', 'openai-compatible', 'persona-stat', '--json'], {
    PERSONAACT_POLICY_BASE_URL: server.url, PERSONAACT_POLICY_MODEL: 'scripted',
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(server.requests.length - before, 2);
  const [user] = (JSON.parse(result.stdout) as { users: { user: string; testSteps: number; policies: { name: string; mae: number }[] }[] }).users;
  assert.equal(user?.user, 'viewer');
  assert.equal(user?.testSteps, 2);
  assert.deepEqual(user?.policies.map((p) => p.name), ['openai-compatible', 'persona-stat', ...ROWS.slice(1)]);
  // Truth 9 s and 10 s, the model says 4.5 s both times.
  assert.equal(user?.policies[0]?.mae, 5);
  assert.match(result.stderr, /viewer · openai-compatible: 2\/2 test steps/);
  assert.doesNotMatch(result.stderr, /persona-stat: \d/);
});

test('bad input: clear messages, exit 1, nothing on stdout', async () => {
  const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
    [['--logs', join(dir, 'missing')], {}, /missing: no such file or folder/],
    [['--logs', jsonlLog('one-session', 5)], {}, /one-session\.jsonl \(user "one-session"\): a session split needs at least 2 sessions/],
    [['--logs', jsonlLog('lopsided', 99, 1)], {}, /cannot hold 10 % of the 100 steps without taking every session/],
    [['--logs', join(RAW, 'a'), '--policy', 'openai-compatible'], {}, /policy "openai-compatible" needs PERSONAACT_POLICY_BASE_URL to be set/],
    [['--logs', jsonlLog('unreachable', 8, 2), '--policy', 'openai-compatible'], { PERSONAACT_POLICY_BASE_URL: 'http://127.0.0.1:1/v1', PERSONAACT_POLICY_MODEL: 'm', PERSONAACT_POLICY_HTTP_RETRIES: '0' }, /user unreachable: openai-compatible: the model call failed/],
  ];
  for (const [args, env, message] of cases) {
    const result = await evalCli(args, env);
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.match(result.stderr, /^personaact: /m);
    assert.equal(result.stdout, '');
  }
  // commander's own checks: an unknown policy, no --logs.
  const unknown = await evalCli(['--logs', join(RAW, 'a'), '--policy', 'gpt']);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /Allowed choices are persona-stat, openai-compatible, sagemaker-endpoint/);
  const noLogs = await evalCli([]);
  assert.notEqual(noLogs.code, 0);
  assert.match(noLogs.stderr, /required option '--logs <paths\.\.\.>' not specified/);
});
