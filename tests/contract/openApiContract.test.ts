import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#api/openapi/document.ts';
import { type Exchange, OpenApiContract } from '../support/openApiContract.ts';

const contract = new OpenApiContract(openApiDocument());
const USER = {
  id: '1',
  name: 'Ada',
  email: 'ada@x.io',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const ETAG = '"abc"';
const ok: Exchange = {
  method: 'GET',
  path: '/users/1',
  status: 200,
  headers: {
    'content-type': 'application/json',
    'x-request-id': 'r-1',
    'x-content-type-options': 'nosniff',
    etag: ETAG,
    'cache-control': 'no-cache, private',
  },
  body: JSON.stringify(USER),
};
const problem = (status: number, type = 'about:blank') =>
  JSON.stringify({ type, title: 't', status, detail: 'd', requestId: 'r-1' });

/** The validator the e2e tests rely on must itself catch each kind of departure. */
describe('OpenApiContract', () => {
  it('accepts a documented answer', () => {
    expect(contract.check(ok)).toEqual([]);
  });

  it.each<[string, Partial<Exchange>, RegExp]>([
    ['an undocumented status', { status: 201 }, /answered 201, which is not documented/],
    [
      'a missing required header',
      { headers: { 'content-type': 'application/json', 'x-request-id': 'r' } },
      /header etag is required/,
    ],
    [
      'an undocumented header',
      { headers: { ...ok.headers, 'x-debug': '1' } },
      /header x-debug is not documented/,
    ],
    [
      'a header value outside its schema',
      { headers: { ...ok.headers, 'cache-control': 'max-age=60' } },
      /cache-control/,
    ],
    [
      'a body missing a field',
      { body: JSON.stringify({ ...USER, email: undefined }) },
      /must have required property 'email'/,
    ],
    [
      'a body with an extra field',
      { body: JSON.stringify({ ...USER, role: 'admin' }) },
      /must NOT have additional properties/,
    ],
    [
      'a date that is no date-time',
      { body: JSON.stringify({ ...USER, createdAt: 'yesterday' }) },
      /must match format "date-time"/,
    ],
    [
      'an undocumented media type',
      { headers: { ...ok.headers, 'content-type': 'text/html' } },
      /content type 'text\/html'/,
    ],
    ['a body on a 304', { status: 304, body: '{}' }, /a body was sent where none is documented/],
    [
      'a problem with another type than documented',
      {
        status: 400,
        headers: { 'content-type': 'application/problem+json', 'x-request-id': 'r' },
        body: problem(400, 'urn:x'),
      },
      /must be equal to one of the allowed values/,
    ],
    [
      'an answer to an unknown path that is not 404',
      { path: '/orders', status: 200 },
      /is no documented path/,
    ],
  ])('flags %s', (_label, change, message) => {
    const found = contract.check({ ...ok, ...change, ...(change.status === 400 ? { path: '/users' } : {}) });
    expect(found.join('\n')).toMatch(message);
  });

  it('holds a wrong method to 405 with Allow naming exactly the documented methods', () => {
    const base = {
      method: 'DELETE',
      path: '/users',
      status: 405,
      body: problem(405),
    };
    const headers = {
      'content-type': 'application/problem+json',
      'x-request-id': 'r',
      'x-content-type-options': 'nosniff',
    };
    expect(contract.check({ ...base, headers: { ...headers, allow: 'GET, POST' } })).toEqual([]);
    expect(contract.check({ ...base, headers: { ...headers, allow: 'GET' } }).join()).toMatch(
      /Allow is 'GET'/,
    );
  });
});
