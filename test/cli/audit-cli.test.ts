/**
 * `personaact audit …` as a user runs it: the real CLI in a subprocess against a real Temporal dev
 * server, the real sandbox server and real workers (Chromium) running in this process.
 */
import { bepHeadline } from '../../core/bep-summary';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { loadPhaseRecords, type AuditMetrics } from '../../activities/analysis/analyze-audit';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { openArtifactStore } from '../../artifacts/open-store';
import { startSandbox, type SandboxServer } from '../../sandbox/server';
import { createBrowserWorkers, createMainWorker, type BrowserWorkers } from '../../workers/create-workers';
import type { AuditListEntry } from '../../cli/audit/list';
import type { StatusJson } from '../../cli/audit/status';
import { testSecrets } from '../helpers/secrets';
import { startTestTemporal } from '../helpers/temporal';
import { BIN, REPO_ROOT, run, type RunResult } from '../infra/helpers';
import { pollUntil } from '../helpers/poll';
import { workflowBundle } from '../helpers/workflow-bundle';

const TIME_SCALE = 50;
const PERSONA = join(REPO_ROOT, 'examples', 'personas', 'user-a.json');

let env: TestWorkflowEnvironment;
let sandbox: SandboxServer;
let store: ArtifactStore;
let mainWorker: Worker;
let browser: BrowserWorkers;
let running: Promise<unknown>;
let dir: string;
let cliEnv: NodeJS.ProcessEnv;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'personaact-audit-cli-'));
  env = await startTestTemporal();
  sandbox = await startSandbox({ port: 0, dataDir: join(dir, 'sandbox'), timeScale: TIME_SCALE });
  const artifacts = join(dir, 'artifacts');
  store = openArtifactStore(artifacts);
  const common = { connection: env.nativeConnection, namespace: env.namespace ?? 'default', store };
  mainWorker = await createMainWorker({ ...common, workflowBundle: await workflowBundle() });
  browser = await createBrowserWorkers({ ...common, keyring: testSecrets().keyring, sandboxUrl: sandbox.url, maxSessions: 2, chromium: '/usr/bin/chromium' });
  running = Promise.all([mainWorker.run(), browser.run()]);
  cliEnv = {
    ...process.env,
    PERSONAACT_TEMPORAL_ADDRESS: env.address,
    PERSONAACT_NAMESPACE: env.namespace ?? 'default',
    PERSONAACT_ARTIFACTS: artifacts,
    PERSONAACT_SANDBOX_URL: sandbox.url,
    PERSONAACT_UI_URL: 'http://127.0.0.1:1',
  };
});

