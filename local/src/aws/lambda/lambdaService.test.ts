import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsEndpoint } from '../awsEndpoint.ts';
import type { AwsRequest } from '../awsService.ts';
import type { FunctionDefinition } from './functionRegistry.ts';
import { createLambdaService } from './lambdaService.ts';

const finished: string[] = [];

const echo: FunctionDefinition = {
  name: 'echo',
  build: { imageUri: 'echo:1', handler: async (event) => event },
  timeoutSeconds: 1,
  memorySize: 128,
};

/** Finishes a while after it is invoked, to see who waits for it. */
const slow: FunctionDefinition = {
  name: 'slow',
  build: {
    imageUri: 'slow:1',
    handler: async (event) => {
      await delay((event as { ms: number }).ms);
      finished.push(JSON.stringify(event));
      return null;
    },
  },
  timeoutSeconds: 1,
  memorySize: 128,
};

const odd: FunctionDefinition = {
  name: 'odd',
  build: {
    imageUri: 'odd:1',
    handler: async (event) => {
      const kind = (event as { kind?: string }).kind;
      if (kind === 'bigint') return { n: 1n };
      if (kind === 'huge') return 'x'.repeat(6 * 1024 * 1024 + 1);
      return undefined;
    },
  },
  timeoutSeconds: 1,
  memorySize: 128,
};

/** Not an async function: it throws before returning a promise. */
const eager: FunctionDefinition = {
  name: 'eager',
  build: {
    imageUri: 'eager:1',
    handler: (event) => {
      if ((event as { fail?: boolean }).fail) throw new RangeError('thrown before any promise');
      return Promise.resolve(null);
    },
  },
  timeoutSeconds: 1,
  memorySize: 128,
};

const request = (overrides: Partial<AwsRequest> & { path: string }): AwsRequest => ({
  method: 'POST',
  query: new URLSearchParams(),
  headers: {},
  body: Buffer.alloc(0),
  region: 'us-east-1',
  requestId: '00000000-0000-4000-8000-000000000000',
  ...overrides,
});

const invocation = (name: string, payload: unknown, headers: Record<string, string> = {}) =>
  request({
    path: `/2015-03-31/functions/${name}/invocations`,
    headers,
    body: Buffer.from(JSON.stringify(payload)),
  });

const bodyOf = (answer: { body?: string | Buffer }) => JSON.parse(String(answer.body ?? 'null'));

describe('Lambda service', () => {
  it('answers Event at once and finishes the invocation before close resolves', async () => {
    const service = createLambdaService([slow]);

    const answer = await service.handle(
      invocation('slow', { ms: 150, id: 'event' }, { 'x-amz-invocation-type': 'Event' }),
    );
    expect(answer.status).toBe(202);
    expect(finished).not.toContain('{"ms":150,"id":"event"}');
    await service.close();

    expect(finished).toContain('{"ms":150,"id":"event"}');
  });

  it('waits on close for a handler that outlived its timeout', async () => {
    const service = createLambdaService([slow]);

    const answer = await service.handle(invocation('slow', { ms: 1_300, id: 'late' }));
    expect(answer.headers?.['x-amz-function-error']).toBe('Unhandled');
    expect(bodyOf(answer).errorType).toBe('Sandbox.Timedout');
    await service.close();

    expect(finished).toContain('{"ms":1300,"id":"late"}');
  });

  it('returns null for a handler that returns nothing, and an error document for what cannot be sent back', async () => {
    const service = createLambdaService([odd]);

    const nothing = await service.handle(invocation('odd', {}));
    const bigint = await service.handle(invocation('odd', { kind: 'bigint' }));
    const huge = await service.handle(invocation('odd', { kind: 'huge' }));

    expect([nothing.status, nothing.body]).toEqual([200, 'null']);
    expect(bigint.headers?.['x-amz-function-error']).toBe('Unhandled');
    expect(bodyOf(bigint).errorType).toBe('TypeError');
    expect(huge.headers?.['x-amz-function-error']).toBe('Unhandled');
    expect(bodyOf(huge).errorType).toBe('Function.ResponseSizeTooLarge');
  });

  it('answers a handler that throws synchronously with the error document, like one that rejects', async () => {
    const service = createLambdaService([eager]);

    const answer = await service.handle(invocation('eager', { fail: true }));

    expect(answer.status).toBe(200);
    expect(answer.headers?.['x-amz-function-error']).toBe('Unhandled');
    expect(bodyOf(answer)).toMatchObject({
      errorType: 'RangeError',
      errorMessage: 'thrown before any promise',
    });
  });

  it('renders errors as REST-JSON: the code in x-amzn-ErrorType, the member spelled as the model spells it', async () => {
    const service = createLambdaService([echo]);

    const notFound = await service.handle(invocation('nope', {}));
    const badBody = await service.handle(
      request({ method: 'POST', path: '/2015-03-31/functions/echo/aliases', body: Buffer.from('{"Name":') }),
    );

    expect(notFound.status).toBe(404);
    expect(notFound.headers?.['x-amzn-errortype']).toBe('ResourceNotFoundException');
    expect(bodyOf(notFound)).toEqual({
      Type: 'User',
      Message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope',
    });
    expect(badBody.status).toBe(400);
    expect(badBody.headers?.['x-amzn-errortype']).toBe('InvalidRequestContentException');
    expect(bodyOf(badBody)).toEqual({ Type: 'User', message: expect.any(String) });
  });

  it('renders the endpoint’s own failures as Lambda errors', () => {
    const service = createLambdaService([echo]);
    const failures = (['too-large', 'unsigned', 'internal'] as const).map((kind) => {
      const answer = service.failure(request({ path: '/' }), { kind, message: kind });
      return [answer.status, answer.headers?.['x-amzn-errortype']];
    });

    expect(failures).toEqual([
      [413, 'RequestTooLargeException'],
      [403, 'MissingAuthenticationTokenException'],
      [500, 'ServiceException'],
    ]);
  });
});

