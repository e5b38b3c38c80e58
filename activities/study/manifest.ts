/**
 * The study's manifest in the artifact store (`studies/<id>/manifest.json`, core/study-manifest.ts):
 * `studyWorkflow` writes it whenever an audit starts, ends or is retried, so the study analysis and
 * `study report` read what ran without Temporal.
 */
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { StudyManifestSchema, studyManifestKey, type StudyManifest } from '../../core/study-manifest';

export function createStudyActivities(deps: { store: ArtifactStore }) {
  return {
    async writeStudyManifest(manifest: StudyManifest): Promise<void> {
      const checked = StudyManifestSchema.parse(manifest);
      await deps.store.putJson(studyManifestKey(checked.studyId), checked);
    },
  };
}

export type StudyActivities = ReturnType<typeof createStudyActivities>;
