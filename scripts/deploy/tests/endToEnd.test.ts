import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { runEndToEnd } from '../endToEnd.ts';
import { createSmokeUser } from '../smokeChecks.ts';
import { ContractFakes, FakeInvoker } from './fakes.ts';

/** A clock that only moves when the check sleeps, so elapsed time is exact. */
const fakeClock = () => {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
};

const seed = (fakes: ContractFakes, count: number): void => {
  for (let index = 0; index < count; index++)
    fakes.store({ name: `u${index}`, email: `u${index}@example.com` });
};

const pipelineInvoker = (fakes: ContractFakes, deliverAfterGets: number) => {
  let getsAfterPost = 0;
  return new FakeInvoker((payload) => {
    const event = payload as LambdaFunctionURLEvent;
    if (fakes.published.length > 0 && event.requestContext.http.method === 'GET') {
      getsAfterPost++;
      if (getsAfterPost > deliverAfterGets) fakes.deliver();
    }
    return { statusCode: 200, payload: fakes.api(event) };
  });
};

describe('runEndToEnd', () => {
  it('posts a unique user and reports how long it took to become visible', async () => {
    const fakes = new ContractFakes();
    seed(fakes, 7);
    const clock = fakeClock();
    const user = createSmokeUser();

    const result = await runEndToEnd(pipelineInvoker(fakes, 6), {
      user,
      timeoutMs: 60_000,
      intervalMs: 500,
      pageLimit: 3,
      ...clock,
    });

    expect(result.email).toBe(user.email);
    expect(result.userId).toBe('8');
    expect(result.polls).toBeGreaterThan(1);
    expect(result.visibleAfterMs).toBe((result.polls - 1) * 500);
  });

  it('re-reads from the last page rather than walking the whole table on every poll', async () => {
    const fakes = new ContractFakes();
    seed(fakes, 30);
    const invoker = pipelineInvoker(fakes, 4);

    await runEndToEnd(invoker, {
      user: createSmokeUser(),
      timeoutMs: 60_000,
      intervalMs: 1,
      pageLimit: 10,
      ...fakeClock(),
    });

    const cursors = invoker.calls
      .map((call) => (call as LambdaFunctionURLEvent).queryStringParameters?.cursor)
      .filter((cursor) => cursor !== undefined);
    expect(new Set(cursors)).toEqual(new Set(['10', '20', '30']));
  });

  it('fails with a clear message when the user never shows up within the timeout', async () => {
    const fakes = new ContractFakes();
    const invoker = pipelineInvoker(fakes, Number.POSITIVE_INFINITY);

    await expect(
      runEndToEnd(invoker, { user: createSmokeUser(), timeoutMs: 3_000, intervalMs: 1_000, ...fakeClock() }),
    ).rejects.toThrow(/not visible through GET \/users after 3000 ms \(4 polls\)/);
  });

  it('fails when the POST is not accepted', async () => {
    const invoker = new FakeInvoker((payload) => {
      const event = payload as LambdaFunctionURLEvent;
      if (event.requestContext.http.method === 'POST') {
        return { statusCode: 200, payload: { statusCode: 500, headers: {}, body: '{}' } };
      }
      return { statusCode: 200, payload: new ContractFakes().api(event) };
    });

    await expect(
      runEndToEnd(invoker, { user: createSmokeUser(), timeoutMs: 1_000, intervalMs: 1, ...fakeClock() }),
    ).rejects.toThrow('HTTP 500, expected 202');
  });
});
