/**
 * `personaact persona interview | interviews` as a person runs them: the real CLI in a subprocess
 * against a real Temporal dev server, with a real main worker in this process. Answers come from
 * stdin (a pipe that ends: the interview is left waiting) and then from --answers-file on resume.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { openArtifactStore } from '../../artifacts/open-store';
import type { InterviewListEntry } from '../../cli/interview/list';
import { InterviewTranscriptSchema } from '../../core/interview';
import { PersonaSchema } from '../../core/persona';
import { createMainWorker } from '../../workers/create-workers';
import { startTestTemporal } from '../helpers/temporal';
import { BIN, REPO_ROOT, type RunResult } from '../infra/helpers';
import { workflowBundle } from '../helpers/workflow-bundle';

const USER_A = join(REPO_ROOT, 'data', 'personaact', 'raw_data', 'a');

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let dir: string;
let artifacts: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'personaact-interview-cli-'));
  artifacts = join(dir, 'artifacts');
  env = await startTestTemporal();
  worker = await createMainWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', store: openArtifactStore(artifacts), workflowBundle: await workflowBundle() });
  running = worker.run();
});

after(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

/** `personaact persona <args>` from outside the repository, with `stdin` piped in and then closed. */
function persona(args: string[], stdin = ''): Promise<RunResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'persona', ...args], {
      cwd: dir,
      env: { ...process.env, PERSONAACT_TEMPORAL_ADDRESS: env.address, PERSONAACT_NAMESPACE: env.namespace ?? 'default', PERSONAACT_ARTIFACTS: artifacts },
      timeout: 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - t0 }));
    child.stdin.end(stdin);
  });
}

async function interviews(): Promise<InterviewListEntry[]> {
  const result = await persona(['interviews', '--json']);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as InterviewListEntry[];
}

test('a log that does not exist, or an unknown interview id, is named, and no interview starts', async () => {
  const missing = join(dir, 'no-such-log');
  const result = await persona(['interview', '--logs', missing]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, new RegExp(`${missing}: no such file or folder`));
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  assert.deepEqual(await interviews(), []);
  const both = await persona(['interview', '--logs', USER_A, '--resume', 'x']);
  assert.match(both.stderr, /give --logs to start an interview, or --resume/);
  const unknown = await persona(['interview', '--resume', 'interview-nobody']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no interview "interview-nobody"/);
});

test('answers from stdin until it ends leave the interview waiting; --resume with --answers-file completes it and writes the persona', async () => {
  const first = await persona(['interview', '--logs', USER_A, '--name', 'User A'], [
    'idk',
    'My mail is viewer@example.org if you need more.',
    'When nothing happens in the first seconds I get bored and swipe.',
    '/skip',
  ].join('\n'));
  assert.equal(first.code, 0, first.stderr);
  const id = /^Started interview (\S+) for persona user-a/m.exec(first.stdout)?.[1];
  assert.ok(id, first.stdout);
  assert.match(id, /^interview-user-a-\d{8}T\d{6}-[0-9a-f]{4}$/);
  assert.match(first.stdout, /imported 939 steps in 8 sessions/);
  assert.match(first.stdout, /\[habits 1\/3 · question 1 of at most 17\]\nYour log has 8 viewing sessions/);
  assert.match(first.stdout, /not accepted: the answer contains an e-mail address/);
  assert.match(first.stdout, new RegExp(`The interview waits; continue it with: personaact persona interview --resume ${id}`));

  const waiting = (await interviews()).find((e) => e.interviewId === id);
  assert.deepEqual({ status: waiting?.status, answered: waiting?.answered, personaId: waiting?.personaId }, { status: 'ASKING', answered: 3, personaId: 'user-a' });

  const answers = join(dir, 'answers.txt');
  writeFileSync(answers, ['# the rest of the interview', ...Array.from({ length: 30 }, (_, i) => `Answer ${i + 1}: I mostly watch short funny clips to relax.`)].join('\n\n'));
  const out = join(dir, 'user-a-interviewed.json');
  const second = await persona(['interview', '--resume', id, '--answers-file', answers, '--out', out, '--json']);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /> Answer 1: I mostly watch/, 'scripted answers are echoed after their question');
  assert.match(second.stderr, new RegExp(`Interview ${id} complete: \\d+ answers`));
  const printed = PersonaSchema.parse(JSON.parse(second.stdout));
  assert.deepEqual(PersonaSchema.parse(JSON.parse(readFileSync(out, 'utf8'))), printed);
  assert.equal(printed.stats.steps, 939);
  assert.equal(printed.name, 'User A');
  assert.equal(printed.provenance.interview?.interviewId, id);

  const store = openArtifactStore(artifacts);
  const transcript = InterviewTranscriptSchema.parse(await store.getJson(`interviews/${id}/transcript.json`));
  assert.deepEqual(transcript.turns.slice(0, 3).map((t) => [t.answer, t.skipped ?? false]), [
    ['idk', false],
    ['When nothing happens in the first seconds I get bored and swipe.', false],
    ['', true],
  ]);
  assert.equal(transcript.turns[3]!.answer, 'Answer 1: I mostly watch short funny clips to relax.');
  assert.equal(printed.provenance.interview?.turns, transcript.turns.length);

  const listed = await interviews();
  assert.equal(listed.find((e) => e.interviewId === id)?.temporalStatus, 'COMPLETED');
  const text = await persona(['interviews']);
  assert.match(text.stdout, new RegExp(`^${id} +COMPLETED`, 'm'));
});

test('Ctrl-C at the prompt leaves the interview waiting and says how to resume', async () => {
  const child = spawn(process.execPath, [BIN, 'persona', 'interview', '--logs', USER_A, '--id', 'user-a-sigint'], {
    cwd: dir,
    env: { ...process.env, PERSONAACT_TEMPORAL_ADDRESS: env.address, PERSONAACT_NAMESPACE: env.namespace ?? 'default', PERSONAACT_ARTIFACTS: artifacts },
    timeout: 120_000,
  });
  let stdout = '';
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.includes('Your log has 8 viewing sessions')) resolve();
  }));
  child.kill('SIGINT');
  assert.equal(await closed, 0);
  const id = /^Started interview (\S+)/m.exec(stdout)?.[1];
  assert.ok(id, stdout);
  assert.match(stdout, new RegExp(`continue it with: personaact persona interview --resume ${id}`));
  const waiting = (await interviews()).find((e) => e.interviewId === id);
  assert.deepEqual({ status: waiting?.status, answered: waiting?.answered }, { status: 'ASKING', answered: 0 });
});
