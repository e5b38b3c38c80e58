/**
 * The labelling activity: a real platform's item that came without the platform's own category
 * gets one from the zero-shot title classifier (a local activity on the main worker, where its
 * Python process lives). An item the platform did label keeps that label, marked as the platform's.
 */
import { classifierLabel, givenLabel, withLabel, type LabelSettings } from '../../core/content-label';
import type { Observation } from '../../core/observation';
import type { TitleClassifier } from './title-classifier';

export interface LabelActivityDeps {
  classifier: TitleClassifier;
  settings?: LabelSettings;
}

export function createLabelActivities(deps: LabelActivityDeps) {
  return {
    /** The observation with its label: the platform's where it has level-1 categories, else the classifier's. */
    async labelObservation(input: { observation: Observation }): Promise<Observation> {
      const { observation } = input;
      if (observation.label) return observation;
      const given = givenLabel('platform', observation.level1, observation.level2);
      if (given) return withLabel(observation, given);
      const scores = await deps.classifier.score(observation.title);
      return withLabel(observation, classifierLabel(scores, deps.settings));
    },
  };
}

export type LabelActivities = ReturnType<typeof createLabelActivities>;
