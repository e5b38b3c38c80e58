/**
 * auditWorkflow: cultivation (persona p) → reversal → counterfactual (p' on the same account) →
 * analysis. The loop is env/policy: the browser worker that owns the session steps the platform,
 * a local activity decides (a model policy decides on that browser worker, where the frame is).
 * State stays small (an AuditTracker); records go to the artifact store.
 */
import {
  ApplicationFailure, CancellationScope, ContinueAsNew, continueAsNew, defineQuery, isCancellation, log, patched,
  proxyActivities, proxyLocalActivities, setHandler, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { AuditSpecSchema, type AuditSpec } from '../core/audit-spec';
import { AuditTracker, type AuditProgress, type AuditState, type AuditStatus } from '../core/audit-progress';
import { reversePersona } from '../core/reversal';
import { executedDecision, policyReversal } from '../core/reversed-decision';
import { actsReversed, armDecision, DEFAULT_MITIGATION, dominantCategories } from '../core/study-arms';
import { isPlatform, isRealPlatform, PLATFORM_NOT_SUPPORTED, unsupportedPlatformMessage } from '../core/platforms';
import { releaseAccountLock, takeAccountLock } from './audit-account-lock';
import type { BrowserActivities, ChallengeDetails, OnScreen, SessionRef } from '../activities/browser/activities';
import type { PolicyActivities } from '../activities/policy/activities';
import { FAILURE_TYPES } from '../core/failures';
import { MODEL_POLICIES } from '../core/policy-names';
import type { OnScreenPolicyActivities } from '../activities/policy/on-screen';
import type { Decision } from '../core/decision';
import type { Phase } from '../core/interaction-record';
import type { Observation } from '../core/observation';
import type { PolicyHistoryEntry } from '../core/policy';
import type { AnalysisActivities, AuditMetrics } from '../activities/analysis/analyze-audit';
import type { RecordActivities } from '../activities/records/unconfirmed-step';
import type { LabelActivities } from '../activities/labels/activities';
import { needsClassifier } from '../core/content-label';
import { HumanGate } from './challenge';
import { searchAttributes } from './search-attributes';
import { challengeOf, sessionGone } from './session-failures';
import { BROWSER_TASK_QUEUE } from './task-queues';
import { parseWorkflowInput } from './workflow-input';
import { PATCHES } from './patches';
import { STEP_HEARTBEAT_TIMEOUT_MS } from '../core/step-timeouts';

export const progressQuery = defineQuery<AuditProgress>('progress');

export interface AuditWorkflowInput {
  schemaVersion: 1;
  auditId: string;
  spec: AuditSpec;
  /** Keep a screenshot per step beside its record. */
  screenshots: boolean;
  /** Continue-as-new once a run's history is this long, if Temporal has not suggested it sooner. */
  maxHistoryEvents?: number;
  /** The caller already holds the account's lock (a series session, workflows/series.ts): the audit does not take it. */
  accountLocked?: boolean;
  /** Set by continue-as-new. */
  carried?: { state: AuditState; session?: SessionRef; onScreen?: OnScreen; history?: PolicyHistory; holdsAccount?: boolean };
}

/** The policy's recent steps; p and p' are different viewers, so a phase never sees the other's. */
interface PolicyHistory {
  phase: Phase;
  entries: PolicyHistoryEntry[];
}

export interface AuditResult {
  auditId: string;
  status: AuditStatus;
  metrics: AuditMetrics;
}

/** Search attributes are refreshed this often, not every step: each update is a history event. */
const REPORT_EVERY = 50;
/** Well under Temporal's 51,200-event limit and the 10,000 this project promises per run. */
const MAX_HISTORY_EVENTS = 8000;
/** Steps a run needs to make progress between continue-as-news (a floor for maxHistoryEvents). */
const MIN_HISTORY_EVENTS = 50;
/** Steps of policy history kept in workflow state (persona-stat's PERSISTENCE_WINDOW; the prompt shows fewer). */
const HISTORY_WINDOW = 20;
/** Titles in the history are cut to this: the window travels through continue-as-new. */
const HISTORY_TITLE_CHARS = 80;

const historyEntry = (observation: Observation, decision: Decision): PolicyHistoryEntry => ({
  level1: observation.level1, title: observation.title.slice(0, HISTORY_TITLE_CHARS), watchSeconds: decision.watchSeconds,
  like: decision.like, comment: decision.comment !== undefined, share: decision.share !== undefined,
});

/** The history after a step of `phase`: a new phase starts an empty window. */
function remembered(history: PolicyHistory, phase: Phase, observation: Observation, decision: Decision): PolicyHistory {
  const recent = history.phase === phase ? history.entries : [];
  return { phase, entries: [...recent, historyEntry(observation, decision)].slice(-HISTORY_WINDOW) };
}

/** Storage-dependent activities ride out a storage outage of several minutes (an S3 restart, a full disk being cleared). */
const STORAGE_RETRY = { initialInterval: '1 second', maximumInterval: '30 seconds' } as const;
const main = proxyActivities<AnalysisActivities>({ startToCloseTimeout: '10 minutes', scheduleToCloseTimeout: '1 hour', retry: STORAGE_RETRY });
const records = proxyActivities<RecordActivities>({ startToCloseTimeout: '1 minute', scheduleToCloseTimeout: '15 minutes', retry: STORAGE_RETRY });
const policy = proxyLocalActivities<PolicyActivities>({ startToCloseTimeout: '2 minutes', retry: { maximumAttempts: 5 } });
/** Title classifier on the main worker; its first call starts the Python process (seconds). */
const labels = proxyLocalActivities<LabelActivities>({ startToCloseTimeout: '2 minutes', retry: { maximumAttempts: 3 } });
const acquire = proxyActivities<Pick<BrowserActivities, 'acquireSession'>>({
  taskQueue: BROWSER_TASK_QUEUE,
  startToCloseTimeout: '3 minutes',
  // Bounded: capacity waits and a missing browser worker end the audit FAILED after this, not never.
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: [FAILURE_TYPES.challengeRequired] },
});

