/**
 * What an Idempotency-Key costs a POST on PostgreSQL: the local stack answering POST /users with a fresh
 * key per request (sweep, claim, publish, complete: three statements on the writer) and with one key
 * replayed (sweep, claim), against the same POST without a key (publish only).
 */
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { createLocalPipeline } from '#local/createLocalPipeline.ts';
import { createFunctionUrlServer, listen } from '#local/functionUrlServer.ts';
import { record } from './report.ts';
import { fmt } from './stats.ts';

const body = (i: number) => JSON.stringify({ name: `Bench ${i}`, email: `bench-${i}@bench.io` });

const post = (url: string, seconds: number, key: (i: number) => string | undefined) => {
  let i = 0;
  return autocannon({
    url: `${url}/users`,
    connections: 20,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          i += 1;
          const k = key(i);
          return {
            ...request,
            headers: { 'content-type': 'application/json', ...(k !== undefined && { 'idempotency-key': k }) },
            body: k === 'replayed' ? body(0) : body(i),
          };
        },
      },
    ],
  });
};

const idempotencyBench = async (url: string, seconds: number): Promise<void> => {
  // No subscriber runs: the queue only collects the events, so the figures are the API's alone.
  const pipeline = await createLocalPipeline({
    databaseUrl: url,
    logLevel: 'SILENT',
    maxQueueMessages: 1_000_000,
  });
  const server = createFunctionUrlServer({ invoke: pipeline.apiHandler, functionName: 'ingesta-api' });
  const base = await listen(server, 0);
  await post(base, 2, () => undefined);
  const plain = await post(base, seconds, () => undefined);
  const fresh = await post(base, seconds, () => randomUUID());
  const replayed = await post(base, seconds, () => 'replayed');
  const anchor = `no key: ${fmt(plain.requests.average, 0)} req/s, p50 ${plain.latency.p50} ms, p99 ${plain.latency.p99} ms`;
  for (const [label, result] of [
    ['a fresh key per request', fresh],
    ['one key, replayed', replayed],
  ] as const) {
    // 409s are expected for one key: the racing copies of its first request.
    const errors = result.errors + result['5xx'];
    const conflicts = result['4xx'] > 0 ? `, ${result['4xx']} × 409 while the first ran` : '';
    record({
      suite: 'idempotency (local stack, PostgreSQL)',
      measure: `POST /users with ${label}, 20 connections, ${seconds} s${conflicts}${errors > 0 ? `, ${errors} errors` : ''}`,
      ours: `${fmt(result.requests.average, 0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
      anchor,
      ratio: `${fmt(result.requests.average / plain.requests.average)}× throughput`,
    });
  }
  await new Promise<void>((r) => server.close(() => r()));
  await pipeline.close();
};

export { idempotencyBench };
