import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type RunningStack, startLocalStack } from '../support/localStack.ts';

describe('the topic refusing messages (queue at its bound)', () => {
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startLocalStack({ maxQueueMessages: 3 });
    await stack.pipeline.eventSource.stop(); // nothing drains until we say so
  });
  afterAll(() => stack.stop());

  const post = (email: string, key: string) =>
    fetch(`${stack.url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ name: 'Full', email }),
    });

  it('answers 503 with Retry-After instead of dropping the event; the retry with the same key lands once', async () => {
    for (let i = 0; i < 3; i += 1) expect((await post(`full-${i}@x.io`, `full-${i}`)).status).toBe(202);

    const refused = await post('full-3@x.io', 'full-3');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({
      title: 'Service Unavailable',
      detail: 'The event could not be published. Retry with the same Idempotency-Key.',
    });
    expect((await stack.pipeline.queue.stats()).total).toBe(3);

    stack.pipeline.eventSource.start();
    await eventually(async () => ((await stack.pipeline.queue.stats()).total === 0 ? true : undefined));
    const retried = await post('full-3@x.io', 'full-3');
    expect(retried.status).toBe(202);
    expect(((await retried.json()) as { eventId: string }).eventId).toBe('full-3');
    await eventually(async () => ((await stack.pipeline.queue.stats()).total === 0 ? true : undefined));

    const { rows } = await stack.pipeline.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE email LIKE 'full-%'",
    );
    expect(rows[0]?.n).toBe(4);
  });
});
