/**
 * The environment side of the audit loop: acquire a session (env.reset) and step it (env.step).
 * `acquireSession` runs on the shared browser task queue; the others on the owning worker's own
 * queue, because they need the page that lives in that process.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { SandboxProfileRef } from '../../core/audit-spec';
import type { Decision } from '../../core/decision';
import { recordKey, screenshotKey, type InteractionRecord, type Phase } from '../../core/interaction-record';
import type { Observation, Platform } from '../../core/observation';
import { withLabel, type ContentLabel } from '../../core/content-label';
import { HUMAN_UPDATES, type HumanUpdate } from '../../core/challenge';
import { accountContextOptions } from '../accounts/browser-identity';
import { saveStorageState } from '../accounts/storage-state';
import { isRealPlatform } from '../../core/platforms';
import type { CountryCode } from '../../core/identity';

/** The account's identity is in another country than the audit's (a study cell's). */
export const ACCOUNT_COUNTRY_MISMATCH = 'AccountCountryMismatch';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import type { Keyring } from '../../secrets/keyring';
import type { LiveViewServer } from './live-view';
import { SignInRefused, type Challenge, type PlatformAdapter } from './platform-adapter';
import { SessionCapacityError, SessionLost, type CurrentVideo, type Session, type SessionPool } from './session-pool';
import { FAILURE_TYPES } from '../../core/failures';
import { STEP_HEARTBEAT_EVERY_MS } from '../../core/step-timeouts';


export interface SessionRef {
  sessionId: string;
  /** The owning worker's own task queue: every later call for this session goes there. */
  taskQueue: string;
}

export interface OnScreen {
  videoKey: string;
  observation: Observation;
}

export interface AcquireSessionInput {
  platform: Platform;
  accountId: string;
  /** Whether to keep a screenshot of each video for its record. */
  screenshots: boolean;
  /** The sandbox recommender profile a new account is created with (studies set it per cell). */
  sandboxProfile?: SandboxProfileRef;
  /** The country the account must live in (a study cell's); another country's account is refused. */
  country?: CountryCode;
}

export interface StepInput {
  sessionId: string;
  auditId: string;
  phase: Phase;
  index: number;
  /** The video the decision is about; a retry after the swipe replays the stored result. */
  videoKey: string;
  decision: Decision;
  /** The policy's own decision when `decision` was derived from it (the reversed counterfactual). */
  policyDecision?: Decision;
  decisionLatencyMs: number;
  /** Platform seconds per real second (the sandbox's time scale; 1 on real platforms). */
  timeScale: number;
  screenshots: boolean;
  /** The classifier's label of the video (the workflow labels items the platform left without a category); the record keeps it. */
  label?: ContentLabel;
}

/** The details of a ChallengeRequired failure: the session stays open on the challenge. */
export interface ChallengeDetails {
  challenge: Challenge;
  session: SessionRef;
  liveViewUrl: string;
}

/** What `checkChallenge` finds: the challenge still there, or the video on screen once it is gone. */
export type ChallengeCheck = { challenge: Challenge } | { onScreen: OnScreen };

export interface StepResult {
  level1: string[];
  intendedDwellMs: number;
  executedDwellMs: number;
  next: OnScreen;
}

export interface BrowserActivityDeps {
  pool: SessionPool;
  store: ArtifactStore;
  /** Encrypts the accounts' storage states (their cookies) at rest. */
  keyring: Keyring;
  /** This worker's own task queue. */
  taskQueue: string;
  adapterFor(platform: Platform): PlatformAdapter;
  liveView: LiveViewServer;
  /** Sends a person's "done" (the live view's button) to the workflow as Update `update`; returns its answer. */
  sendHumanUpdate(workflowId: string, update: HumanUpdate): Promise<string>;
}

/** Something on screen that a person must deal with; the activity boundary turns it into ChallengeRequired. */
class ChallengeOnScreen extends Error {
  constructor(readonly challenge: Challenge) {
    super(`${challenge.kind}: ${challenge.detail}`);
  }
}

/** JPEG quality of step screenshots: text and category visuals stay legible for a VLM. */
const SCREENSHOT_QUALITY = 80;

/**
 * Runs `work` heartbeating all along (acting, dwelling, swiping, observing, writing), so only a
 * dead worker misses the heartbeat timeout, never a slow click.
 */
