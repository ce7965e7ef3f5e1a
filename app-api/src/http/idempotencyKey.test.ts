import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/domain/errors.ts';
import type { HttpRequest } from './httpTypes.ts';
import { readIdempotencyKey } from './idempotencyKey.ts';

const withKey = (value?: string): HttpRequest => ({
  method: 'POST',
  path: '/users',
  query: new URLSearchParams(),
  headers: value === undefined ? {} : { 'idempotency-key': value },
  body: undefined,
  requestId: 'r',
});

describe('readIdempotencyKey', () => {
  it('is undefined when the header is absent', () => {
    expect(readIdempotencyKey(withKey())).toBeUndefined();
  });

  it.each([
    ['a bare key', 'signup-42', 'signup-42'],
    ['the structured-field string the draft defines', '"8e03978e-40d5"', '8e03978e-40d5'],
    ['a quoted key with escapes', '"a\\"b\\\\c"', 'a"b\\c'],
    ['surrounding spaces', '  signup-42 ', 'signup-42'],
  ])('reads %s', (_label, header, key) => {
    expect(readIdempotencyKey(withKey(header))).toBe(key);
  });

  it.each([
    ['empty', ''],
    ['a space inside', 'sign up'],
    ['an unterminated string', '"abc'],
    ['a bad escape', '"a\\nb"'],
    ['two strings', '"a", "b"'],
    ['over 128 characters', 'k'.repeat(129)],
    ['a control character', 'a\u0001b'],
  ])('refuses %s with a 400 naming the header', (_label, header) => {
    expect(() => readIdempotencyKey(withKey(header))).toThrow(ValidationError);
    try {
      readIdempotencyKey(withKey(header));
    } catch (error) {
      expect((error as ValidationError).issues[0]?.path).toBe('Idempotency-Key');
    }
  });
});
