/**
 * Does a single audit's BEP interval cover the process's true BEP? On the sandbox recommender (no
 * browser, virtual clock) one persona audits many fresh accounts, each run seeded apart. The true
 * BEP of the process is the JS divergence between the expected category distributions of the two
 * windows, estimated by pooling the windows' counts of many further independent runs (pooling
 * removes the plug-in bias that a single window has). Each audit's own interval
 * (bepBootstrapCi) either covers that value or not.
 */
import { bepBootstrapCi, categoryCounts, jsDivergence } from '../core/metrics';
import type { Persona, ReversalSettings } from '../core/persona';
import { generateCatalogue } from './catalogue';
import { calibrationPersona, simulateAudit } from './calibration';
import type { RecommenderProfile } from './recommender';

export interface CoverageOptions {
  /** Audits whose intervals are checked. */
  runs: number;
  /** Further independent audits whose pooled windows estimate the truth. */
  truthRuns: number;
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

/** Seeds of the truth runs start here, so they never repeat a checked run's. */
const TRUTH_SEED_OFFSET = 1_000_000;
const PROGRESS_EVERY = 25;

export function bepCoverage(profile: RecommenderProfile, options: CoverageOptions): CoverageResult {
  const catalogue = generateCatalogue({ seed: 'sandbox', videoCount: options.videoCount ?? 6000 });
  const persona = options.persona ?? calibrationPersona(0);
  const simulation = {
    cultivationSteps: options.steps, counterfactualSteps: options.steps,
    reversal: options.reversal ?? { strategy: 'quantile-flip', engagement: 'suppress' } as const,
  };
  const pooledBefore: Record<string, number> = {};
  const pooledAfter: Record<string, number> = {};
  const pool = (into: Record<string, number>, counts: Record<string, number>) => {
    for (const [key, n] of Object.entries(counts)) into[key] = (into[key] ?? 0) + n;
  };
  for (let run = 0; run < options.truthRuns; run++) {
    if (run % PROGRESS_EVERY === 0) options.onProgress?.(`truth: run ${run + 1}/${options.truthRuns}`);
    const audit = simulateAudit(catalogue, profile, persona, TRUTH_SEED_OFFSET + run, simulation);
    pool(pooledBefore, categoryCounts(audit.cultivation));
    pool(pooledAfter, categoryCounts(audit.counterfactual));
  }
  const trueBep = jsDivergence(pooledBefore, pooledAfter);

  let covered = 0;
  let intervalBelowTruth = 0;
  let intervalAboveTruth = 0;
  const sums = { width: 0, bep: 0, biasCorrected: 0, block: 0 };
  for (let run = 0; run < options.runs; run++) {
    if (run % PROGRESS_EVERY === 0) options.onProgress?.(`intervals: run ${run + 1}/${options.runs}`);
    const audit = simulateAudit(catalogue, profile, persona, run, simulation);
    const result = bepBootstrapCi(audit.cultivation, audit.counterfactual, {
      window: options.steps, resamples: options.resamples, confidence: options.confidence, seed: `coverage/${run}`,
    });
    const [low, high] = result.ci;
    if (trueBep < low) intervalAboveTruth++;
    else if (trueBep > high) intervalBelowTruth++;
    else covered++;
    sums.width += high - low;
    sums.bep += result.bep;
    sums.biasCorrected += result.biasCorrected;
    sums.block += (result.blockLength.cultivation + result.blockLength.counterfactual) / 2;
  }
  const n = options.runs;
  return {
    trueBep, runs: n, covered, coverage: covered / n, intervalBelowTruth, intervalAboveTruth,
    meanWidth: sums.width / n, meanBep: sums.bep / n, meanBiasCorrected: sums.biasCorrected / n, meanBlockLength: sums.block / n,
  };
}
