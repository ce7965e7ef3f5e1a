import { describe, expect, it } from 'vitest';
import { InMemoryUserStore } from '#tests/support/inMemoryUserStore.ts';
import { RowRejectedError } from './errors.ts';
import { type InboundMessage, ingestUserEvents } from './ingestUserEvents.ts';

const message = (id: string, email: string, occurredAt: string, name = 'N'): InboundMessage => ({
  id,
  body: JSON.stringify({ eventId: `e-${id}`, occurredAt, user: { name, email } }),
  attributes: { eventType: 'user.upserted', schemaVersion: '1' },
});

describe('ingestUserEvents', () => {
  it('writes every valid event in one statement', async () => {
    const store = new InMemoryUserStore();
    const result = await ingestUserEvents(store, [
      message('1', 'a@x.io', '2026-01-01T00:00:00Z'),
      message('2', 'b@x.io', '2026-01-01T00:00:00Z'),
    ]);
    expect(store.upsertCalls).toHaveLength(1);
    expect(store.upsertCalls[0]?.map((e) => e.user.email)).toEqual(['a@x.io', 'b@x.io']);
    expect(result).toEqual({
      failures: [],
      accepted: 2,
      written: 2,
      landedOccurredAt: ['2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z'],
    });
  });

  it('keeps only the newest event per email within a batch, and counts both as landed', async () => {
    const store = new InMemoryUserStore();
    const result = await ingestUserEvents(store, [
      message('new', 'a@x.io', '2026-01-02T00:00:00Z', 'Newer'),
      message('old', 'A@X.IO', '2026-01-01T00:00:00Z', 'Older'),
    ]);
    expect(store.upsertCalls[0]?.map((e) => e.user.name)).toEqual(['Newer']);
    // Landed times are the events' own, normalised to UTC microseconds.
    expect(result.landedOccurredAt).toEqual(['2026-01-02T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z']);
  });

  it('orders events for one email by microseconds, then by event id in code-unit order', async () => {
    const store = new InMemoryUserStore();
    const sameEmail = (eventId: string, occurredAt: string, name: string): InboundMessage => ({
      id: eventId,
      body: JSON.stringify({ eventId, occurredAt, user: { name, email: 'a@x.io' } }),
      attributes: {},
    });
    await ingestUserEvents(store, [
      sameEmail('z', '2026-01-01T00:00:00.0002Z', 'later'),
      sameEmail('zz', '2026-01-01T00:00:00.0001Z', 'earlier, greater id'),
      sameEmail('B-1', '2026-01-01T00:00:00.0000Z', 'first'),
    ]);
    expect(store.upsertCalls[0]?.map((e) => e.user.name)).toEqual(['later']);
    await ingestUserEvents(store, [
      sameEmail('a-1', '2026-01-01T00:00:00Z', 'lower-case id'),
      sameEmail('B-1', '2026-01-01T00:00:00Z', 'upper-case id'),
    ]);
    // 'a' (0x61) sorts after 'B' (0x42), as in the database's "C" collation.
    expect(store.upsertCalls[1]?.map((e) => e.user.name)).toEqual(['lower-case id']);
  });

  it('reports each malformed message with its reason and still writes the rest', async () => {
    const store = new InMemoryUserStore();
    const result = await ingestUserEvents(store, [
      { id: 'not-json', body: '{"eventId":', attributes: {} },
      {
        id: 'bad-email',
        body: JSON.stringify({
          eventId: 'e',
          occurredAt: '2026-01-01T00:00:00Z',
          user: { name: 'A', email: 'x' },
        }),
        attributes: {},
      },
      { ...message('foreign', 'c@x.io', '2026-01-01T00:00:00Z'), attributes: { eventType: 'order.created' } },
      message('ok', 'd@x.io', '2026-01-01T00:00:00Z'),
    ]);
    expect(result.failures.map((f) => f.id)).toEqual(['not-json', 'bad-email', 'foreign']);
    expect(result.failures[0]?.reason).toBe('The message body is not JSON.');
    expect(result.failures[1]?.reason).toContain('user.email');
    expect(result.failures[2]?.reason).toContain('eventType');
    expect(store.upsertCalls[0]?.map((e) => e.user.email)).toEqual(['d@x.io']);
  });

  it('isolates a row the database refuses: only its messages fail', async () => {
    const store = new InMemoryUserStore();
    store.failUpsert = (events) =>
      events.some((e) => e.user.email === 'bad@x.io')
        ? new RowRejectedError('value too long', '22001')
        : undefined;
    const result = await ingestUserEvents(store, [
      message('1', 'good@x.io', '2026-01-01T00:00:00Z'),
      message('2', 'bad@x.io', '2026-01-02T00:00:00Z'),
      message('3', 'bad@x.io', '2026-01-01T00:00:00Z'),
    ]);
    expect(result.failures.map((f) => f.id).sort()).toEqual(['2', '3']);
    expect(result.failures[0]?.reason).toBe('Database write failed: value too long');
    expect(result.batchError).toBe('value too long');
    expect(result.written).toBe(1);
    expect(result.landedOccurredAt).toEqual(['2026-01-01T00:00:00.000000Z']);
  });

  it('fails every message at once when the database is down, without retrying row by row', async () => {
    const store = new InMemoryUserStore();
    store.failUpsert = () => new Error('connection refused');
    const result = await ingestUserEvents(store, [
      message('1', 'a@x.io', '2026-01-01T00:00:00Z'),
      message('2', 'b@x.io', '2026-01-01T00:00:00Z'),
    ]);
    expect(result.failures).toEqual([
      { id: '1', reason: 'Database write failed: connection refused' },
      { id: '2', reason: 'Database write failed: connection refused' },
    ]);
    expect(result.written).toBe(0);
    expect(store.upsertCalls).toHaveLength(1);
  });

  it('stops retrying row by row when the database goes away mid-way', async () => {
    const store = new InMemoryUserStore();
    store.failUpsert = (events) => {
      if (events.length > 1) return new RowRejectedError('value too long', '22001');
      return events[0]?.user.email === 'a@x.io' ? undefined : new Error('connection lost');
    };
    const result = await ingestUserEvents(store, [
      message('1', 'a@x.io', '2026-01-01T00:00:00Z'),
      message('2', 'b@x.io', '2026-01-01T00:00:00Z'),
      message('3', 'c@x.io', '2026-01-01T00:00:00Z'),
    ]);
    expect(result.written).toBe(1);
    expect(result.failures.map((f) => [f.id, f.reason])).toEqual([
      ['2', 'Database write failed: connection lost'],
      ['3', 'Database write failed: connection lost'],
    ]);
    // One batch try, then a@x.io and b@x.io alone; c@x.io is not tried against a dead database.
    expect(store.upsertCalls.map((c) => c.length)).toEqual([3, 1, 1]);
  });
});
