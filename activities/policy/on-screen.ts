/**
 * decideOnScreen: a model policy's decision, made on the browser worker that holds the page, so
 * the model sees the current frame (the step's own screenshot: envStep stores that same frame with
 * the record). Runs on the session's own task queue, as a regular activity: model calls are slow.
 * Every attempt at the model is written beside the records, under policyExchangesKey, also when
 * the policy gives up.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { recordKey, type Phase } from '../../core/interaction-record';
import type { Policy, PolicyExchange } from '../../core/policy';
import type { ArtifactStore } from '../../artifacts/artifact-store';
import { currentVideoOf, sessionOf } from '../browser/activities';
import type { SessionPool } from '../browser/session-pool';
import type { PolicyConfig } from './config';
import { createPolicy } from './create-policy';
import { policyContext, type DecideInput, type DecideResult } from './activities';
import { PolicyError } from './model-policy';

/** JPEG quality of the frame a model sees (as envStep's step screenshots). */
const FRAME_QUALITY = 80;
const HEARTBEAT_EVERY_MS = 5000;

/**
 * Where a step's model exchanges live: audits/<id>/policy/<phase>/<index>.json — a folder of its
 * own, so listing a phase's records (audits/<id>/<phase>/) never meets them.
 */
export function policyExchangesKey(auditId: string, phase: Phase, index: number): string {
  const prefix = `audits/${auditId}/`;
  return `${prefix}policy/${recordKey(auditId, phase, index).slice(prefix.length)}`;
}

export interface PolicyExchangesArtifact {
  schemaVersion: 1;
  policy: string;
  auditId: string;
  phase: Phase;
  index: number;
  exchanges: readonly PolicyExchange[];
}

export interface DecideOnScreenInput extends DecideInput {
  sessionId: string;
  auditId: string;
  /** The video the decision is about: the session must still show it. */
  videoKey: string;
}

/** A missing setting or an unknown name: no retry can fix it. */
function policyFor(name: string, config: PolicyConfig): Policy {
  try {
    return createPolicy(name, { config });
  } catch (error) {
    throw ApplicationFailure.create({ type: 'PolicyMisconfigured', message: (error as Error).message, nonRetryable: true });
  }
}

export function createOnScreenPolicyActivities(deps: { pool: SessionPool; store: ArtifactStore; config: PolicyConfig }) {
  return {
    async decideOnScreen(input: DecideOnScreenInput): Promise<DecideResult> {
      const started = performance.now();
      const policy = policyFor(input.policy, deps.config);
      const session = sessionOf(deps.pool, input.sessionId);
      const current = currentVideoOf(session, input.videoKey);
      // The step's screenshot when screenshots are kept; otherwise taken now, and then kept too.
      current.screenshot ??= session.page.screenshot({ type: 'jpeg', quality: FRAME_QUALITY });
      const frame = await current.screenshot;

      const save = (exchanges: readonly PolicyExchange[]) => {
        const artifact: PolicyExchangesArtifact = { schemaVersion: 1, policy: input.policy, auditId: input.auditId, phase: input.phase, index: input.index, exchanges };
        return deps.store.putJson(policyExchangesKey(input.auditId, input.phase, input.index), artifact);
      };
      const context = Context.current();
      const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
      try {
        const outcome = await policy.decide(policyContext(input, {
          screenshot: { mimeType: 'image/jpeg', base64: frame.toString('base64') },
          signal: context.cancellationSignal,
        }));
        await save(outcome.exchanges);
        return { decision: outcome.decision, latencyMs: performance.now() - started };
      } catch (error) {
        if (error instanceof PolicyError) await save(error.exchanges);
        throw error;
      } finally {
        clearInterval(heartbeat);
      }
    },
  };
}

export type OnScreenPolicyActivities = ReturnType<typeof createOnScreenPolicyActivities>;
