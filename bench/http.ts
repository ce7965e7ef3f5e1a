/**
 * HTTP throughput with autocannon: the local stack serving a keyset page (HTTP → Function URL
 * event → API handler → pg) against the anchor, a bare node:http + pg.Pool(10) serving the same query.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import pg from 'pg';
import { createLocalPipeline } from '#local/createLocalPipeline.ts';
import { createFunctionUrlServer, listen } from '#local/functionUrlServer.ts';
import { encodeCursor } from '#shared/domain/cursor.ts';
import { record } from './report.ts';
import { ratios, spread } from './stats.ts';

const load = (url: string, seconds: number, headers: Record<string, string> = {}) =>
  autocannon({ url, connections: 20, duration: seconds, headers });

/** The local stack on PostgreSQL with `rows` users, for the HTTP benches. */
const seededPipeline = async (url: string, rows: number) => {
  const pipeline = await createLocalPipeline({ databaseUrl: url, logLevel: 'SILENT' });
  await pipeline.db.exec('TRUNCATE users RESTART IDENTITY');
  await pipeline.db.query(
    `INSERT INTO users (name, email, last_event_id, last_event_at)
     SELECT 'User ' || g, 'u' || g || '@bench.io', 'e' || g, now() FROM generate_series(1, $1::int) g`,
    [rows],
  );
  return pipeline;
};

const httpBench = async (url: string, rows: number, seconds: number): Promise<void> => {
  const pipeline = await seededPipeline(url, rows);
  const after = String(Math.floor(rows / 2));
  const server = createFunctionUrlServer({ invoke: pipeline.apiHandler, functionName: 'ingesta-api' });
  const base = await listen(server, 0);

  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const bare = createServer(async (_req, res) => {
    const { rows: items } = await pool.query(
      'SELECT id, name, email, created_at, updated_at FROM users WHERE id > $1 ORDER BY id LIMIT 100',
      [after],
    );
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ items }));
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;

  // Warm both first; the anchor is the plain query the anchors file describes (bigint id, no cast).
  // Then 3 interleaved blocks: a slow moment of the machine moves both sides of a block alike.
  const ourUrl = `${base}/users?limit=100&cursor=${encodeCursor(after)}`;
  await load(bareUrl, 2);
  await load(ourUrl, 2);
  const fig = {
    rps: [] as number[],
    p99: [] as number[],
    anchorRps: [] as number[],
    anchorP99: [] as number[],
  };
  const p50: number[] = [];
  let errors = 0;
  for (let block = 0; block < 3; block += 1) {
    const anchor = await load(bareUrl, seconds);
    const ours = await load(ourUrl, seconds);
    errors += ours.errors + ours.non2xx;
    fig.anchorRps.push(anchor.requests.average);
    fig.anchorP99.push(anchor.latency.p99);
    fig.rps.push(ours.requests.average);
    fig.p99.push(ours.latency.p99);
    p50.push(ours.latency.p50);
  }
  record({
    suite: 'http (local stack)',
    measure: `GET /users?limit=100 (keyset), 20 connections, 3 × ${seconds} s${errors ? `, ${errors} errors` : ''}`,
    ours: `${spread(fig.rps, 0)} req/s, p50 ${spread(p50, 0)} ms, p99 ${spread(fig.p99, 0)} ms`,
    anchor: `bare node:http+pg: ${spread(fig.anchorRps, 0)} req/s, p99 ${spread(fig.anchorP99, 0)} ms`,
    ratio: `${spread(ratios(fig.rps, fig.anchorRps))}× throughput (goal ≥ 0.95×), p99 ${spread(ratios(fig.p99, fig.anchorP99))}× (goal ≤ 1.2×)`,
  });

  await new Promise<void>((r) => server.close(() => r()));
  await new Promise<void>((r) => bare.close(() => r()));
  await pool.end();
  await pipeline.close();
};

export { httpBench, load, seededPipeline };
