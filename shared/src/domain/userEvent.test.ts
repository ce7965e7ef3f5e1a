import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.ts';
import { checkUserEventAttributes, parseUserEvent, USER_EVENT_TYPE, UserEventSchema } from './userEvent.ts';

const valid = {
  eventId: 'e-1',
  occurredAt: '2026-01-02T03:04:05.678Z',
  user: { name: 'Ada', email: 'ada@x.io' },
};

describe('user event contract', () => {
  it('accepts a well-formed event and normalises the user', () => {
    expect(parseUserEvent({ ...valid, user: { name: ' Ada ', email: 'ADA@X.IO' } }).user).toEqual({
      name: 'Ada',
      email: 'ada@x.io',
    });
  });

  it.each([
    ['an offset', '2026-01-02T03:04:05+02:00', '2026-01-02T01:04:05.000000Z'],
    ['milliseconds', '2026-01-02T03:04:05.678Z', '2026-01-02T03:04:05.678000Z'],
    ['one fractional digit', '2026-01-02T03:04:05.5Z', '2026-01-02T03:04:05.500000Z'],
    ['microseconds', '2026-01-02T03:04:05.000100Z', '2026-01-02T03:04:05.000100Z'],
    ['nanoseconds (truncated)', '2026-01-02T03:04:05.1234569Z', '2026-01-02T03:04:05.123456Z'],
    ['an offset across midnight', '2026-01-01T00:30:00.25-01:00', '2026-01-01T01:30:00.250000Z'],
  ])('normalises occurredAt with %s to UTC microseconds, the precision the store keeps', (_l, input, out) => {
    expect(parseUserEvent({ ...valid, occurredAt: input }).occurredAt).toBe(out);
  });

  it('rejects an occurredAt the database cannot store (year 0 in UTC)', () => {
    expect(() => parseUserEvent({ ...valid, occurredAt: '0001-01-01T00:00:00+01:00' })).toThrow(
      ValidationError,
    );
    const result = UserEventSchema.safeParse({ ...valid, occurredAt: '0001-01-01T00:00:00+01:00' });
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['occurredAt', 'occurredAt must fall in the years 0001-9999 (UTC)'],
    ]);
  });

  it.each([
    ['a missing eventId', { occurredAt: valid.occurredAt, user: valid.user }, 'eventId'],
    ['an eventId with spaces', { ...valid, eventId: 'has space' }, 'eventId'],
    ['an eventId over 128 characters', { ...valid, eventId: 'x'.repeat(129) }, 'eventId'],
    ['a non-ISO timestamp', { ...valid, occurredAt: 'yesterday' }, 'occurredAt'],
    ['an invalid user email', { ...valid, user: { name: 'A', email: 'nope' } }, 'user.email'],
    ['an unknown top-level field', { ...valid, extra: 1 }, '(root)'],
  ])('rejects %s', (_label, input, path) => {
    try {
      parseUserEvent(input);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => i.path)).toContain(path);
    }
  });

  it('accepts matching or absent attributes', () => {
    expect(() => checkUserEventAttributes({})).not.toThrow();
    expect(() => checkUserEventAttributes({ eventType: USER_EVENT_TYPE, schemaVersion: '1' })).not.toThrow();
  });

  it('rejects a foreign event type or a future schema version', () => {
    expect(() => checkUserEventAttributes({ eventType: 'order.created' })).toThrow(ValidationError);
    try {
      checkUserEventAttributes({ schemaVersion: '2' });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([
        { path: 'schemaVersion', message: "expected '1', got '2'" },
      ]);
    }
  });
});
