/**
 * Behaviour logs of users the project has never seen, with known structure, so persona-stat's
 * fidelity goals are checked on more than the paper's users a and b (no tuning to two people).
 * Each step's watch-time quantile is Φ(z) of a Gaussian AR(1) score z (lag1 = φ) mapped through
 * the user's own quantile function; likes follow a fixed rate. Seeded: the same spec, the same log.
 */
import type { BehaviourLog, LogStep } from '../../core/behaviour-log';
import { normalCdf, normalQuantile } from '../../core/normal';
import { createRng } from '../../core/rng';

export interface SyntheticUserSpec {
  readonly user: string;
  readonly sessions: number;
  readonly stepsPerSession: number;
  /** Step-to-step correlation of the normal scores within a session. */
  readonly lag1: number;
  /** The user's watch-time quantile function. */
  readonly quantile: (u: number) => number;
  readonly likeRate: number;
  readonly platform?: string;
}

const clamp = (u: number) => Math.min(1 - 1e-6, Math.max(1e-6, u));

export function syntheticLog(spec: SyntheticUserSpec): BehaviourLog {
  const rng = createRng(`synthetic/${spec.user}`);
  const steps: LogStep[] = [];
  let time = Date.UTC(2025, 0, 1, 18);
  for (let session = 0; session < spec.sessions; session++) {
    let z = normalQuantile(clamp(rng.next()));
    for (let i = 0; i < spec.stepsPerSession; i++) {
      if (i > 0) z = spec.lag1 * z + Math.sqrt(1 - spec.lag1 ** 2) * normalQuantile(clamp(rng.next()));
      const watchSeconds = Math.round(spec.quantile(normalCdf(z)) * 100) / 100;
      time += watchSeconds * 1000 + 500;
      steps.push({
        sessionId: `${spec.user}-${session}`, time: new Date(time).toISOString(), platform: spec.platform ?? 'douyin', watchSeconds,
        actions: rng.chance(spec.likeRate) ? [{ type: 'like' }] : [],
      });
    }
    time += 86_400_000;
  }
  return { schemaVersion: 1, user: spec.user, sources: [`synthetic:${spec.user}`], steps };
}

/** Lognormal watch times (median m seconds, log-sd s). */
const lognormal = (median: number, sd: number) => (u: number) => median * Math.exp(sd * normalQuantile(clamp(u)));
/** Pareto watch times from `scale` seconds with tail index α (α near 1: a very heavy tail), capped at 20 minutes. */
const pareto = (scale: number, alpha: number) => (u: number) => Math.min(1200, scale * (1 - clamp(u)) ** (-1 / alpha));

/** Users with known structure: streaks as strong as in the paper's most streaky user, very strong streaks, a heavy tail, neither. */
export const SYNTHETIC_USERS: readonly SyntheticUserSpec[] = [
  { user: 'streaky', sessions: 20, stepsPerSession: 80, lag1: 0.4, quantile: lognormal(6, 1), likeRate: 0.05 },
  { user: 'very-streaky', sessions: 20, stepsPerSession: 80, lag1: 0.7, quantile: lognormal(10, 1.2), likeRate: 0.05 },
  { user: 'heavy-tailed', sessions: 20, stepsPerSession: 80, lag1: 0.1, quantile: pareto(1.5, 1.1), likeRate: 0.08 },
  { user: 'independent', sessions: 20, stepsPerSession: 80, lag1: 0, quantile: lognormal(8, 0.8), likeRate: 0.03 },
];
