/**
 * A local OpenAI-compatible server for tests: POST /v1/chat/completions answers from a script
 * (a reply per request: content, a status code, a delay), and every request body is kept.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedReply {
  /** The assistant's answer text. */
  content?: string;
  /** An HTTP error status instead of an answer. */
  status?: number;
  delayMs?: number;
}

export interface ScriptedModelServer {
  /** Base URL up to /v1, as PERSONAACT_POLICY_BASE_URL takes it. */
  url: string;
  /** Parsed request bodies, in arrival order. */
  requests: { model: string; messages: { role: string; content: unknown }[]; [key: string]: unknown }[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

export async function startScriptedModelServer(script: (requestNumber: number) => ScriptedReply): Promise<ScriptedModelServer> {
  const requests: ScriptedModelServer['requests'] = [];
  const server = createServer(async (request, response) => {
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      response.writeHead(404).end();
      return;
    }
    const body = JSON.parse(await readBody(request));
    requests.push(body);
    const reply = script(requests.length);
    if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    if (response.destroyed) return;
    if (reply.status) {
      response.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `scripted ${reply.status}` } }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      id: `chatcmpl-${requests.length}`, object: 'chat.completion', created: 0, model: body.model,
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: reply.content ?? '' } }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
