import { PAGE_LIMIT_DEFAULT, PageQuerySchema } from '#shared/domain/listUsers.ts';
import { NewUserSchema, USER_ID_PATTERN } from '#shared/domain/user.ts';
import * as z from '#shared/domain/zodMini.ts';
import { MAX_BODY_BYTES } from '../http/jsonBody.ts';
import {
  AcceptedSchema,
  FieldIssueSchema,
  HealthSchema,
  meta,
  OpenApiDocumentSchema,
  ProblemSchema,
  ProblemType,
  UserSchema,
  UsersPageSchema,
} from './schemas.ts';

/**
 * The OpenAPI 3.1 document, built from the zod schemas the code validates requests with and shapes
 * responses with. `npm run openapi` writes it to docs/openapi.json, which GET /openapi.json serves as committed.
 */
type Json = Record<string, unknown>;

/** The contract's own version: bump it when the document changes in a way clients notice. */
const API_VERSION = '1.1.0';

const ref = (kind: 'schemas' | 'responses' | 'parameters' | 'headers', name: string): Json => ({
  $ref: `#/components/${kind}/${name}`,
});

/** Named schemas, as JSON Schema 2020-12 (OpenAPI 3.1's dialect). Requests are described as sent (input). */
const componentSchemas = (): Json => {
  const registry = z.registry<{ id: string }>();
  registry.add(UserSchema, { id: 'User' });
  registry.add(UsersPageSchema, { id: 'UsersPage' });
  registry.add(
    meta(NewUserSchema, {
      description:
        'A user to create or update, keyed by email. `name` is trimmed; `email` is trimmed, must be a valid address and is stored in lower case. Unknown fields are refused.',
    }),
    { id: 'NewUser' },
  );
  registry.add(AcceptedSchema, { id: 'Accepted' });
  registry.add(HealthSchema, { id: 'Health' });
  registry.add(FieldIssueSchema, { id: 'FieldIssue' });
  registry.add(ProblemSchema, { id: 'Problem' });
  registry.add(OpenApiDocumentSchema, { id: 'OpenApiDocument' });
  const { schemas } = z.toJSONSchema(registry, {
    io: 'input',
    target: 'draft-2020-12',
    uri: (id) => `#/components/schemas/${id}`,
    // zod's date-time regex restates `format: date-time` at length; the format says it.
    override: ({ jsonSchema }) => {
      if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
    },
  });
  // Each is embedded in this document, not a standalone resource.
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...schema }]) => [id, schema]),
  );
};

/** A query or path value, described by the value the domain validates (limit as the integer it becomes). */
const valueSchema = (schema: z.core.$ZodType): Json => {
  const { $schema: _s, ...json } = z.toJSONSchema(schema, { io: 'output', target: 'draft-2020-12' });
  return json;
};

const parameters = (): Json => ({
  limit: {
    name: 'limit',
    in: 'query',
    required: false,
    description: `Page size (default ${PAGE_LIMIT_DEFAULT}).`,
    schema: valueSchema(PageQuerySchema.shape.limit.def.innerType),
  },
  cursor: {
    name: 'cursor',
    in: 'query',
    required: false,
    description: 'The opaque `nextCursor` of the previous page.',
    schema: valueSchema(PageQuerySchema.shape.cursor.def.innerType),
  },
  userId: {
    name: 'id',
    in: 'path',
    required: true,
    description: 'A user id. Anything that cannot be one is simply not found (404).',
    schema: valueSchema(z.string().check(z.regex(USER_ID_PATTERN))),
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: [
      'Makes the POST safe to retry (draft-ietf-httpapi-idempotency-key-header). A structured-field string',
      '(`"…"`) or the bare value: 1-128 printable ASCII characters, no spaces; a UUID is a good choice. The',
      'first request with a key publishes and its 202 is kept for 24 hours (`IDEMPOTENCY_TTL_SECONDS`). The',
      'same key with the same body gets that 202 again with `Idempotent-Replayed: true` and publishes nothing;',
      'while the first is still in flight, 409; with a different body, 422. A request that failed (4xx or',
      '5xx) keeps nothing, so its key may be retried. Keys are scoped to the signing IAM principal (an assumed',
      'role counts as the role); without IAM auth all callers share one scope.',
    ].join(' '),
    schema: { type: 'string', minLength: 1, maxLength: 258 },
    example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"',
  },
  IfNoneMatch: {
    name: 'If-None-Match',
    in: 'header',
    required: false,
    description:
      'An ETag from an earlier answer (or `*`): 304 with no body if the representation is unchanged.',
    schema: { type: 'string' },
  },
});

