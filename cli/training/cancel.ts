/** `personaact train cancel`: cancels a run and waits until its workflow has stopped its job. */
import type { WorkflowExecutionStatusName } from '@temporalio/client';
import { withClient } from '../../clients/connection';
import { trainingHandle } from '../../clients/training';
import { isClosed } from '../../clients/workflow-state';
import type { CliConfig } from '../config';
import { UserError } from '../errors';
import type { Out } from '../output';
import { describeRun } from './status';

export async function cancelRun(config: CliConfig, runId: string, timeoutSeconds: number, out: Out): Promise<void> {
  await withClient(config, async (temporal) => {
    const before = await describeRun(temporal, runId);
    if (isClosed(before.temporalStatus)) throw new UserError(`training run ${runId} has already ended (${before.temporalStatus}); nothing to cancel`);
    const handle = trainingHandle(temporal.client, runId);
    await handle.cancel();
    out(`Cancellation of ${runId} requested; stopping its ${before.progress?.stage ?? 'current'} job…`);
    const deadline = Date.now() + timeoutSeconds * 1000;
    let status: WorkflowExecutionStatusName = before.temporalStatus;
    while (!isClosed(status)) {
      if (Date.now() > deadline) throw new UserError(`training run ${runId} has not stopped within ${timeoutSeconds} s; the request stays (is a worker running?)`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      status = (await handle.describe()).status.name;
    }
    out(`Training run ${runId} is ${status}; its training job was stopped.`);
  });
}
