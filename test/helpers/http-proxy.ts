/**
 * A tiny real HTTP proxy for tests: forwards absolute-form requests and CONNECT tunnels, asks for
 * Basic credentials when given some (407, as real authenticated proxies do), and records every
 * request it forwarded. Every host name resolves to 127.0.0.1, so a site addressed by a name only
 * this proxy knows (`tiktok.fixture.test`) loads *only* through it: a page that loads proves the
 * proxy carried it.
 */
import { createServer, request as httpRequest } from 'node:http';
import { connect, type AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  /** The absolute URL (or host:port for CONNECT) the browser asked for. */
  target: string;
}

export interface TestProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  seen: ProxiedRequest[];
  /** Requests refused for missing or wrong credentials. */
  refused: number;
  close(): Promise<void>;
}

export async function startTestProxy(options: { username?: string; password?: string } = {}): Promise<TestProxy> {
  const seen: ProxiedRequest[] = [];
  const expected = options.username === undefined ? undefined : `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
  const state = { refused: 0 };
  const authorised = (header: string | undefined) => expected === undefined || header === expected;

  const server = createServer((request, response) => {
    if (!authorised(request.headers['proxy-authorization'])) {
      state.refused += 1;
      return void response.writeHead(407, { 'proxy-authenticate': 'Basic realm="test proxy"' }).end();
    }
    const target = new URL(request.url ?? '');
    seen.push({ method: request.method ?? 'GET', target: target.href });
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest({ host: '127.0.0.1', port: target.port || 80, path: target.pathname + target.search, method: request.method, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', (error) => response.writeHead(502).end(String(error)));
    request.pipe(upstream);
  });
  server.on('connect', (request, socket, head) => {
    if (!authorised(request.headers['proxy-authorization'])) {
      state.refused += 1;
      return void socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test proxy"\r\n\r\n');
    }
    seen.push({ method: 'CONNECT', target: request.url ?? '' });
    const port = Number((request.url ?? '').split(':').at(-1));
    const upstream = connect(port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    get refused() { return state.refused; },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
