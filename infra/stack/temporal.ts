/** Talks to the Temporal dev server: health, the project's search attributes, worker pollers. */
import os from 'node:os';
import { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto'; // CommonJS: Node's ESM loader sees only its default export
import { cliSearchAttributeType, SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { BROWSER_TASK_QUEUE, MAIN_TASK_QUEUE } from '../../workflows/task-queues';
import { StackError } from './errors';

export const NAMESPACE = 'default';

/** The OperatorService's number for a search attribute type (temporal.api.enums.v1.IndexedValueType). */
export function indexedValueType(type: SearchAttributeType): number {
  return proto.temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${type}`];
}

async function withConnection<T>(address: string, fn: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address, connectTimeout: 1000 });
  try {
    return await fn(connection);
  } finally {
    await connection.close();
  }
}

/** True when the frontend answers the gRPC health check and the namespace is usable. */
export async function temporalHealthy(address: string): Promise<boolean> {
  try {
    return await withConnection(address, async (connection) => {
      const health = await connection.healthService.check({});
      if (health.status !== 1 /* SERVING */) return false;
      await connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
      return true;
    });
  } catch {
    return false;
  }
}

/**
 * Registers every custom search attribute that is missing. `start-dev --search-attribute`
 * registers them only when it creates a new db file; on an existing db it ignores new ones,
 * so this runs after every start. Returns the names it added.
 */
export async function ensureSearchAttributes(address: string): Promise<string[]> {
  return withConnection(address, async (connection) => {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
    const existing = customAttributes ?? {};
    const missing: Record<string, number> = {};
    for (const { name, type } of SEARCH_ATTRIBUTES) {
      const want = indexedValueType(type);
      const have = existing[name];
      if (have === undefined || have === null) {
        missing[name] = want;
      } else if (Number(have) !== want) {
        throw new StackError(
          `search attribute ${name} exists on ${address} with another type (enum ${String(have)}); ` +
            `the project needs ${cliSearchAttributeType(type)}. Use a fresh --data-dir (or delete its temporal.db).`,
        );
      }
    }
    if (Object.keys(missing).length > 0) {
      await connection.operatorService.addSearchAttributes({ namespace: NAMESPACE, searchAttributes: missing });
    }
    return Object.keys(missing);
  });
}

/** The custom search attribute names registered on the server. */
export async function listCustomSearchAttributes(address: string): Promise<Record<string, number>> {
  return withConnection(address, async (connection) => {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
    return Object.fromEntries(Object.entries(customAttributes ?? {}).map(([k, v]) => [k, Number(v)]));
  });
}

const { TaskQueueKind, TaskQueueType } = proto.temporal.api.enums.v1;

/** What `personaact worker --role all` polls: workflows and activities on the main queue, sessions on the browser queue. */
export const WORKER_POLLS: ReadonlyArray<{ taskQueue: string; type: 'workflow' | 'activity' }> = [
  { taskQueue: MAIN_TASK_QUEUE, type: 'workflow' },
  { taskQueue: MAIN_TASK_QUEUE, type: 'activity' },
  { taskQueue: BROWSER_TASK_QUEUE, type: 'activity' },
];

/** The identities of the pollers the server lists for a task queue (a worker's, by default, is `<pid>@<hostname>`). */
export async function taskQueuePollers(connection: Connection, taskQueue: string, type: 'workflow' | 'activity'): Promise<string[]> {
  const { pollers } = await connection.workflowService.describeTaskQueue({
    namespace: NAMESPACE,
    taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    taskQueueType: type === 'workflow' ? TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
  });
  return (pollers ?? []).map((poller) => poller.identity ?? '');
}

/**
 * True when every queue of WORKER_POLLS has a poller; with `pid`, a poller of that process (the
 * SDK's default worker identity `<pid>@<hostname>`), since the server keeps listing the pollers of
 * a worker that has just stopped for a few minutes.
 */
export async function workerPolling(address: string, pid?: number): Promise<boolean> {
  const identity = pid === undefined ? undefined : `${pid}@${os.hostname()}`;
  try {
    return await withConnection(address, async (connection) => {
      for (const { taskQueue, type } of WORKER_POLLS) {
        const identities = await taskQueuePollers(connection, taskQueue, type);
        if (!identities.some((id) => identity === undefined || id === identity)) return false;
      }
      return true;
    });
  } catch {
    return false;
  }
}
