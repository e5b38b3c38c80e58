/**
 * The rows of docs/bad-input.md that no other test covers: each bad value gives a message naming
 * the file, flag or variable, a non-zero exit, no stack trace, and nothing started or written.
 * Fast on purpose: no Temporal server; PERSONAACT_TEMPORAL_ADDRESS points at a closed port, so a
 * command that got past its checks would say so ("cannot reach the Temporal server") and fail the match.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { prepareAudit, startAudit } from '../../cli/audit/start';
import { parseCliConfig } from '../../cli/config';
import { startSandbox } from '../../sandbox/server';
import { loadWorkerConfig } from '../../workers/config';
import { startTestTemporal } from '../helpers/temporal';
import { personaact, REPO_ROOT, run, type RunResult } from '../infra/helpers';

const dir = mkdtempSync(join(tmpdir(), 'personaact-bad-input-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const CLOSED = { PERSONAACT_TEMPORAL_ADDRESS: '127.0.0.1:1', PERSONAACT_SANDBOX_URL: 'http://127.0.0.1:1', PERSONAACT_ARTIFACTS: join(dir, 'artifacts') };
const PERSONA = join(REPO_ROOT, 'examples', 'personas', 'user-a.json');

function cli(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return personaact(args, { env: { ...CLOSED, ...env }, timeoutMs: 60_000 });
}

function assertRefused(result: RunResult, message: RegExp, what: string): void {
  assert.notEqual(result.code, 0, `${what}: exit ${result.code}\n${result.stdout}`);
  assert.match(result.stderr, message, what);
  assert.doesNotMatch(result.stderr, /unexpected error|\n\s+at /, `${what}: a user error, not a crash`);
  assert.doesNotMatch(result.stderr, /cannot reach the Temporal server/, `${what}: refused before connecting`);
}

test('audit start: persona files and flags that cannot make an audit are refused before the sandbox or Temporal is asked', async () => {
  const notJson = join(dir, 'not-json.json');
  writeFileSync(notJson, '{"id": "user-a",');
  const counterfactual = join(dir, 'counterfactual.json');
  const persona = JSON.parse(readFileSync(PERSONA, 'utf8'));
  writeFileSync(counterfactual, JSON.stringify({ ...persona, id: 'user-a-reversed', reversal: { of: 'user-a', strategy: 'quantile-flip', engagement: 'suppress' } }));
  const cases: [string, string[], RegExp][] = [
    ['missing persona file', ['--persona', join(dir, 'nope.json')], /cannot read persona file .*nope\.json: no such file/],
    ['persona not JSON', ['--persona', notJson], /persona file .*not-json\.json is not valid JSON/],
    ['counterfactual persona', ['--persona', counterfactual], /holds a counterfactual persona \(p' of "user-a"\): start the audit with the original persona/],
    ['unknown platform', ['--persona', PERSONA, '--platform', 'myspace'], /Allowed choices are sandbox, douyin, bilibili, kuaishou, xiaohongshu, tiktok, youtube-shorts/],
    ['zero steps', ['--persona', PERSONA, '--cultivation', '0'], /--cultivation.*must be a positive integer/],
    ['unknown policy', ['--persona', PERSONA, '--policy', 'gpt'], /Allowed choices are persona-stat/],
    ['unknown reversal variant', ['--persona', PERSONA, '--reversal-apply', 'both'], /--reversal-apply[\s\S]*Allowed choices are output, prompt-only/],
    ['bad account id', ['--persona', PERSONA, '--account', 'a b'], /--account/],
    ['bad audit id', ['--persona', PERSONA, '--id', '../x'], /--id/],
    ['no persona', [], /required option '--persona <file>' not specified/],
    ['sandbox not answering', ['--persona', PERSONA], /the sandbox platform at http:\/\/127\.0\.0\.1:1 does not answer[\s\S]*PERSONAACT_SANDBOX_URL/],
  ];
  for (const [what, args, message] of cases) assertRefused(await cli(['audit', 'start', ...args]), message, what);
});

test('audit commands: a malformed audit id is named; an unreachable Temporal server names the variable', async () => {
  assertRefused(await cli(['audit', 'status', 'no spaces']), /"no spaces" is not an audit id/, 'bad id');
  const unreachable = await cli(['audit', 'status', 'audit-x']);
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, /^personaact: cannot reach the Temporal server at 127\.0\.0\.1:1 \(namespace default\)[\s\S]*TEMPORAL_ADDRESS/);
});

test('CLI environment: a malformed variable is named by every command that needs the environment', async () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PERSONAACT_SANDBOX_URL: 'sandbox:8300' }, /^personaact: environment: PERSONAACT_SANDBOX_URL: expected an http:\/\/ or https:\/\/ URL/],
    [{ PERSONAACT_ENCRYPT_PAYLOADS: 'maybe' }, /^personaact: environment: PERSONAACT_ENCRYPT_PAYLOADS: expected true or false/],
    [{ PERSONAACT_S3_ENDPOINT: 'localhost:8333' }, /^personaact: environment: PERSONAACT_S3_ENDPOINT: expected an http:\/\/ or https:\/\/ URL/],
    [{ TEMPORAL_PROFILE: 'nope', TEMPORAL_CONFIG_FILE: join(dir, 'no-such.toml') }, /^personaact: cannot load the Temporal connection settings of profile "nope" \(TEMPORAL_CONFIG_FILE .*no-such\.toml\): Profile 'nope' not found/],
    [{ PERSONAACT_UI_URL: 'cloud.temporal.io' }, /^personaact: environment: PERSONAACT_UI_URL: expected an http:\/\/ or https:\/\/ URL/],
  ];
  for (const [env, message] of cases) assertRefused(await cli(['audit', 'list'], env), message, Object.keys(env)[0]!);
  // An empty variable means its default, so `FOO= personaact …` is not an error.
  assert.match((await cli(['audit', 'list'], { PERSONAACT_SANDBOX_URL: '' })).stderr, /cannot reach the Temporal server/);
});

test('worker environment: bad values, half-set groups and no Temporal server are named before any worker starts', async () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PERSONAACT_MAX_SESSIONS: '0' }, /^personaact: worker environment: PERSONAACT_MAX_SESSIONS: expected number to be >0/],
    [{ PERSONAACT_SAGEMAKER_OUTPUT: 's3://bucket/out' }, /^personaact: the SageMaker training backend needs PERSONAACT_SAGEMAKER_ROLE_ARN, PERSONAACT_SAGEMAKER_IMAGE_URI, PERSONAACT_SAGEMAKER_SOURCE too/],
    [{ PERSONAACT_INTERVIEW_MODEL: 'qwen' }, /^personaact: set both PERSONAACT_INTERVIEW_BASE_URL and PERSONAACT_INTERVIEW_MODEL for a chat-model interviewer, or neither/],
  ];
  for (const [env, message] of cases) assertRefused(await cli(['worker', '--role', 'main'], env), message, Object.keys(env)[0]!);
  const unreachable = await cli(['worker', '--role', 'main']);
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, /^personaact: cannot reach the Temporal server at 127\.0\.0\.1:1 \(namespace default\) \(TEMPORAL_ADDRESS/);
  assert.doesNotMatch(unreachable.stderr, /unexpected error/);
});

test('worker environment: each malformed variable is named with what it expects', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PERSONAACT_LOG_LEVEL: 'loud' }, /PERSONAACT_LOG_LEVEL: .*"fatal"\|"error"/],
    [{ PERSONAACT_LIVE_VIEW_PORT: '70000' }, /PERSONAACT_LIVE_VIEW_PORT: .*<=65535/],
    [{ PERSONAACT_SESSION_IDLE_MINUTES: '0' }, /PERSONAACT_SESSION_IDLE_MINUTES: expected number to be >0/],
    [{ PERSONAACT_SESSION_CENSUS_DIR: 'census' }, /PERSONAACT_SESSION_CENSUS_DIR: expected an absolute folder/],
    [{ PERSONAACT_SANDBOX_URL: 'nope' }, /PERSONAACT_SANDBOX_URL: expected an http:\/\/ or https:\/\/ URL/],
    [{ PERSONAACT_TRAINING_TASK_QUEUE: 'a/b' }, /PERSONAACT_TRAINING_TASK_QUEUE: /],
    [{ PERSONAACT_TRAINER_MAX_ATTEMPTS: 'many' }, /PERSONAACT_TRAINER_MAX_ATTEMPTS: expected number/],
    [{ PERSONAACT_SAGEMAKER_OUTPUT: 'out' }, /PERSONAACT_SAGEMAKER_OUTPUT: expected s3:\/\/bucket\/prefix/],
    [{ PERSONAACT_SAGEMAKER_ROLE_ARN: 'my-role' }, /PERSONAACT_SAGEMAKER_ROLE_ARN: expected arn:aws:iam::<account>:role\/<name>/],
    [{ PERSONAACT_INTERVIEW_TIMEOUT_MS: '-5' }, /PERSONAACT_INTERVIEW_TIMEOUT_MS: expected number to be >0/],
    [{ PERSONAACT_INTERVIEW_BASE_URL: 'localhost:8000' }, /PERSONAACT_INTERVIEW_BASE_URL: expected an http:\/\/ or https:\/\/ URL/],
    [{ PERSONAACT_POLICY_BASE_URL: '127.0.0.1:8000/v1' }, /PERSONAACT_POLICY_BASE_URL: expected an http:\/\/ or https:\/\/ URL/],
    [{ PERSONAACT_POLICY_TEMPERATURE: '3' }, /PERSONAACT_POLICY_TEMPERATURE: .*<=2/],
    [{ PERSONAACT_POLICY_MAX_ATTEMPTS: '11' }, /PERSONAACT_POLICY_MAX_ATTEMPTS: .*<=10/],
  ];
  for (const [env, message] of cases) {
    assert.throws(() => loadWorkerConfig(env), (error: Error & { userFacing?: boolean }) => {
      assert.match(error.message, /^worker environment: /);
      assert.match(error.message, message);
      assert.equal(error.userFacing, true, 'printed without a stack trace');
      return true;
    }, Object.keys(env)[0]);
  }
});

test('dev up and the sandbox refuse out-of-range flags before starting anything', async () => {
  assertRefused(await cli(['dev', 'up', '--time-scale', '0']), /--time-scale.*must be a number in \(0, 1000\]/, 'dev up --time-scale');
  assertRefused(await cli(['dev', 'up', '--sandbox-port', '70000']), /--sandbox-port.*not a port number/, 'dev up --sandbox-port');
  const sandbox = (args: string[]) => run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'sandbox', 'main.ts'), ...args], { cwd: REPO_ROOT, timeoutMs: 60_000 });
  const fast = await sandbox(['--time-scale', '5000', '--port', '0', '--data-dir', ':memory:']);
  assert.equal(fast.code, 1);
  assert.match(fast.stderr, /^sandbox: --time-scale: .*<=1000/);
  const rate = await sandbox(['--captcha-rate', '2', '--port', '0', '--data-dir', ':memory:']);
  assert.equal(rate.code, 1);
  assert.match(rate.stderr, /^sandbox: --captcha-rate: .*<=1/);
  const unknown = await sandbox(['--bogus', '1']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^sandbox: Unknown option '--bogus'/);
});

test('demo: a bad persona or flag is refused before the local stack starts', async () => {
  const counterfactual = join(dir, 'demo-counterfactual.json');
  const persona = JSON.parse(readFileSync(PERSONA, 'utf8'));
  writeFileSync(counterfactual, JSON.stringify({ ...persona, id: 'user-a-reversed', reversal: { of: 'user-a', strategy: 'quantile-flip', engagement: 'suppress' } }));
  const stackDir = join(dir, 'demo-stack');
  const cases: [string, string[], RegExp][] = [
    ['missing persona file', ['--persona', join(dir, 'nope.json')], /cannot read persona file .*nope\.json: no such file/],
    ['counterfactual persona', ['--persona', counterfactual], /--persona: .* holds a counterfactual persona \(p' of "user-a"\); pass the original persona/],
    ['zero replicates', ['--replicates', '0'], /--replicates.*must be a positive integer/],
    ['zero concurrency', ['--concurrency', '0'], /--concurrency.*must be a positive integer/],
  ];
  for (const [what, args, message] of cases) assertRefused(await cli(['demo', '--data-dir', stackDir, ...args]), message, `demo: ${what}`);
  assert.equal(existsSync(stackDir), false, 'no stack was started');
});

test('interview answers: a missing or malformed answers file, or --out onto a log, is named and nothing is written', async () => {
  const logs = join(REPO_ROOT, 'test', 'fixtures', 'logs', 'neutral.jsonl');
  const out = join(dir, 'persona-out.json');
  const noAnswer = join(dir, 'no-answer.json');
  writeFileSync(noAnswer, JSON.stringify([{ question: 'What do you watch?' }]));
  const cases: [string, string[], RegExp][] = [
    ['missing answers file', ['--answers', join(dir, 'none.json')], /cannot read answers file .*none\.json/],
    ['answer missing', ['--answers', noAnswer], /answers file .*no-answer\.json is not a valid answers list:\n.*no-answer\.json: \[0\]\.answer: required/],
    ['--out is a log', ['--out', logs], /--out .*neutral\.jsonl is one of the --logs paths: refusing to overwrite a log/],
  ];
  for (const [what, args, message] of cases) {
    assertRefused(await cli(['persona', 'build', '--logs', logs, '--out', out, ...args]), message, what);
    assert.equal(existsSync(out), false, `${what}: nothing written`);
  }
  assertRefused(await cli(['persona', 'interview', '--logs', logs, '--answers-file', join(dir, 'none.txt')]), /cannot read answers file .*none\.txt: no such file/, 'interview --answers-file');
  assertRefused(await cli(['persona', 'interview', '--resume', '../x']), /"\.\.\/x" is not an interview id/, 'interview --resume');
});

test('audit start --id of an audit that exists, running or ended, is refused: a second run would write over its records', async () => {
  const [temporal, sandbox] = await Promise.all([startTestTemporal(), startSandbox({ port: 0, dataDir: ':memory:' })]);
  try {
    const config = parseCliConfig({ PERSONAACT_TEMPORAL_ADDRESS: temporal.address, PERSONAACT_SANDBOX_URL: sandbox.url });
    const prepared = await prepareAudit({
      platform: 'sandbox', persona: PERSONA, cultivation: 2, counterfactual: 2, policy: 'persona-stat',
      reversal: 'quantile-flip', engagement: 'suppress', screenshots: false, id: 'audit-taken',
    }, config);
    const silent = () => {};
    await startAudit(prepared, config, silent); // no worker: it stays RUNNING
    await assert.rejects(startAudit(prepared, config, silent), /an audit with id "audit-taken" already exists; choose another --id/);
    await temporal.client.workflow.getHandle('audit-taken').terminate('ended for the test');
    await assert.rejects(startAudit(prepared, config, silent), /an audit with id "audit-taken" already exists/, 'an ended audit keeps its id');
  } finally {
    await Promise.all([temporal.teardown(), sandbox.close()]);
  }
});
