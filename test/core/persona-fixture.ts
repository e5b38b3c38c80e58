import type { PersonaInput } from '../../core';

/** A valid persona document, as the interview stage writes it. */
export function personaFixture(): PersonaInput {
  return {
    id: 'persona-a',
    schemaVersion: 1,
    name: 'Persona A',
    narrative: 'I watch cooking videos to the end and swipe past gaming within a second or two.',
    traits: { content_vs_creator: 'content first', novelty_tolerance: 'low' },
    stats: {
      steps: 1200,
      likeRate: 0.065,
      commentRate: 0.003,
      shareRate: 0.01,
      quickSkipRate: 0.3,
      watchSeconds: { min: 0, p10: 1, p25: 2.5, p50: 6, p75: 12, p90: 25, max: 60, mean: 9 },
      categoryAffinities: { food: 0.9, gaming: 0.1, 'pets-animals': 0.6 },
    },
    provenance: { sources: ['logs/a.jsonl', 'interview/a.json'] },
  };
}
