/**
 * Every recorded history (test/fixtures/histories/, one per workflow type, written by
 * `npm run record:histories`) replays against the current workflow code. A change to a workflow's
 * commands that is not behind `patched()` fails here with a DeterminismViolationError, before it
 * can strand the audits, studies, series sessions, interviews and training runs already under way (docs/upgrading.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import proto from '@temporalio/proto'; // CommonJS: Node's ESM loader sees only its default export
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../workers/create-workers';

/** The files are `JSON.stringify(await handle.fetchHistory())`: protobufjs' object form, which fromObject reverses. */
const { History } = proto.temporal.api.history.v1;
const FOLDER = new URL('../fixtures/histories/', import.meta.url);
const recorded = readdirSync(FOLDER).filter((name) => name.endsWith('.json')).sort();

test('each workflow type has a recorded history', () => {
  for (const type of ['audit', 'account-login', 'interview', 'training', 'study', 'series-session', 'account-lock']) assert.ok(recorded.includes(`${type}.json`), `${type}.json is recorded`);
});

test('every recorded history replays against the current workflow code', async () => {
  const histories = recorded.map((name) => ({ workflowId: name.replace(/\.json$/, ''), history: History.fromObject(JSON.parse(readFileSync(new URL(name, FOLDER), 'utf8'))) }));
  const failures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, histories)) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  assert.deepEqual(failures, []);
});
