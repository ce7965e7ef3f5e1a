import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { snsEnvelope } from '#local/snsEnvelope.ts';
import { toSqsRecord } from '#local/sqsEvent.ts';
import { userEventAttributes } from '#shared/domain/userEvent.ts';
import { SmokeCheckError } from './errors.ts';
import {
  buildFunctionUrlEvent,
  type HttpRequest,
  type HttpResponse,
  parseFunctionUrlResult,
} from './functionUrlEvents.ts';
import type { InvokeResult, Invoker } from './invokers.ts';

const FUNCTION_KINDS = ['api', 'suscriptor'] as const;

/** Which suite a function gets: they differ in the events they accept. */
type FunctionKind = (typeof FUNCTION_KINDS)[number];

/** One named check; `run` returns a one-line detail for the report or throws SmokeCheckError. */
type SmokeCheck = {
  name: string;
  run(invoker: Invoker): Promise<string>;
};

/** Every check first requires a clean invoke: StatusCode 200 and no FunctionError. */
const expectInvocationOk = (invocation: InvokeResult): void => {
  if (invocation.statusCode !== 200) {
    throw new SmokeCheckError(`Invoke StatusCode ${invocation.statusCode}, expected 200`, invocation);
  }
  if (invocation.functionError) {
    throw new SmokeCheckError(`FunctionError ${invocation.functionError}`, invocation);
  }
};

/** Smoke data is easy to spot and to delete: `smoke-…@example.com`. */
const SMOKE_EMAIL_DOMAIN = 'example.com';
const SMOKE_USER_NAME = 'Ingesta smoke test';

type SmokeUser = { name: string; email: string };

/** A unique user that reads as smoke data wherever it lands: `smoke-<ms>-<hex>@example.com`. */
const createSmokeUser = (
  now: Date = new Date(),
  random: string = randomBytes(4).toString('hex'),
): SmokeUser => ({
  name: SMOKE_USER_NAME,
  email: `smoke-${now.getTime()}-${random}@${SMOKE_EMAIL_DOMAIN}`,
});

type ApiExchange = { response: HttpResponse; json: unknown; invocation: InvokeResult };

/** Sends one request to the API as a Function URL event and reads the Function URL result. */
const requestApi = async (invoker: Invoker, request: HttpRequest): Promise<ApiExchange> => {
  const invocation = await invoker.invoke(buildFunctionUrlEvent(request));
  expectInvocationOk(invocation);
  const response = parseFunctionUrlResult(invocation.payload);
  let json: unknown;
  try {
    json = response.body === '' ? undefined : JSON.parse(response.body);
  } catch {
    json = undefined;
  }
  return { response, json, invocation };
};

/** `POST /users` with `body` as JSON. */
const postUsers = (invoker: Invoker, body: unknown): Promise<ApiExchange> =>
  requestApi(invoker, {
    method: 'POST',
    path: '/users',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** Fails the check unless the API answered with `expected`. */
const expectHttpStatus = (exchange: ApiExchange, expected: number): void => {
  if (exchange.response.statusCode !== expected) {
    throw new SmokeCheckError(
      `HTTP ${exchange.response.statusCode}, expected ${expected}`,
      exchange.invocation,
    );
  }
};

const expectContentType = (exchange: ApiExchange, expected: string): void => {
  const contentType = exchange.response.headers['content-type'] ?? '';
  if (!contentType.startsWith(expected)) {
    throw new SmokeCheckError(`content-type "${contentType}", expected ${expected}`, exchange.invocation);
  }
};

const parseBody = <T>(schema: z.ZodType<T>, exchange: ApiExchange, what: string): T => {
  const parsed = schema.safeParse(exchange.json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
    );
    throw new SmokeCheckError(`${what}: ${issues.join('; ')}`, exchange.invocation);
  }
  return parsed.data;
};

const healthSchema = z.object({ status: z.literal('ok'), database: z.literal('ok'), version: z.string() });

const userSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const userPageSchema = z.object({ items: z.array(userSchema), nextCursor: z.string().nullable() });

const acceptedSchema = z.object({ eventId: z.string().min(1), messageId: z.string().min(1) });

const problemSchema = z.object({
  status: z.literal(400),
  title: z.string(),
  errors: z
    .array(
      z.object({
        path: z.union([z.string(), z.array(z.union([z.string(), z.number()]))]),
        message: z.string(),
      }),
    )
    .min(1),
});

/** The API suite from the contract; `user` is the unique smoke user the POST creates. */
const createApiChecks = (user: SmokeUser): SmokeCheck[] => [
  {
    name: 'GET /health → 200 ok',
    run: async (invoker: Invoker) => {
      const exchange = await requestApi(invoker, { method: 'GET', path: '/health' });
      expectHttpStatus(exchange, 200);
      const health = parseBody(healthSchema, exchange, 'health body');
      return `database=${health.database} version=${health.version}`;
    },
  },
  {
    name: 'GET /users?limit=1 → 200 page',
    run: async (invoker: Invoker) => {
      const exchange = await requestApi(invoker, { method: 'GET', path: '/users', query: { limit: '1' } });
      expectHttpStatus(exchange, 200);
      const page = parseBody(userPageSchema, exchange, 'page body');
      if (page.items.length > 1) {
        throw new SmokeCheckError(`limit=1 returned ${page.items.length} items`, exchange.invocation);
      }
      return `items=${page.items.length} nextCursor=${page.nextCursor === null ? 'null' : 'set'}`;
    },
  },
  {
    name: 'POST /users (smoke user) → 202',
    run: async (invoker: Invoker) => {
      const exchange = await postUsers(invoker, user);
      expectHttpStatus(exchange, 202);
      const accepted = parseBody(acceptedSchema, exchange, 'accepted body');
      return `${user.email} eventId=${accepted.eventId}`;
    },
  },
  {
    name: 'POST /users (invalid) → 400',
    run: async (invoker: Invoker) => {
      const exchange = await postUsers(invoker, { name: '', email: 'not-an-email' });
      expectHttpStatus(exchange, 400);
      expectContentType(exchange, 'application/problem+json');
      const problem = parseBody(problemSchema, exchange, 'problem body');
      return `errors=${problem.errors.map((error) => String(error.path)).join(',')}`;
    },
  },
];

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

/** The topic the smoke's SNS envelopes name; the subscriber does not check it. */
const SMOKE_TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:ingesta-smoke`;

/** A first delivery of `body`, sent now, from a queue named for the smoke test. */
const smokeSqsRecord = (body: string, messageId: string) =>
  toSqsRecord({
    messageId,
    receiptHandle: `smoke-${randomUUID()}`,
    body,
    receiveCount: 1,
    sentTimestamp: Date.now(),
    senderId: 'AIDASMOKE',
    queueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:ingesta-smoke`,
    region: REGION,
  });

