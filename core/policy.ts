/**
 * The policy seam: what every agent (persona-stat, an OpenAI-compatible model server, a SageMaker
 * endpoint) is given and what it returns. The audit workflow and the offline fidelity evaluation
 * both drive policies through this one interface, so an agent is measured exactly as it audits.
 */
import type { Decision } from './decision';
import type { Persona, ReversalSettings } from './persona';

/** What a policy knows about the video in front of it. An audit's Observation satisfies it; a log step fills what it has. */
export interface PolicyVideo {
  readonly platform: string;
  readonly title: string;
  readonly creator: string;
  /** Empty when the category is unknown. */
  readonly level1: readonly string[];
  /** Undefined when unknown (the paper's logs do not record video length). */
  readonly durationSeconds?: number;
  readonly tags?: readonly string[];
}

/** One earlier step, most recent last: people skip in streaks, so recent behaviour conditions the next decision. */
export interface PolicyHistoryEntry {
  readonly level1: readonly string[];
  readonly title?: string;
  readonly watchSeconds: number;
  readonly like: boolean;
  readonly comment: boolean;
  readonly share: boolean;
}

export interface PolicyImage {
  readonly mimeType: 'image/jpeg' | 'image/png';
  readonly base64: string;
}

export interface PolicyContext {
  readonly persona: Persona;
  readonly video: PolicyVideo;
  readonly history: readonly PolicyHistoryEntry[];
  /** The current frame, when there is one (audits with screenshots; datasets with frames). */
  readonly screenshot?: PolicyImage;
  /** Set in the counterfactual phase: act as p', the reversal of `persona`. */
  readonly reversal?: ReversalSettings;
  /** Seeds stochastic policies per step, so a retried or replayed step decides the same. */
  readonly seed: string;
  /** Aborts a model call (activity cancellation); policies without a model ignore it. */
  readonly signal?: AbortSignal;
}

/** The raw exchange with a model, stored beside the interaction record for audit trails. */
export interface PolicyExchange {
  readonly request: unknown;
  readonly response: unknown;
  readonly attempt: number;
  readonly error?: string;
}

export interface PolicyOutcome {
  readonly decision: Decision;
  /** Every attempt at a model call, in order (empty for policies without a model). */
  readonly exchanges: readonly PolicyExchange[];
}

export interface Policy {
  readonly name: string;
  decide(context: PolicyContext): Promise<PolicyOutcome>;
}