async function heartbeating<T>(work: () => Promise<T>): Promise<T> {
  const context = Context.current();
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), STEP_HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * One attempt acts on a session at a time: a retried attempt (its predecessor's heartbeats lost
 * with a Temporal restart, say) waits until the earlier one has finished with the page, then
 * finds its result (`lastStep`) instead of clicking again.
 */
async function actingAlone<T>(session: Session, work: () => Promise<T>): Promise<T> {
  const before = session.acting?.catch(() => undefined);
  const run = (async () => {
    await before;
    return work();
  })();
  session.acting = run;
  try {
    return await run;
  } finally {
    if (session.acting === run) session.acting = undefined;
  }
}

async function observeCurrent(session: Session, previousKey: string | undefined, screenshots: boolean): Promise<OnScreen> {
  let observed;
  try {
    observed = await session.adapter.observe(session.page, previousKey);
  } catch (error) {
    const challenge = await session.adapter.detectChallenge(session.page).catch(() => null);
    if (challenge) throw new ChallengeOnScreen(challenge);
    throw error;
  }
  const current: CurrentVideo = { ...observed, appearedAt: performance.now() - observed.onScreenMs };
  // Taken while the video plays (the step awaits it before swiping), so it costs no wall time.
  if (screenshots) current.screenshot = session.page.screenshot({ type: 'jpeg', quality: SCREENSHOT_QUALITY });
  session.current = current;
  return { videoKey: observed.key, observation: observed.observation };
}

/**
 * The session preflight, before an audit session starts and after a person says a challenge is
 * solved: a challenge on the page, or — on a real platform — a page that is not signed in, which
 * is a login wall for a person to sign in through the live view (the account's saved sign-in
 * expired or was never made).
 */
async function preflight(session: Session): Promise<Challenge | null> {
  const challenge = await session.adapter.detectChallenge(session.page);
  if (challenge || !isRealPlatform(session.platform)) return challenge;
  if (await session.adapter.isSignedIn(session.page, session.accountId)) return null;
  return { kind: 'login-wall', detail: `${session.platform} account ${session.accountId} is not signed in: sign in through the live view (or \`personaact account login ${session.platform} ${session.accountId}\`)` };
}

/** Keeps the account's cookies and local storage for its next session (on any worker). */
async function saveSession(deps: Pick<BrowserActivityDeps, 'store' | 'keyring'>, session: Session): Promise<void> {
  await saveStorageState(deps.store, deps.keyring, session.platform, session.accountId, await session.context.storageState());
}

export function sessionOf(pool: SessionPool, id: string): Session {
  try {
    return pool.get(id);
  } catch (error) {
    if (error instanceof SessionLost) throw ApplicationFailure.create({ type: FAILURE_TYPES.sessionLost, message: error.message, nonRetryable: true });
    throw error;
  }
}

/** The video the session shows, which must be the one the step is about; otherwise the session is lost to this step. */
export function currentVideoOf(session: Session, videoKey: string): CurrentVideo {
  const current = session.current;
  if (!current || current.key !== videoKey) {
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.sessionLost, nonRetryable: true,
      message: `session ${session.id} shows ${current?.key ?? 'nothing'}, not ${videoKey}`,
    });
  }
  return current;
}

/** The session's live view (from inside an activity); its Done button sends `update` to the workflow running the activity. */
export function liveViewOf(deps: Pick<BrowserActivityDeps, 'liveView' | 'sendHumanUpdate'>, session: Session, purpose: string, update: HumanUpdate): Promise<string> {
  const workflowId = Context.current().info.workflowExecution?.workflowId;
  const done = async () => {
    if (!workflowId) throw new Error('no workflow waits for this session');
    return deps.sendHumanUpdate(workflowId, update);
  };
  return deps.liveView.open(session.id, { purpose, page: session.page, done });
}

