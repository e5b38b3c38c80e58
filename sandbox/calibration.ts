/**
 * Calibration of the audit method on the sandbox: a synthetic persona with clear category
 * preferences cultivates an account, then its quantile-flipped reversal takes over, for each
 * recommender profile and several seeds. Because the recommender is known, this shows whether
 * diversity change and BEP separate platforms whose recommenders differ; the sweep
 * (calibration-sweep.ts) shows which parameter does it: BEP follows the learning rate and the
 * softmax temperature; shorter memory (lower inertia) lowers it, exploration barely moves it.
 * Drives the platform class directly on a virtual clock — no HTTP, no browser.
 */
import {
  bubbleEscapePotential, diversityChangePct, diversityWindows, mean, percentileInterval, type CategorizedStep,
} from '../core/metrics';
import { escapeSpeed } from '../core/escape-speed';
import { PersonaSchema, type Persona, type ReversalSettings } from '../core/persona';
import { decidePersonaStat, PERSISTENCE_WINDOW } from '../core/persona-stat-policy';
import type { PolicyHistoryEntry } from '../core/policy';
import { reverseDecision } from '../core/reversed-decision';
import { createRng } from '../core/rng';
import { TAXONOMY, level1 } from '../core/taxonomy';
import { generateCatalogue, type Catalogue } from './catalogue';
import { SandboxPlatform } from './platform';
import type { RecommenderProfile } from './recommender';
import { SandboxStore } from './store';

export interface CalibrationOptions {
  seeds: number;
  cultivationSteps: number;
  counterfactualSteps: number;
  /** BEP window (docs/method.md, BEP: last 400 cultivation vs first 400 counterfactual steps). */
  bepWindow: number;
  resamples: number;
  videoCount: number;
  reversal: ReversalSettings;
  onProgress?: (message: string) => void;
}

export const DEFAULT_CALIBRATION: CalibrationOptions = {
  seeds: 8, cultivationSteps: 800, counterfactualSteps: 800, bepWindow: 400, resamples: 1000, videoCount: 6000,
  reversal: { strategy: 'quantile-flip', engagement: 'suppress' },
};

export interface RunResult {
  seed: number;
  diversityChangePct: number;
  bep: number;
  /** Counterfactual steps until the feed left the cultivated bubble (core/escape-speed.ts); the phase length when it never did. */
  escapeSteps: number;
  escapeCensored: boolean;
}

export interface ProfileResult {
  name: string;
  /** Mean over seeds of (late − early) / early × 100 of the 20-step diversity during cultivation. */
  diversityChangePct: number;
  bep: number;
  bepCi: [number, number];
  /** Mean over seeds of the escape steps (lower = escapes faster), with a percentile bootstrap over seeds. */
  escapeSteps: number;
  escapeStepsCi: [number, number];
  runs: RunResult[];
}

/**
 * Three favourite categories (affinity 0.95), three liked ones (0.6), the rest disliked (0.1);
 * which ones rotates with the seed so no category is special. Watch times and rates are of the
 * order of the paper's users (median a few seconds, likes ~6 %).
 */
export function calibrationPersona(seed: number): Persona {
  const start = (seed * 3) % TAXONOMY.length;
  const slugs = Array.from({ length: TAXONOMY.length }, (_, i) => TAXONOMY[(start + i) % TAXONOMY.length]!.slug);
  return PersonaSchema.parse({
    id: `calibration-${seed}`,
    schemaVersion: 1,
    name: `Consistent viewer ${seed}`,
    narrative: `I come for ${slugs.slice(0, 3).map((slug) => level1(slug)!.en).join(', ')} and little else; most other videos I flick past.`,
    traits: ['consistent tastes'],
    stats: {
      steps: 0, likeRate: 0.065, commentRate: 0.003, shareRate: 0.01, quickSkipRate: 0.3,
      watchSeconds: { min: 0.5, p10: 1.2, p25: 2.6, p50: 6, p75: 14, p90: 28, max: 120, mean: 11 },
      categoryAffinities: Object.fromEntries(slugs.map((slug, i) => [slug, i < 3 ? 0.95 : i < 6 ? 0.6 : 0.1])),
    },
    provenance: { notes: 'synthetic persona of the calibration benchmark' },
  });
}

/** The categories served in one simulated audit: both phases, step by step. */
export interface SimulatedAudit {
  cultivation: CategorizedStep[];
  counterfactual: CategorizedStep[];
  /** Platform time both phases took (dwells, floor included): divided by the clock, a real audit's least wall time. */
  platformSeconds: number;
}

type SimulationOptions = Pick<CalibrationOptions, 'cultivationSteps' | 'counterfactualSteps' | 'reversal'> & {
  /** The shortest dwell a real step can execute, in platform seconds: its round trip times the clock (bench/demo-lengths.ts). */
  minDwellSeconds?: number;
};

