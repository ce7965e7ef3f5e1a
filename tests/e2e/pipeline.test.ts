import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snsEnvelope } from '#local/snsEnvelope.ts';
import { userEventAttributes } from '#shared/domain/userEvent.ts';
import { eventually, type RunningStack, startLocalStack } from '../support/localStack.ts';

interface Page {
  items: { id: string; name: string; email: string; createdAt: string; updatedAt: string }[];
  nextCursor: string | null;
}

describe('local pipeline over real HTTP', () => {
  let stack: RunningStack;

  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(() => stack.stop());

  const post = (user: unknown, headers: Record<string, string> = {}) =>
    fetch(`${stack.url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(user),
    });

  const findByEmail = async (email: string) => {
    let cursor: string | null = null;
    do {
      const page = (await (
        await fetch(`${stack.url}/users?limit=500${cursor ? `&cursor=${cursor}` : ''}`)
      ).json()) as Page;
      const hit = page.items.find((u) => u.email === email);
      if (hit) return hit;
      cursor = page.nextCursor;
    } while (cursor);
    return undefined;
  };

  const drained = () =>
    eventually(async () => ((await stack.pipeline.queue.stats()).total === 0 ? true : undefined), 60_000);

  it('a POST becomes visible in GET', async () => {
    const response = await post({ name: 'Ada Lovelace', email: 'Ada@Example.com' });
    expect(response.status).toBe(202);
    const { eventId, messageId } = (await response.json()) as { eventId: string; messageId: string };
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);

    const user = await eventually(() => findByEmail('ada@example.com'));
    expect(user.name).toBe('Ada Lovelace');
    const single = await fetch(`${stack.url}/users/${user.id}`);
    expect(await single.json()).toEqual(user);
  });

  it('paging through 1,000 users returns each exactly once', async () => {
    const emails = Array.from({ length: 1_000 }, (_, i) => `pager-${i}@example.com`);
    // 25 requests in flight at a time: enough to batch in the queue, bounded for the machine.
    for (let i = 0; i < emails.length; i += 25) {
      const statuses = await Promise.all(
        emails.slice(i, i + 25).map((email) => post({ name: 'Pager', email }).then((r) => r.status)),
      );
      expect(new Set(statuses)).toEqual(new Set([202]));
    }
    await drained();

    const seen: string[] = [];
    const ids: bigint[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await fetch(
        `${stack.url}/users?limit=97${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(response.status).toBe(200);
      const page = (await response.json()) as Page;
      expect(page.items.length).toBeLessThanOrEqual(97);
      seen.push(...page.items.map((u) => u.email).filter((e) => e.startsWith('pager-')));
      ids.push(...page.items.map((u) => BigInt(u.id)));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);

    expect(seen).toHaveLength(1_000);
    expect(new Set(seen)).toEqual(new Set(emails));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect(pages).toBeGreaterThanOrEqual(11);
  });

  it('duplicate delivery leaves one row', async () => {
    const message = JSON.stringify({
      eventId: 'dup-1',
      occurredAt: '2026-02-01T00:00:00.000Z',
      user: { name: 'Dup', email: 'dup@example.com' },
    });
    const envelope = snsEnvelope({
      messageId: 'sns-dup-1',
      topicArn: stack.pipeline.topic.arn,
      message,
      attributes: userEventAttributes(),
      timestamp: new Date(),
    });
    // The same SNS message lands in the queue twice, as at-least-once delivery allows.
    await stack.pipeline.queue.send(envelope);
    await drained();
    const first = await eventually(() => findByEmail('dup@example.com'));
    await stack.pipeline.queue.send(envelope);
    await drained();

    const count = async () =>
      (
        await stack.pipeline.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM users WHERE email = 'dup@example.com'",
        )
      ).rows[0]?.n;
    expect(await count()).toBe(1);
    expect(await findByEmail('dup@example.com')).toEqual(first);

    // A client retrying with the same Idempotency-Key gets the same event id, and still one row.
    const ids = [];
    for (let i = 0; i < 2; i += 1) {
      const retry = await post(
        { name: 'Dup Again', email: 'DUP@example.com' },
        { 'idempotency-key': 'signup-77' },
      );
      ids.push(((await retry.json()) as { eventId: string }).eventId);
    }
    expect(ids).toEqual(['signup-77', 'signup-77']);
    await drained();
    expect(await count()).toBe(1);
    expect((await findByEmail('dup@example.com'))?.name).toBe('Dup Again');
  });
});
