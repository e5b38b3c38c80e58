/**
 * npm run bench:persistence [-- DIR...]
 * Measures how watch behaviour persists within sessions of the paper's users (default: users a
 * and b): each step's watch time as its quantile rank within the user's log, as a normal score;
 * autocorrelations at lags 1..20 within sessions; their mean is the variance share of a slowly
 * moving level (ρ). Beside them, the dependence persona-stat fits per persona (lag 1, level of the
 * window, residual sd: core/watch-dependence.ts), overall and per platform.
 */
import { importLogs } from '../behaviour-logs/import-logs';
import { sessionsOf, type BehaviourLog } from '../core/behaviour-log';
import { pearson } from '../core/fidelity-metrics';
import { normalQuantile } from '../core/normal';
import { PERSISTENCE_WINDOW } from '../core/persona-stat-policy';
import { extractFeatures } from '../core/persona-features';

const DEFAULT_USERS = ['data/personaact/raw_data/a', 'data/personaact/raw_data/b'];
/** Keeps Φ⁻¹ finite at the lowest and highest ranks. */
const RANK_CLAMP = 1e-4;

/** Per session, the quantile ranks (mid-rank / n) of its watch times within the whole log. */
function sessionRanks(log: BehaviourLog): number[][] {
  const sorted = log.steps.map((s) => s.watchSeconds).sort((a, b) => a - b);
  const n = sorted.length;
  const midRank = (t: number) => {
    const below = sorted.findIndex((x) => x >= t);
    const through = sorted.findLastIndex((x) => x <= t) + 1;
    return (below + through) / 2 / n;
  };
  return sessionsOf(log.steps).map((session) => session.steps.map((s) => midRank(s.watchSeconds)));
}

const normalScore = (rank: number) => normalQuantile(Math.min(1 - RANK_CLAMP, Math.max(RANK_CLAMP, rank)));

/** Pairs (x[i − lag], x[i]) within each session. */
function lagPairs(sessions: number[][], lag: number): [number[], number[]] {
  const earlier: number[] = [];
  const later: number[] = [];
  for (const z of sessions) for (let i = lag; i < z.length; i++) { earlier.push(z[i - lag]!); later.push(z[i]!); }
  return [earlier, later];
}

/** Pairs (mean of up to `window` earlier steps, this step) within each session. */
function levelPairs(sessions: number[][], window: number): [number[], number[]] {
  const level: number[] = [];
  const next: number[] = [];
  for (const z of sessions) {
    for (let i = 1; i < z.length; i++) {
      const recent = z.slice(Math.max(0, i - window), i);
      level.push(recent.reduce((s, x) => s + x, 0) / recent.length);
      next.push(z[i]!);
    }
  }
  return [level, next];
}

const lags = Array.from({ length: PERSISTENCE_WINDOW }, (_, i) => i + 1);
const fmt = (x: number | null) => (x === null ? '  n/a' : x.toFixed(3).padStart(6));

const dirs = process.argv.slice(2).filter((a) => a !== '--');
const all: number[][] = [];
for (const dir of dirs.length > 0 ? dirs : DEFAULT_USERS) {
  const log = await importLogs([dir]);
  const ranks = sessionRanks(log);
  const sessions = ranks.map((z) => z.map(normalScore));
  all.push(...sessions);
  const acf = lags.map((lag) => pearson(...lagPairs(sessions, lag)) ?? 0);
  const rho = acf.reduce((s, x) => s + x, 0) / acf.length;
  process.stdout.write(`user ${log.user}: ${log.steps.length} steps in ${sessions.length} sessions\n`);
  process.stdout.write(`  lag-1 autocorrelation: of quantile ranks ${fmt(pearson(...lagPairs(ranks, 1)))}, of normal scores ${fmt(acf[0]!)}\n`);
  process.stdout.write(`  normal scores, lags 1..${PERSISTENCE_WINDOW}: ${acf.map((x) => x.toFixed(3)).join(' ')}\n`);
  process.stdout.write(`  mean over lags 1..${PERSISTENCE_WINDOW} (ρ) ${fmt(rho)}   corr(next, mean of last 10) ${fmt(pearson(...levelPairs(sessions, 10)))}   of last 20 ${fmt(pearson(...levelPairs(sessions, 20)))}\n`);
  const features = extractFeatures(log);
  process.stdout.write(`  fitted dependence: ${JSON.stringify(features.dependence)}\n`);
  for (const [platform, own] of Object.entries(features.perPlatform ?? {})) process.stdout.write(`    ${platform}: ${own.steps} steps, ${JSON.stringify(own.dependence ?? 'too few pairs: the overall one')}\n`);
}
const pooled = lags.map((lag) => pearson(...lagPairs(all, lag)) ?? 0);
process.stdout.write(`pooled: lag-1 ${fmt(pooled[0]!)}   ρ (mean over lags 1..${PERSISTENCE_WINDOW}) ${fmt(pooled.reduce((s, x) => s + x, 0) / pooled.length)}\n`);
