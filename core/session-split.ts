/**
 * The held-out split of one user's log (docs/method.md, the split): by session, never by step, so no session
 * leaks from the fit data into the evaluation. Sessions in time order; the last sessions holding
 * at least 10 % of the steps are the test set; the sessions before them holding at least 10 % are
 * the validation set; the rest is training data. Baselines and personas are fit on train +
 * validation (everything before the test set); a trainer tunes on validation.
 *
 * Edge cases: fewer than two sessions, or a last stretch of sessions that cannot reach 10 %
 * without swallowing every session, is an error (nothing would be left to fit on). When the
 * sessions before the test set cannot give 10 % to validation and still leave one session for
 * training, validation is empty. A session id that turns up again after another session is an
 * error: its steps would straddle the cut.
 */
import { sessionsOf, type LogSession, type LogStep } from './behaviour-log';

/** Share of a user's steps each held-out part holds at least. */
export const HELD_OUT_FRACTION = 0.1;

export interface SessionSplit {
  readonly train: LogStep[];
  readonly validation: LogStep[];
  readonly test: LogStep[];
}

export class SessionSplitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionSplitError';
  }
}

/** Sessions ordered by their first step's time (stable: equal times keep log order). */
function sessionsInTimeOrder(steps: readonly LogStep[]): LogSession[] {
  const sessions = sessionsOf(steps);
  const seen = new Set<string>();
  for (const { sessionId } of sessions) {
    if (seen.has(sessionId)) throw new SessionSplitError(`session "${sessionId}" appears in two places in the log; a session's steps must be consecutive`);
    seen.add(sessionId);
  }
  const start = (s: LogSession) => Date.parse((s.steps[0] as LogStep).time);
  return sessions.map((s, i) => ({ s, i })).sort((x, y) => start(x.s) - start(y.s) || x.i - y.i).map(({ s }) => s);
}

/** How many sessions from the end of `sessions` it takes to hold at least `needed` steps (all of them if never). */
function sessionsFromEndHolding(sessions: readonly LogSession[], needed: number): number {
  let held = 0;
  for (let count = 1; count <= sessions.length; count++) {
    held += (sessions[sessions.length - count] as LogSession).steps.length;
    if (held >= needed) return count;
  }
  return sessions.length;
}

const stepsOf = (sessions: readonly LogSession[]): LogStep[] => sessions.flatMap((s) => s.steps);

export function splitBySession(steps: readonly LogStep[]): SessionSplit {
  const sessions = sessionsInTimeOrder(steps);
  if (sessions.length < 2) {
    throw new SessionSplitError(
      `a session split needs at least 2 sessions (test and fit data never share a session); the log has ${sessions.length}`,
    );
  }
  const needed = Math.ceil(HELD_OUT_FRACTION * steps.length);
  const testCount = sessionsFromEndHolding(sessions, needed);
  if (testCount === sessions.length) {
    throw new SessionSplitError(
      `the last sessions cannot hold ${HELD_OUT_FRACTION * 100} % of the ${steps.length} steps without taking every session: ` +
        `the first session "${sessions[0]?.sessionId}" holds ${sessions[0]?.steps.length} steps, too many to fit on nothing else`,
    );
  }
  const beforeTest = sessions.slice(0, sessions.length - testCount);
  const validationCount = sessionsFromEndHolding(beforeTest, needed);
  // Validation must leave at least one session to train on; otherwise it is empty.
  const validationSessions = validationCount < beforeTest.length ? validationCount : 0;
  return {
    train: stepsOf(beforeTest.slice(0, beforeTest.length - validationSessions)),
    validation: stepsOf(beforeTest.slice(beforeTest.length - validationSessions)),
    test: stepsOf(sessions.slice(sessions.length - testCount)),
  };
}

/** Train + validation: everything before the test set, what baselines and personas are fit on. */
export const fitSteps = (split: SessionSplit): LogStep[] => [...split.train, ...split.validation];

/** The distinct session ids of `steps`, in order. */
export const sessionIdsOf = (steps: readonly LogStep[]): string[] => [...new Set(steps.map((s) => s.sessionId))];
