import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { ValidationError } from './errors.ts';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('pagination cursor', () => {
  it('round-trips the id it was made from', () => {
    expect(decodeCursor(encodeCursor('12345'))).toBe('12345');
  });

  it('is opaque: URL-safe and free of the raw id structure', () => {
    const cursor = encodeCursor('42');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('42');
  });

  it.each([
    ['garbage characters', 'not a cursor!'],
    ['base64 that is not JSON', Buffer.from('hello').toString('base64url')],
    ['an unknown version', b64({ v: 2, after: '1' })],
    ['a non-numeric id', b64({ v: 1, after: 'abc' })],
    ['an extra field', b64({ v: 1, after: '1', admin: true })],
    ['an oversized value', 'A'.repeat(201)],
    ['an empty string', ''],
    ['a truncated cursor', encodeCursor('12345').slice(0, 10)],
  ])('rejects %s with a 400 naming the cursor', (_label, cursor) => {
    let caught: unknown;
    try {
      decodeCursor(cursor);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues).toEqual([{ path: 'cursor', message: 'invalid cursor' }]);
  });
});
