import { describe, expect, it } from 'vitest';
import { conditional, etagOf, REVALIDATE } from './conditional.ts';
import { type HttpRequest, json } from './httpTypes.ts';

const get = (ifNoneMatch?: string): HttpRequest => ({
  method: 'GET',
  path: '/users/1',
  query: new URLSearchParams(),
  headers: ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch },
  body: undefined,
  requestId: 'r',
});

const user = json(200, { id: '1', name: 'Ada' });
const etag = etagOf(user.body);

describe('conditional', () => {
  it('adds a strong ETag of the body and asks clients to revalidate', () => {
    const response = conditional(get(), user);
    expect(response).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json', etag, 'cache-control': REVALIDATE },
      body: user.body,
    });
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
  });

  it('gives equal bodies the same ETag and different bodies different ones', () => {
    expect(etagOf(json(200, { id: '1', name: 'Ada' }).body)).toBe(etag);
    expect(etagOf(json(200, { id: '1', name: 'Ada L.' }).body)).not.toBe(etag);
  });

  it.each([
    ['the ETag itself', etag],
    ['the ETag marked weak (If-None-Match compares weakly)', `W/${etag}`],
    ['a list that holds it', `"other", ${etag}`],
    ['*', '*'],
  ])('answers 304 with no body for %s, keeping ETag and Cache-Control', (_label, header) => {
    expect(conditional(get(header), user)).toEqual({
      statusCode: 304,
      headers: { etag, 'cache-control': REVALIDATE },
      body: '',
    });
  });

  it.each([
    ['another ETag', '"something-else"'],
    ['the ETag without its quotes', etag.slice(1, -1)],
    ['an empty header', ''],
  ])('answers the full 200 for %s', (_label, header) => {
    expect(conditional(get(header), user).statusCode).toBe(200);
  });
});
