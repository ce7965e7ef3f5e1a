import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange } from '#tests/support/rawHttp.ts';
import { closesWithin, slowClient } from '#tests/support/slowClient.ts';
import { createAwsEndpoint } from './awsEndpoint.ts';
import type { AwsRequest, AwsService, EndpointFailure } from './awsService.ts';

const SIGNED =
  'AWS4-HMAC-SHA256 Credential=ANYKEY/20261128/eu-west-3/sqs/aws4_request, SignedHeaders=host, Signature=00';

/** A service that echoes what the endpoint handed it, to see the endpoint's own work. */
const seen: AwsRequest[] = [];
const echo: AwsService = {
  name: 'sqs',
  handle: async (request) => {
    seen.push(request);
    if (request.headers['x-amz-target'] === 'AmazonSQS.Throw') throw new Error('boom');
    return { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
  },
  failure: (_request, failure: EndpointFailure) => ({
    status: failure.kind === 'too-large' ? 413 : failure.kind === 'unsigned' ? 403 : 500,
    body: JSON.stringify({ __type: failure.kind }),
  }),
};

let base: string;
const server = createAwsEndpoint({ services: [echo] });
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (headers: Record<string, string>, body = '{}') =>
  fetch(`${base}/`, { method: 'POST', headers, body });

describe('AWS endpoint', () => {
  it('hands a signed request to the service its credential scope names, with the region', async () => {
    const response = await post({ authorization: SIGNED, 'x-amz-target': 'AmazonSQS.ListQueues' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.at(-1)).toMatchObject({ region: 'eu-west-3', method: 'POST', path: '/' });
  });

  it('lets the service render an unsigned request as its own error', async () => {
    const response = await post({ 'x-amz-target': 'AmazonSQS.ListQueues' });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ __type: 'unsigned' });
  });

  it('answers a service it does not speak with a JSON error, not a hang', async () => {
    const response = await post({
      authorization: SIGNED.replace('/sqs/', '/dynamodb/'),
      'x-amz-target': 'DynamoDB_20120810.ListTables',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownServiceException' });
  });

  it('refuses a body over the limit without buffering it', async () => {
    const response = await post({ authorization: SIGNED }, 'x'.repeat(7 * 1024 * 1024));
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ __type: 'too-large' });
  });

  it('turns a service that throws into its internal-failure answer', async () => {
    const response = await post({ authorization: SIGNED, 'x-amz-target': 'AmazonSQS.Throw' });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ __type: 'internal' });
  });

  it('reads a path that starts with // as a path, not as a host (a 200, not a 500)', async () => {
    const answer = (path: string) =>
      new Promise<number | undefined>((resolve, reject) => {
        request(
          {
            host: '127.0.0.1',
            port: new URL(base).port,
            path,
            method: 'POST',
            headers: { authorization: SIGNED },
          },
          (response) => {
            response.resume();
            resolve(response.statusCode);
          },
        )
          .on('error', reject)
          .end('{}');
      });
    expect(await answer('//')).toBe(200);
    expect(seen.at(-1)).toMatchObject({ path: '//' });
    expect(await answer('//2015-03-31/functions/f?Qualifier=1')).toBe(200);
    expect(seen.at(-1)).toMatchObject({ path: '//2015-03-31/functions/f' });
    expect(seen.at(-1)?.query.get('Qualifier')).toBe('1');
  });

  it('refuses a cross-site write from a web page and a foreign Host', async () => {
    const crossSite = await post({ authorization: SIGNED, origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const rebound = await new Promise<number | undefined>((resolve, reject) => {
      request(`${base}/`, { headers: { host: 'evil.example', authorization: SIGNED } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      })
        .on('error', reject)
        .end();
    });
    expect(rebound).toBe(421);
  });

  // Node stops enforcing its header and request deadlines once close() is called: a slow client would hold
  // `npm start`'s shutdown for as long as it keeps dripping.
  it.each([
    [
      'a body that never ends',
      `POST / HTTP/1.1\r\nHost: HOST\r\nAuthorization: ${SIGNED}\r\nContent-Length: 100000\r\n\r\n`,
      'a',
    ],
    ['headers that never end', 'POST / HTTP/1.1\r\nHost: HOST\r\n', 'X-Slow: 1\r\n'],
  ])('closes at once while a client still drips %s (nothing was accepted from it)', async (_, head, byte) => {
    const endpoint = createAwsEndpoint({ services: [echo] });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
    const client = await slowClient(url, head.replace('HOST', new URL(url).host), byte);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await closesWithin((done) => endpoint.close(() => done()), 2_000)).toBe('closed');
      await client.gone;
    } finally {
      client.stop();
      endpoint.closeAllConnections();
    }
  });

  it('answers 408 and closes the connection when a body stalls, instead of holding it for a minute and more', async () => {
    const endpoint = createAwsEndpoint({ services: [echo], bodyIdleMs: 200 });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
    try {
      const started = Date.now();
      const response = await exchange(
        url,
        `POST / HTTP/1.1\r\nHost: ${new URL(url).host}\r\nAuthorization: ${SIGNED}\r\nContent-Length: 100\r\n\r\n{"Qu`,
      );
      expect(response.status).toBe(408);
      expect(response.headers['x-amzn-errortype']).toBe('RequestTimeoutException');
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(seen.some((request) => request.body.toString().startsWith('{"Qu'))).toBe(false);
    } finally {
      endpoint.closeAllConnections();
      endpoint.close();
    }
  }, 10_000);
});
