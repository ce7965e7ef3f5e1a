import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningStack, startLocalStack } from '#tests/support/localStack.ts';
import { send } from '#tests/support/rawHttp.ts';

const SIGNED =
  'AWS4-HMAC-SHA256 Credential=fuzz/20261128/eu-west-1/lambda/aws4_request, SignedHeaders=host, Signature=00';
const ANSWER_WITHIN_MS = 3_000;
const MODEL = '/usr/lib/python3/dist-packages/awscli/botocore/data/lambda/2015-03-31/service-2.json';

/** The model's error shapes and their statuses; the few the service uses when the model is not installed. */
const modelErrors = (): Map<string, number> => {
  if (!existsSync(MODEL)) {
    return new Map([
      ['InvalidParameterValueException', 400],
      ['InvalidRequestContentException', 400],
      ['PreconditionFailedException', 412],
      ['RequestTooLargeException', 413],
      ['ResourceConflictException', 409],
      ['ResourceNotFoundException', 404],
      ['ServiceException', 500],
    ]);
  }
  const model = JSON.parse(readFileSync(MODEL, 'utf8')) as {
    shapes: Record<string, { exception?: boolean; error?: { httpStatusCode?: number } }>;
  };
  return new Map(
    Object.entries(model.shapes)
      .filter(([, shape]) => shape.exception === true)
      .map(([name, shape]) => [name, shape.error?.httpStatusCode ?? 400]),
  );
};

/** Beyond the model, as AWS answers them: no operation at that method and path, and an unsigned request. */
const NON_MODEL_ERRORS = new Map([
  ['UnknownOperationException', 404],
  ['MissingAuthenticationTokenException', 403],
]);

const NAMES = [
  'ingesta-api',
  'ingesta-suscriptor',
  'ingesta-api:live',
  'ingesta-api:$LATEST',
  'ingesta-api:1',
  'ingesta-suscriptor:2',
  '000000000000:function:ingesta-api',
  'arn:aws:lambda:us-east-1:000000000000:function:ingesta-api',
  'arn:aws:lambda:eu-west-1:000000000000:function:ingesta-suscriptor:$LATEST',
  'arn:aws:lambda:eu-west-1:123456789012:function:ingesta-api:live',
  'arn:aws:sqs:eu-west-1:000000000000:ingesta-api',
  'other-function',
  '',
];

/** Percent-encodes every byte outside the unreserved set, so any string (or byte) survives as a path segment. */
const encodeBytes = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');

const segmentArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NAMES).map(encodeURIComponent) },
  fc.constantFrom(...NAMES).map((n) => n.replaceAll(':', '%3a').replaceAll('$', '%24')),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent),
  fc.uint8Array({ maxLength: 20 }).map(encodeBytes),
  fc.constantFrom('.', '..', '%2e', '%2E%2E', '%2F', 'ingesta-api%2F..', '%00', '%', '%zz', '%C0%AF', '%FF'),
  // Far past the 64 characters of a name, within the 16 KB of headers Node reads before any service runs.
  fc.integer({ min: 65, max: 8_000 }).map((n) => 'a'.repeat(n)),
);

/** A path: one of the model's `requestUri`s with fuzzed segments, or something near it. */
const pathArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        segmentArb,
        fc.constantFrom(
          '/invocations',
          '',
          '/configuration',
          '/code',
          '/versions',
          '/aliases',
          '/aliases/live',
          '/aliases/',
        ),
        fc.option(segmentArb),
        fc.constantFrom('', '/', '//', '/x'),
      )
      .map(
        ([name, tail, alias, end]) =>
          `/2015-03-31/functions/${name}${tail}${alias !== null && tail === '/aliases/' ? alias : ''}${end}`,
      ),
  },
  fc.constantFrom(
    '/',
    '/2015-03-31',
    '/2015-03-31/',
    '/2015-03-31/functions',
    '/2015-03-31/functions/',
    '/2015-03-31/functions//invocations',
    '/2015-03-31/functions/ingesta-api/../ingesta-suscriptor/invocations',
    '/2015-03-31/functions/./ingesta-api/configuration',
    '/2014-11-13/functions/ingesta-api/invocations',
    '/2015-03-31/functions/ingesta-api/invocations/extra',
    '/2019-09-25/functions/ingesta-api/event-invoke-config',
  ),
  fc.webPath().map((p) => `/2015-03-31/functions/${p}`),
);

