import {
  DeadlineExceededError,
  DependencyUnavailableError,
  IdempotencyKeyInFlightError,
  IdempotencyKeyReusedError,
  type IngestaError,
  NotFoundError,
  ValidationError,
} from '#shared/domain/errors.ts';
import { HttpError } from './errors.ts';
import type { HttpResponse } from './httpTypes.ts';

/** An RFC 9457 problem document. */
interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

interface Problem {
  status: number;
  headers: Record<string, string>;
  document: ProblemDetails;
}

interface ProblemExtras {
  headers?: Record<string, string>;
  extensions?: Record<string, unknown>;
}

type ErrorClass<E> = abstract new (...args: never[]) => E;
type ProblemRule = (error: unknown) => Problem | undefined;

const problem = (
  status: number,
  title: string,
  type: string,
  detail: string,
  { headers = {}, extensions = {} }: ProblemExtras = {},
): Problem => ({ status, headers, document: { type, title, status, detail, ...extensions } });

const mapsTo =
  <E extends IngestaError>(
    kind: ErrorClass<E>,
    status: number,
    title: string,
    type: string,
    extras: (error: E) => ProblemExtras = () => ({}),
  ): ProblemRule =>
  (error) =>
    error instanceof kind ? problem(status, title, type, error.message, extras(error)) : undefined;

/**
 * The one table from errors to HTTP. HTTP's own errors know their status; domain errors are mapped
 * here. Anything else is a bare 500: no stack trace or unexpected message reaches a client.
 */
const PROBLEM_RULES: readonly ProblemRule[] = [
  (error) =>
    error instanceof HttpError
      ? problem(error.statusCode, error.title, error.problemType, error.message, {
          headers: error.headers(),
          extensions: error.extensions(),
        })
      : undefined,
  mapsTo(ValidationError, 400, 'Bad Request', 'urn:ingesta:problem:validation-error', (e) => ({
    extensions: e.issues.length > 0 ? { errors: e.issues } : {},
  })),
  mapsTo(NotFoundError, 404, 'Not Found', 'about:blank'),
  // draft-ietf-httpapi-idempotency-key-header: 409 while the first request runs, 422 for another payload.
  mapsTo(
    IdempotencyKeyInFlightError,
    409,
    'Conflict',
    'urn:ingesta:problem:idempotency-key-in-flight',
    () => ({
      headers: { 'retry-after': '1' },
    }),
  ),
  mapsTo(
    IdempotencyKeyReusedError,
    422,
    'Unprocessable Content',
    'urn:ingesta:problem:idempotency-key-reused',
  ),
  mapsTo(DependencyUnavailableError, 503, 'Service Unavailable', 'about:blank', () => ({
    headers: { 'retry-after': '1' },
  })),
  // Answered before Lambda's own timeout would cut the connection (a database resuming from a pause).
  (error) =>
    error instanceof DeadlineExceededError
      ? problem(503, 'Service Unavailable', 'about:blank', 'The request did not finish in time.', {
          headers: { 'retry-after': '1' },
        })
      : undefined,
];

const toProblem = (error: unknown): Problem => {
  for (const rule of PROBLEM_RULES) {
    const found = rule(error);
    if (found !== undefined) return found;
  }
  return problem(500, 'Internal Server Error', 'about:blank', 'An unexpected error occurred.');
};

/** An RFC 9457 problem response carrying the request id that also appears in the logs. */
const problemResponse = (error: unknown, requestId: string): HttpResponse => {
  const { status, headers, document } = toProblem(error);
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json', 'x-request-id': requestId, ...headers },
    body: JSON.stringify({ ...document, requestId }),
  };
};

export type { Problem, ProblemDetails };
export { problemResponse, toProblem };
