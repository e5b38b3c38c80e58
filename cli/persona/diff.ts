/** `personaact persona diff A B`: how two personas differ in statistics, affinities and traits. */
import type { Persona } from '../../core/persona';
import { level1Label } from '../../core/taxonomy';
import { table } from '../audit/format';
import { pct, secs } from './show';

export interface NumberDiff {
  readonly field: string;
  readonly a: number | null;
  readonly b: number | null;
  /** b − a; null when one side lacks the value. */
  readonly delta: number | null;
}

export interface TraitDiff {
  readonly trait: string;
  readonly a: string | null;
  readonly b: string | null;
}

export interface PersonaDiff {
  /** Persona ids (and where each came from, when read from files). */
  readonly a: { readonly id: string; readonly file?: string };
  readonly b: { readonly id: string; readonly file?: string };
  /** Every statistic, changed or not. */
  readonly stats: readonly NumberDiff[];
  /** Categories whose affinity differs (or that only one persona has), largest change first. */
  readonly affinities: readonly NumberDiff[];
  /** Traits that differ, were added or were removed. */
  readonly traits: readonly TraitDiff[];
  readonly narrativeChanged: boolean;
}

const RATES = ['likeRate', 'commentRate', 'shareRate', 'quickSkipRate'] as const;
const WATCH = ['min', 'p10', 'p25', 'p50', 'p75', 'p90', 'max', 'mean'] as const;

const numberDiff = (field: string, a: number | undefined, b: number | undefined): NumberDiff => ({
  field,
  a: a ?? null,
  b: b ?? null,
  // Rounded so float noise (0.1 − 0.3) does not pose as a real difference.
  delta: a === undefined || b === undefined ? null : Math.round((b - a) * 1e6) / 1e6,
});

/** Named traits by name; a plain list as its own entries ("- calm" present or not). */
function traitMap(traits: Persona['traits']): Map<string, string> {
  return Array.isArray(traits) ? new Map(traits.map((t) => [`- ${t}`, 'yes'])) : new Map(Object.entries(traits));
}

export function diffPersonas(a: Persona, b: Persona, files: { a?: string; b?: string } = {}): PersonaDiff {
  const stats = [
    numberDiff('steps', a.stats.steps, b.stats.steps),
    ...RATES.map((k) => numberDiff(k, a.stats[k], b.stats[k])),
    ...WATCH.map((k) => numberDiff(`watchSeconds.${k}`, a.stats.watchSeconds[k], b.stats.watchSeconds[k])),
  ];
  const categories = [...new Set([...Object.keys(a.stats.categoryAffinities), ...Object.keys(b.stats.categoryAffinities)])].sort();
  const affinities = categories
    .map((c) => numberDiff(c, a.stats.categoryAffinities[c], b.stats.categoryAffinities[c]))
    .filter((d) => d.delta !== 0)
    .sort((x, y) => Math.abs(y.delta ?? Infinity) - Math.abs(x.delta ?? Infinity) || (x.field < y.field ? -1 : 1));
  const ta = traitMap(a.traits);
  const tb = traitMap(b.traits);
  const traits = [...new Set([...ta.keys(), ...tb.keys()])]
    .filter((t) => ta.get(t) !== tb.get(t))
    .map((trait) => ({ trait, a: ta.get(trait) ?? null, b: tb.get(trait) ?? null }));
  const side = (persona: Persona, file: string | undefined) => ({ id: persona.id, ...(file ? { file } : {}) });
  return { a: side(a, files.a), b: side(b, files.b), stats, affinities, traits, narrativeChanged: a.narrative !== b.narrative };
}

function formatStat(field: string, value: number | null, signed = false): string {
  if (value === null) return '—';
  const sign = signed && value > 0 ? '+' : '';
  if (field === 'steps') return `${sign}${value}`;
  if (field.startsWith('watchSeconds.')) return `${sign}${secs(value)}`;
  // A change of a rate is in percentage points, not percent of the rate.
  return signed ? `${sign}${(value * 100).toFixed(1)} pp` : pct(value);
}

export function renderDiff(diff: PersonaDiff): string {
  const statRows = diff.stats.map((d) => [d.field, formatStat(d.field, d.a), formatStat(d.field, d.b), d.delta === 0 ? '' : formatStat(d.field, d.delta, true)]);
  const name = (side: PersonaDiff['a']) => `${side.id}${side.file ? ` (${side.file})` : ''}`;
  const lines = [`A: ${name(diff.a)}`, `B: ${name(diff.b)}`, '', table(['statistic', 'A', 'B', 'change B − A'], statRows), ''];
  lines.push(
    diff.affinities.length === 0
      ? 'Category affinities: the same'
      : table(['category affinity', 'A', 'B', 'change'], diff.affinities.map((d) => [
          level1Label(d.field), d.a?.toFixed(2) ?? '—', d.b?.toFixed(2) ?? '—', d.delta === null ? '' : `${d.delta > 0 ? '+' : ''}${d.delta.toFixed(2)}`,
        ])),
    '',
    diff.traits.length === 0 ? 'Traits: the same' : table(['trait', 'A', 'B'], diff.traits.map((t) => [t.trait, t.a ?? '—', t.b ?? '—'])),
    '',
    `Narrative: ${diff.narrativeChanged ? 'differs' : 'the same'}`,
  );
  return lines.join('\n');
}