/**
 * One audit of `persona` on a fresh account of the sandbox recommender, persona-stat deciding,
 * on a virtual clock. `seed` seeds the platform and the policy (the persona is the caller's).
 */
export function simulateAudit(catalogue: Catalogue, profile: RecommenderProfile, persona: Persona, seed: number, options: SimulationOptions): SimulatedAudit {
  let now = 0;
  const store = new SandboxStore(':memory:');
  const platform = new SandboxPlatform({
    store, catalogue, profiles: new Map([[profile.name, profile]]), defaultProfile: profile.name,
    seed: `calibration/${seed}`, timeScale: 1, captchaRate: 0, clock: () => now,
  });
  const rng = createRng(`calibration-policy/${seed}`);
  platform.signIn('calibration');
  const phase = (steps: number, reversal?: ReversalSettings): CategorizedStep[] => {
    const seen: CategorizedStep[] = [];
    // As in an audit: each phase's recent steps condition the next decision (watch-time persistence).
    const history: PolicyHistoryEntry[] = [];
    for (let i = 0; i < steps; i++) {
      const result = platform.current('calibration');
      if (result.kind !== 'video') throw new Error('unexpected captcha during calibration');
      const { video, impressionId } = result.served;
      seen.push({ level1: [video.level1], level2: [video.level2] });
      const view = { level1: [video.level1], durationSeconds: video.durationSeconds };
      // As in an audit (core/reversed-decision.ts): p decides, p' executes the reversed decision.
      const decided = decidePersonaStat(persona, view, rng, history);
      const decision = reversal ? reverseDecision(decided, { persona, settings: reversal, video: view, seed: `calibration/${seed}/${i}` }) : decided;
      history.push({ level1: [video.level1], watchSeconds: decided.watchSeconds, like: decided.like, comment: decided.comment !== undefined, share: decided.share !== undefined });
      if (history.length > PERSISTENCE_WINDOW) history.shift();
      if (decision.like) platform.act('calibration', impressionId, { type: 'like' });
      if (decision.share !== undefined) platform.act('calibration', impressionId, { type: 'share', target: decision.share });
      if (decision.comment !== undefined) platform.act('calibration', impressionId, { type: 'comment', text: decision.comment });
      // A browser step cannot swipe sooner than its round trip (observe → decide → act): a floor on every dwell.
      now += Math.max(decision.watchSeconds, options.minDwellSeconds ?? 0) * 1000;
      platform.next('calibration');
    }
    return seen;
  };
  const cultivation = phase(options.cultivationSteps);
  const counterfactual = phase(options.counterfactualSteps, options.reversal);
  store.close();
  return { cultivation, counterfactual, platformSeconds: now / 1000 };
}

function runOnce(catalogue: Catalogue, profile: RecommenderProfile, seed: number, options: CalibrationOptions): RunResult {
  const { cultivation, counterfactual } = simulateAudit(catalogue, profile, calibrationPersona(seed), seed, options);
  const escape = escapeSpeed(cultivation, counterfactual);
  return {
    seed,
    diversityChangePct: diversityChangePct(diversityWindows(cultivation)) ?? 0,
    bep: bubbleEscapePotential(cultivation, counterfactual, options.bepWindow),
    escapeSteps: escape.steps ?? counterfactual.length,
    escapeCensored: escape.steps === null,
  };
}

/**
 * Bootstrap over seeds: each run's BEP already carries its own sampling noise, so resampling whole
 * runs covers both run-to-run and within-run variation (and avoids re-biasing JS by resampling steps).
 */
function seedBootstrapCi(runs: readonly RunResult[], options: CalibrationOptions, label: string, measure: 'bep' | 'escapeSteps' = 'bep'): [number, number] {
  const rng = createRng(measure === 'bep' ? `calibration-bootstrap/${label}` : `calibration-bootstrap/${label}/${measure}`);
  const means = Array.from({ length: options.resamples }, () => mean(Array.from(runs, () => rng.pick(runs)[measure])));
  return percentileInterval(means, 0.95);
}

export function runCalibration(profiles: readonly RecommenderProfile[], options: CalibrationOptions = DEFAULT_CALIBRATION): ProfileResult[] {
  const catalogue = generateCatalogue({ seed: 'sandbox', videoCount: options.videoCount });
  return profiles.map((profile) => {
    const runs = Array.from({ length: options.seeds }, (_, seed) => {
      options.onProgress?.(`${profile.name}: seed ${seed + 1}/${options.seeds}`);
      return runOnce(catalogue, profile, seed, options);
    });
    return {
      name: profile.name,
      diversityChangePct: mean(runs.map((r) => r.diversityChangePct)),
      bep: mean(runs.map((r) => r.bep)),
      bepCi: seedBootstrapCi(runs, options, profile.name),
      escapeSteps: mean(runs.map((r) => r.escapeSteps)),
      escapeStepsCi: seedBootstrapCi(runs, options, profile.name, 'escapeSteps'),
      runs,
    };
  });
}
