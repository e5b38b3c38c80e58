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
import { loadPhaseRecords } from '../../activities/analysis/analyze-audit';
import { PLATFORM_NOT_SUPPORTED } from '../../core/platforms';
import { PersonaSchema } from '../../core/persona';
import { auditWorkflow } from '../../workflows/audit';
import { MAIN_TASK_QUEUE } from '../../workflows/task-queues';
import { startAuditStack, type AuditStack } from '../helpers/audit-stack';
import { FIXTURE_PLATFORMS, type WebPlatform } from '../fixture-sites/platforms';
import { startFixtureSite, type FixtureSite } from '../fixture-sites/server';
import { fixtureAuditSpec } from '../fixture-sites/audit';

const STEPS = 10;
const TIME_SCALE = 200;
const PLATFORMS = Object.keys(FIXTURE_PLATFORMS) as WebPlatform[];
const persona = PersonaSchema.parse(JSON.parse(readFileSync(new URL('../../examples/personas/user-a.json', import.meta.url), 'utf8')));

let stack: AuditStack;
const sites = new Map<WebPlatform, FixtureSite>();

before(async () => {
  for (const platform of PLATFORMS) sites.set(platform, await startFixtureSite(platform, { timeScale: TIME_SCALE }));
  stack = await startAuditStack({
    timeScale: TIME_SCALE, maxSessions: PLATFORMS.length,
    sites: Object.fromEntries([...sites].map(([platform, site]) => [platform, { url: site.url, timeScale: site.timeScale }])),
  });
});

after(async () => {
  await stack?.stop();
  for (const site of sites.values()) await site.close();
});

test(`the unchanged audit workflow runs ${STEPS} + ${STEPS} steps on each real platform's fixture site`, async (t) => {
  const started = performance.now();
  await Promise.all(PLATFORMS.map(async (platform) => {
    const site = sites.get(platform)!;
    const auditId = `audit-fixture-${platform}`;
    const result = await stack.env.client.workflow.execute(auditWorkflow, {
      taskQueue: MAIN_TASK_QUEUE, workflowId: auditId,
      args: [{ schemaVersion: 1, auditId, spec: fixtureAuditSpec(platform, persona, STEPS, site.timeScale), screenshots: false }],
    });
    assert.equal(result.status, 'COMPLETED', platform);
    for (const phase of ['cultivation', 'counterfactual'] as const) {
      const records = await loadPhaseRecords(stack.store, auditId, phase);
      assert.deepEqual(records.map((r) => r.index), Array.from({ length: STEPS }, (_, i) => i), `${platform} ${phase}`);
      for (const record of records) {
        assert.equal(record.observation.platform, platform);
        const served = site.served.find((item) => item.id === record.observation.videoId);
        assert.equal(served?.kind, 'video', `${platform}: ${record.observation.videoId} is a video the feed API served`);
        for (const action of record.actionsPerformed.filter((a) => a !== 'swipe')) {
          assert.ok(site.events.some((e) => e.type === action && e.id === record.observation.videoId), `${platform}: the site saw ${action} on ${record.observation.videoId}`);
        }
      }
    }
  }));
  t.diagnostic(`${PLATFORMS.length} audits of ${STEPS} + ${STEPS} at ${TIME_SCALE}x: ${((performance.now() - started) / 1000).toFixed(1)} s`);
});

test('a platform outside the registry fails the audit at once, by name, whoever started it', async () => {
  const spec = { ...fixtureAuditSpec('douyin', persona, 1, 1), platform: 'weibo' };
  const started = performance.now();
  await assert.rejects(
    stack.env.client.workflow.execute('auditWorkflow', { taskQueue: MAIN_TASK_QUEUE, workflowId: 'audit-weibo', args: [{ schemaVersion: 1, auditId: 'audit-weibo', spec, screenshots: false }] }),
    (error: unknown) => error instanceof WorkflowFailedError && error.cause instanceof ApplicationFailure
      && error.cause.type === PLATFORM_NOT_SUPPORTED && error.cause.nonRetryable && /platform "weibo" has no browser adapter/.test(error.cause.message),
  );
  assert.ok(performance.now() - started < 30_000, 'not retried');
});
