/**
 * What a 304 saves against a 200: the local stack serving a keyset page of 100 users and one user,
 * under autocannon, with and without a matching If-None-Match; and what the ETag itself costs (the
 * digest of a page body, in process). The anchor for each 304 is the 200 of the same request.
 */
import type autocannon from 'autocannon';
import { conditional } from '#api/http/conditional.ts';
import { json } from '#api/http/httpTypes.ts';
import { createFunctionUrlServer, listen } from '#local/functionUrlServer.ts';
import { encodeCursor } from '#shared/domain/cursor.ts';
import { load, seededPipeline } from './http.ts';
import { record } from './report.ts';
import { fmt, percentile } from './stats.ts';

/** Bytes on the wire per answer (status line, headers and body), from autocannon's totals. */
const bytesPer = (result: autocannon.Result): number => result.throughput.total / result.requests.total;

const conditionalBench = async (url: string, rows: number, seconds: number): Promise<void> => {
  const pipeline = await seededPipeline(url, rows);
  const server = createFunctionUrlServer({ invoke: pipeline.apiHandler, functionName: 'ingesta-api' });
  const base = await listen(server, 0);
  const targets = [
    {
      name: 'GET /users?limit=100 (keyset)',
      url: `${base}/users?limit=100&cursor=${encodeCursor(String(rows / 2))}`,
    },
    { name: 'GET /users/{id}', url: `${base}/users/${rows / 2}` },
  ];
  for (const { name, url: target } of targets) {
    const first = await fetch(target);
    const etag = first.headers.get('etag') ?? '';
    const page = await first.text();
    await load(target, 2);
    const full = await load(target, seconds);
    const revalidated = await load(target, seconds, { 'if-none-match': etag });
    const errors =
      full.errors + full.non2xx + revalidated.errors + revalidated.non2xx - revalidated.requests.total;
    record({
      suite: 'conditional GET (local stack)',
      measure: `${name}, 20 connections, ${seconds} s${errors > 0 ? `, ${errors} unexpected answers` : ''}`,
      ours: `304: ${fmt(bytesPer(revalidated), 0)} B/answer, ${fmt(revalidated.requests.average, 0)} req/s, p50 ${revalidated.latency.p50} ms`,
      anchor: `200: ${fmt(bytesPer(full), 0)} B/answer (body ${page.length} B), ${fmt(full.requests.average, 0)} req/s, p50 ${full.latency.p50} ms`,
      ratio: `${fmt((1 - bytesPer(revalidated) / bytesPer(full)) * 100, 0)}% fewer bytes, ${fmt(revalidated.requests.average / full.requests.average)}× req/s`,
    });
  }
  // The ETag's own cost: one SHA-256 of the body per 200 or 304.
  const body = json(200, JSON.parse(await (await fetch(targets[0]?.url ?? '')).text())).body;
  const request = {
    method: 'GET',
    path: '/users',
    query: new URLSearchParams(),
    headers: {},
    body: undefined,
    requestId: 'r',
  };
  const times: number[] = [];
  for (let i = 0; i < 20_000; i += 1) {
    const start = performance.now();
    conditional(request, { statusCode: 200, headers: {}, body });
    times.push(performance.now() - start);
  }
  record({
    suite: 'conditional GET (local stack)',
    measure: `ETag of a ${body.length} B page (SHA-256), p50 / p99`,
    ours: `${fmt(percentile(times, 50) * 1000, 1)} / ${fmt(percentile(times, 99) * 1000, 1)} µs`,
    anchor: 'keyset page query p50 in the store suite',
    ratio: '—',
  });
  await new Promise<void>((r) => server.close(() => r()));
  await pipeline.close();
};

export { conditionalBench };