after(async () => {
  mainWorker?.shutdown();
  browser?.shutdown();
  await running;
  await sandbox?.close();
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

/** `personaact audit <args>` in a subprocess, from outside the repository. */
function audit(...args: string[]): Promise<RunResult> {
  return run(process.execPath, [BIN, 'audit', ...args], { env: cliEnv, cwd: dir, timeoutMs: 60_000 });
}

async function auditJson<T>(...args: string[]): Promise<T> {
  const result = await audit(...args, '--json');
  assert.equal(result.code, 0, `audit ${args.join(' ')} --json: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

async function until<T>(what: string, get: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  return pollUntil(what, get, done, { timeoutMs, intervalMs: 500 });
}

function startedId(result: RunResult): string {
  assert.equal(result.code, 0, result.stderr);
  const id = /^Started audit (\S+)$/m.exec(result.stdout)?.[1];
  assert.ok(id, `the audit id in:\n${result.stdout}`);
  return id;
}

test('start with an invalid persona file fails naming the file and the field, and starts nothing', async () => {
  const file = join(dir, 'bad-persona.json');
  writeFileSync(file, JSON.stringify({ id: 'bad', schemaVersion: 1, name: 'Bad', narrative: 'I', traits: [], stats: { steps: 1, likeRate: 2 } }));
  const result = await audit('start', '--platform', 'sandbox', '--persona', file, '--cultivation', '20', '--counterfactual', '20');
  assert.notEqual(result.code, 0);
  assert.ok(result.stderr.includes(file), `names the file: ${result.stderr}`);
  assert.match(result.stderr, /stats\.likeRate/);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  assert.deepEqual(await auditJson<AuditListEntry[]>('list'), [], 'no audit was started');
});

test('a 20 + 20 audit started from the CLI completes; status, report and list agree with the stored metrics', async (t) => {
  const started = await audit('start', '--platform', 'sandbox', '--persona', PERSONA, '--cultivation', '20', '--counterfactual', '20',
    '--seed', '7', '--study', 'cli-test', '--no-screenshots');
  const id = startedId(started);
  assert.match(id, /^audit-user-a-\d{8}T\d{6}-[0-9a-f]{4}$/);
  assert.match(started.stdout, new RegExp(`time scale ${TIME_SCALE}\\b`), 'the spec uses the sandbox clock, and says so');
  assert.match(started.stdout, new RegExp(`/namespaces/default/workflows/${id}`));
  assert.match(started.stdout, new RegExp(`personaact audit status ${id}`));

  // The live view (not a TTY here: lines, not redraws) follows it to the end, beside the JSON polling.
  const live = audit('status', id);
  const status = await until(`status of ${id}`, () => auditJson<StatusJson>('status', id), (s) => s.temporalStatus !== 'RUNNING', 60_000);
  assert.equal(status.temporalStatus, 'COMPLETED', JSON.stringify(status));
  assert.equal(status.status, 'COMPLETED');
  assert.equal(status.progress?.interactions, 40);
  const view = await live;
  assert.equal(view.code, 0, view.stderr);
  assert.match(view.stdout, /\/40 +100\.0 %/);
  assert.match(view.stdout, /Completed: 40 interactions\. BEP \d\.\d{4} \(95 % CI \d\.\d{4}–\d\.\d{4}; bias-corrected, plug-in \d\.\d{4}\)/);
  assert.match(view.stdout, new RegExp(`personaact audit report ${id}`));

  const stored = (await store.getJson<AuditMetrics>(`audits/${id}/metrics.json`))!;
  const report = await auditJson<AuditMetrics>('report', id);
  assert.ok(report.bep, 'a BEP');
  assert.deepEqual(report.bep, stored.bep);
  t.diagnostic(`BEP ${report.bep.value.toFixed(4)} [${report.bep.ci.map((x) => x.toFixed(4)).join(', ')}]`);
  const text = await audit('report', id);
  assert.equal(text.code, 0, text.stderr);
  assert.ok(text.stdout.includes(`Bubble Escape Potential  ${bepHeadline(stored.bep!)}`), text.stdout);
  assert.match(text.stdout, /Reversal check: /);
  assert.ok(text.stdout.includes(store.locate(`audits/${id}/report.md`)), 'points to report.md');

  // `audit analyze` re-runs the analysis from the records alone: the same metrics, written again.
  await store.delete(`audits/${id}/metrics.json`);
  await store.delete(`audits/${id}/report.md`);
  const again = await auditJson<AuditMetrics>('analyze', id);
  assert.deepEqual({ ...again, sessions: stored.sessions }, stored);
  assert.ok(await store.get(`audits/${id}/report.md`), 'report.md written again');
  const unknown = await audit('analyze', 'audit-nobody-started');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^personaact: no audit audit-nobody-started at .* \(no spec\.json\): PERSONAACT_ARTIFACTS/);

  const listed = await until('the audit listed as COMPLETED', () => auditJson<AuditListEntry[]>('list', '--study', 'cli-test'),
    (entries) => entries.some((e) => e.auditId === id && e.status === 'COMPLETED' && e.interactions === 40), 10_000);
  assert.equal(listed.length, 1);
  assert.equal(listed[0]!.persona, 'user-a');
  assert.equal((await auditJson<AuditListEntry[]>('list', '--status', 'running')).length, 0);
});

test('cancel stops a long audit: it ends CANCELLED and its first records stay readable', async () => {
  const id = startedId(await audit('start', '--persona', PERSONA, '--id', 'audit-cli-cancel', '--seed', '3', '--no-screenshots'));
  assert.equal(id, 'audit-cli-cancel');
  await until('a few interactions', () => auditJson<StatusJson>('status', id), (s) => (s.progress?.interactions ?? 0) >= 3, 30_000);
  const noReport = await audit('report', id);
  assert.notEqual(noReport.code, 0);
  assert.match(noReport.stderr, /has not finished yet/);

  const cancelled = await audit('cancel', id);
  assert.equal(cancelled.code, 0, cancelled.stderr);
  assert.match(cancelled.stdout, /is CANCELLED/);
  assert.ok(cancelled.stdout.includes(`${join(dir, 'artifacts', 'audits', id)}/`), `says where the records are: ${cancelled.stdout}`);

  const status = await auditJson<StatusJson>('status', id);
  assert.equal(status.temporalStatus, 'CANCELLED');
  assert.equal(status.status, 'CANCELLED');
  const records = await loadPhaseRecords(store, id, 'cultivation');
  assert.ok(records.length >= 3, `${records.length} cultivation records`);
  assert.equal(records[0]!.index, 0);

  const again = await audit('cancel', id);
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /already ended \(CANCELLED\)/);
});