/** How long a session's own worker may take to pick up its next activity before the session counts as lost. */
const SESSION_SCHEDULE_TO_START = '15 seconds';

/** Model policies: on the session's worker (the page's frame), as a regular activity (model calls are slow). */
function onScreenPolicy(session: SessionRef) {
  return proxyActivities<OnScreenPolicyActivities>({
    taskQueue: session.taskQueue,
    scheduleToStartTimeout: SESSION_SCHEDULE_TO_START,
    startToCloseTimeout: '10 minutes',
    heartbeatTimeout: '30 seconds',
    retry: { maximumAttempts: 3, nonRetryableErrorTypes: [FAILURE_TYPES.sessionLost] },
  });
}

function sessionActivities(session: SessionRef) {
  return proxyActivities<Pick<BrowserActivities, 'envStep' | 'checkChallenge' | 'closeSession'>>({
    taskQueue: session.taskQueue,
    // A dead (or replaced: a new version deployed) worker's queue has no poller: fail fast and
    // re-acquire elsewhere. A live worker polls its own queue with free slots, so 15 s is ample.
    scheduleToStartTimeout: SESSION_SCHEDULE_TO_START,
    // Long videos at 1x can play for many minutes; heartbeats (all through a step) catch a dead worker sooner.
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: STEP_HEARTBEAT_TIMEOUT_MS,
    // A step whose record write failed keeps its session and record: ~15 attempts ride out ~5 minutes of storage outage.
    retry: { ...STORAGE_RETRY, maximumAttempts: 15, nonRetryableErrorTypes: [FAILURE_TYPES.sessionLost, FAILURE_TYPES.challengeRequired] },
  });
}

/**
 * A session given up as lost may still be open (its worker lives, only this step lost it): ask its
 * worker to close it, without waiting — a dead worker never answers, and the audit goes on meanwhile.
 */
function closeLostSession(session: SessionRef): void {
  proxyActivities<Pick<BrowserActivities, 'closeSession'>>({
    taskQueue: session.taskQueue, scheduleToStartTimeout: '30 seconds', startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 1 },
  }).closeSession({ sessionId: session.sessionId }).catch(() => undefined);
}

