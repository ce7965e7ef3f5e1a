import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { exchange, type RawResponse, send } from '#tests/support/rawHttp.ts';
import { closesWithin, slowClient } from '#tests/support/slowClient.ts';
import { createFunctionUrlServer, listen } from './functionUrlServer.ts';

type Invoke = Parameters<typeof createFunctionUrlServer>[0]['invoke'];

const ok: Invoke = async () => ({ statusCode: 200, body: '{}' });

describe('Function URL server', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  const start = async (options: Partial<Parameters<typeof createFunctionUrlServer>[0]> = {}) => {
    const server = createFunctionUrlServer({ invoke: ok, functionName: 'test', ...options });
    servers.push(server);
    return { server, url: await listen(server, 0) };
  };

  const expectProblem = (response: RawResponse, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body)).toMatchObject({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
    });
  };

  it('bounds how long a request may take by default: headers, whole request, idle keep-alive', async () => {
    const { server } = await start();
    expect(server.headersTimeout).toBeGreaterThan(0);
    expect(server.headersTimeout).toBeLessThanOrEqual(30_000);
    expect(server.requestTimeout).toBeGreaterThan(0);
    expect(server.requestTimeout).toBeLessThanOrEqual(30_000);
    expect(server.keepAliveTimeout).toBeGreaterThan(0);
    expect(server.keepAliveTimeout).toBeLessThanOrEqual(server.headersTimeout);
  });

  it('answers 408 and closes the connection when a body stalls (slow loris)', async () => {
    const { url } = await start({ timeouts: { bodyIdleMs: 100 } });
    const { port } = new URL(url);
    const response = await exchange(
      url,
      `POST /users HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na`,
    );
    expectProblem(response, 408);
    expect(response.headers.connection).toBe('close');
  });

  // Node stops enforcing its header and request deadlines once close() is called: a slow client would hold
  // `npm start`'s shutdown for as long as it keeps dripping.
  it.each([
    [
      'a body that never ends',
      'POST /users HTTP/1.1\r\nHost: HOST\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n',
      'a',
    ],
    ['headers that never end', 'POST /users HTTP/1.1\r\nHost: HOST\r\n', 'X-Slow: 1\r\n'],
  ])('closes at once while a client still drips %s (nothing was accepted from it)', async (_, head, byte) => {
    const { server, url } = await start();
    const client = await slowClient(url, head.replace('HOST', new URL(url).host), byte);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await closesWithin((done) => server.close(() => done()), 2_000)).toBe('closed');
      await client.gone;
    } finally {
      client.stop();
    }
  });

  it('answers 408 when the headers never finish', async () => {
    const { url } = await start({ timeouts: { headersMs: 100, requestMs: 200, checkIntervalMs: 25 } });
    const response = await exchange(url, 'GET /users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expectProblem(response, 408);
  });

  it.each([
    ['returns something a Function URL cannot use', async () => ({ statusCode: 'teapot' })],
    ['throws', () => Promise.reject(new Error('boom'))],
  ] as [string, Invoke][])('answers a 502 problem when the function %s', async (_label, invoke) => {
    const { url } = await start({ invoke });
    const response = await send(url, { path: '/users' });
    expectProblem(response, 502);
    expect(response.body).not.toContain('boom');
  });
});
