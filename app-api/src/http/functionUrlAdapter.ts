import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ValidationError } from '#shared/domain/errors.ts';
import * as z from '#shared/domain/zodMini.ts';
import { MalformedJsonError } from './errors.ts';
import type { HttpRequest, HttpResponse } from './httpTypes.ts';

/**
 * The Function URL (payload 2.0) event as AWS documents it, reduced to what we read and what tells one
 * from another invocation; those fields are checked as Powertools' LambdaFunctionUrlSchema checks them
 * (the method among the HTTP methods, headers as strings). The fields we never read (account, domain,
 * time, source IP…) are not parsed on every request.
 */
const FunctionUrlEventSchema = z.object({
  version: z.string(),
  routeKey: z.string(),
  rawPath: z.string(),
  rawQueryString: z.string(),
  headers: z.record(z.string(), z.string()),
  requestContext: z.object({
    requestId: z.string(),
    http: z.object({
      method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']),
      path: z.string(),
    }),
    authorizer: z.optional(z.object({ iam: z.optional(z.object({ userArn: z.optional(z.string()) })) })),
  }),
  body: z.optional(z.string()),
  isBase64Encoded: z.boolean(),
});

/**
 * The principal that signed the request, as Lambda verified it (AWS_IAM auth). An assumed role is the
 * role, whatever the session: session names change between credential refreshes, and a retry must
 * still find its key. Without IAM auth there is no identity to scope by.
 */
const callerOf = (iam: { userArn?: string | undefined } | undefined): string | undefined =>
  iam?.userArn?.replace(/^(arn:aws[a-z-]*:sts::[0-9]{12}:assumed-role\/[^/]+)\/.*$/, '$1');

/**
 * Function URL (payload 2.0) event → HttpRequest. API Gateway HTTP API v2 events share the shape.
 * The body is handed over whole (Lambda caps it at 6 MB): the app refuses an oversized one, so that
 * answer is measured and logged like every other.
 */
const toHttpRequest = (event: unknown, context: Context): HttpRequest => {
  const parsed = FunctionUrlEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new ValidationError('The invocation is not a Function URL (payload 2.0) event.', [
      { path: '(event)', message: parsed.error.issues[0]?.message ?? 'invalid event' },
    ]);
  }
  const e = parsed.data;
  let body: Buffer | undefined;
  if (e.body !== undefined && e.body !== '') {
    // A text body with a lone surrogate has no UTF-8 form; encoding it would turn it into U+FFFD.
    if (!e.isBase64Encoded && !e.body.isWellFormed())
      throw new MalformedJsonError('The request body is not valid UTF-8.');
    body = e.isBase64Encoded ? Buffer.from(e.body, 'base64') : Buffer.from(e.body, 'utf8');
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(e.headers ?? {})) {
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  return {
    method: e.requestContext.http.method.toUpperCase(),
    path: e.rawPath,
    query: new URLSearchParams(e.rawQueryString),
    headers,
    body,
    requestId: context.awsRequestId,
    caller: callerOf(e.requestContext.authorizer?.iam),
  };
};

const toFunctionUrlResult = (response: HttpResponse): APIGatewayProxyStructuredResultV2 => ({
  statusCode: response.statusCode,
  headers: response.headers,
  body: response.body,
  isBase64Encoded: false,
});

export { toFunctionUrlResult, toHttpRequest };