describe('Lambda service behind the endpoint, on malformed wire requests', () => {
  const SIGNED =
    'AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0';
  const service = createLambdaService([echo]);
  const server = createAwsEndpoint({ services: [service] });
  let base: string;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await service.close();
  });

  const send = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: SIGNED, ...headers },
      ...(body !== undefined && { body }),
      signal: AbortSignal.timeout(5_000),
    });
    return [response.status, response.headers.get('x-amzn-errortype')];
  };

  it('answers each with a 4xx and an error code, never a 500 or a hang', async () => {
    const cases: [string, string, string | undefined, Record<string, string>, number, string][] = [
      ['GET', '/', undefined, {}, 404, 'UnknownOperationException'],
      ['GET', '/2015-03-31/functions', undefined, {}, 404, 'UnknownOperationException'],
      ['DELETE', '/2015-03-31/functions/echo', undefined, {}, 404, 'UnknownOperationException'],
      ['GET', '/2015-03-31/functions/echo/invocations', undefined, {}, 404, 'UnknownOperationException'],
      ['POST', '/2015-03-31/functions/%E0%A4%A/invocations', '{}', {}, 400, 'InvalidParameterValueException'],
      [
        'POST',
        `/2015-03-31/functions/${'a'.repeat(300)}/invocations`,
        '{}',
        {},
        400,
        'InvalidParameterValueException',
      ],
      [
        'POST',
        '/2015-03-31/functions/echo/invocations',
        '\u0000\u00ff',
        {},
        400,
        'InvalidRequestContentException',
      ],
      [
        'POST',
        '/2015-03-31/functions/echo/invocations?Qualifier=',
        '{}',
        {},
        400,
        'InvalidParameterValueException',
      ],
      [
        'POST',
        '/2015-03-31/functions/echo/invocations?Qualifier=a%20b',
        '{}',
        {},
        400,
        'InvalidParameterValueException',
      ],
      [
        'POST',
        '/2015-03-31/functions/echo/invocations',
        '{}',
        { 'x-amz-log-type': 'All' },
        400,
        'InvalidParameterValueException',
      ],
      ['PUT', '/2015-03-31/functions/echo/code', '[]', {}, 400, 'InvalidParameterValueException'],
      [
        'PUT',
        '/2015-03-31/functions/echo/code',
        '{"ImageUri": 7}',
        {},
        400,
        'InvalidParameterValueException',
      ],
      ['POST', '/2015-03-31/functions/echo/versions', 'null', {}, 400, 'InvalidParameterValueException'],
      [
        'POST',
        '/2015-03-31/functions/echo/aliases',
        '{"Name":"x"}',
        {},
        400,
        'InvalidParameterValueException',
      ],
      ['PUT', '/2015-03-31/functions/echo/aliases/x', '{}', {}, 404, 'ResourceNotFoundException'],
      [
        'GET',
        '/2015-03-31/functions/echo/versions?MaxItems=abc',
        undefined,
        {},
        400,
        'InvalidParameterValueException',
      ],
      [
        'GET',
        '/2015-03-31/functions/echo/versions?Marker=-1',
        undefined,
        {},
        400,
        'InvalidParameterValueException',
      ],
    ];
    const seen = [];
    for (const [method, path, body, headers] of cases)
      seen.push([method, path, ...(await send(method, path, body, headers))]);

    expect(seen).toEqual(cases.map(([method, path, , , status, code]) => [method, path, status, code]));
  });

  it('refuses an unsigned request as Lambda does', async () => {
    const response = await fetch(`${base}/2015-03-31/functions/echo/invocations`, {
      method: 'POST',
      body: '{}',
    });

    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });
});
