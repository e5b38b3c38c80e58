/**
 * The remote codec endpoint the Temporal Web UI (and `temporal --codec-endpoint`) calls to show
 * encrypted payloads: POST /encode and POST /decode with `{ payloads: [{ metadata, data }] }`,
 * bytes as base64 (the proto JSON form). CORS lets only the UI's origins call it from a browser.
 * It decrypts, so it answers only requests that carry its token: in the path (the endpoint is
 * `http://host:port/<token>`, which is what the UI's codec setting takes) or as
 * `Authorization: Bearer <token>` (`temporal --codec-auth`); and it listens on 127.0.0.1 unless told otherwise.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { formatZodError } from '../core/zod-error';
import { sameSecret } from './same-secret';

const MAX_BODY_BYTES = 32 * 1024 * 1024;
export const DEFAULT_UI_ORIGINS = ['http://localhost:8233', 'http://127.0.0.1:8233'];

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');
const PayloadsBodySchema = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), Base64).optional(), data: Base64.optional() })),
});
type JsonPayload = z.infer<typeof PayloadsBodySchema>['payloads'][number];

const fromBase64 = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

export function payloadFromJson(json: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(json.metadata ?? {}).map(([k, v]) => [k, fromBase64(v)])),
    data: fromBase64(json.data ?? ''),
  };
}

export function payloadToJson(payload: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, toBase64(v ?? new Uint8Array())])),
    data: toBase64(payload.data ?? new Uint8Array()),
  };
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface CodecServerOptions {
  codecs: PayloadCodec[];
  host?: string;
  /** 0: any free port. */
  port: number;
  /** Every encode/decode request must carry it (path prefix or bearer header). */
  token: string;
  /** Browser origins allowed to call it (the Temporal UI). */
  origins?: readonly string[];
  /** Called once per request that failed, with a message safe to log (no payload contents). */
  onError?: (message: string) => void;
}

export interface CodecServer {
  url: string;
  /** `url/<token>`: the codec endpoint to give the UI or `temporal --codec-endpoint`. */
  endpoint: string;
  close(): Promise<void>;
}

export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const origins = new Set(options.origins ?? DEFAULT_UI_ORIGINS);
  // Codecs run in order on encode and in reverse on decode, as Temporal's data converter does.
  const encode = async (payloads: Payload[]) => {
    for (const codec of options.codecs) payloads = await codec.encode(payloads);
    return payloads;
  };
  const decode = async (payloads: Payload[]) => {
    for (const codec of [...options.codecs].reverse()) payloads = await codec.decode(payloads);
    return payloads;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!origins.has(origin)) throw new HttpError(403, `origin ${origin} is not allowed (allowed: ${[...origins].join(', ')})`);
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Credentials', 'true');
      response.setHeader('Vary', 'Origin');
    }
    if (request.method === 'OPTIONS') {
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      response.writeHead(204).end();
      return;
    }
    let route = request.url?.split('?')[0] ?? '';
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    let authorized = sameSecret(bearer, options.token);
    const prefixed = /^\/([^/]+)(\/[^/]*)$/.exec(route);
    if (prefixed && sameSecret(prefixed[1], options.token)) {
      authorized = true;
      route = prefixed[2] ?? '';
    }
    if (!authorized) throw new HttpError(401, 'the codec server needs its token: use the endpoint http://host:port/<token> that `personaact dev up` or `codec-server` printed');
    const transform = route === '/encode' ? encode : route === '/decode' ? decode : undefined;
    if (!transform) throw new HttpError(404, 'POST /encode or /decode');
    if (request.method !== 'POST') throw new HttpError(405, `${request.method} ${route}: use POST`);
    let json: unknown;
    try {
      json = JSON.parse(await readBody(request));
    } catch (error) {
      if (error instanceof HttpError) throw error;
      throw new HttpError(400, 'body is not JSON');
    }
    const parsed = PayloadsBodySchema.safeParse(json);
    if (!parsed.success) throw new HttpError(400, formatZodError(parsed.error, 'body'));
    const payloads = await transform(parsed.data.payloads.map(payloadFromJson));
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ payloads: payloads.map(payloadToJson) }));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      options.onError?.(`${request.method} ${request.url}: ${status} ${message}`);
      if (!response.headersSent) response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(`${message}\n`);
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    endpoint: `${url}/${options.token}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