const headers = (): Json => ({
  XRequestId: {
    description: 'Names this request in the logs; also `requestId` in problem documents.',
    required: true,
    schema: { type: 'string', minLength: 1 },
  },
  ETag: {
    description: 'A strong validator of this representation; send it back in If-None-Match.',
    required: true,
    schema: { type: 'string', pattern: '^"[\\x21\\x23-\\x7e]*"$' },
  },
  CacheControl: {
    description:
      'Users change asynchronously, so a stored copy must be revalidated before each use (304 when unchanged); `private` keeps addresses out of shared caches.',
    required: true,
    schema: { type: 'string', const: 'no-cache, private' },
  },
  NoStore: {
    description: 'A health answer is only true when it is given.',
    required: true,
    schema: { type: 'string', const: 'no-store' },
  },
  RetryAfter: {
    description: 'Seconds to wait before retrying (with the same Idempotency-Key).',
    required: true,
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  XContentTypeOptions: {
    description: 'Always `nosniff`: answers are JSON and never to be sniffed as anything else.',
    required: true,
    schema: { type: 'string', const: 'nosniff' },
  },
  AcceptPost: {
    description: 'The media type POST accepts.',
    required: true,
    schema: { type: 'string', const: 'application/json' },
  },
  IdempotentReplayed: {
    description:
      'Present (`true`) when this is the stored answer to an earlier request with the same Idempotency-Key.',
    required: false,
    schema: { type: 'string', const: 'true' },
  },
});

/** Headers every answer carries. */
const withRequestId = (extra: Json = {}): Json => ({
  'X-Request-Id': ref('headers', 'XRequestId'),
  'X-Content-Type-Options': ref('headers', 'XContentTypeOptions'),
  ...extra,
});

/** A problem response: the Problem schema with this status and these types. */
const problem = (status: number, description: string, types: readonly string[], extraHeaders: Json = {}) => ({
  description,
  headers: withRequestId(extraHeaders),
  content: {
    'application/problem+json': {
      schema: {
        allOf: [
          ref('schemas', 'Problem'),
          { properties: { status: { const: status }, type: { enum: [...types] } } },
        ],
      },
    },
  },
});

const responses = (): Json => ({
  BadRequest: problem(
    400,
    'The request is invalid: the page query, or the user, its JSON or its Idempotency-Key.',
    [ProblemType.validation, ProblemType.malformedJson],
  ),
  InvalidQuery: problem(400, 'The page query is invalid (`limit`, `cursor`); `errors` names each field.', [
    ProblemType.validation,
  ]),
  NotFound: problem(404, 'No such user, or no such route.', ['about:blank']),
  KeyInFlight: problem(
    409,
    'A request with this Idempotency-Key is still in flight. Retry after Retry-After seconds.',
    [ProblemType.keyInFlight],
    { 'Retry-After': ref('headers', 'RetryAfter') },
  ),
  ContentTooLarge: problem(
    413,
    `The request body is over ${MAX_BODY_BYTES} bytes (refused on any route, unread).`,
    ['about:blank'],
  ),
  UnsupportedMediaType: problem(
    415,
    'The body is not `application/json` (or `+json`) in UTF-8.',
    ['about:blank'],
    {
      'Accept-Post': ref('headers', 'AcceptPost'),
    },
  ),
  KeyReused: problem(422, 'This Idempotency-Key was already used with a different body.', [
    ProblemType.keyReused,
  ]),
  InternalServerError: problem(
    500,
    'An unexpected error; the details are in the logs under the request id.',
    ['about:blank'],
  ),
  ServiceUnavailable: problem(
    503,
    'The database or the topic is unavailable. Retry after Retry-After seconds (with the same Idempotency-Key).',
    ['about:blank'],
    { 'Retry-After': ref('headers', 'RetryAfter') },
  ),
  NotModified: {
    description: 'Unchanged since the ETag in If-None-Match: no body.',
    headers: withRequestId({ ETag: ref('headers', 'ETag'), 'Cache-Control': ref('headers', 'CacheControl') }),
  },
});

const json = (schemaName: string): Json => ({ 'application/json': { schema: ref('schemas', schemaName) } });

/** 200 with an ETag, and its 304. */
const revalidated = (description: string, schemaName: string): Json => ({
  '200': {
    description,
    headers: withRequestId({ ETag: ref('headers', 'ETag'), 'Cache-Control': ref('headers', 'CacheControl') }),
    content: json(schemaName),
  },
  '304': ref('responses', 'NotModified'),
});

const paths = (): Json => ({
  '/health': {
    get: {
      operationId: 'getHealth',
      summary: 'Liveness and database reachability',
      tags: ['operations'],
      responses: {
        '200': {
          description: 'Up, and the database answers.',
          headers: withRequestId({ 'Cache-Control': ref('headers', 'NoStore') }),
          content: json('Health'),
        },
        '413': ref('responses', 'ContentTooLarge'),
        '500': ref('responses', 'InternalServerError'),
        '503': ref('responses', 'ServiceUnavailable'),
      },
    },
  },
  '/users': {
    get: {
      operationId: 'listUsers',
      summary: 'One keyset page of users',
      tags: ['users'],
      parameters: [ref('parameters', 'limit'), ref('parameters', 'cursor'), ref('parameters', 'IfNoneMatch')],
      responses: {
        ...revalidated('A page of users.', 'UsersPage'),
        '400': ref('responses', 'InvalidQuery'),
        '413': ref('responses', 'ContentTooLarge'),
        '500': ref('responses', 'InternalServerError'),
        '503': ref('responses', 'ServiceUnavailable'),
      },
    },
    post: {
      operationId: 'submitUser',
      summary: 'Submit a user (published now, written shortly after)',
      tags: ['users'],
      parameters: [ref('parameters', 'IdempotencyKey')],
      requestBody: { required: true, content: json('NewUser') },
      responses: {
        '202': {
          description:
            'Published. The subscriber writes the user shortly; with an Idempotency-Key this answer is kept and replayed.',
          headers: withRequestId({ 'Idempotent-Replayed': ref('headers', 'IdempotentReplayed') }),
          content: json('Accepted'),
        },
        '400': ref('responses', 'BadRequest'),
        '409': ref('responses', 'KeyInFlight'),
        '413': ref('responses', 'ContentTooLarge'),
        '415': ref('responses', 'UnsupportedMediaType'),
        '422': ref('responses', 'KeyReused'),
        '500': ref('responses', 'InternalServerError'),
        '503': ref('responses', 'ServiceUnavailable'),
      },
    },
  },
  '/users/{id}': {
    get: {
      operationId: 'getUser',
      summary: 'One user',
      tags: ['users'],
      parameters: [ref('parameters', 'userId'), ref('parameters', 'IfNoneMatch')],
      responses: {
        ...revalidated('The user.', 'User'),
        '404': ref('responses', 'NotFound'),
        '413': ref('responses', 'ContentTooLarge'),
        '500': ref('responses', 'InternalServerError'),
        '503': ref('responses', 'ServiceUnavailable'),
      },
    },
  },
  '/openapi.json': {
    get: {
      operationId: 'getOpenApiDocument',
      summary: 'This document',
      tags: ['operations'],
      parameters: [ref('parameters', 'IfNoneMatch')],
      responses: {
        ...revalidated('The OpenAPI 3.1 document of this API.', 'OpenApiDocument'),
        '413': ref('responses', 'ContentTooLarge'),
        '500': ref('responses', 'InternalServerError'),
      },
    },
  },
});

const DESCRIPTION = [
  'Users are validated and published to a topic; a subscriber writes them to PostgreSQL shortly after, so a',
  'POST answers 202 and a GET may not show the user yet.',
  '',
  'Errors are `application/problem+json` (RFC 9457) with a `requestId`. Problem types: `about:blank`,',
  `\`${ProblemType.malformedJson}\`, \`${ProblemType.validation}\` (with \`errors\`), \`${ProblemType.keyInFlight}\``,
  `(409) and \`${ProblemType.keyReused}\` (422).`,
  '',
  'Requests outside the listed operations are answered as `x-unmatched-requests` says: `404` for a path not',
  'listed here, `405` with `Allow` for a listed path with a method it does not list.',
  '',
  'Under `npm start` the same API answers at http://localhost:3000, unsigned.',
].join('\n');

/** OpenAPI describes operations only; this extension describes the answers to everything else. */
const unmatchedRequests = (): Json => ({
  unknownPath: ref('responses', 'NotFound'),
  wrongMethod: {
    ...problem(405, 'The path exists, but not with this method.', ['about:blank']),
    headers: withRequestId({
      Allow: {
        description: 'The methods this path accepts: exactly those listed for it here.',
        required: true,
        schema: { type: 'string' },
      },
    }),
  },
});

/** Built on first use and kept: the document depends only on the code. */
let built: Json | undefined;

const openApiDocument = (): Json => {
  built ??= {
    openapi: '3.1.0',
    info: { title: 'Ingesta API', version: API_VERSION, description: DESCRIPTION },
    servers: [
      {
        url: 'https://{urlId}.lambda-url.{region}.on.aws',
        description: 'The Lambda Function URL (the `api_function_url` Terraform output)',
        variables: {
          urlId: { default: 'url-id', description: 'The Function URL id.' },
          region: { default: 'us-east-1', description: 'The AWS region.' },
        },
      },
    ],
    security: [{ sigv4: [] }, {}],
    tags: [
      { name: 'users', description: 'Submit and read users.' },
      { name: 'operations', description: 'Health and this document.' },
    ],
    paths: paths(),
    'x-unmatched-requests': unmatchedRequests(),
    components: {
      schemas: componentSchemas(),
      parameters: parameters(),
      headers: headers(),
      responses: responses(),
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description:
            'AWS Signature Version 4, when the Function URL uses AWS_IAM auth (the default). None with auth NONE or under `npm start`.',
        },
      },
    },
  };
  return built;
};

/** The committed form (docs/openapi.json): two-space JSON and a final newline. */
const renderOpenApi = (): string => `${JSON.stringify(openApiDocument(), null, 2)}\n`;

export { API_VERSION, openApiDocument, renderOpenApi };
