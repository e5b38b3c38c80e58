/** Talks to the Temporal dev server: health and the project's search attributes. */
import { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto'; // CommonJS: Node's ESM loader sees only its default export
import { cliSearchAttributeType, SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
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