/** The event body the API publishes for `POST /users` (contract: eventId, occurredAt, user). */
const buildUserUpsertedMessage = (user: SmokeUser): string =>
  JSON.stringify({ eventId: randomUUID(), occurredAt: new Date().toISOString(), user });

const batchResponseSchema = z.object({
  batchItemFailures: z.array(z.object({ itemIdentifier: z.string() })),
});

/**
 * The subscriber suite: one SQS batch with a real-shaped SNS-enveloped user event and a record whose
 * body is not JSON. A correct partial batch response names exactly the invalid record.
 */
const createSubscriberChecks = (user: SmokeUser): SmokeCheck[] => [
  {
    name: 'SQS batch (1 valid, 1 invalid) → only invalid fails',
    run: async (invoker: Invoker) => {
      const valid = smokeSqsRecord(
        snsEnvelope({
          messageId: randomUUID(),
          topicArn: SMOKE_TOPIC_ARN,
          message: buildUserUpsertedMessage(user),
          attributes: userEventAttributes(),
          timestamp: new Date(),
        }),
        `smoke-valid-${randomUUID()}`,
      );
      const invalid = smokeSqsRecord('this body is not JSON', `smoke-invalid-${randomUUID()}`);
      const invocation = await invoker.invoke({ Records: [valid, invalid] });
      expectInvocationOk(invocation);

      const parsed = batchResponseSchema.safeParse(invocation.payload);
      if (!parsed.success) {
        throw new SmokeCheckError('Response is not { batchItemFailures: [...] }', invocation);
      }
      const failed = parsed.data.batchItemFailures.map((failure) => failure.itemIdentifier);
      if (failed.length !== 1 || failed[0] !== invalid.messageId) {
        throw new SmokeCheckError(
          `batchItemFailures ${JSON.stringify(failed)}, expected exactly ["${invalid.messageId}"]`,
          invocation,
        );
      }
      return `stored ${user.email}; rejected ${invalid.messageId}`;
    },
  },
];

/** The suite for one kind of function, each run with a fresh unique smoke user. */
const checksFor = (kind: FunctionKind): SmokeCheck[] =>
  kind === 'api' ? createApiChecks(createSmokeUser()) : createSubscriberChecks(createSmokeUser());

/** The subscriber's contract for running schema migrations. */
const MIGRATE_PAYLOAD = { action: 'migrate' } as const;

const migratedSchema = z.object({
  status: z.literal('migrated'),
  applied: z.array(z.string()),
  latest: z.string().nullable().optional(),
});

type MigrationResult = z.infer<typeof migratedSchema>;

/** Asks the subscriber to apply pending schema migrations (contract: `{ "action": "migrate" }`). */
const runMigration = async (invoker: Invoker): Promise<MigrationResult> => {
  const invocation = await invoker.invoke(MIGRATE_PAYLOAD);
  expectInvocationOk(invocation);
  const parsed = migratedSchema.safeParse(invocation.payload);
  if (!parsed.success) {
    throw new SmokeCheckError('Migration did not report { status: "migrated" }', invocation);
  }
  return parsed.data;
};

export type { ApiExchange, FunctionKind, MigrationResult, SmokeCheck, SmokeUser };
export {
  checksFor,
  createApiChecks,
  createSmokeUser,
  createSubscriberChecks,
  expectHttpStatus,
  FUNCTION_KINDS,
  parseBody,
  postUsers,
  requestApi,
  runMigration,
  userPageSchema,
};
