import type { PersonaInput } from '../../core';
import { PersonaSchema, type Persona } from '../../core/persona';

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

/** A parsed persona with the statistics the reversal tests decide from, and these affinities. */
export function statPersona(categoryAffinities: Record<string, number>): Persona {
  return PersonaSchema.parse({
    id: 'fixture', schemaVersion: 1, name: 'Fixture', narrative: 'I watch food and skip gaming.', traits: [],
    stats: {
      steps: 100, likeRate: 0.1, commentRate: 0.02, shareRate: 0.05, quickSkipRate: 0.3,
      watchSeconds: { min: 0, p10: 1, p25: 2, p50: 5, p75: 10, p90: 20, max: 60, mean: 8 },
      categoryAffinities,
    },
  });
}
