/**
 * The project's custom Temporal search attributes, in ONE place.
 *
 * `personaact dev up` registers them on the local dev server (namespace `default`); workers and
 * workflows use the typed keys (`upsertSearchAttributes`, `TypedSearchAttributes`), and the CLI
 * uses the names in visibility queries. Pure: no Node built-ins, so workflow code may import it.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const searchAttributes = {
  platform: defineSearchAttributeKey('PersonaActPlatform', SearchAttributeType.KEYWORD),
  persona: defineSearchAttributeKey('PersonaActPersona', SearchAttributeType.KEYWORD),
  phase: defineSearchAttributeKey('PersonaActPhase', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('PersonaActStatus', SearchAttributeType.KEYWORD),
  interactions: defineSearchAttributeKey('PersonaActInteractions', SearchAttributeType.INT),
  study: defineSearchAttributeKey('PersonaActStudy', SearchAttributeType.KEYWORD),
  /** The study arm (core/study-manifest.ts STUDY_ARMS); `reversed` for a plain audit. */
  arm: defineSearchAttributeKey('PersonaActArm', SearchAttributeType.KEYWORD),
  /** A longitudinal series (docs/series.md): its schedule, its session workflows and their audits. */
  series: defineSearchAttributeKey('PersonaActSeries', SearchAttributeType.KEYWORD),
} as const;

export type SearchAttributeName = (typeof searchAttributes)[keyof typeof searchAttributes]['name'];

/** Every custom search attribute key (for servers that register them, e.g. the test server). */
export const SEARCH_ATTRIBUTES_KEYS = Object.values(searchAttributes);

/** Every custom search attribute as `{ name, type }`. */
export const SEARCH_ATTRIBUTES: ReadonlyArray<{ name: string; type: SearchAttributeType }> = SEARCH_ATTRIBUTES_KEYS;

/** The type as the Temporal CLI spells it (`--search-attribute NAME=Keyword`). */
export function cliSearchAttributeType(type: SearchAttributeType): string {
  return type
    .toLowerCase()
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
