/**
 * Studies without Temporal or a browser: drives the sandbox platform class directly on a virtual
 * clock (as sandbox/calibration.ts does) with the persona-stat policy, and stores each audit's
 * interaction records and the study manifest exactly where the workflows put them. The recommender
 * is real, so reversed and control arms differ as they would in a real study.
 */
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { InteractionRecordSchema, recordKey, type InteractionRecord, type Phase } from '../../core/interaction-record';
import type { ReversalSettings } from '../../core/persona';
import { decidePersonaStat, PERSISTENCE_WINDOW } from '../../core/persona-stat-policy';
import type { PolicyHistoryEntry } from '../../core/policy';
import { createRng } from '../../core/rng';
import { studyManifestKey, StudyManifestSchema, type StudyArm, type StudyAuditEntry, type StudyManifest } from '../../core/study-manifest';
import { calibrationPersona } from '../../sandbox/calibration';
import { generateCatalogue, type Catalogue } from '../../sandbox/catalogue';
import { SandboxPlatform } from '../../sandbox/platform';
import { loadProfiles } from '../../sandbox/profiles';
import { SandboxStore } from '../../sandbox/store';

const REVERSAL: ReversalSettings = { strategy: 'quantile-flip', engagement: 'suppress' };
const START = Date.parse('2026-01-05T09:00:00Z');

let catalogue: Catalogue | undefined;

export interface SandboxAuditOptions {
  auditId: string;
  profile: string;
  arm: Extract<StudyArm, 'reversed' | 'control'>;
  seed: string;
  cultivation: number;
  counterfactual: number;
}

/** Runs one audit against a fresh account and stores its records; returns them per phase. */
export async function writeSandboxAudit(store: ArtifactStore, options: SandboxAuditOptions): Promise<Record<Phase, InteractionRecord[]>> {
  catalogue ??= generateCatalogue({ seed: 'sandbox', videoCount: 2000 });
  let now = START;
  const sandboxStore = new SandboxStore(':memory:');
  const platform = new SandboxPlatform({
    store: sandboxStore, catalogue, profiles: loadProfiles(), defaultProfile: options.profile,
    seed: options.seed, timeScale: 1, captchaRate: 0, clock: () => now,
  });
  const persona = calibrationPersona(0);
  const rng = createRng(`${options.seed}/policy`);
  const account = 'viewer';
  platform.signIn(account);
  const phase = (name: Phase, steps: number, reversal?: ReversalSettings): InteractionRecord[] => {
    const records: InteractionRecord[] = [];
    const history: PolicyHistoryEntry[] = [];
    for (let index = 0; index < steps; index++) {
      const result = platform.current(account);
      if (result.kind !== 'video') throw new Error('unexpected captcha');
      const { video, impressionId } = result.served;
      const decision = decidePersonaStat(persona, { level1: [video.level1], durationSeconds: video.durationSeconds }, rng, reversal, history);
      history.push({ level1: [video.level1], watchSeconds: decision.watchSeconds, like: decision.like, comment: decision.comment !== undefined, share: decision.share !== undefined });
      if (history.length > PERSISTENCE_WINDOW) history.shift();
      const actions: string[] = [];
      if (decision.like) { platform.act(account, impressionId, { type: 'like' }); actions.push('like'); }
      if (decision.share !== undefined) { platform.act(account, impressionId, { type: 'share', target: decision.share }); actions.push('share'); }
      if (decision.comment !== undefined) { platform.act(account, impressionId, { type: 'comment', text: decision.comment }); actions.push('comment'); }
      const startedAt = new Date(now).toISOString();
      const intendedDwellMs = Math.round(decision.watchSeconds * 1000);
      const executedDwellMs = intendedDwellMs + rng.int(40);
      now += executedDwellMs;
      platform.next(account);
      actions.push('swipe');
      records.push(InteractionRecordSchema.parse({
        schemaVersion: 1, auditId: options.auditId, phase: name, index,
        observation: {
          platform: 'sandbox', videoId: video.id, title: video.title, creator: video.creatorName,
          level1: [video.level1], level2: [video.level2], durationSeconds: video.durationSeconds, observedAt: startedAt,
        },
        decision, intendedDwellMs, executedDwellMs, decisionLatencyMs: 5,
        startedAt, endedAt: new Date(now).toISOString(), actionsPerformed: actions, attempt: 1,
      }));
    }
    return records;
  };
  const cultivation = phase('cultivation', options.cultivation);
  const counterfactual = phase('counterfactual', options.counterfactual, options.arm === 'reversed' ? REVERSAL : undefined);
  sandboxStore.close();
  await Promise.all([...cultivation, ...counterfactual].map((record) => store.putJson(recordKey(record.auditId, record.phase, record.index), record)));
  return { cultivation, counterfactual };
}

export interface SandboxStudyOptions {
  studyId: string;
  profiles: readonly string[];
  arms: readonly SandboxAuditOptions['arm'][];
  replicates: number;
  cultivation: number;
  counterfactual: number;
  /** Extra manifest entries (e.g. a failed audit) appended as they are. */
  extra?: readonly StudyAuditEntry[];
}

/** Runs every audit of a small sandbox study and stores the records and the manifest. */
export async function writeSandboxStudy(store: ArtifactStore, options: SandboxStudyOptions): Promise<{ manifest: StudyManifest; records: Map<string, Record<Phase, InteractionRecord[]>> }> {
  const audits: StudyAuditEntry[] = [];
  const records = new Map<string, Record<Phase, InteractionRecord[]>>();
  for (const profile of options.profiles) {
    for (const arm of options.arms) {
      for (let replicate = 0; replicate < options.replicates; replicate++) {
        const auditId = `${options.studyId}-${profile}-${arm}-r${replicate}`;
        const seed = `${options.studyId}/${profile}/${arm}/${replicate}`;
        records.set(auditId, await writeSandboxAudit(store, { auditId, profile, arm, seed, cultivation: options.cultivation, counterfactual: options.counterfactual }));
        audits.push({
          auditId, replicate, accountId: `acct-${profile}-${arm}-${replicate}`, seed, status: 'completed',
          cell: { platform: 'sandbox', profile, personaId: 'calibration-0', arm },
        });
      }
    }
  }
  const manifest = StudyManifestSchema.parse({ schemaVersion: 1, studyId: options.studyId, audits: [...audits, ...(options.extra ?? [])] });
  await store.putJson(studyManifestKey(options.studyId), manifest);
  return { manifest, records };
}
