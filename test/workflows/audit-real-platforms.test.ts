/**
 * The audit workflow, unchanged, on every registered real platform: one short audit per fixture
 * site (test/fixture-sites/), all six at once on one stack, each checked against what its site
 * served and saw. The 50 + 50 runs are `npm run bench:platforms` (suite time).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { PLATFORM_NOT_SUPPORTED } from '../../core/platforms';
import { PersonaSchema } from '../../core/persona';
import { MAIN_TASK_QUEUE } from '../../workflows/task-queues';
import { fixtureAuditSpec, runFixtureAudit, startFixtureStack, WEB_PLATFORMS, type FixtureStack } from '../fixture-sites/audit';

const STEPS = 10;
const TIME_SCALE = 200;
const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../../examples/personas/user-a.json', import.meta.url), 'utf8')));

let fixtures: FixtureStack;
before(async () => {
  fixtures = await startFixtureStack(TIME_SCALE);
});
after(() => fixtures?.stop());

test(`the unchanged audit workflow runs ${STEPS} + ${STEPS} steps on each real platform's fixture site`, async (t) => {
  const started = performance.now();
  await Promise.all(WEB_PLATFORMS.map(async (platform) => {
    const site = fixtures.sites.get(platform)!;
    const { result, records } = await runFixtureAudit(fixtures, platform, persona, STEPS);
    assert.equal(result.status, 'COMPLETED', platform);
    for (const phase of ['cultivation', 'counterfactual'] as const) {
      assert.deepEqual(records[phase].map((r) => r.index), Array.from({ length: STEPS }, (_, i) => i), `${platform} ${phase}`);
      for (const record of records[phase]) {
        assert.equal(record.observation.platform, platform);
        const served = site.served.find((item) => item.id === record.observation.videoId);
        assert.equal(served?.kind, 'video', `${platform}: ${record.observation.videoId} is a video the feed API served`);
        assert.deepEqual(record.observation.level1, [served.category.slug], `${platform}: labelled from the platform's own tags`);
        for (const action of record.actionsPerformed.filter((a) => a !== 'swipe')) {
          assert.ok(site.events.some((e) => e.type === action && e.id === record.observation.videoId), `${platform}: the site saw ${action} on ${record.observation.videoId}`);
        }
      }
    }
  }));
  t.diagnostic(`${WEB_PLATFORMS.length} audits of ${STEPS} + ${STEPS} at ${TIME_SCALE}x, concurrently: ${((performance.now() - started) / 1000).toFixed(1)} s`);
});

test('a platform outside the registry fails the audit at once, by name, whoever started it', async () => {
  const spec = { ...fixtureAuditSpec('douyin', persona, 1, 1), platform: 'weibo' };
  await assert.rejects(
    fixtures.stack.env.client.workflow.execute('auditWorkflow', {
      taskQueue: MAIN_TASK_QUEUE, workflowId: 'audit-weibo', args: [{ schemaVersion: 1, auditId: 'audit-weibo', spec, screenshots: false }],
    }),
    (error: unknown) => error instanceof WorkflowFailedError && error.cause instanceof ApplicationFailure
      && error.cause.type === PLATFORM_NOT_SUPPORTED && error.cause.nonRetryable && /platform "weibo" has no browser adapter/.test(error.cause.message),
  );
});
