import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningStack, startLocalStack } from '../support/localStack.ts';
import { exchange, type RawResponse, send } from '../support/rawHttp.ts';

/** The local server only answers its own origin, refuses cross-site writes and speaks problem+json. */
describe('the local server over real HTTP', () => {
  let stack: RunningStack;
  let port: string;
  const user = JSON.stringify({ name: 'Ada', email: 'ada@example.com' });

  beforeAll(async () => {
    stack = await startLocalStack();
    port = new URL(stack.url).port;
  });
  afterAll(() => stack.stop());

  const expectProblem = (response: RawResponse, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const problem = JSON.parse(response.body) as Record<string, unknown>;
    expect(problem).toMatchObject({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
    });
    return problem;
  };

  describe('Host (DNS rebinding)', () => {
    it.each([
      ['/users', 'attacker.example'],
      ['/users', `attacker.example:${'PORT'}`],
      ['/_local/dlq', 'rebind.attacker.example'],
      ['/_local/metrics', '127.0.0.2'],
    ])('refuses GET %s with Host %s', async (path, host) => {
      const response = await send(stack.url, { path, headers: { host: host.replace('PORT', port) } });
      expectProblem(response, 421);
      expect(response.body).not.toContain('"items"');
    });

    it.each(['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]'])(
      'answers Host %s on its own port',
      async (name) => {
        const response = await send(stack.url, { path: '/health', headers: { host: `${name}:${port}` } });
        expect(response.status).toBe(200);
      },
    );

    it('refuses the right name on another port', async () => {
      expectProblem(await send(stack.url, { path: '/users', headers: { host: 'localhost:1' } }), 421);
    });
  });

  describe('cross-site writes', () => {
    it('refuses a cross-site HTML form POST to /_local/dlq/redrive', async () => {
      const response = await send(stack.url, {
        method: 'POST',
        path: '/_local/dlq/redrive',
        headers: { origin: 'http://attacker.example', 'content-type': 'application/x-www-form-urlencoded' },
        body: 'x=1',
      });
      expectProblem(response, 403);
    });

    it('refuses a /_local write without a JSON content type, even with no Origin (a plain form)', async () => {
      const response = await send(stack.url, { method: 'POST', path: '/_local/dlq/redrive' });
      expectProblem(response, 415);
    });

    it('redrives on a same-origin JSON request', async () => {
      const response = await send(stack.url, {
        method: 'POST',
        path: '/_local/dlq/redrive',
        headers: { origin: stack.url, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' },
      });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ moved: 0 });
    });

    it.each([
      ['a foreign Origin', { origin: 'http://attacker.example' }],
      ['an opaque Origin', { origin: 'null' }],
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
      ['the same host on another port', { origin: 'http://127.0.0.1:1' }],
    ])('refuses a POST /users with %s, and publishes nothing', async (_label, headers) => {
      const publish = vi.spyOn(stack.pipeline.topic, 'publish');
      try {
        const response = await send(stack.url, {
          method: 'POST',
          path: '/users',
          headers: { 'content-type': 'application/json', ...headers },
          body: user,
        });
        expectProblem(response, 403);
        expect(publish).not.toHaveBeenCalled();
      } finally {
        publish.mockRestore();
      }
    });

    it('accepts a same-origin POST /users and one with no Origin (curl)', async () => {
      const sameOrigin: Record<string, string> = { origin: stack.url, 'sec-fetch-site': 'same-origin' };
      for (const headers of [sameOrigin, {}]) {
        const response = await send(stack.url, {
          method: 'POST',
          path: '/users',
          headers: { 'content-type': 'application/json', ...headers },
          body: user,
        });
        expect(response.status).toBe(202);
      }
    });

    it('lets cross-site reads through the Origin check (the Host check guards them)', async () => {
      const response = await send(stack.url, {
        path: '/health',
        headers: { origin: 'http://attacker.example', 'sec-fetch-site': 'cross-site' },
      });
      expect(response.status).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('response headers', () => {
    it('sends nosniff on API answers, problems and /_local answers; /_local is never cached', async () => {
      for (const path of ['/health', '/users', '/orders']) {
        expect((await send(stack.url, { path })).headers['x-content-type-options']).toBe('nosniff');
      }
      const local = await send(stack.url, { path: '/_local/queues' });
      expect(local.status).toBe(200);
      expect(local.headers['x-content-type-options']).toBe('nosniff');
      expect(local.headers['cache-control']).toBe('no-store');
    });
  });

  describe("the runtime's own errors are problem+json", () => {
    it('404 for an unknown /_local route', async () => {
      expectProblem(await send(stack.url, { path: '/_local/nope' }), 404);
    });

    it('413 for a request over 6 MB, before the function runs', async () => {
      const response = await send(stack.url, {
        method: 'POST',
        path: '/users',
        headers: { 'content-type': 'application/json' },
        body: Buffer.alloc(6 * 1024 * 1024 + 1, 0x20),
      });
      expectProblem(response, 413);
    });

    it("400 for a request Node's parser refuses", async () => {
      expectProblem(
        await exchange(stack.url, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n'),
        400,
      );
    });

    it('400 for an HTTP/1.1 request without Host', async () => {
      expectProblem(await exchange(stack.url, 'GET /health HTTP/1.1\r\nConnection: close\r\n\r\n'), 400);
    });

    it('431 for headers over the limit', async () => {
      const big = `GET /health HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`;
      expectProblem(await exchange(stack.url, big), 431);
    });
  });
});
