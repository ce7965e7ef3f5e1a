import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.ts';
import { createEventClock } from './eventTime.ts';
import type { UserEventPublisher } from './ports.ts';
import { submitUser } from './submitUser.ts';
import type { UserEvent } from './userEvent.ts';

const recordingPublisher = () => {
  const published: UserEvent[] = [];
  const publisher: UserEventPublisher = {
    publish: async (event) => {
      published.push(event);
      return { messageId: `m-${published.length}` };
    },
  };
  return { publisher, published };
};

describe('submitUser', () => {
  it('publishes a normalised event with a fresh UUID and the time of its clock', async () => {
    const { publisher, published } = recordingPublisher();
    const clock = createEventClock(() => Date.parse('2026-03-04T05:06:07.089Z'));
    const result = await submitUser(publisher, { body: { name: ' Ada ', email: 'ADA@x.io' }, clock });
    expect(published).toEqual([
      {
        eventId: result.eventId,
        occurredAt: '2026-03-04T05:06:07.089000Z',
        user: { name: 'Ada', email: 'ada@x.io' },
      },
    ]);
    expect(result.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.messageId).toBe('m-1');
  });

  it('gives successive events strictly increasing occurredAt, even within one millisecond', async () => {
    const { publisher, published } = recordingPublisher();
    for (let i = 0; i < 50; i += 1) {
      await submitUser(publisher, { body: { name: `v${i}`, email: 'a@x.io' } });
    }
    const times = published.map((e) => e.occurredAt);
    const outOfOrder = times.filter((t, i) => i > 0 && !(t > (times[i - 1] ?? '')));
    expect(outOfOrder).toEqual([]);
  });

  it('uses the Idempotency-Key as the event id', async () => {
    const { publisher, published } = recordingPublisher();
    const result = await submitUser(publisher, {
      body: { name: 'A', email: 'a@x.io' },
      idempotencyKey: 'order-42',
    });
    expect(result.eventId).toBe('order-42');
    expect(published[0]?.eventId).toBe('order-42');
  });

  it('rejects an unusable Idempotency-Key and publishes nothing', async () => {
    const { publisher, published } = recordingPublisher();
    await expect(
      submitUser(publisher, { body: { name: 'A', email: 'a@x.io' }, idempotencyKey: 'has spaces' }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(published).toHaveLength(0);
  });

  it('publishes nothing for an invalid user', async () => {
    const { publisher, published } = recordingPublisher();
    await expect(submitUser(publisher, { body: { name: 'A' } })).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [{ path: 'email' }],
    });
    expect(published).toHaveLength(0);
  });
});
