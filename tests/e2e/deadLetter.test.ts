import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLetterView } from '#local/runtimeRoutes.ts';
import { userEventAttributes } from '#shared/domain/userEvent.ts';
import { eventually, type RunningStack, startLocalStack } from '../support/localStack.ts';

const MAX_RECEIVES = 3;

describe('poison messages over the local pipeline', () => {
  let stack: RunningStack;
  const batches: { received: number; failed: number }[] = [];

  beforeAll(async () => {
    stack = await startLocalStack({
      visibilityTimeoutMs: 50,
      maxReceiveCount: MAX_RECEIVES,
      onBatch: (b) => batches.push(b),
    });
  });
  afterAll(() => stack.stop());

  it('a poison record reaches the DLQ after maxReceiveCount while the rest of its batch lands', async () => {
    const { topic, queue, dlq } = stack.pipeline;
    const event = (email: string) =>
      JSON.stringify({
        eventId: `e-${email}`,
        occurredAt: new Date().toISOString(),
        user: { name: 'Ok', email },
      });
    // Published while the poller is held, so they travel in one batch.
    await stack.pipeline.eventSource.stop();
    await Promise.all([
      topic.publish(event('one@example.com'), userEventAttributes()),
      topic.publish('{"eventId":"poison","user":', userEventAttributes()),
      topic.publish(event('two@example.com'), userEventAttributes()),
    ]);
    stack.pipeline.eventSource.start();

    await eventually(async () =>
      (await dlq.stats()).total === 1 && (await queue.stats()).total === 0 ? true : undefined,
    );
    expect(batches[0]).toMatchObject({ received: 3, failed: 1 });

    const users = (await (await fetch(`${stack.url}/users`)).json()) as { items: { email: string }[] };
    expect(users.items.map((u) => u.email).sort()).toEqual(['one@example.com', 'two@example.com']);

    const response = await fetch(`${stack.url}/_local/dlq?showBodies=true`);
    const { items } = (await response.json()) as { items: DeadLetterView[] };
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      receiveCount: MAX_RECEIVES,
      lastError: 'The message body is not JSON.',
      messageBytes: 27,
      message: '{"eventId":"poison","user":',
    });

    // What an operator would see: the DLQ depth and the failures, scraped like Prometheus does.
    const scrape = await (await fetch(`${stack.url}/_local/metrics`)).text();
    expect(scrape).toContain(
      'ingesta_queue_messages{queue="ingesta-users-dlq",state="visible",service="ingesta"} 1',
    );
    expect(scrape).toContain(
      `ingesta_subscriber_records_total{outcome="failed",service="ingesta"} ${MAX_RECEIVES}`,
    );
    expect(scrape).toContain('ingesta_subscriber_records_total{outcome="written",service="ingesta"} 2');
    expect(scrape).toMatch(/^nodejs_heap_size_used_bytes\{service="ingesta"\} /m);
  });

  it('redrives dead letters back to the queue on request', async () => {
    const { dlq, queue } = stack.pipeline;
    const before = (await dlq.stats()).total;
    expect(before).toBeGreaterThan(0);
    const response = await fetch(`${stack.url}/_local/dlq/redrive`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(await response.json()).toEqual({ moved: before });
    // Still poison: it cycles through its receives again and returns to the DLQ.
    await eventually(async () =>
      (await dlq.stats()).total === before && (await queue.stats()).total === 0 ? true : undefined,
    );
  });
});
