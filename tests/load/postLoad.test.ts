import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, startLocalStack } from '../support/localStack.ts';

const REQUESTS = 2_000;

// Bounded load (a fixed request count on loopback): correctness under concurrency, not speed.
describe('POST load over the local stack', () => {
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startLocalStack({ batchSize: 100, batchingWindowMs: 1_000 });
  });
  afterAll(() => stack.stop());

  it(`${REQUESTS} concurrent POSTs are all accepted and each lands exactly once`, async () => {
    let n = 0;
    const started = performance.now();
    let answered = started;
    const result = await autocannon({
      url: `${stack.url}/users`,
      connections: 20,
      amount: REQUESTS,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => {
            const i = n++;
            return {
              ...request,
              body: JSON.stringify({ name: `Load ${i}`, email: `load-${i}@example.com` }),
            };
          },
          onResponse: () => {
            answered = performance.now();
          },
        },
      ],
    });
    expect(result.errors).toBe(0);
    expect(result['2xx']).toBe(REQUESTS);
    expect(result.non2xx).toBe(0);

    await eventually(
      async () => ((await stack.pipeline.queue.stats()).total === 0 ? true : undefined),
      60_000,
    );
    // A figure for the report, not an assertion: speed is measured by `npm run bench`.
    console.info(
      `POST load: ${REQUESTS} answered 202 at ${Math.round(REQUESTS / ((answered - started) / 1_000))} req/s ` +
        `(mean ${result.latency.mean} ms, p99 ${result.latency.p99} ms), all stored ${Math.round(performance.now() - started)} ms after the first request`,
    );
    const { rows } = await stack.pipeline.db.query<{ n: number; distinct_emails: number }>(
      "SELECT count(*)::int AS n, count(DISTINCT email)::int AS distinct_emails FROM users WHERE email LIKE 'load-%'",
    );
    expect(rows[0]).toEqual({ n: REQUESTS, distinct_emails: REQUESTS });
    expect((await stack.pipeline.dlq.stats()).total).toBe(0);

    const scrape = await (await fetch(`${stack.url}/_local/metrics`)).text();
    expect(scrape).toContain(
      `ingesta_api_requests_total{route="/users",method="POST",status="202",service="ingesta"} ${REQUESTS}`,
    );
    expect(scrape).toContain(
      `ingesta_subscriber_records_total{outcome="written",service="ingesta"} ${REQUESTS}`,
    );
  }, 120_000);
});
