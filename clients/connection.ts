/**
 * The one way this project's processes (CLI, benchmarks, tests) open a Temporal client: connect
 * with a message a person can act on when the server is not there, encrypt payloads when the
 * secrets say so, and close the connection whatever happens.
 */
import { Client, Connection, type DataConverter } from '@temporalio/client';
import { NamespaceNotFoundError } from '@temporalio/common';
import { resolveSecrets, type SecretsEnv } from '../secrets/config';
import { dataConverterFor } from '../secrets/payload-codec';
import { describeTarget, type TemporalTarget } from './temporal-config';

/** How long a client waits for the server before saying it is not there. */
const CONNECT_TIMEOUT_MS = 5_000;

/** What a client needs: the target (clients/temporal-config.ts) and the payload secrets. */
export interface ClientSettings extends SecretsEnv {
  temporal: TemporalTarget;
}

export interface TemporalClient {
  client: Client;
  target: TemporalTarget;
  close(): Promise<void>;
}

/** The server cannot be reached, or the namespace is not there: the CLI prints the message alone. */
export class TemporalUnreachableError extends Error {
  override name = 'TemporalUnreachableError';
  readonly userFacing = true;
}

export function notReachable(target: TemporalTarget, why: string): TemporalUnreachableError {
  return new TemporalUnreachableError(
    `cannot reach the Temporal server at ${describeTarget(target)}: ${why}\n` +
      'Start the local stack with `personaact dev up`, or point TEMPORAL_ADDRESS (or a TEMPORAL_PROFILE) at your server; see docs/deploy.md.',
  );
}

export async function connectClient(settings: ClientSettings, dataConverter: DataConverter = dataConverterFor(resolveSecrets(settings))): Promise<TemporalClient> {
  const target = settings.temporal;
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...target.connectionOptions, connectTimeout: CONNECT_TIMEOUT_MS });
  } catch (error) {
    throw notReachable(target, error instanceof Error ? error.message : String(error));
  }
  const client = new Client({ connection, namespace: target.namespace, dataConverter });
  return { client, target, close: () => connection.close() };
}

/** Runs `fn` with a connected client and always closes the connection. */
export async function withClient<T>(settings: ClientSettings, fn: (temporal: TemporalClient) => Promise<T>): Promise<T> {
  const temporal = await connectClient(settings);
  try {
    return await fn(temporal);
  } catch (error) {
    if (error instanceof NamespaceNotFoundError) {
      throw new TemporalUnreachableError(`namespace "${settings.temporal.namespace}" does not exist on ${settings.temporal.address} (TEMPORAL_NAMESPACE)`);
    }
    throw error;
  } finally {
    await temporal.close();
  }
}

/** The workflow's page in the Temporal UI. */
export function uiLink(target: Pick<TemporalTarget, 'uiUrl' | 'namespace'>, workflowId: string): string {
  return `${target.uiUrl}/namespaces/${encodeURIComponent(target.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
