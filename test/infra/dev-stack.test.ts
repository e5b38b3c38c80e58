/**
 * `personaact dev up | status | down | restart-worker` for real: a Temporal dev server, the
 * sandbox, the audit worker and (in its own test) SeaweedFS S3, on a temporary data folder and
 * non-default ports.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { BROWSER_TASK_QUEUE, MAIN_TASK_QUEUE } from '../../workflows/task-queues';
import { indexedValueType } from '../../infra/stack/temporal';
import { environOf, isAlive, isPortFree, makeTempDir, personaact, pickPorts, waitFor } from './helpers';

interface StatusJson {
  dataDir: string;
  services: Array<{ name: string; state: string; pid?: number; healthy?: boolean; urls: Record<string, string> }>;
}

async function customSearchAttributes(address: string): Promise<Record<string, number>> {
  const connection = await Connection.connect({ address, connectTimeout: 5000 });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    return Object.fromEntries(Object.entries(customAttributes ?? {}).map(([k, v]) => [k, Number(v)]));
  } finally {
    await connection.close();
  }
}

async function removeSearchAttribute(address: string, name: string): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 5000 });
  try {
    await connection.operatorService.removeSearchAttributes({ namespace: 'default', searchAttributes: [name] });
  } finally {
    await connection.close();
  }
}

/** The identities polling `taskQueue` (workflow or activity tasks). */
async function pollers(address: string, taskQueue: string, type: 'workflow' | 'activity'): Promise<string[]> {
  const connection = await Connection.connect({ address, connectTimeout: 5000 });
  try {
    const response = await connection.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue, kind: 1 /* NORMAL */ },
      taskQueueType: type === 'workflow' ? 1 : 2,
    });
    return (response.pollers ?? []).map((p) => p.identity ?? '');
  } finally {
    await connection.close();
  }
}

/** Worker `pid` (SDK identity `<pid>@<hostname>`) polls the main queue (workflows + activities) and the browser queue. */
async function assertWorkerPolls(address: string, pid: number): Promise<void> {
  const identity = `${pid}@${os.hostname()}`;
  assert.ok((await pollers(address, MAIN_TASK_QUEUE, 'workflow')).includes(identity), 'workflow poller on the main queue');
  assert.ok((await pollers(address, MAIN_TASK_QUEUE, 'activity')).includes(identity), 'activity poller on the main queue');
  assert.ok((await pollers(address, BROWSER_TASK_QUEUE, 'activity')).includes(identity), 'activity poller on the browser queue');
}

function assertAllSearchAttributes(attributes: Record<string, number>): void {
  for (const { name, type } of SEARCH_ATTRIBUTES) {
    assert.equal(attributes[name], indexedValueType(type), `search attribute ${name} (${type}) is registered`);
  }
}

async function status(dataDir: string): Promise<StatusJson> {
  const result = await personaact(['dev', 'status', '--json', '--data-dir', dataDir]);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as StatusJson;
}

const service = (s: StatusJson, name: string) => {
  const found = s.services.find((x) => x.name === name);
  assert.ok(found, `status lists ${name}`);
  return found;
};

