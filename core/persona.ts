/** The persona document: narrative and traits from the interview, statistics from the logs. */
import { z } from 'zod';
import { RateSchema, SlugSchema, unknownLevel1Message } from './primitives';
import { isLevel1 } from './taxonomy';

/** The watch-time quantiles a persona stores, with the probability level each one stands for. */
export const WATCH_QUANTILES = [
  ['min', 0],
  ['p10', 0.1],
  ['p25', 0.25],
  ['p50', 0.5],
  ['p75', 0.75],
  ['p90', 0.9],
  ['max', 1],
] as const;

/**
 * How many evenly spaced watch-time quantiles (levels 0, 1/100, …, 1) a persona built from logs
 * also stores: the seven named ones alone, joined by straight lines, fatten the tail (user a:
 * mean 11.7 s against 7.8 s logged). Optional, so hand-written personas stay valid.
 */
export const WATCH_PERCENTILE_COUNT = 101;

const seconds = z.number().nonnegative();

export const WatchSecondsSchema = z
  .object({
    min: seconds, p10: seconds, p25: seconds, p50: seconds, p75: seconds, p90: seconds, max: seconds, mean: seconds,
    /** Quantiles at levels i / 100, i = 0…100 (numpy's linear interpolation); Q and F use them when present. */
    percentiles: z.array(seconds).length(WATCH_PERCENTILE_COUNT).optional(),
  })
  .superRefine((ws, ctx) => {
    ws.percentiles?.forEach((value, i) => {
      const below = ws.percentiles?.[i - 1];
      if (below !== undefined && value < below) {
        ctx.addIssue({ code: 'custom', path: ['percentiles', i], message: `percentile ${i} (${value}) is below percentile ${i - 1} (${below}): quantiles must be non-decreasing` });
      }
    });
    for (let i = 1; i < WATCH_QUANTILES.length; i++) {
      const [below] = WATCH_QUANTILES[i - 1] as (typeof WATCH_QUANTILES)[number];
      const [key] = WATCH_QUANTILES[i] as (typeof WATCH_QUANTILES)[number];
      if (ws[key] < ws[below]) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} (${ws[key]}) is below ${below} (${ws[below]}): quantiles must be non-decreasing from min to max`,
        });
      }
    }
    if (ws.mean < ws.min || ws.mean > ws.max) {
      ctx.addIssue({ code: 'custom', path: ['mean'], message: `mean (${ws.mean}) lies outside [min, max] = [${ws.min}, ${ws.max}]` });
    }
  });

/** How strongly the persona is drawn to each level-1 category; categories left out are unknown. */
export const CategoryAffinitiesSchema = z.record(z.string(), RateSchema).superRefine((affinities, ctx) => {
  for (const key of Object.keys(affinities)) {
    if (!isLevel1(key)) ctx.addIssue({ code: 'custom', path: [key], message: unknownLevel1Message(key) });
  }
});

/**
 * Step-to-step dependence of watch times within a session, fitted on the persona's own logs
 * (core/watch-dependence.ts): with z the normal score of a step's watch-time quantile, the next
 * step's z = lag1·(last z) + level·(mean of the earlier z in the window) + residualSd·ε.
 */
export const WatchDependenceSchema = z.object({
  lag1: z.number().min(-1).max(1),
  level: z.number().min(-1).max(1),
  residualSd: z.number().positive().max(1),
  /** (history, next step) pairs the fit used. */
  pairs: z.number().int().nonnegative(),
});

/** The statistics of one platform's steps, kept when the logs cover several platforms. */
export const PlatformStatsSchema = z.object({
  steps: z.number().int().nonnegative(),
  sessions: z.number().int().nonnegative(),
  likeRate: RateSchema,
  commentRate: RateSchema,
  shareRate: RateSchema,
  quickSkipRate: RateSchema,
  watchSeconds: WatchSecondsSchema,
  /** Absent when the platform's sessions are too few to fit it: the persona's overall dependence applies. */
  dependence: WatchDependenceSchema.optional(),
});

export const PersonaStatsSchema = z.object({
  /** Logged interactions the statistics were computed from. */
  steps: z.number().int().nonnegative(),
  likeRate: RateSchema,
  commentRate: RateSchema,
  shareRate: RateSchema,
  /** Share of videos left within 3 s. */
  quickSkipRate: RateSchema,
  watchSeconds: WatchSecondsSchema,
  categoryAffinities: CategoryAffinitiesSchema,
  /** Absent in older personas: their steps are then drawn independently. */
  dependence: WatchDependenceSchema.optional(),
  /** Per platform (normalised names, core/log-platform.ts), only when the logs cover more than one. */
  platforms: z.record(z.string().min(1), PlatformStatsSchema).optional(),
});

/** Where a persona came from; every field optional so hand-written personas stay valid. */
export const PersonaProvenanceSchema = z.looseObject({
  sources: z.array(z.string()).optional(),
  notes: z.string().optional(),
  /** The behaviour-log files the statistics were computed from. */
  logs: z.array(z.string()).optional(),
  /**
   * The sessions the statistics were computed from, with their step counts: what the leakage guard
   * of `dataset build` / `train start` checks against the held-out sessions.
   */
  sessions: z.array(z.object({ id: z.string().min(1), steps: z.number().int().positive() })).optional(),
  /** The interview the narrative and traits draw on (the transcript itself is stored with the interview). */
  interview: z
    .object({ interviewId: z.string().min(1), interviewer: z.string().min(1), turns: z.number().int().nonnegative() })
    .optional(),
  /** Who wrote the narrative and traits: "template" (deterministic synthesis) or the chat model's name. */
  model: z.string().min(1).optional(),
});

export const ReversalStrategySchema = z.enum(['quantile-flip', 'linear-30']);
export const EngagementModeSchema = z.enum(['suppress', 'invert']);
/**
 * Where the reversal acts in the counterfactual phase. 'output' (the released code): the policy
 * decides as p and its decision is reversed (core/reversed-decision.ts), for every policy alike.
 * 'prompt-only': the policy is given p' (a model its prompt, persona-stat its statistics) and its
 * decision is executed as it is.
 */
export const ReversalApplySchema = z.enum(['output', 'prompt-only']);

/** How p' is derived from p; the defaults are the paper's. */
export const ReversalSettingsSchema = z.object({
  strategy: ReversalStrategySchema.default('quantile-flip'),
  engagement: EngagementModeSchema.default('suppress'),
  /** Absent means 'output' (optional rather than defaulted so settings written before it, and literals, stay valid). */
  apply: ReversalApplySchema.optional(),
});

export const PersonaSchema = z.object({
  id: SlugSchema,
  schemaVersion: z.literal(1),
  name: z.string().min(1),
  /** First-person description ("I watch …"), the part of the prompt the interview produced. */
  narrative: z.string().min(1),
  /** Key traits: named (the paper's key_traits object) or a plain list. */
  traits: z.union([z.record(z.string(), z.string()), z.array(z.string().min(1))]),
  stats: PersonaStatsSchema,
  /** Set only on a counterfactual persona p': which persona it reverses, and how. */
  reversal: z.object({ of: SlugSchema, strategy: ReversalStrategySchema, engagement: EngagementModeSchema }).optional(),
  provenance: PersonaProvenanceSchema.default({}),
});

export type WatchSeconds = z.output<typeof WatchSecondsSchema>;
export type WatchDependence = z.output<typeof WatchDependenceSchema>;
export type PlatformStats = z.output<typeof PlatformStatsSchema>;
export type PersonaStats = z.output<typeof PersonaStatsSchema>;
export type ReversalStrategy = z.output<typeof ReversalStrategySchema>;
export type EngagementMode = z.output<typeof EngagementModeSchema>;
export type ReversalApply = z.output<typeof ReversalApplySchema>;
export type ReversalSettings = z.output<typeof ReversalSettingsSchema>;
export type PersonaProvenance = z.output<typeof PersonaProvenanceSchema>;
export type Persona = z.output<typeof PersonaSchema>;
export type PersonaInput = z.input<typeof PersonaSchema>;
