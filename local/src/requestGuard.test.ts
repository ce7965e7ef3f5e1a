import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createRequestGuard } from './requestGuard.ts';

const request = (method: string, headers: Record<string, string>, localPort = 3000) =>
  ({ method, headers, socket: { localPort } }) as unknown as IncomingMessage;

describe('request guard', () => {
  const guard = createRequestGuard(['dev.example.test', '::1', 'LocalHost']);

  it.each([
    ['127.0.0.1:3000'],
    ['localhost:3000'],
    ['[::1]:3000'],
    ['dev.example.test:3000'],
    ['DEV.example.test:3000'],
  ])('answers Host %s', (host) => {
    expect(guard(request('GET', { host }))).toBeUndefined();
  });

  it.each([
    ['another name', 'attacker.example:3000', 421],
    ['another port', '127.0.0.1:3001', 421],
    ['no port on a non-default port', 'localhost', 421],
    ['an empty Host', '', 400],
  ])('refuses %s', (_label, host, status) => {
    expect(guard(request('GET', { host }))?.statusCode).toBe(status);
  });

  it('accepts a bare name on port 80, as browsers send it', () => {
    expect(guard(request('GET', { host: 'localhost' }, 80))).toBeUndefined();
    expect(guard(request('POST', { host: 'localhost', origin: 'http://localhost' }, 80))).toBeUndefined();
  });

  it.each([
    ['an https origin', { origin: 'https://localhost:3000' }],
    ['a sibling port', { origin: 'http://localhost:5173' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ])('refuses a write from %s with 403', (_label, headers) => {
    expect(guard(request('DELETE', { host: 'localhost:3000', ...headers }))?.statusCode).toBe(403);
  });

  it('accepts a write from any name of its own origin, and from clients that send no Origin', () => {
    expect(
      guard(request('POST', { host: 'localhost:3000', origin: 'http://127.0.0.1:3000' })),
    ).toBeUndefined();
    expect(
      guard(request('POST', { host: 'localhost:3000', 'sec-fetch-site': 'same-origin' })),
    ).toBeUndefined();
    expect(guard(request('POST', { host: 'localhost:3000' }))).toBeUndefined();
  });
});
