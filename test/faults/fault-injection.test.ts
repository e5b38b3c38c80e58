/**
 * Faults on the real local stack (separate processes, real kill -9): each fault strikes an audit at
 * a seeded random point; the audit must complete with every platform swipe recorded exactly once
 * and no browser context left open. The suite keeps the essential fault, the worker killed with
 * its Chromium (a lost session re-acquired on a new process), at 20 + 20 steps; every other kind
 * (Temporal and Chromium killed, the sandbox restarted, storage out, a new worker version, a slow
 * page) and the matrix over seeds and longer audits are bench:faults (docs/testing.md).
 * On the same stack, a study whose Temporal server is killed while its audits run completes them all.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { loadPhaseRecords } from '../../activities/analysis/analyze-audit';
import { openArtifactStore } from '../../artifacts/open-store';
import { queryStudyProgress, startStudyWorkflow, studyHandle } from '../../clients/study';
import { PHASES } from '../../core/interaction-record';
import { PersonaSchema } from '../../core/persona';
import { FaultStack, type Fault } from '../helpers/fault-stack';
import { pollUntil } from '../helpers/poll';

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

  it('a study whose Temporal server is killed (kill -9) while its audits run completes every audit, each record once', async () => {
    const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../../examples/personas/user-a.json', import.meta.url), 'utf8')));
    const studyId = 'st-server-kill';
    await startStudyWorkflow(stack.temporal, {
      schemaVersion: 1, personas: [persona], timeScale: TIME_SCALE,
      spec: {
        id: studyId, seed: 5, platforms: [{ platform: 'sandbox', profiles: ['responsive'] }], personas: ['user-a.json'],
        arms: ['reversed', 'control'], replicates: 1, cultivationSteps: STEPS, counterfactualSteps: STEPS, concurrency: 2,
      },
    });
    // Both audits running, so the kill strikes the study and its children mid-way.
    await pollUntil('both audits running', () => queryStudyProgress(studyHandle(stack.temporal, studyId)), (p) => p.counts.running === 2, { timeoutMs: 120_000, intervalMs: 200 });
    await stack.inject('kill-temporal', studyId);
    const result = await studyHandle(stack.temporal, studyId).result();
    assert.equal(result.status, 'COMPLETED');
    assert.deepEqual({ completed: result.counts.completed, failed: result.counts.failed, total: result.counts.total }, { completed: 2, failed: 0, total: 2 });
    const store = openArtifactStore(stack.artifacts);
    const { audits } = await queryStudyProgress(studyHandle(stack.temporal, studyId));
    for (const { auditId } of audits) {
      for (const phase of PHASES) {
        const indices = (await loadPhaseRecords(store, auditId, phase)).map((r) => r.index);
        assert.deepEqual(indices, Array.from({ length: STEPS }, (_, i) => i), `${auditId} ${phase}: every step recorded once`);
      }
    }
  });
});
