/** `personaact persona show`: a persona document as a person reads it. */
import type { Persona } from '../../core/persona';
import { level1Label } from '../../core/taxonomy';
import { table } from '../audit/format';

export const pct = (rate: number) => `${(rate * 100).toFixed(1)} %`;
export const secs = (seconds: number) => `${Number(seconds.toFixed(3))} s`;

/** The narrative wrapped at `width` columns, indented. */
function wrap(text: string, width = 96, indent = '  '): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

export function renderPersona(persona: Persona, file?: string): string {
  const { stats, provenance } = persona;
  const ws = stats.watchSeconds;
  const traits = Array.isArray(persona.traits) ? persona.traits.map((t) => `  - ${t}`) : Object.entries(persona.traits).map(([k, v]) => `  ${k}: ${v}`);
  const affinities = Object.entries(stats.categoryAffinities).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  const lines = [
    `${persona.name} (${persona.id}, schema ${persona.schemaVersion})${file ? `  ${file}` : ''}`,
    ...(persona.reversal ? [`counterfactual persona: reverses ${persona.reversal.of} (${persona.reversal.strategy}, engagement ${persona.reversal.engagement})`] : []),
    '',
    'Narrative:',
    wrap(persona.narrative),
    '',
    'Traits:',
    ...traits,
    '',
    'Behaviour:',
    `  ${stats.steps} steps; like ${pct(stats.likeRate)}, comment ${pct(stats.commentRate)}, share ${pct(stats.shareRate)}, quick skip (< 3 s) ${pct(stats.quickSkipRate)}`,
    `  watch time: min ${secs(ws.min)}, p10 ${secs(ws.p10)}, p25 ${secs(ws.p25)}, median ${secs(ws.p50)}, p75 ${secs(ws.p75)}, p90 ${secs(ws.p90)}, max ${secs(ws.max)}, mean ${secs(ws.mean)}${ws.percentiles ? ' (and 101 percentiles)' : ''}`,
    stats.dependence
      ? `  step to step: lag 1 ${stats.dependence.lag1}, level of the last steps ${stats.dependence.level}, fitted on ${stats.dependence.pairs} pairs`
      : '  step to step: drawn independently (no fitted dependence)',
    ...Object.entries(stats.platforms ?? {}).map(([name, own]) =>
      `  on ${name}: ${own.steps} steps in ${own.sessions} sessions; like ${pct(own.likeRate)}, median watch ${secs(own.watchSeconds.p50)}`),
    '',
    affinities.length === 0
      ? 'Category affinities: none (the logs carry no categories; the persona-stat policy treats every category as neutral, 0.5)'
      : `Category affinities (${affinities.length}):\n${table(['category', 'affinity'], affinities.map(([c, a]) => [level1Label(c), a.toFixed(2)])).replace(/^/gm, '  ')}`,
    '',
    'Provenance:',
    ...(provenance.logs ? [`  logs: ${provenance.logs.length} file(s): ${provenance.logs.slice(0, 3).join(', ')}${provenance.logs.length > 3 ? ', …' : ''}`] : []),
    ...(provenance.sessions ? [`  built from ${provenance.sessions.length} session(s): ${provenance.sessions.slice(0, 3).map((s) => s.id).join(', ')}${provenance.sessions.length > 3 ? ', …' : ''}`] : []),
    ...(provenance.sources ? [`  sources: ${provenance.sources.join(', ')}`] : []),
    ...(provenance.interview ? [`  interview: ${provenance.interview.interviewId} by ${provenance.interview.interviewer}, ${provenance.interview.turns} turns`] : ['  interview: none']),
    ...(provenance.model ? [`  narrative and traits by: ${provenance.model}`] : []),
    ...(provenance.notes ? [`  notes:\n${wrap(provenance.notes, 96, '    ')}`] : []),
  ];
  return lines.join('\n');
}
