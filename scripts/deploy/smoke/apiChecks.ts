import { z } from 'zod';
import { SmokeCheckError } from '../errors.ts';
import type { Invoker } from '../types.ts';
import { type ApiExchange, expectHttpStatus, requestApi } from './functionUrlRequest.ts';
import type { SmokeCheck } from './smokeCheck.ts';
import type { SmokeUser } from './smokeUser.ts';

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

const expectContentType = (exchange: ApiExchange, expected: string): void => {
  const contentType = exchange.response.headers['content-type'] ?? '';
  if (!contentType.startsWith(expected)) {
    throw new SmokeCheckError(`content-type "${contentType}", expected ${expected}`, exchange.invocation);
  }
};

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
      const exchange = await requestApi(invoker, {
        method: 'POST',
        path: '/users',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(user),
      });
      expectHttpStatus(exchange, 202);
      const accepted = parseBody(acceptedSchema, exchange, 'accepted body');
      return `${user.email} eventId=${accepted.eventId}`;
    },
  },
  {
    name: 'POST /users (invalid) → 400',
    run: async (invoker: Invoker) => {
      const exchange = await requestApi(invoker, {
        method: 'POST',
        path: '/users',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: '', email: 'not-an-email' }),
      });
      expectHttpStatus(exchange, 400);
      expectContentType(exchange, 'application/problem+json');
      const problem = parseBody(problemSchema, exchange, 'problem body');
      return `errors=${problem.errors.map((error) => String(error.path)).join(',')}`;
    },
  },
];

export { createApiChecks, parseBody, userPageSchema };
