/** Study spec, plan, arms and tracker: the pure logic studyWorkflow and the audit loop call. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../../core/decision';
import { formatZodError } from '../../core/zod-error';
import { armDecision, actsReversed, DEFAULT_MITIGATION, dominantCategories, type ArmStep } from '../../core/study-arms';
import { StudyTracker } from '../../core/study-progress';
import { interleavedOrder, planStudy, StudySpecSchema, studyAccountId, studyAuditId, type StudySpecInput } from '../../core/study-spec';

const base: StudySpecInput = {
  id: 'demo', seed: 7, platforms: [{ platform: 'sandbox', profiles: ['sticky', 'responsive'] }],
  personas: ['a.json', 'b.json'], arms: ['reversed', 'control'], replicates: 3, cultivationSteps: 10, counterfactualSteps: 10,
};

test('a study plan crosses platforms × profiles × personas × arms × replicates; seeds and ids derive from the study', () => {
  const spec = StudySpecSchema.parse(base);
  assert.equal(spec.concurrency, 2);
  assert.deepEqual(spec.reversal, { strategy: 'quantile-flip', engagement: 'suppress' });
  const plan = planStudy(spec, ['user-a', 'user-b']);
  assert.equal(plan.length, 2 * 2 * 2 * 3);
  assert.deepEqual(plan.map((p) => p.slot), plan.map((_, i) => i));
  assert.deepEqual(plan[0]?.cell, { platform: 'sandbox', profile: 'sticky', personaId: 'user-a', arm: 'reversed' });
  assert.deepEqual(plan[3]?.cell, { platform: 'sandbox', profile: 'sticky', personaId: 'user-a', arm: 'control' });
  assert.equal(new Set(plan.map((p) => p.seed)).size, plan.length, 'every audit its own seed');
  assert.deepEqual(planStudy(spec, ['user-a', 'user-b']), plan, 'the same spec plans the same study');
  assert.notDeepEqual(planStudy({ ...spec, seed: 8 }, ['user-a', 'user-b']).map((p) => p.seed), plan.map((p) => p.seed));
  assert.equal(studyAuditId('demo', plan[4]!, 0), 'demo-sandbox.sticky.user-a.control-r1');
  assert.equal(studyAuditId('demo', plan[4]!, 2), 'demo-sandbox.sticky.user-a.control-r1-a2');
  assert.equal(studyAccountId('demo', plan[4]!, 1), 'demo-c1-r1-a1');
  const longest = studyAccountId('x'.repeat(40), { cellIndex: 999, replicate: 999 }, 5);
  assert.ok(longest.length <= 64, 'account ids fit the sandbox (64 characters)');
  // A platform without profiles is one cell per persona and arm.
  assert.equal(planStudy(StudySpecSchema.parse({ ...base, platforms: [{ platform: 'sandbox' }] }), ['user-a']).length, 2 * 3);
});

test('a bad study spec names the field', () => {
  const cases: [unknown, RegExp][] = [
    [{ ...base, id: 'a/b' }, /^id: expected letters/m],
    [{ ...base, id: 'x'.repeat(41) }, /^id: at most 40 characters/m],
    [{ ...base, replicates: 0 }, /^replicates: /m],
    [{ ...base, arms: ['reversed', 'sideways'] }, /^arms\[1\]: expected one of "reversed"\|"control"/m],
    [{ ...base, arms: ['control', 'control'] }, /^arms: an arm is listed twice/m],
    [{ ...base, platforms: [{ platform: 'tiktok', profiles: ['sticky'] }] }, /^platforms\[0\]\.profiles: recommender profiles exist only on the sandbox/m],
    [{ ...base, platforms: [{ platform: 'sandbox', profiles: ['Sticky'] }] }, /^platforms\[0\]\.profiles\[0\]: a profile name/m],
    [{ ...base, personas: [] }, /^personas: at least one persona file/m],
    [{ ...base, mitigation: { exploreShare: 2 } }, /^mitigation\.exploreShare: /m],
    [{ ...base, concurrency: 1.5 }, /^concurrency: /m],
    [{ ...base, replicate: 3 }, /Unrecognized key: "replicate"/],
    [{ ...base, seed: undefined }, /^seed: /m],
  ];
  for (const [input, message] of cases) {
    const parsed = StudySpecSchema.safeParse(input);
    assert.ok(!parsed.success, `refused: ${JSON.stringify(input).slice(0, 80)}`);
    assert.match(formatZodError(parsed.error), message);
  }
});

const watch = (watchSeconds: number, extra: Partial<Decision> = {}): Decision => ({ watchSeconds, like: false, notInterested: false, ...extra });
const step = (over: Partial<ArmStep>): ArmStep => ({
  arm: 'control', phase: 'counterfactual', level1: ['food'], durationSeconds: 40, bubble: ['food', 'pets'], settings: DEFAULT_MITIGATION, seed: 's/counterfactual/0', ...over,
});

test('arms: reversed asks the policy for p′; control and the mitigations keep p and act on its decision', () => {
  assert.equal(actsReversed('reversed', 'counterfactual'), true);
  assert.equal(actsReversed('reversed', 'cultivation'), false);
  for (const arm of ['control', 'mitigate-not-interested', 'mitigate-explore'] as const) assert.equal(actsReversed(arm, 'counterfactual'), false);

  const liked = watch(25, { like: true, comment: 'yum' });
  assert.deepEqual(armDecision(liked, step({ arm: 'reversed' })), liked);
  assert.deepEqual(armDecision(liked, step({ arm: 'control' })), liked);
  // Not interested on the bubble's videos: the tap and a quick skip, no engagement; elsewhere p as it is.
  assert.deepEqual(armDecision(liked, step({ arm: 'mitigate-not-interested' })), { watchSeconds: 1, like: false, notInterested: true });
  assert.deepEqual(armDecision(liked, step({ arm: 'mitigate-not-interested', level1: ['travel'] })), liked);
  // Cultivation is never touched.
  assert.deepEqual(armDecision(liked, step({ arm: 'mitigate-not-interested', phase: 'cultivation' })), liked);
});

test('arms: explore watches to the end about the configured share of out-of-bubble videos, reproducibly', () => {
  let full = 0;
  const n = 2000;
  for (let i = 0; i < n; i++) {
    const s = step({ arm: 'mitigate-explore', level1: ['travel'], seed: `s/counterfactual/${i}` });
    const decided = armDecision(watch(2), s);
    assert.deepEqual(armDecision(watch(2), s), decided, 'same seed, same step');
    if (decided.watchSeconds === 40) full += 1;
    else assert.equal(decided.watchSeconds, 2);
  }
  assert.ok(Math.abs(full / n - 0.5) < 0.05, `share watched fully ${full / n}`);
  assert.deepEqual(armDecision(watch(2), step({ arm: 'mitigate-explore' })), watch(2), 'bubble videos as p decides');
  assert.equal(armDecision(watch(60), step({ arm: 'mitigate-explore', level1: ['travel'], settings: { ...DEFAULT_MITIGATION, exploreShare: 1 } })).watchSeconds, 60, 'never shorter than p watched');
});

test('dominant categories are the most frequent cultivated ones, ties by name', () => {
  assert.deepEqual(dominantCategories({ pets: 3, food: 5, travel: 3, news: 0 }, 2), ['food', 'pets']);
  assert.deepEqual(dominantCategories({}, 2), []);
});

test('the study tracker: concurrency bookkeeping, retries on a new account, cancel, progress per arm and cell, state through continue-as-new', () => {
  const spec = StudySpecSchema.parse({ ...base, platforms: [{ platform: 'sandbox' }], personas: ['a.json'], replicates: 2, retries: 1 });
  const plan = planStudy(spec, ['user-a']);
  const tracker = new StudyTracker('demo', plan, spec.retries);
  assert.equal(tracker.nextPending(), 0);
  tracker.started(0);
  tracker.started(1);
  assert.equal(tracker.running, 2);
  assert.equal(tracker.nextPending(), 2);
  tracker.completed(0);
  assert.equal(tracker.failed(1, 'boom'), 'retry');
  assert.equal(tracker.audit(1).status, 'pending');
  assert.equal(tracker.audit(1).accountId, 'demo-c0-r1-a1');
  tracker.started(1);
  assert.equal(tracker.failed(1, 'boom again'), 'failed');
  assert.equal(tracker.audit(1).error, 'boom again');

  const resumed = new StudyTracker('demo', plan, spec.retries, tracker.getState());
  resumed.started(2);
  resumed.cancel();
  const progress = resumed.progress();
  assert.equal(progress.status, 'CANCELLED');
  assert.deepEqual(progress.counts, { pending: 0, running: 0, completed: 1, failed: 1, cancelled: 2, total: 4 });
  assert.deepEqual(progress.arms.reversed, { pending: 0, running: 0, completed: 1, failed: 1, cancelled: 0, total: 2 });
  assert.deepEqual(progress.cells.map((c) => [c.cell, c.counts.total]), [['sandbox/user-a/reversed', 2], ['sandbox/user-a/control', 2]]);
  assert.deepEqual(progress.retried, [{ auditId: 'demo-sandbox.user-a.reversed-r1', error: 'boom' }]);
  assert.equal(resumed.manifest().audits.length, 4);
  assert.equal(resumed.active, false);
});

test('audits start interleaved: replicate by replicate across every cell, so the arms share machine conditions', () => {
  const spec = StudySpecSchema.parse(base);
  const plan = planStudy(spec, ['user-a', 'user-b']);
  const order = interleavedOrder(plan);
  assert.deepEqual([...order].sort((a, b) => a - b), plan.map((p) => p.slot), 'every slot exactly once');
  const started = order.map((slot) => `${plan[slot]!.cell.profile}/${plan[slot]!.cell.personaId}/${plan[slot]!.cell.arm}/r${plan[slot]!.replicate}`);
  assert.deepEqual(started.slice(0, 9), [
    'sticky/user-a/reversed/r0', 'sticky/user-a/control/r0', 'sticky/user-b/reversed/r0', 'sticky/user-b/control/r0',
    'responsive/user-a/reversed/r0', 'responsive/user-a/control/r0', 'responsive/user-b/reversed/r0', 'responsive/user-b/control/r0',
    'sticky/user-a/reversed/r1',
  ]);

  // The tracker hands slots out in that order; a failed audit's retry goes first, in its replicate's turn.
  const tracker = new StudyTracker('demo', plan, 1, undefined, order);
  const next = () => {
    const slot = tracker.nextPending();
    assert.notEqual(slot, undefined);
    tracker.started(slot!);
    return `${plan[slot!]!.cell.arm}/r${plan[slot!]!.replicate}`;
  };
  assert.deepEqual([next(), next(), next()], ['reversed/r0', 'control/r0', 'reversed/r0']);
  assert.equal(tracker.failed(order[0]!, 'boom'), 'retry');
  assert.equal(tracker.nextPending(), order[0], 'the retry starts before later replicates');
  // Without an order (a study started before the patch), the plan's cell-by-cell order stays.
  assert.equal(new StudyTracker('demo', plan, 1).nextPending(), 0);
  const legacy = new StudyTracker('demo', plan, 1);
  legacy.started(0);
  assert.deepEqual(plan[legacy.nextPending()!]!.cell, plan[0]!.cell, 'cell by cell: the same cell’s next replicate');
});
