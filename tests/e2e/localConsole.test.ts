import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleSnapshot } from '#local/console/snapshot.ts';
import { eventually, type RunningStack, startLocalStack } from '../support/localStack.ts';

/** Reads one `data:` frame of the console's event stream, then closes it. */
const firstSnapshot = async (url: string): Promise<ConsoleSnapshot> => {
  const controller = new AbortController();
  const response = await fetch(`${url}/_local/console/events`, { signal: controller.signal });
  const reader = response.body?.getReader();
  let text = '';
  try {
    while (reader) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      const frame = /^data: (.+)$/m.exec(text)?.[1];
      if (frame !== undefined) return JSON.parse(frame) as ConsoleSnapshot;
    }
  } finally {
    controller.abort();
  }
  throw new Error(`The stream ended without a snapshot: ${text}`);
};

const json = { 'content-type': 'application/json' };

describe('the local console over HTTP', () => {
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startLocalStack({ visibilityTimeoutMs: 50, maxReceiveCount: 2 });
  });
  afterAll(() => stack.stop());

  it('serves its page with a strict Content-Security-Policy, its script bundle and its style', async () => {
    const page = await fetch(`${stack.url}/_local/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toContain('<script type="module" src="/_local/console.js">');

    const script = await fetch(`${stack.url}/_local/console.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await script.text()).length).toBeGreaterThan(1_000);
    expect((await fetch(`${stack.url}/_local/console.css`)).status).toBe(200);
  });

  it('streams snapshots of the flow, counting what the pipeline did', async () => {
    await fetch(`${stack.url}/users`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ name: 'Ada', email: 'ada@example.com' }),
    });
    const snapshot = await eventually(async () => {
      const s = await firstSnapshot(stack.url);
      return s.flow.database.written === 1 ? s : undefined;
    });

    expect(snapshot.flow).toMatchObject({ api: { accepted: 1 }, database: { up: true }, dlq: { depth: 0 } });
    expect(snapshot.newestUsers.map((u) => u.email)).toEqual(['ada@example.com']);
    expect(snapshot.slos.map((s) => s.id)).toEqual(['api_availability', 'api_latency', 'freshness']);
  });

  it('dead-letters a poison message, then redrives or deletes that one message', async () => {
    const { dlq } = stack.pipeline;
    const poison = () => fetch(`${stack.url}/_local/console/poison`, { method: 'POST', headers: json });
    expect((await poison()).status).toBe(202);
    expect((await poison()).status).toBe(202);
    const [first, second] = await eventually(async () => {
      const letters = await dlq.list();
      return letters.length === 2 ? letters : undefined;
    });
    // A new stream may first get the frame another client got this second: wait for a fresh one.
    const snapshot = await eventually(async () => {
      const s = await firstSnapshot(stack.url);
      return s.deadLetters.total === 2 ? s : undefined;
    });
    expect(snapshot.deadLetters.items[0]).toMatchObject({
      messageId: first?.messageId,
      receiveCount: 2,
      lastError: 'The message body is not JSON.',
    });

    const deleted = await fetch(`${stack.url}/_local/dlq/${second?.messageId}`, {
      method: 'DELETE',
      headers: json,
    });
    expect(await deleted.json()).toEqual({ deleted: 1 });
    const redriven = await fetch(`${stack.url}/_local/dlq/${first?.messageId}/redrive`, {
      method: 'POST',
      headers: json,
    });
    expect(await redriven.json()).toEqual({ moved: 1 });
    expect((await dlq.list()).map((m) => m.messageId)).not.toContain(second?.messageId);

    const gone = await fetch(`${stack.url}/_local/dlq/${second?.messageId}`, {
      method: 'DELETE',
      headers: json,
    });
    expect(gone.status).toBe(404);
  });

  it('refuses its writes without a JSON content type or from another origin', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const plain = { 'content-type': 'text/plain' };
    for (const [method, path] of [
      ['POST', '/_local/console/poison'],
      ['POST', `/_local/dlq/${id}/redrive`],
      ['DELETE', `/_local/dlq/${id}`],
    ] as const) {
      expect((await fetch(`${stack.url}${path}`, { method, headers: plain })).status).toBe(415);
      const crossSite = await fetch(`${stack.url}${path}`, {
        method,
        headers: { ...json, origin: 'http://evil.example' },
      });
      expect(crossSite.status).toBe(403);
    }
    expect((await stack.pipeline.dlq.stats()).total).toBeLessThanOrEqual(1);
  });

  // Its streams are few (8): frames on another site's page (even one on another port of 127.0.0.1, which a
  // browser calls same-site) would otherwise hold them all and leave the console's own page with 503s.
  it('keeps its live stream for its own page: another origin cannot open it', async () => {
    const foreign: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'iframe' },
      { 'sec-fetch-site': 'same-site', 'sec-fetch-dest': 'iframe' },
      { origin: 'http://evil.example' },
    ];
    for (const headers of foreign) {
      const response = await fetch(`${stack.url}/_local/console/events`, { headers });
      await response.body?.cancel();
      expect(response.status).toBe(403);
    }
    const own = await fetch(`${stack.url}/_local/console/events`, {
      headers: { 'sec-fetch-site': 'same-origin', origin: stack.url },
    });
    await own.body?.cancel();
    expect(own.status).toBe(200);
  });
});