/** The step's record as measured when it swiped (written, with the writing attempt, once the store takes it). */
function stepRecord(input: StepInput, current: CurrentVideo, swiped: NonNullable<CurrentVideo['swiped']>): Omit<InteractionRecord, 'attempt'> {
  const { actions, executedDwellMs, endedAt } = swiped;
  const startedAt = new Date(endedAt.getTime() - executedDwellMs);
  return {
    schemaVersion: 1, auditId: input.auditId, phase: input.phase, index: input.index,
    observation: input.label ? withLabel(current.observation, input.label) : current.observation, decision: input.decision,
    ...(input.policyDecision ? { policyDecision: input.policyDecision } : {}),
    // Platform time: what the persona meant and what the platform saw.
    intendedDwellMs: input.decision.watchSeconds * 1000,
    executedDwellMs: executedDwellMs * input.timeScale,
    decisionLatencyMs: input.decisionLatencyMs,
    startedAt: startedAt.toISOString(), endedAt: endedAt.toISOString(),
    actionsPerformed: [...actions, 'swipe'],
    ...(current.screenshot ? { screenshotKey: screenshotKey(input.auditId, input.phase, input.index) } : {}),
  };
}

export function createBrowserActivities(deps: BrowserActivityDeps) {
  const { pool, store } = deps;

  /** The page shows a challenge: keep the session (and its page) open and tell the workflow where to see it. */
  const challengeFailure = async (session: Session, challenge: Challenge) => {
    const liveViewUrl = await liveViewOf(deps, session, `Solve the ${challenge.kind}, then press Done`, HUMAN_UPDATES.challengeResolved);
    const details: ChallengeDetails = { challenge, session: { sessionId: session.id, taskQueue: deps.taskQueue }, liveViewUrl };
    return ApplicationFailure.create({ type: FAILURE_TYPES.challengeRequired, message: `${challenge.kind}: ${challenge.detail}`, nonRetryable: true, details: [details] });
  };

  /** The step itself (envStep), alone on its session and heartbeating. */
  const step = async (session: Session, input: StepInput): Promise<StepResult> => {
    if (session.lastStep?.videoKey === input.videoKey) return session.lastStep.result as StepResult;
    // A swiped step whose write failed: write its record again, never act or swipe again.
    const unwritten = session.unwritten?.video.key === input.videoKey ? session.unwritten : undefined;
    const current = unwritten?.video ?? currentVideoOf(session, input.videoKey);
    if (!current.swiped) {
      const actions = await session.adapter.act(session.page, input.decision);
      const intendedDwellMs = (input.decision.watchSeconds * 1000) / input.timeScale;
      const leftMs = intendedDwellMs - (performance.now() - current.appearedAt);
      if (leftMs > 0) await sleep(leftMs, undefined, { signal: Context.current().cancellationSignal });
      await current.screenshot;
      await session.adapter.next(session.page);
      current.swiped = { actions, executedDwellMs: performance.now() - current.appearedAt, endedAt: new Date() };
    }
    const record = unwritten?.record ?? stepRecord(input, current, current.swiped);
    const pending = unwritten ?? { video: current, record };
    session.unwritten = pending;
    // The next video is observed while the record is written; the record is complete before any
    // failure leaves, so a challenge after the swipe means "step recorded, next one waits".
    const [observed, written] = await Promise.allSettled([
      pending.next ?? observeCurrent(session, current.key, input.screenshots),
      Promise.all([
        store.putJson(recordKey(input.auditId, input.phase, input.index), { ...record, attempt: Context.current().info.attempt }),
        current.screenshot?.then((jpeg) => store.put(screenshotKey(input.auditId, input.phase, input.index), jpeg, 'image/jpeg')),
      ]),
    ]);
    if (observed.status === 'fulfilled') pending.next = observed.value;
    // Retryable: the session keeps the record and the video now on screen for the next attempt.
    if (written.status === 'rejected') throw written.reason;
    session.unwritten = undefined;
    if (observed.status === 'rejected') {
      if (observed.reason instanceof ChallengeOnScreen) throw await challengeFailure(session, observed.reason.challenge);
      // The record is stored but the page shows no next video (the platform went away under it):
      // a page in that state does not recover, so the session is lost and the workflow starts a
      // fresh one at the next step instead of retrying the observe on this page.
      await pool.close(session.id);
      throw ApplicationFailure.create({ type: FAILURE_TYPES.sessionLost, nonRetryable: true, message: `session ${session.id} shows no next video: ${(observed.reason as Error).message}` });
    }
    const next = observed.value;
    const result: StepResult = { level1: record.observation.level1, intendedDwellMs: record.intendedDwellMs, executedDwellMs: record.executedDwellMs, next };
    session.lastStep = { videoKey: input.videoKey, result };
    return result;
  };

  return {
    /** env.reset: a signed-in page on this worker with a video on screen. */
    async acquireSession(input: AcquireSessionInput): Promise<SessionRef & { onScreen: OnScreen }> {
      const adapter = deps.adapterFor(input.platform);
      const { contextOptions, identity } = await accountContextOptions(store, deps.keyring, input.platform, input.accountId);
      if (input.country && identity?.country !== input.country) {
        const where = identity ? `lives in ${identity.country}` : 'has no country (no identity)';
        throw ApplicationFailure.create({
          type: ACCOUNT_COUNTRY_MISMATCH, nonRetryable: true,
          message: `${input.platform} account ${input.accountId} ${where}, but this audit runs in ${input.country}: add it with \`personaact account add ${input.platform} ${input.accountId} --country ${input.country}\``,
        });
      }
      let session: Session;
      try {
        session = await pool.open(input.platform, input.accountId, adapter, contextOptions);
      } catch (error) {
        // Full: let the retry find a worker with room.
        if (error instanceof SessionCapacityError) throw ApplicationFailure.create({ type: 'SessionCapacity', message: error.message });
        throw error;
      }
      try {
        await adapter.open(session.page, input.accountId, input.sandboxProfile ? { sandboxProfile: input.sandboxProfile } : {});
        const challenge = await preflight(session);
        if (challenge) throw new ChallengeOnScreen(challenge);
        // The account's cookies let another worker take over the same account after a crash.
        await saveSession(deps, session);
        const onScreen = await observeCurrent(session, undefined, input.screenshots);
        return { sessionId: session.id, taskQueue: deps.taskQueue, onScreen };
      } catch (error) {
        if (error instanceof ChallengeOnScreen) throw await challengeFailure(session, error.challenge);
        await pool.close(session.id);
        // Another profile for an existing account, an unknown profile: retrying cannot help.
        if (error instanceof SignInRefused) throw ApplicationFailure.create({ type: 'SignInRefused', message: error.message, nonRetryable: true });
        throw error;
      }
    },

    /**
     * env.step: act on the video on screen, let it play for what is left of the decided dwell
     * (decision latency already counts inside it), swipe, record the step, observe the next video.
     */
    async envStep(input: StepInput): Promise<StepResult> {
      const session = sessionOf(pool, input.sessionId);
      return heartbeating(() => actingAlone(session, () => step(session, input)));
    },

    /**
     * After a person says the challenge is solved: is it gone? Then the video now on screen
     * (a new one when the challenge came with a swipe) is where the audit goes on.
     */
    async checkChallenge(input: { sessionId: string; screenshots: boolean }): Promise<ChallengeCheck> {
      const session = sessionOf(pool, input.sessionId);
      const challenge = await preflight(session);
      if (challenge) return { challenge };
      // A person may have signed in again: that sign-in is the account's from now on.
      await saveSession(deps, session);
      // Solved: its live-view link dies now (a link left in a chat or a browser history must not
      // reach the account's page later); another challenge gets a new one.
      await deps.liveView.close(session.id);
      try {
        return { onScreen: await observeCurrent(session, session.current?.swiped ? session.current.key : undefined, input.screenshots) };
      } catch (error) {
        // Solved and straight away challenged again.
        if (error instanceof ChallengeOnScreen) return { challenge: error.challenge };
        throw error;
      }
    },

    /** Saves what the platform left in the browser (cookies, local storage) for the account's next session, then closes it. */
    async closeSession(input: { sessionId: string }): Promise<void> {
      await deps.liveView.close(input.sessionId);
      const session = pool.find(input.sessionId);
      // Best effort: the state saved when the session started stands if the store is down now;
      // a close must never wait out a storage outage (the audit awaits it as it ends).
      if (session && !session.page.isClosed()) {
        await saveSession(deps, session).catch((error: unknown) => Context.current().log.warn('could not save the account\'s browser state at close', { error: String(error) }));
      }
      await pool.close(input.sessionId);
    },
  };
}

export type BrowserActivities = ReturnType<typeof createBrowserActivities>;
