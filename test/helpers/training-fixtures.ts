/** Small inputs for the training tests: a synthetic behaviour log, the example persona, the stand-in trainer. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BehaviourLog, LogStep } from '../../core/behaviour-log';
import { PersonaSchema, type Persona } from '../../core/persona';

export const FAKE_TRAINER = fileURLToPath(new URL('../training/fake-trainer.mjs', import.meta.url));
/** The stand-in's command line, in place of [python, -m, personaact_trainer]. */
export const FAKE_TRAINER_COMMAND = [process.execPath, FAKE_TRAINER];

export const examplePersona = (user: 'a' | 'b' = 'a'): Persona =>
  PersonaSchema.parse(JSON.parse(readFileSync(new URL(`../../examples/personas/user-${user}.json`, import.meta.url), 'utf8')));

/** `sessions` sessions of `stepsPerSession` steps, an hour apart; every third step liked, one shared. */
export function syntheticLog(user: string, sessions: number, stepsPerSession: number): BehaviourLog {
  const steps: LogStep[] = [];
  for (let s = 0; s < sessions; s++) {
    for (let i = 0; i < stepsPerSession; i++) {
      const n = s * stepsPerSession + i;
      steps.push({
        sessionId: `s${s}`, time: new Date(Date.UTC(2025, 10, 25, s, 0, i * 10)).toISOString(), platform: 'douyin',
        watchSeconds: 1 + (n % 7) * 2.5, actions: [
          ...(n % 3 === 0 ? [{ type: 'like' as const }] : []),
          ...(n === 4 ? [{ type: 'share' as const, text: 'friend' }] : []),
        ],
        title: `video ${n}`,
      });
    }
  }
  return { schemaVersion: 1, user, sources: ['synthetic'], steps };
}
