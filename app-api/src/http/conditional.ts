import { createHash } from 'node:crypto';
import type { HttpRequest, HttpResponse } from './httpTypes.ts';

/**
 * Users change asynchronously (a POST lands a moment later, through the queue), so no age is ever
 * safe: a client may keep a copy but must revalidate it each time (`no-cache`), which costs a 304
 * instead of the body. `private` keeps email addresses out of shared caches.
 */
const REVALIDATE = 'no-cache, private';

/** A strong validator: the digest of the exact bytes, so equal bodies always share it. */
const etagOf = (body: string): string => `"${createHash('sha256').update(body).digest('base64url')}"`;

/** Entity tags in an If-None-Match list; W/ is dropped, since If-None-Match compares weakly. */
const ENTITY_TAG = /(?:W\/)?("[\x21\x23-\x7e\x80-\xff]*")/g;

const noneMatch = (header: string, etag: string): boolean =>
  header.trim() === '*' || [...header.matchAll(ENTITY_TAG)].some((m) => m[1] === etag);

/**
 * Adds an ETag and Cache-Control to a 200, and answers 304 with no body when the client's
 * If-None-Match already names it (RFC 9110 §13.1.2). A 304 keeps ETag and Cache-Control.
 */
const conditional = (request: HttpRequest, response: HttpResponse): HttpResponse => {
  const etag = etagOf(response.body);
  const validators = { etag, 'cache-control': REVALIDATE };
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined && noneMatch(ifNoneMatch, etag)) {
    return { statusCode: 304, headers: validators, body: '' };
  }
  return { ...response, headers: { ...response.headers, ...validators } };
};

export { conditional, etagOf, REVALIDATE };
