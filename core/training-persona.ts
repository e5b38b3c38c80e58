/**
 * The persona a training dataset is conditioned on, without leakage (issue 11): a persona built
 * from all of a user's steps carries statistics of the test sessions into every prompt, and the
 * trained model's test metrics come out optimistic. So `dataset build` and `train start --logs`
 * build the persona from the training sessions only when none is given, and refuse a given
 * persona whose provenance says it has seen a test session (or does not say which sessions it saw).
 */
import type { BehaviourLog } from './behaviour-log';
import type { Persona } from './persona';
import { extractFeatures } from './persona-features';
import { synthesizePersona } from './persona-synthesis';
import { sessionIdsOf, splitBySession, type SessionSplit } from './session-split';

/** "user-<user>", as a slug: the id of a persona built for a dataset. */
export function trainingPersonaId(user: string): string {
  const slug = user.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `user-${slug || 'unnamed'}`;
}

/** The template persona of the log's training sessions (core/session-split.ts), nothing later. */
export function trainingPersona(log: BehaviourLog): Persona {
  const trainLog: BehaviourLog = { ...log, steps: splitBySession(log.steps).train };
  return synthesizePersona({
    id: trainingPersonaId(log.user), name: `User ${log.user}`, log: trainLog, features: extractFeatures(trainLog), sources: log.sources,
  });
}

/**
 * Why `persona` may not condition samples of this user's split, or undefined when it may: its
 * provenance lists a test session, or it was built from logs without recording which sessions.
 * A persona with no log provenance at all (written by hand) has no statistics of the logs to leak.
 */
export function heldOutLeak(persona: Persona, user: string, split: SessionSplit): string | undefined {
  const { sessions, logs } = persona.provenance;
  if (sessions === undefined) {
    if (logs === undefined || logs.length === 0) return undefined;
    return `persona "${persona.id}" was built from logs (${logs.length} file(s)) but its provenance does not record which sessions: ` +
      'it may have seen the test sessions. Rebuild it with `personaact persona build`, or leave --persona out to build one from the training sessions';
  }
  const seen = new Set(sessions.map((s) => s.id));
  const leaked = sessionIdsOf(split.test).filter((id) => seen.has(id));
  if (leaked.length === 0) return undefined;
  return `persona "${persona.id}" was built from ${leaked.length} test session(s) of user "${user}" (${leaked.slice(0, 3).join(', ')}${leaked.length > 3 ? ', …' : ''}): ` +
    'its statistics would leak the held-out steps into the prompts. Leave --persona out to build one from the training sessions, ' +
    'or build it from logs without the test sessions';
}
