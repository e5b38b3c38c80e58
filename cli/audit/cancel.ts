/**
 * `personaact audit cancel`: asks the workflow to stop and waits until it has. The workflow closes
 * its browser session on the way out; the records written so far are never removed.
 */
import type { WorkflowExecutionStatusName } from '@temporalio/client';
import type { CliConfig } from '../config';
import { UserError } from '../errors';
import { withClient } from '../../clients/connection';
import { isClosed } from '../../clients/workflow-state';
import { describeAudit, queryProgress } from './snapshot';
import { auditLocation, countRecords, openCliStore } from './store';
import type { Out } from '../output';

const POLL_MS = 500;

export async function cancelAudit(config: CliConfig, auditId: string, options: { timeoutSeconds: number }, out: Out): Promise<void> {
  const store = openCliStore(config);
  await withClient(config, async (audit) => {
    const { handle, description } = await describeAudit(audit, auditId);
    if (isClosed(description.status.name)) {
      throw new UserError(`audit ${auditId} has already ended (${description.status.name}); nothing to cancel`);
    }
    await handle.cancel();
    out(`Cancellation of audit ${auditId} requested; waiting for it to stop…`);
    const deadline = Date.now() + options.timeoutSeconds * 1000;
    let status: WorkflowExecutionStatusName = description.status.name;
    while (!isClosed(status)) {
      if (Date.now() > deadline) {
        throw new UserError(
          `audit ${auditId} has not stopped within ${options.timeoutSeconds} s; the request stays: it stops as soon as a worker picks it up.\n` +
            'Is a worker running (`personaact worker`)? Check with `personaact audit status ' + auditId + '`.',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      status = (await handle.describe()).status.name;
    }
    const progress = await queryProgress(audit, handle);
    const records = await countRecords(store, auditId).catch(() => null);
    out(`Audit ${auditId} is ${status}${progress ? ` after ${progress.interactions} of ${progress.totalInteractions} interactions (${progress.phase}, next step ${progress.index})` : ''}.`);
    const what = records ? `Its ${records.cultivation} cultivation and ${records.counterfactual} counterfactual records` : 'Its records so far';
    out(`${what} stay readable in ${auditLocation(store, auditId)}`);
    // The step in flight when the request came may have finished and written its record: a valid one.
    out('(one JSON record per step, and its screenshot if taken; spec.json, persona.json and reversed-persona.json beside them)');
  });
}
