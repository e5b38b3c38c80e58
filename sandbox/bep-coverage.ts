/**
 * Does a single audit's BEP interval cover the process's true BEP? On the sandbox recommender (no
 * browser, virtual clock) one persona audits many fresh accounts, each run seeded apart. The true
 * BEP of the process is the JS divergence between the expected category distributions of the two
 * windows, estimated by pooling the windows' counts of many independent runs (pooling removes the
 * plug-in bias that a single window has). Each run is judged against the truth pooled from all
 * the other runs (leave one out), so its own steps never inform the value its interval must cover.
 */
import { bepBootstrapCi, categoryCounts, jsDivergence } from '../core/metrics';
import type { Persona, ReversalSettings } from '../core/persona';
import { generateCatalogue } from './catalogue';
import { calibrationPersona, simulateAudit } from './calibration';
import type { RecommenderProfile } from './recommender';

export interface CoverageOptions {
  /** Audits whose intervals are checked; each one's truth is pooled from the others. */
  runs: number;
  /** Steps per phase; the BEP window is the whole phase. */
  steps: number;
  resamples: number;
  confidence: number;
  persona?: Persona;
  reversal?: ReversalSettings;
  videoCount?: number;
  onProgress?: (message: string) => void;
}

export interface CoverageResult {
  /** Pooled over all runs (each run is checked against the pool without it). */
  trueBep: number;
  runs: number;
  covered: number;
  coverage: number;
  /** Misses: intervals wholly below the truth, and wholly above it. */
  intervalBelowTruth: number;
  intervalAboveTruth: number;
  meanWidth: number;
  meanBep: number;
  meanBiasCorrected: number;
  meanBlockLength: number;
}

const PROGRESS_EVERY = 25;

export function bepCoverage(profile: RecommenderProfile, options: CoverageOptions): CoverageResult {
  const catalogue = generateCatalogue({ seed: 'sandbox', videoCount: options.videoCount ?? 6000 });
  const persona = options.persona ?? calibrationPersona(0);
  const simulation = {
    cultivationSteps: options.steps, counterfactualSteps: options.steps,
    reversal: options.reversal ?? { strategy: 'quantile-flip', engagement: 'suppress' } as const,
  };
  const add = (into: Record<string, number>, counts: Record<string, number>, sign: 1 | -1) => {
    for (const [key, n] of Object.entries(counts)) into[key] = (into[key] ?? 0) + sign * n;
    return into;
  };
  const audits = Array.from({ length: options.runs }, (_, run) => {
    if (run % PROGRESS_EVERY === 0) options.onProgress?.(`run ${run + 1}/${options.runs}`);
    const audit = simulateAudit(catalogue, profile, persona, run, simulation);
    return { ...audit, before: categoryCounts(audit.cultivation), after: categoryCounts(audit.counterfactual) };
  });
  const pooledBefore = audits.reduce<Record<string, number>>((into, audit) => add(into, audit.before, 1), {});
  const pooledAfter = audits.reduce<Record<string, number>>((into, audit) => add(into, audit.after, 1), {});

  let covered = 0;
  let intervalBelowTruth = 0;
  let intervalAboveTruth = 0;
  const sums = { width: 0, bep: 0, biasCorrected: 0, block: 0 };
  audits.forEach((audit, run) => {
    const truth = jsDivergence(add({ ...pooledBefore }, audit.before, -1), add({ ...pooledAfter }, audit.after, -1));
    const result = bepBootstrapCi(audit.cultivation, audit.counterfactual, {
      window: options.steps, resamples: options.resamples, confidence: options.confidence, seed: `coverage/${run}`,
    });
    const [low, high] = result.ci;
    if (truth < low) intervalAboveTruth++;
    else if (truth > high) intervalBelowTruth++;
    else covered++;
    sums.width += high - low;
    sums.bep += result.bep;
    sums.biasCorrected += result.biasCorrected;
    sums.block += (result.blockLength.cultivation + result.blockLength.counterfactual) / 2;
  });
  const n = options.runs;
  return {
    trueBep: jsDivergence(pooledBefore, pooledAfter), runs: n, covered, coverage: covered / n, intervalBelowTruth, intervalAboveTruth,
    meanWidth: sums.width / n, meanBep: sums.bep / n, meanBiasCorrected: sums.biasCorrected / n, meanBlockLength: sums.block / n,
  };
}
