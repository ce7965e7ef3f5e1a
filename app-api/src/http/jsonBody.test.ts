import { describe, expect, it } from 'vitest';
import { MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.ts';
import type { HttpRequest } from './httpTypes.ts';
import { isJsonMediaType, MAX_BODY_BYTES, readJsonBody } from './jsonBody.ts';

const request = (body: string | Buffer | undefined, contentType?: string): HttpRequest => ({
  method: 'POST',
  path: '/users',
  query: new URLSearchParams(),
  headers: contentType === undefined ? {} : { 'content-type': contentType },
  body: typeof body === 'string' ? Buffer.from(body) : body,
  requestId: 'r',
});

describe('readJsonBody', () => {
  it('parses a JSON body', () => {
    expect(readJsonBody(request('{"a":1}', 'application/json'))).toEqual({ a: 1 });
  });

  it('refuses a body over 64 KB before looking at it', () => {
    const big = request(Buffer.alloc(MAX_BODY_BYTES + 1, 0x7b), 'text/plain');
    expect(() => readJsonBody(big)).toThrow(PayloadTooLargeError);
  });

  it('accepts exactly 64 KB', () => {
    const padded = `{"a":"${'x'.repeat(MAX_BODY_BYTES - 8)}"}`;
    expect(Buffer.byteLength(padded)).toBe(MAX_BODY_BYTES);
    expect(readJsonBody(request(padded, 'application/json'))).toHaveProperty('a');
  });

  it('refuses a missing or non-JSON content type with 415', () => {
    expect(() => readJsonBody(request('{}'))).toThrow(UnsupportedMediaTypeError);
    expect(() => readJsonBody(request('{}', 'text/plain'))).toThrow(UnsupportedMediaTypeError);
  });

  it.each(['{"a":', '', 'nul', '{"a":1}}'])('refuses malformed JSON %j with 400', (body) => {
    expect(() => readJsonBody(request(body, 'application/json'))).toThrow(MalformedJsonError);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(() => readJsonBody(request(Buffer.from([0x22, 0xff, 0x22]), 'application/json'))).toThrow(
      MalformedJsonError,
    );
  });
});

describe('isJsonMediaType', () => {
  it.each([
    ['application/json', true],
    ['Application/JSON; charset=UTF-8', true],
    ['application/merge-patch+json', true],
    ['application/json; charset=latin1', false],
    ['text/json', false],
    ['application/jsonx', false],
  ])('%s → %s', (value, expected) => {
    expect(isJsonMediaType(value)).toBe(expected);
  });
});