export async function auditWorkflow(input: AuditWorkflowInput): Promise<AuditResult> {
  // Whoever started it (CLI, a study, another client): a platform without an adapter fails now, by name.
  if (!isPlatform(input.spec.platform)) throw ApplicationFailure.nonRetryable(unsupportedPlatformMessage(input.spec.platform), PLATFORM_NOT_SUPPORTED);
  const spec = parseWorkflowInput(AuditSpecSchema, input.spec, 'audit spec');
  const tracker = new AuditTracker(spec.cultivationSteps, spec.counterfactualSteps, input.carried?.state);
  setHandler(progressQuery, () => tracker.progress());
  const reversed = reversePersona(spec.persona, spec.reversal);
  const timeScale = spec.timeScale ?? 1;
  let session = input.carried?.session;
  let onScreen = input.carried?.onScreen;
  let history: PolicyHistory = input.carried?.history ?? { phase: tracker.phase, entries: [] };
  /** The step being executed: if its session is lost, whether its swipe landed is read from the next session's screen. */
  let inFlight: { videoKey: string; observation: Observation; decision: Decision; policyDecision?: Decision; latencyMs: number } | undefined;
  const modelPolicy = MODEL_POLICIES.includes(spec.policy);
  const arm = spec.arm ?? 'reversed';
  const mitigation = spec.mitigation ?? DEFAULT_MITIGATION;
  // A real platform's account runs one session at a time, across workers (workflows/audit-account-lock.ts).
  let holdsAccount = input.carried?.holdsAccount ?? false;
  const freeAccount = async () => {
    if (holdsAccount) await releaseAccountLock(spec.platform, spec.accountId);
  };

  const report = (extra: SearchAttributeUpdatePair[] = []) => upsertSearchAttributes([
    { key: searchAttributes.phase, value: tracker.phase },
    { key: searchAttributes.status, value: tracker.status },
    { key: searchAttributes.interactions, value: tracker.interactions },
    ...extra,
  ]);

  // A captcha or login wall pauses the audit (AWAITING_HUMAN) with its browser session kept open.
  const gate = new HumanGate({
    settings: spec.challenges, screenshots: input.screenshots, sessionActivities,
    where: () => `${tracker.phase} step ${tracker.index}`,
  });
  const waitForHuman = (challenge: ChallengeDetails) => gate.wait(challenge, {
    pause: (pending) => { tracker.awaitHuman(pending); report(); },
    resume: () => { tracker.humanDone(); report(); },
  });

  if (!input.carried) {
    report([
      { key: searchAttributes.platform, value: spec.platform },
      { key: searchAttributes.persona, value: spec.persona.id },
      ...(spec.studyId ? [{ key: searchAttributes.study, value: spec.studyId }] : []),
      { key: searchAttributes.arm, value: arm },
    ]);
    await main.saveAuditDocuments({ auditId: input.auditId, documents: { spec, persona: spec.persona, 'reversed-persona': reversed } });
  }

  try {
    if (!holdsAccount && isRealPlatform(spec.platform) && !input.accountLocked && patched(PATCHES.accountLock)) {
      await takeAccountLock(spec.platform, spec.accountId);
      holdsAccount = true;
    }
    while (!tracker.done) {
      if (!session || !onScreen) {
        try {
          const acquired = await acquire.acquireSession({
            platform: spec.platform, accountId: spec.accountId, screenshots: input.screenshots,
            ...(spec.sandboxProfile ? { sandboxProfile: spec.sandboxProfile } : {}),
            ...(spec.country ? { country: spec.country } : {}),
          });
          session = { sessionId: acquired.sessionId, taskQueue: acquired.taskQueue };
          onScreen = acquired.onScreen;
        } catch (error) {
          const challenge = challengeOf(error);
          if (!challenge) throw error;
          session = challenge.session;
          onScreen = await waitForHuman(challenge);
          if (!onScreen) {
            session = undefined;
            continue;
          }
        }
        tracker.sessionAcquired();
        log.info('browser session acquired', { taskQueue: session.taskQueue, phase: tracker.phase, index: tracker.index });
        // Another video on screen than the one in flight: its swipe landed before the session was lost.
        if (inFlight && onScreen.videoKey !== inFlight.videoKey) {
          const { observation, decision, policyDecision, latencyMs } = inFlight;
          const { phase, index } = tracker;
          await records.recordUnconfirmedStep({
            auditId: input.auditId, phase, index, observation, decision, decisionLatencyMs: latencyMs, ...(policyDecision ? { policyDecision } : {}),
          });
          tracker.recordStep(observation.level1);
          history = remembered(history, phase, observation, policyDecision ?? decision);
          if (tracker.done) continue;
        }
        inFlight = undefined;
      }
      // A real platform's item without its own category is labelled by the classifier before anyone decides on it.
      if (needsClassifier(spec.platform, onScreen.observation) && patched(PATCHES.contentLabels)) {
        onScreen = { ...onScreen, observation: await labels.labelObservation({ observation: onScreen.observation }) };
      }
      const { phase, index } = tracker;
      const recent = history.phase === phase ? history.entries : [];
      const reversed = actsReversed(arm, phase);
      const reversal = reversed ? policyReversal(phase, spec.reversal) : undefined;
      const decideInput = {
        policy: spec.policy, persona: spec.persona, observation: onScreen.observation, seed: spec.seed, phase, index, history: recent,
        ...(reversal ? { reversal } : {}),
      };
      try {
        // Inside the try: a model policy runs on the session's worker, whose loss is handled below.
        const decided = modelPolicy
          ? await onScreenPolicy(session).decideOnScreen({ ...decideInput, sessionId: session.sessionId, auditId: input.auditId, videoKey: onScreen.videoKey })
          : await policy.decide(decideInput);
        // The reversed arm's counterfactual reverses the policy's output, the same for every policy;
        // the other arms act on p's decision (core/study-arms.ts). The policy's history stays its own.
        const decision = reversed
          ? executedDecision(decided.decision, phase, {
            persona: spec.persona, settings: spec.reversal, video: onScreen.observation, seed: `${spec.seed}/${phase}/${index}`,
          })
          : armDecision(decided.decision, {
            arm, phase, level1: onScreen.observation.level1, durationSeconds: onScreen.observation.durationSeconds,
            bubble: dominantCategories(tracker.progress().counts.cultivation, mitigation.dominantCategories),
            settings: mitigation, seed: `${spec.seed}/${phase}/${index}`,
          });
        const policyDecision = decision === decided.decision ? {} : { policyDecision: decided.decision };
        inFlight = { videoKey: onScreen.videoKey, observation: onScreen.observation, decision, ...policyDecision, latencyMs: decided.latencyMs };
        const result = await sessionActivities(session).envStep({
          sessionId: session.sessionId, auditId: input.auditId, phase, index, videoKey: onScreen.videoKey,
          decision, ...policyDecision, decisionLatencyMs: decided.latencyMs, timeScale, screenshots: input.screenshots,
          ...(onScreen.observation.label?.source === 'classifier' ? { label: onScreen.observation.label } : {}),
        });
        inFlight = undefined;
        tracker.recordStep(result.level1);
        history = remembered(history, phase, onScreen.observation, decided.decision);
        onScreen = result.next;
      } catch (error) {
        const challenge = challengeOf(error);
        if (challenge) {
          inFlight = undefined;
          // The swipe that met the challenge ended step `index`: its record is written. The next
          // step runs on whatever video shows once a person has solved it.
          tracker.recordStep(onScreen.observation.level1);
          if (tracker.done) continue;
          onScreen = await waitForHuman(challenge);
          if (!onScreen) session = undefined;
          continue;
        }
        if (!sessionGone(error) || isCancellation(error)) throw error;
        log.warn('browser session lost; re-acquiring', { phase, index, error: String(error) });
        if (patched(PATCHES.closeLostSession)) closeLostSession(session);
        session = undefined;
        continue;
      }
      // shouldReport first: it also remembers what was reported.
      if (tracker.shouldReport(REPORT_EVERY) || tracker.phase !== phase) report();
      const info = workflowInfo();
      const historyLimit = Math.max(MIN_HISTORY_EVENTS, input.maxHistoryEvents ?? MAX_HISTORY_EVENTS);
      if (!tracker.done && (info.continueAsNewSuggested || info.historyLength > historyLimit)) {
        await continueAsNew<typeof auditWorkflow>({ ...input, carried: { state: tracker.getState(), session, onScreen, history, holdsAccount } });
      }
    }
    tracker.setStatus('ANALYZING');
    report();
    const metrics = await main.analyzeAudit({ auditId: input.auditId, seed: spec.seed, sessions: tracker.progress().sessions });
    if (session) await sessionActivities(session).closeSession({ sessionId: session.sessionId }).catch(() => undefined);
    await freeAccount();
    tracker.setStatus('COMPLETED');
    report();
    return { auditId: input.auditId, status: tracker.status, metrics };
  } catch (error) {
    // continueAsNew throws to end the run: the audit goes on, its session with it.
    if (error instanceof ContinueAsNew) throw error;
    if (isCancellation(error)) {
      // Close the browser even though the workflow is being cancelled; records stay where they are.
      await CancellationScope.nonCancellable(async () => {
        tracker.setStatus('CANCELLED');
        report();
        if (session) await sessionActivities(session).closeSession({ sessionId: session.sessionId }).catch(() => undefined);
        await freeAccount();
      });
    } else {
      tracker.setStatus('FAILED');
      report();
      // A failed audit keeps its records but not its browser.
      if (session) await sessionActivities(session).closeSession({ sessionId: session.sessionId }).catch(() => undefined);
      await freeAccount();
    }
    throw error;
  }
}
