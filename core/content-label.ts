/**
 * Where a video's category came from, and how sure it is: the sandbox's true category, the
 * platform's own category or tags, or the zero-shot title classifier (activities/labels/). Pure:
 * the workflow decides with it whether an item still needs the classifier, and the classifier's
 * scores become a label here (threshold, confidence) so the rule is unit-tested without Python.
 */
import { z } from 'zod';
import { Level1SlugSchema } from './primitives';
import { TAXONOMY } from './taxonomy';
import { level2Label } from './label-prototypes';

export const LABEL_SOURCES = ['sandbox', 'platform', 'classifier'] as const;
export const LabelSourceSchema = z.enum(LABEL_SOURCES);
export type LabelSource = z.output<typeof LabelSourceSchema>;

export const ContentLabelSchema = z.object({
  source: LabelSourceSchema,
  /** The primary level-1 category; absent when the classifier was not sure enough ("other"). */
  level1: Level1SlugSchema.optional(),
  /** A level-2 slug under `level1`, where the source gives one. */
  level2: z.string().min(1).optional(),
  /** 1 for the sandbox and the platform; the classifier's softmax share of the top category. */
  confidence: z.number().min(0).max(1),
});
export type ContentLabel = z.output<typeof ContentLabelSchema>;

/** How classifier scores (cosine similarities) become a label. */
export interface LabelSettings {
  /** Softmax temperature over the level-1 scores: e5 cosines sit close together, so it is small. */
  temperature: number;
  /** Below this confidence the label is "other" (no level-1 category). */
  threshold: number;
}

/** Chosen on data/labels/calibration.jsonl, never on the test titles (docs/labels.md). */
export const DEFAULT_LABEL_SETTINGS: LabelSettings = { temperature: 0.01, threshold: 0.05 };

/** Whether an observation from `platform` still needs the classifier: a real platform's item that no source has labelled yet. */
export function needsClassifier(platform: string, observation: { level1: readonly string[]; label?: ContentLabel }): boolean {
  return platform !== 'sandbox' && observation.label === undefined && observation.level1.length === 0;
}

/** The label of an item whose categories a trusted source gave (the sandbox, the platform). */
export function givenLabel(source: Exclude<LabelSource, 'classifier'>, level1: readonly string[], level2: readonly string[] = []): ContentLabel | undefined {
  const primary = level1[0];
  if (primary === undefined) return undefined;
  const child = level2.find((slug) => TAXONOMY.find((c) => c.slug === primary)?.children.some((k) => k.slug === slug));
  return { source, level1: primary, ...(child ? { level2: child } : {}), confidence: 1 };
}

/**
 * The classifier's label from its scores by label (level-1 slugs and "<level-1>/<level-2>"): the
 * level-1 category with the highest score, its softmax share as confidence, "other" below the
 * threshold, and the best level-2 category under it.
 */
export function classifierLabel(scores: Readonly<Record<string, number>>, settings: LabelSettings = DEFAULT_LABEL_SETTINGS): ContentLabel {
  if (!(settings.temperature > 0)) throw new RangeError(`temperature must be > 0, got ${settings.temperature}`);
  const level1 = TAXONOMY.filter((c) => Number.isFinite(scores[c.slug]));
  if (level1.length === 0) throw new Error('the classifier returned no level-1 scores');
  const top = Math.max(...level1.map((c) => scores[c.slug]!));
  // Subtracting the top score keeps exp() finite whatever the temperature.
  const weights = level1.map((c) => Math.exp((scores[c.slug]! - top) / settings.temperature));
  const best = level1[weights.indexOf(1)]!;
  const confidence = 1 / weights.reduce((sum, w) => sum + w, 0);
  const rounded = Math.round(confidence * 1000) / 1000;
  if (confidence < settings.threshold) return { source: 'classifier', confidence: rounded };
  const children = best.children.filter((k) => Number.isFinite(scores[level2Label(best.slug, k.slug)]));
  const child = children.reduce<(typeof children)[number] | undefined>(
    (winner, k) => (!winner || scores[level2Label(best.slug, k.slug)]! > scores[level2Label(best.slug, winner.slug)]! ? k : winner), undefined);
  return { source: 'classifier', level1: best.slug, ...(child ? { level2: child.slug } : {}), confidence: rounded };
}

/** The observation with `label` applied: its level-1 (and level-2) categories are the label's, "other" leaves them empty. */
export function withLabel<T extends { level1: string[]; level2: string[]; label?: ContentLabel }>(observation: T, label: ContentLabel): T {
  if (label.source !== 'classifier') return { ...observation, label };
  return { ...observation, level1: label.level1 ? [label.level1] : [], level2: label.level2 ? [label.level2] : [], label };
}
