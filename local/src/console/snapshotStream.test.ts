import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SnapshotStream } from './snapshotStream.ts';

const INTERVAL_MS = 100;

/** A server whose every request becomes a stream client; answers 503 when the stream refuses. */
const serve = async (stream: SnapshotStream): Promise<{ server: Server; url: string }> => {
  const server = createServer((_request, response) => {
    if (!stream.attach(response)) {
      response.writeHead(503);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

/** Opens a stream and collects its `data:` frames. */
const open = (url: string) =>
  new Promise<{ response: IncomingMessage; frames: string[] }>((resolve, reject) => {
    const frames: string[] = [];
    get(url, (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line.startsWith('data: ')) frames.push(line.slice(6));
      });
      resolve({ response, frames });
    }).on('error', reject);
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SnapshotStream', () => {
  let cleanup: () => void = () => {};
  afterEach(() => cleanup());

  it('builds one snapshot per interval for all its clients, and stops when the last one leaves', async () => {
    let builds = 0;
    const stream = new SnapshotStream(async () => ({ n: ++builds }), {
      maxClients: 4,
      intervalMs: INTERVAL_MS,
    });
    const { server, url } = await serve(stream);
    cleanup = () => {
      stream.close();
      server.close();
    };

    const clients = await Promise.all([open(url), open(url), open(url)]);
    await sleep(INTERVAL_MS * 5.5);
    const buildsWhileOpen = builds;

    // About one build per interval whatever the number of clients (not three per interval), plus one for
    // each newcomer; and about one frame per interval to each client.
    expect(buildsWhileOpen).toBeGreaterThanOrEqual(4);
    expect(buildsWhileOpen).toBeLessThanOrEqual(6 + clients.length);
    for (const { frames } of clients) {
      expect(frames.length).toBeGreaterThanOrEqual(4);
      expect(frames.length).toBeLessThanOrEqual(7);
    }

    for (const { response } of clients) response.destroy();
    await sleep(INTERVAL_MS);
    expect(stream.clients).toBe(0);
    const buildsAfterLeaving = builds;
    await sleep(INTERVAL_MS * 4);
    expect(builds).toBe(buildsAfterLeaving);
  });

  it('refuses clients over its cap', async () => {
    const stream = new SnapshotStream(async () => ({}), { maxClients: 2, intervalMs: INTERVAL_MS });
    const { server, url } = await serve(stream);
    cleanup = () => {
      stream.close();
      server.close();
    };

    const [a, b, c] = [await open(url), await open(url), await open(url)];

    expect([a.response.statusCode, b.response.statusCode, c.response.statusCode]).toEqual([200, 200, 503]);
    expect(a.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(a.response.headers['cache-control']).toBe('no-store');
    for (const { response } of [a, b, c]) response.destroy();
  });

  it('ends every stream on close, so the server can close', async () => {
    const stream = new SnapshotStream(async () => ({}), { maxClients: 2, intervalMs: INTERVAL_MS });
    const { server, url } = await serve(stream);
    const { response } = await open(url);
    const ended = new Promise<void>((resolve) => response.on('end', resolve));

    stream.close();
    await ended;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(stream.clients).toBe(0);
  });
});