const queryValueArb = fc.oneof(
  fc.constantFrom(
    '$LATEST',
    'live',
    '1',
    '2',
    '0',
    '-1',
    '10000',
    '10001',
    '1e3',
    '',
    ' ',
    'NaN',
    '99999999999999999999',
  ),
  fc.string({ maxLength: 30 }),
  fc.integer().map(String),
  fc.integer({ min: 129, max: 3000 }).map((n) => 'q'.repeat(n)),
);
const queryArb = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('Qualifier', 'MaxItems', 'Marker'), fc.string({ maxLength: 10 })),
      queryValueArb,
    ),
    { maxLength: 4 },
  )
  .map((pairs) => (pairs.length === 0 ? '' : `?${new URLSearchParams(pairs).toString()}`));

/** Header values as HTTP allows them (visible ASCII and spaces), so the request reaches the service. */
const headerValueArb = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});
const headersArb = fc.record(
  {
    'x-amz-invocation-type': fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('DryRun', 'Event', 'RequestResponse') },
      fc.constantFrom('', 'dryrun', 'EVENT', 'None'),
      headerValueArb,
    ),
    'x-amz-log-type': fc.oneof(fc.constantFrom('Tail', 'None', '', 'tail'), headerValueArb),
    'x-amz-client-context': fc.oneof(
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? '').toString('base64')),
      headerValueArb,
    ),
    'content-type': fc.constantFrom(
      'application/json',
      'application/x-amz-json-1.1',
      'text/plain',
      'application/octet-stream',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ),
  },
  { requiredKeys: [] },
);