describe('personaact dev (Temporal + sandbox + worker)', () => {
  let dataDir = '';
  let ports = { temporal: 17233, ui: 18233, sandbox: 18300 };
  let portArgs: string[] = [];
  let address = '';

  before(async () => {
    dataDir = makeTempDir('personaact-dev-');
    ports = await pickPorts(ports);
    portArgs = ['--temporal-port', String(ports.temporal), '--ui-port', String(ports.ui), '--sandbox-port', String(ports.sandbox)];
    address = `127.0.0.1:${ports.temporal}`;
  });

  after(async () => {
    await personaact(['dev', 'down', '--data-dir', dataDir]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('up starts Temporal (with the search attributes), the sandbox, then the worker', async () => {
    // '' = unset: the worker's artifacts default to <data>/artifacts
    const up = await personaact(['dev', 'up', '--data-dir', dataDir, ...portArgs], { env: { PERSONAACT_ARTIFACTS: '' } });
    assert.equal(up.code, 0, `dev up failed:\n${up.stdout}\n${up.stderr}`);
    // the worker starts once Temporal and the sandbox are healthy
    const at = (line: RegExp) => up.stdout.search(line);
    assert.ok(at(/starting Audit worker/) > at(/Temporal dev server is healthy/), up.stdout);
    assert.ok(at(/starting Audit worker/) > at(/Sandbox platform is healthy/), up.stdout);
    assert.match(up.stdout, /Audit worker is healthy/);
    // (shown relative to the cwd when shorter)
    assert.match(up.stdout, new RegExp(`Artifacts\\s+\\S*${path.basename(dataDir)}/artifacts/`));
    assert.match(up.stdout, new RegExp(`127\\.0\\.0\\.1:${ports.temporal}`));
    assert.match(up.stdout, new RegExp(`http://127\\.0\\.0\\.1:${ports.ui}`));
    assert.match(up.stdout, new RegExp(`http://127\\.0\\.0\\.1:${ports.sandbox}`));

    assertAllSearchAttributes(await customSearchAttributes(address));

    const health = await fetch(`http://127.0.0.1:${ports.sandbox}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { ok: true });
    const ui = await fetch(`http://127.0.0.1:${ports.ui}/`);
    assert.equal(ui.status, 200);

    const s = await status(dataDir);
    for (const name of ['temporal', 'sandbox', 'worker']) {
      const svc = service(s, name);
      assert.equal(svc.state, 'running', `${name} is running`);
      assert.equal(svc.healthy, true, `${name} is healthy`);
      assert.ok(svc.pid && isAlive(svc.pid));
      assert.equal(fs.readFileSync(path.join(dataDir, 'pids', `${name}.pid`), 'utf8').trim(), String(svc.pid));
      assert.ok(fs.existsSync(path.join(dataDir, 'logs', `${name}.log`)));
    }
    assert.equal(service(s, 's3').state, 'stopped');
    assert.equal(service(s, 'temporal').urls.grpc, address);
    assert.ok(fs.existsSync(path.join(dataDir, 'temporal.db')));

    const worker = service(s, 'worker');
    await assertWorkerPolls(address, worker.pid ?? 0);
    const env = environOf(worker.pid ?? 0);
    assert.equal(env.PERSONAACT_TEMPORAL_ADDRESS, address);
    assert.equal(env.PERSONAACT_SANDBOX_URL, `http://127.0.0.1:${ports.sandbox}`);
    assert.equal(env.PERSONAACT_ARTIFACTS, path.join(dataDir, 'artifacts'));
    assert.equal(worker.urls.artifacts, path.join(dataDir, 'artifacts'));
  });

  test('up again starts nothing twice', async () => {
    const before = await status(dataDir);
    const up = await personaact(['dev', 'up', '--data-dir', dataDir, ...portArgs]);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /already running \(temporal, sandbox, worker\)/);
    assert.match(up.stdout, /The worker was already running/);
    const afterStatus = await status(dataDir);
    assert.deepEqual(
      afterStatus.services.map((s) => s.pid),
      before.services.map((s) => s.pid),
    );
  });

  test('a taken port fails with a message naming the port and the flag', async () => {
    const otherDir = makeTempDir('personaact-port-');
    const blocker = net.createServer();
    const [blocked, otherUi, otherSandbox] = [ports.sandbox + 7, ports.ui + 7, ports.sandbox + 8];
    await new Promise<void>((resolve) => blocker.listen(blocked, '127.0.0.1', resolve));
    try {
      const up = await personaact([
        'dev', 'up', '--data-dir', otherDir,
        '--temporal-port', String(blocked), '--ui-port', String(otherUi), '--sandbox-port', String(otherSandbox),
      ]);
      assert.notEqual(up.code, 0);
      assert.match(up.stderr, new RegExp(`port ${blocked}\\b`));
      assert.match(up.stderr, /--temporal-port/);
      assert.doesNotMatch(up.stderr, /\n\s+at /, 'no stack trace');
      assert.deepEqual(fs.readdirSync(path.join(otherDir, 'pids')).filter((f) => f.endsWith('.pid')), [], 'nothing started');
      assert.ok(await isPortFree(otherUi));
      assert.ok(await isPortFree(otherSandbox));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  });

  test('down stops exactly what up started and frees the ports', async () => {
    // Drop one search attribute, so the next `up` on this existing db must register it again.
    await removeSearchAttribute(address, 'PersonaActStudy');
    assert.equal((await customSearchAttributes(address)).PersonaActStudy, undefined);

    const s = await status(dataDir);
    const pids = ['temporal', 'sandbox', 'worker'].map((name) => service(s, name).pid ?? 0);
    assert.ok(pids.every((pid) => pid > 0 && isAlive(pid)));
    const down = await personaact(['dev', 'down', '--data-dir', dataDir]);
    assert.equal(down.code, 0, down.stderr);
    for (const pid of pids) assert.ok(await waitFor(() => !isAlive(pid), 5000), `pid ${pid} is gone`);
    assert.deepEqual(fs.readdirSync(path.join(dataDir, 'pids')).filter((f) => f.endsWith('.pid')), []);
    for (const port of Object.values(ports)) assert.ok(await waitFor(() => isPortFree(port), 5000), `port ${port} is free`);
    const after = await status(dataDir);
    assert.ok(after.services.every((x) => x.state === 'stopped'));

    const again = await personaact(['dev', 'down', '--data-dir', dataDir]);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /Nothing was running/);
  });

  test('up on the existing db has (and repairs) the search attributes; --no-worker starts no worker', async () => {
    const up = await personaact(['dev', 'up', '--no-worker', '--data-dir', dataDir, ...portArgs]);
    assert.equal(up.code, 0, `dev up failed:\n${up.stdout}\n${up.stderr}`);
    assert.match(up.stdout, /registered search attributes: PersonaActStudy/);
    assert.match(up.stdout, new RegExp(`Worker\\s+not started \\(--no-worker\\).*PERSONAACT_TEMPORAL_ADDRESS=127\\.0\\.0\\.1:${ports.temporal}`));
    assertAllSearchAttributes(await customSearchAttributes(address));
    assert.equal(service(await status(dataDir), 'worker').state, 'stopped');
  });

  test('up starts the missing worker with PERSONAACT_ARTIFACTS from its environment; restart-worker replaces it, rolling', async () => {
    const artifacts = path.join(dataDir, 'elsewhere');
    const up = await personaact(['dev', 'up', '--data-dir', dataDir, ...portArgs], { env: { PERSONAACT_ARTIFACTS: artifacts } });
    assert.equal(up.code, 0, `dev up failed:\n${up.stdout}\n${up.stderr}`);
    const before = await status(dataDir);
    const worker = service(before, 'worker');
    assert.equal(worker.healthy, true);
    assert.equal(environOf(worker.pid ?? 0).PERSONAACT_ARTIFACTS, artifacts);

    const restart = await personaact(['dev', 'restart-worker', '--data-dir', dataDir]);
    assert.equal(restart.code, 0, `restart-worker failed:\n${restart.stdout}\n${restart.stderr}`);
    // Rolling: the old worker is drained only once the new one polls (docs/upgrading.md).
    assert.match(restart.stdout, new RegExp(`starting the new Audit worker beside the running one \\(pid ${worker.pid}`));
    assert.match(restart.stdout, new RegExp(`is polling .*; draining the old one \\(pid ${worker.pid}\\)`));
    const after = await status(dataDir);
    const restarted = service(after, 'worker');
    assert.equal(restarted.state, 'running');
    assert.equal(restarted.healthy, true);
    assert.notEqual(restarted.pid, worker.pid);
    assert.ok(await waitFor(() => !isAlive(worker.pid ?? 0), 5000), 'the old worker is gone');
    await assertWorkerPolls(address, restarted.pid ?? 0);
    assert.equal(environOf(restarted.pid ?? 0).PERSONAACT_ARTIFACTS, artifacts, 'the settings of the last up');
    for (const name of ['temporal', 'sandbox']) assert.equal(service(after, name).pid, service(before, name).pid, `${name} kept running`);

    const down = await personaact(['dev', 'down', '--data-dir', dataDir]);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /stopped worker/);
    assert.ok(await waitFor(() => !isAlive(restarted.pid ?? 0), 5000));
  });

  test('a worker that fails to start fails `up`, names its log, and leaves nothing running', async () => {
    const up = await personaact(['dev', 'up', '--data-dir', dataDir, ...portArgs], { env: { PERSONAACT_LOG_LEVEL: 'loud' } });
    assert.notEqual(up.code, 0);
    assert.match(up.stderr, /Audit worker exited \(code \d+\) while starting; see \S*worker\.log/);
    assert.match(up.stderr, /PERSONAACT_LOG_LEVEL/, 'the tail of its log says why');
    assert.match(up.stderr, /--no-worker/);
    assert.doesNotMatch(up.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(fs.readdirSync(path.join(dataDir, 'pids')).filter((f) => f.endsWith('.pid')), [], 'all stopped again');
    for (const port of Object.values(ports)) assert.ok(await waitFor(() => isPortFree(port), 5000), `port ${port} is free`);
  });

  test('a stale pid file is reported and cleaned, never signalled', async () => {
    const pidFile = path.join(dataDir, 'pids', 'sandbox.pid');
    // our own pid: alive, but not a sandbox of this data folder
    fs.writeFileSync(pidFile, `${process.pid}\n`);
    assert.equal(service(await status(dataDir), 'sandbox').state, 'stale');
    const down = await personaact(['dev', 'down', '--data-dir', dataDir]);
    assert.equal(down.code, 0, down.stderr);
    assert.ok(!fs.existsSync(pidFile));
    assert.ok(isAlive(process.pid));
  });
});

describe('personaact dev up --s3 (SeaweedFS)', () => {
  let dataDir = '';
  let ports = { temporal: 17243, ui: 18243, sandbox: 18310, s3: 18433 };

  before(async () => {
    dataDir = makeTempDir('personaact-s3-');
    ports = await pickPorts(ports);
  });

  after(async () => {
    await personaact(['dev', 'down', '--data-dir', dataDir]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('serves S3 without credentials (the worker keeps its artifacts there) and stops cleanly', async () => {
    const up = await personaact(
      [
        'dev', 'up', '--s3', '--data-dir', dataDir,
        '--temporal-port', String(ports.temporal), '--ui-port', String(ports.ui),
        '--sandbox-port', String(ports.sandbox), '--s3-port', String(ports.s3),
      ],
      { env: { PERSONAACT_ARTIFACTS: 's3://personaact-dev/audits' } },
    );
    assert.equal(up.code, 0, `dev up --s3 failed:\n${up.stdout}\n${up.stderr}`);
    const endpoint = `http://127.0.0.1:${ports.s3}`;
    assert.match(up.stdout, new RegExp(endpoint.replace(/\./g, '\\.')));

    assert.equal((await fetch(`${endpoint}/personaact-test`, { method: 'PUT' })).status, 200);
    const put = await fetch(`${endpoint}/personaact-test/a/b.json`, { method: 'PUT', body: '{"x":1}' });
    assert.equal(put.status, 200);
    const get = await fetch(`${endpoint}/personaact-test/a/b.json`);
    assert.equal(get.status, 200);
    assert.equal(await get.text(), '{"x":1}');

    const s = await status(dataDir);
    const s3 = service(s, 's3');
    assert.equal(s3.state, 'running');
    assert.equal(s3.healthy, true);
    // the worker started after S3, with its endpoint, and created its bucket there
    const worker = service(s, 'worker');
    assert.equal(worker.healthy, true);
    const env = environOf(worker.pid ?? 0);
    assert.equal(env.PERSONAACT_S3_ENDPOINT, endpoint);
    assert.equal(env.PERSONAACT_ARTIFACTS, 's3://personaact-dev/audits');
    assert.equal((await fetch(`${endpoint}/personaact-dev`, { method: 'HEAD' })).status, 200, 'the worker created its bucket');

    const down = await personaact(['dev', 'down', '--data-dir', dataDir], { timeoutMs: 60_000 });
    assert.equal(down.code, 0, down.stderr);
    assert.ok(s3.pid && (await waitFor(() => !isAlive(s3.pid ?? 0), 5000)));
    assert.ok(worker.pid && (await waitFor(() => !isAlive(worker.pid ?? 0), 5000)));
    assert.ok(await waitFor(() => isPortFree(ports.s3), 5000));
  });
});
