/**
 * Faults on the real local stack (separate processes, real kill -9): each fault strikes an audit at
 * a seeded random point; the audit must complete with every platform swipe recorded exactly once
 * and no browser context left open. The suite keeps the essential fault, the worker killed with
 * its Chromium (a lost session re-acquired on a new process), at 20 + 20 steps; every other kind
 * (Temporal and Chromium killed, the sandbox restarted, storage out, a new worker version, a slow
 * page) and the matrix over seeds and longer audits are bench:faults (docs/testing.md).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FaultStack, type Fault } from '../helpers/fault-stack';

const STEPS = 20;
/** The suite's budget: the rest is bench:faults. */
const FAULTS_IN_SUITE: readonly Fault[] = ['kill-worker'];
const TIME_SCALE = 1000;

describe('audits survive faults', { timeout: 20 * 60_000 }, () => {
  let stack: FaultStack;
  before(async () => {
    stack = await FaultStack.start({ timeScale: TIME_SCALE });
  });
  after(async () => {
    await stack?.stop();
  });

  for (const fault of FAULTS_IN_SUITE) {
    it(`${fault}: completes with contiguous records, none lost, none duplicated`, async () => {
      const result = await stack.trial({ fault, seed: 1, steps: STEPS, timeScale: TIME_SCALE });
      assert.equal(result.error, undefined);
      assert.ok(result.completed);
      assert.equal(result.lostRecords, 0, 'every swipe the platform saw has a record');
      assert.equal(result.duplicateRecords, 0, 'no record describes a swipe twice');
      assert.equal(result.leakedContexts, 0, 'no browser context is left open once the audit ended');
      assert.equal(result.leakedPages, 0, 'no page is left open once the audit ended');
      assert.ok(result.sessionsReacquired + result.retriedSteps >= 1, 'the report counts the recovery');
    });
  }
});