/** Bodies the control plane and Invoke read: members mutated, JSON cut short, nested deep, numbers huge, bytes. */
const validBodies = [
  { ImageUri: 'ingesta-api:local' },
  { ImageUri: 'ingesta-api:local', Publish: true },
  { ImageUri: 'unknown:tag', DryRun: true },
  { Description: 'fuzz' },
  { Name: 'live', FunctionVersion: '$LATEST' },
  { Name: 'fuzz', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } },
  { FunctionVersion: '1', RevisionId: 'x' },
  { rawPath: '/users', requestContext: { http: { method: 'GET' } } },
  { Records: [] },
];
const memberArb = fc.constantFrom(
  'ImageUri',
  'Publish',
  'DryRun',
  'RevisionId',
  'Architectures',
  'CodeSha256',
  'Description',
  'Name',
  'FunctionVersion',
  'RoutingConfig',
  'ZipFile',
  'Records',
);
const bodyArb = fc.oneof(
  fc
    .tuple(fc.constantFrom(...validBodies), fc.option(fc.tuple(memberArb, fc.jsonValue({ maxDepth: 3 }))))
    .map(([body, mutation]) =>
      JSON.stringify(mutation === null ? body : { ...body, [mutation[0]]: mutation[1] }),
    ),
  fc.tuple(fc.constantFrom(...validBodies), fc.nat()).map(([body, cut]) => {
    const text = JSON.stringify(body);
    return text.slice(0, cut % text.length);
  }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? ''),
  fc.integer({ min: 1, max: 50_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  fc.integer({ min: 1, max: 50_000 }).map((depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  fc.constantFrom(
    '1e999',
    '-1e999',
    '123456789012345678901234567890123456789',
    '{"MaxItems":1e400,"Publish":1e309}',
    `{"Description":"${'d'.repeat(300)}"}`,
    '{"RoutingConfig":{"AdditionalVersionWeights":{"1":1e308,"2":-0}}}',
    '{"__proto__":{"Name":"x"},"constructor":{"prototype":{}}}',
  ),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  // Not UTF-8: a lone continuation byte, an overlong slash, a truncated sequence inside JSON.
  fc.constantFrom(
    Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x80, 0x22, 0x7d]),
    Buffer.from([0xc0, 0xaf]),
    Buffer.from([0x22, 0xe2, 0x82, 0x22]),
    Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
  ),
  fc.constant(''),
);

/** Requests the service can serve, each with at most one part fuzzed: some stay valid, most break one rule. */
const VALID: { method: string; path: string; body: string }[] = [
  { method: 'POST', path: '/2015-03-31/functions/ingesta-api/invocations', body: '{"rawPath":"/health"}' },
  { method: 'POST', path: '/2015-03-31/functions/ingesta-suscriptor/invocations', body: '{"Records":[]}' },
  { method: 'GET', path: '/2015-03-31/functions/ingesta-api', body: '' },
  { method: 'GET', path: '/2015-03-31/functions/ingesta-suscriptor/configuration', body: '' },
  { method: 'PUT', path: '/2015-03-31/functions/ingesta-api/code', body: '{"ImageUri":"ingesta-api:local"}' },
  { method: 'POST', path: '/2015-03-31/functions/ingesta-api/versions', body: '{}' },
  { method: 'GET', path: '/2015-03-31/functions/ingesta-api/versions', body: '' },
  {
    method: 'POST',
    path: '/2015-03-31/functions/ingesta-api/aliases',
    body: '{"Name":"live","FunctionVersion":"$LATEST"}',
  },
  { method: 'GET', path: '/2015-03-31/functions/ingesta-api/aliases/live', body: '' },
  {
    method: 'PUT',
    path: '/2015-03-31/functions/ingesta-api/aliases/live',
    body: '{"FunctionVersion":"$LATEST"}',
  },
];

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];

describe('Lambda wire fuzz (REST-JSON): malformed requests never get a 5xx or a hang', () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startLocalStack({ aws: true });
  });
  afterAll(() => stack?.stop());

  it('answers every request in time with a 2xx or an error the model names, as REST-JSON', async () => {
    const base = stack.awsUrl ?? '';
    const errors = new Map([...modelErrors(), ...NON_MODEL_ERRORS]);
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({
            method: fc.oneof(
              { weight: 4, arbitrary: fc.constantFrom('POST', 'GET', 'PUT') },
              fc.constantFrom(...METHODS),
            ),
            path: pathArb,
            query: queryArb,
            headers: headersArb,
            body: bodyArb,
          }),
          fc
            .tuple(
              fc.constantFrom(...VALID),
              fc.constantFrom<'query' | 'headers' | 'body' | 'none'>('query', 'headers', 'body', 'none'),
              queryArb,
              headersArb,
              bodyArb,
            )
            .map(([valid, fuzzed, query, headers, body]) => ({
              method: valid.method,
              path: valid.path,
              query: fuzzed === 'query' ? query : '',
              headers: fuzzed === 'headers' ? headers : { 'x-amz-invocation-type': 'DryRun' },
              body: fuzzed === 'body' ? body : valid.body,
            })),
        ),
        async ({ method, path, query, headers, body }) => {
          const answer = await send(base, {
            method,
            path: `${path}${query}`,
            headers: {
              authorization: SIGNED,
              ...headers,
              'content-length': String(Buffer.byteLength(body)),
            },
            body,
            timeoutMs: ANSWER_WITHIN_MS,
          });
          const type = answer.headers['x-amzn-errortype'];
          const outcome = answer.status < 300 ? String(answer.status) : String(type);
          seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
          expect(answer.status).toBeLessThan(500);
          if (answer.status >= 200 && answer.status < 300) {
            if (answer.headers['content-type'] === 'application/json' && method !== 'HEAD') {
              expect(() => JSON.parse(answer.body)).not.toThrow();
            }
            return;
          }
          expect(answer.status).toBeGreaterThanOrEqual(400);
          expect(typeof type).toBe('string');
          expect(errors.has(String(type)), `x-amzn-ErrorType ${String(type)} is not a Lambda error`).toBe(
            true,
          );
          expect(answer.status).toBe(errors.get(String(type)));
          expect(answer.headers['content-type']).toBe('application/json');
          if (method === 'HEAD') return;
          const document = JSON.parse(answer.body) as Record<string, unknown>;
          expect(document.Type).toBe('User');
          expect(typeof (document.message ?? document.Message)).toBe('string');
        },
      ),
      { numRuns: 200 },
    );
    // The fuzz reached the operations, not only the router: answers and several of the model's errors.
    expect([...seen.keys()].filter((k) => /^2\d\d$/.test(k)).length).toBeGreaterThan(0);
    expect(seen.get('ResourceNotFoundException')).toBeGreaterThan(0);
    expect(seen.get('InvalidParameterValueException')).toBeGreaterThan(0);
    expect(seen.get('UnknownOperationException')).toBeGreaterThan(0);
  });
});
