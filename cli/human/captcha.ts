/**
 * `personaact captcha open | resolved`: the person's side of an audit that is AWAITING_HUMAN. The
 * workflow's progress query names the challenge and its live view; the Update tells the
 * workflow it is solved (the workflow checks the page before it believes it).
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { PendingChallenge } from '../../core/challenge';
import { challengeResolvedUpdate } from '../../workflows/challenge';
import { withClient } from '../../clients/connection';
import { isClosed } from '../../clients/workflow-state';
import { describeAudit, queryProgress } from '../audit/snapshot';
import type { CliConfig } from '../config';
import { UserError } from '../errors';

/** The audit's pending challenge, or a UserError saying why there is none. */
export async function pendingChallenge(config: CliConfig, auditId: string): Promise<PendingChallenge> {
  return withClient(config, async (audit) => {
    const { handle, description } = await describeAudit(audit, auditId);
    if (isClosed(description.status.name)) throw new UserError(`audit ${auditId} has ended (${description.status.name}): no challenge to solve`);
    const progress = await queryProgress(audit, handle);
    if (!progress) throw new UserError(`audit ${auditId} did not answer (is \`personaact worker\` running?)`);
    if (!progress.challenge) throw new UserError(`audit ${auditId} is not waiting for a person (status ${progress.status})`);
    return progress.challenge;
  });
}

/** Sends the challengeResolved Update; returns the workflow's answer ("resumed at cultivation step 12"). */
export async function resolveChallenge(config: CliConfig, auditId: string): Promise<string> {
  return withClient(config, async (audit) => {
    const { handle } = await describeAudit(audit, auditId);
    try {
      return await handle.executeUpdate(challengeResolvedUpdate);
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        throw new UserError(`audit ${auditId} did not resume: ${error.cause?.message ?? error.message}`);
      }
      throw error;
    }
  });
}

export function describeChallenge(auditId: string, challenge: PendingChallenge): string[] {
  return [
    `${challenge.kind} (${challenge.detail}) since ${challenge.since}${challenge.deadline ? `; the audit fails at ${challenge.deadline} if unsolved` : ''}`,
    `live view: ${challenge.liveViewUrl}`,
    `solve it there, then press Done (or run \`personaact captcha resolved ${auditId}\`)`,
  ];
}
