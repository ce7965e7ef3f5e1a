import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.ts';
import { checkUserEventAttributes, parseUserEvent, USER_EVENT_TYPE } from './userEvent.ts';

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

  it('accepts timestamps with an offset', () => {
    expect(parseUserEvent({ ...valid, occurredAt: '2026-01-02T03:04:05+02:00' }).occurredAt).toBe(
      '2026-01-02T03:04:05+02:00',
    );
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
