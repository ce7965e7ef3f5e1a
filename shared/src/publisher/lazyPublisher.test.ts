import { describe, expect, it } from 'vitest';
import type { UserEventPublisher } from '../domain/ports.ts';
import type { UserEvent } from '../domain/userEvent.ts';
import { lazyPublisher } from './lazyPublisher.ts';

const event: UserEvent = {
  eventId: 'e1',
  occurredAt: '2026-01-01T00:00:00.000000Z',
  user: { name: 'Ada', email: 'ada@example.com' },
};

describe('lazyPublisher', () => {
  it('builds the publisher on the first publish only, then reuses it', async () => {
    let builds = 0;
    const publisher = lazyPublisher(async () => {
      builds += 1;
      return { publish: async (e) => ({ messageId: `m-${e.eventId}` }) } satisfies UserEventPublisher;
    });
    expect(builds).toBe(0);
    await expect(Promise.all([publisher.publish(event), publisher.publish(event)])).resolves.toEqual([
      { messageId: 'm-e1' },
      { messageId: 'm-e1' },
    ]);
    expect(builds).toBe(1);
  });

  it('passes a failed build to the caller and builds again on the next publish', async () => {
    let builds = 0;
    const publisher = lazyPublisher(async () => {
      builds += 1;
      if (builds === 1) throw new Error('module failed to load');
      return { publish: async () => ({ messageId: 'm' }) };
    });
    await expect(publisher.publish(event)).rejects.toThrow('module failed to load');
    await expect(publisher.publish(event)).resolves.toEqual({ messageId: 'm' });
    expect(builds).toBe(2);
  });
});
