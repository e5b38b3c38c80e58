/**
 * `personaact account …` and `personaact captcha …` as a person runs them: the real CLI in a
 * subprocess against a real Temporal dev server, the sandbox and real workers (Chromium). The
 * person at the live view is a second Chromium that only sees the streamed frames and types and
 * drags through them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { loadStorageState, storageStateKey } from '../../activities/accounts/storage-state';
import { launchChromium } from '../../activities/browser/chromium';
import type { AccountEntry } from '../../cli/account/accounts';
import type { StatusJson } from '../../cli/audit/status';
import type { PendingChallenge } from '../../core/challenge';
import { PersonaSchema } from '../../core/persona';
import { progressQuery } from '../../workflows/audit';
import { startAuditStack, type AuditStack } from '../helpers/audit-stack';
import { dragSliderInLiveView, pressDone } from '../helpers/live-view-solver';
import { BIN, REPO_ROOT, run, type RunResult } from '../infra/helpers';
import { startAudit } from '../../clients/audit';
import { pollUntil } from '../helpers/poll';

const TIME_SCALE = 50;

let stack: AuditStack;
let viewer: Browser;
let cliEnv: NodeJS.ProcessEnv;

before(async () => {
  stack = await startAuditStack({ timeScale: TIME_SCALE });
  viewer = await launchChromium();
  cliEnv = {
    ...process.env,
    PERSONAACT_TEMPORAL_ADDRESS: stack.env.address,
    PERSONAACT_NAMESPACE: stack.env.namespace ?? 'default',
    PERSONAACT_ARTIFACTS: join(stack.dir, 'artifacts'),
    PERSONAACT_SANDBOX_URL: stack.sandbox.url,
  };
});

after(async () => {
  await viewer?.close();
  await stack?.stop();
});

const cli = (...args: string[]): Promise<RunResult> => run(process.execPath, [BIN, ...args], { env: cliEnv, cwd: stack.dir, timeoutMs: 60_000 });

async function cliJson<T>(...args: string[]): Promise<T> {
  const result = await cli(...args);
  assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

test('account add | list | remove keep accounts/<platform>/<id>/ in the artifact store and refuse bad input', async () => {
  assert.deepEqual(await cliJson('account', 'list', '--json'), []);
  const added = await cli('account', 'add', 'sandbox', 'bob', '--note', 'a test account');
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /account login sandbox bob/);
  const again = await cli('account', 'add', 'sandbox', 'bob');
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists/);
  const badPlatform = await cli('account', 'add', 'myspace', 'bob');
  assert.notEqual(badPlatform.code, 0);
  assert.match(badPlatform.stderr, /platform "myspace" has no browser adapter; audits can run on: sandbox, douyin/);
  const badId = await cli('account', 'add', 'sandbox', '../bob');
  assert.notEqual(badId.code, 0);
  assert.equal((await stack.store.list('accounts/')).length, 1, 'nothing half-written');

  const listed = await cliJson<AccountEntry[]>('account', 'list', '--json');
  assert.deepEqual(listed.map((a) => [a.platform, a.accountId, a.note, a.signedIn]), [['sandbox', 'bob', 'a test account', false]]);
  const text = await cli('account', 'list');
  assert.match(text.stdout, /PLATFORM\s+ACCOUNT\s+SIGNED IN[\s\S]*sandbox\s+bob\s+no/);

  const removed = await cli('account', 'remove', 'sandbox', 'bob');
  assert.equal(removed.code, 0, removed.stderr);
  assert.deepEqual(await stack.store.list('accounts/'), []);
  const missing = await cli('account', 'remove', 'sandbox', 'bob');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no account sandbox\/bob/);
  const loginMissing = await cli('account', 'login', 'sandbox', 'bob', '--no-open');
  assert.equal(loginMissing.code, 1);
  assert.match(loginMissing.stderr, /add it first/);
});

test('account login: a person signs in through the live view once; the state is saved encrypted and remove deletes it', async () => {
  assert.equal((await cli('account', 'add', 'sandbox', 'carol')).code, 0);
  const login = spawn(process.execPath, [BIN, 'account', 'login', 'sandbox', 'carol', '--no-open', '--timeout', '120'], { env: cliEnv, cwd: stack.dir });
  let stdout = '';
  let stderr = '';
  login.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  login.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => login.once('exit', resolve));
  try {
    const url = (await pollUntil(`a live view URL (stderr: ${stderr})`, () => /live view: (\S+)/.exec(stdout)?.[1], (found) => found !== undefined, { timeoutMs: 60_000 }))!;
    const page = await viewer.newPage({ viewport: { width: 520, height: 900 } });
    await page.goto(url);
    await page.waitForFunction(`Number(document.querySelector('[data-testid="live-screen"]').dataset.frames) > 0`);
    // Done before signing in: the workflow looks at the page and says no.
    assert.match(await pressDone(page, 1), /not signed in as carol yet/);
    // Keyboard through the live view: Tab to the account field, type, Enter submits the form.
    const screen = page.getByTestId('live-screen');
    await screen.click({ position: { x: 10, y: 700 } });
    await page.keyboard.press('Tab');
    await page.keyboard.type('carol');
    await page.keyboard.press('Enter');
    await page.waitForFunction(`document.querySelector('[data-testid="live-screen"]').dataset.pending === '0'`);
    assert.match(await pressDone(page), /signed in as carol on sandbox/);
    await page.close();
    assert.equal(await exited, 0, stderr);
  } finally {
    login.kill();
  }
  assert.match(stdout, /Signed in: sandbox\/carol/);

  const raw = (await stack.store.get(storageStateKey('sandbox', 'carol')))!.toString('utf8');
  assert.doesNotMatch(raw, /sandbox_session/, 'the storage state is not stored in plain text');
  const state = await loadStorageState(stack.store, stack.keyring, 'sandbox', 'carol');
  const cookie = state?.cookies.find((c) => c.name === 'sandbox_session');
  assert.ok(cookie, 'the signed-in cookie is in the saved state');
  const me = await fetch(`${stack.sandbox.url}/api/me`, { headers: { cookie: `sandbox_session=${cookie.value}` } });
  assert.equal(((await me.json()) as { account: string }).account, 'carol', 'the saved cookie signs in as carol');
  assert.deepEqual((await cliJson<AccountEntry[]>('account', 'list', '--json')).map((a) => a.signedIn), [true]);
  assert.equal(stack.browser.pool.size, 0, 'the sign-in session was closed');

  assert.equal((await cli('account', 'remove', 'sandbox', 'carol')).code, 0);
  assert.equal(await stack.store.get(storageStateKey('sandbox', 'carol')), undefined);
});

test('audit start refuses bad challenge settings before starting anything', async () => {
  const persona = join(REPO_ROOT, 'examples', 'personas', 'user-b.json');
  const zero = await cli('audit', 'start', '--persona', persona, '--challenge-timeout', '0');
  assert.notEqual(zero.code, 0);
  assert.match(zero.stderr, /--challenge-timeout.*must be a positive integer/);
  const action = await cli('audit', 'start', '--persona', persona, '--on-challenge-timeout', 'retry');
  assert.notEqual(action.code, 0);
  assert.match(action.stderr, /Allowed choices are fail, wait/);
});

test('captcha open | resolved and audit status for an audit that waits for a person', async () => {
  const auditId = 'cli-captcha';
  await fetch(`${stack.sandbox.url}/api/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account: auditId }) });
  assert.ok((await fetch(`${stack.sandbox.url}/admin/accounts/${auditId}/challenge`, { method: 'POST', headers: { 'x-admin-token': stack.sandbox.adminToken } })).ok);
  const persona = PersonaSchema.parse(JSON.parse(readFileSync(join(REPO_ROOT, 'examples', 'personas', 'user-b.json'), 'utf8')));
  const handle = await startAudit(stack.env.client, {
    schemaVersion: 1, auditId, screenshots: false,
    spec: {
      schemaVersion: 1, platform: 'sandbox', persona, accountId: auditId, seed: 1, timeScale: TIME_SCALE, policy: 'persona-stat',
      cultivationSteps: 2, counterfactualSteps: 2, reversal: { strategy: 'quantile-flip', engagement: 'suppress' },
    },
  });
  await pollUntil('the audit to wait for a person', () => handle.query(progressQuery), (p) => p.status === 'AWAITING_HUMAN');

  const challenge = await cliJson<PendingChallenge>('captcha', 'open', auditId, '--no-open', '--json');
  assert.equal(challenge.kind, 'captcha');
  const opened = await cli('captcha', 'open', auditId, '--no-open');
  assert.match(opened.stdout, new RegExp(`live view: ${challenge.liveViewUrl}`));
  const status = await cliJson<StatusJson>('audit', 'status', auditId, '--json');
  assert.equal(status.status, 'AWAITING_HUMAN');
  assert.equal(status.progress?.challenge?.liveViewUrl, challenge.liveViewUrl);

  const early = await cli('captcha', 'resolved', auditId);
  assert.equal(early.code, 1);
  assert.match(early.stderr, /did not resume: the captcha is still on screen/);

  const page = await viewer.newPage({ viewport: { width: 520, height: 900 } });
  await page.goto(challenge.liveViewUrl);
  await dragSliderInLiveView(page);
  await page.close();
  let resolved = await cli('captcha', 'resolved', auditId);
  // The page may take a moment to take the solved captcha away.
  for (let attempt = 0; attempt < 5 && /still on screen/.test(resolved.stderr); attempt++) resolved = await cli('captcha', 'resolved', auditId);
  assert.equal(resolved.code, 0, resolved.stderr);
  assert.match(resolved.stdout, /resumed at cultivation step 0/);
  assert.equal((await handle.result()).status, 'COMPLETED');

  const notWaiting = await cli('captcha', 'open', auditId, '--no-open');
  assert.equal(notWaiting.code, 1);
  assert.match(notWaiting.stderr, /has ended \(COMPLETED\)/);
});
