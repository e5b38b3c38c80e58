/**
 * A study's analysis from the artifact store alone: the manifest (`studies/<id>/manifest.json`,
 * written by the study workflow) and each completed audit's records. Writes
 * `studies/<id>/report.{json,md}` and, when asked, `report.html`.
 */
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { PHASES } from '../../core/interaction-record';
import type { CategorizedStep } from '../../core/metrics';
import { analyzeStudy, auditOutcome, type AuditOutcome, type StudyAnalysis } from '../../core/study-analysis';
import { StudyManifestSchema, studyManifestKey, type StudyAuditEntry, type StudyManifest } from '../../core/study-manifest';
import { formatZodError } from '../../core/zod-error';
import { renderHtmlReport } from '../../reports/html';
import { renderStudyMarkdown, studyHtmlReport } from '../../reports/study-report';
import { loadPhaseRecords } from './analyze-audit';

export class StudyNotFoundError extends Error {
  constructor(readonly studyId: string, readonly location: string) {
    super(`no study ${studyId}: nothing at ${location} (the study workflow writes it when the study starts)`);
    this.name = 'StudyNotFoundError';
  }
}

export async function loadStudyManifest(store: ArtifactStore, studyId: string): Promise<StudyManifest> {
  const key = studyManifestKey(studyId);
  const raw = await store.getJson(key);
  if (raw === undefined) throw new StudyNotFoundError(studyId, store.locate(key));
  const parsed = StudyManifestSchema.safeParse(raw);
  if (!parsed.success) throw new Error(formatZodError(parsed.error, store.locate(key)));
  if (parsed.data.studyId !== studyId) throw new Error(`${store.locate(key)}: studyId is "${parsed.data.studyId}", expected "${studyId}"`);
  return parsed.data;
}

/** One completed audit's feed, for the study's plots. */
export interface AuditFeed {
  entry: StudyAuditEntry;
  cultivation: CategorizedStep[];
  counterfactual: CategorizedStep[];
}

export interface LoadedStudy {
  manifest: StudyManifest;
  outcomes: AuditOutcome[];
  feeds: AuditFeed[];
}

/** Completed audits only: a failed or cancelled audit's records stop early, and would bias its cell. */
export async function loadStudy(store: ArtifactStore, studyId: string): Promise<LoadedStudy> {
  const manifest = await loadStudyManifest(store, studyId);
  const feeds: AuditFeed[] = [];
  for (const entry of manifest.audits.filter((audit) => audit.status === 'completed')) {
    const [cultivation, counterfactual] = await Promise.all(PHASES.map(async (phase) =>
      (await loadPhaseRecords(store, entry.auditId, phase)).map((r) => ({ level1: r.observation.level1, level2: r.observation.level2 }))));
    feeds.push({ entry, cultivation: cultivation!, counterfactual: counterfactual! });
  }
  const outcomes = feeds.map((feed) => {
    try {
      return auditOutcome(feed.entry, feed.cultivation, feed.counterfactual);
    } catch (error) {
      throw new Error(`study ${studyId}, audit ${feed.entry.auditId}: ${(error as Error).message}`);
    }
  });
  return { manifest, outcomes, feeds };
}

export const studyReportKeys = (studyId: string) => ({
  json: `studies/${studyId}/report.json`,
  markdown: `studies/${studyId}/report.md`,
  html: `studies/${studyId}/report.html`,
});

export interface StudyReport {
  analysis: StudyAnalysis;
  markdown: string;
  /** Keys written: json and markdown always, html when asked for. */
  keys: { json: string; markdown: string; html?: string };
}

/** Analyses the study and stores its report; `seed` (default: the study id) seeds the bootstrap and permutations. */
export async function writeStudyReport(store: ArtifactStore, studyId: string, options: { html?: boolean; seed?: string } = {}): Promise<StudyReport> {
  const { manifest, outcomes, feeds } = await loadStudy(store, studyId);
  const analysis = analyzeStudy(manifest, outcomes, options.seed ?? studyId);
  const all = studyReportKeys(studyId);
  const markdown = renderStudyMarkdown(analysis, { outcomes });
  await store.putJson(all.json, { ...analysis, audits: outcomes });
  await store.put(all.markdown, markdown, 'text/markdown; charset=utf-8');
  const keys: StudyReport['keys'] = { json: all.json, markdown: all.markdown };
  if (options.html) {
    await store.put(all.html, await renderHtmlReport(studyHtmlReport(analysis, feeds)), 'text/html; charset=utf-8');
    keys.html = all.html;
  }
  return { analysis, markdown, keys };
}
