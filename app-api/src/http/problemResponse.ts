import { IngestaError } from '#shared/errors.ts';
import type { HttpResponse } from './httpTypes.ts';

/** Anything that is not one of our errors reaches the client as a bare 500. */
const asIngestaError = (error: unknown): IngestaError =>
  error instanceof IngestaError ? error : new IngestaError('An unexpected error occurred.');

/** An RFC 9457 problem response carrying the request id that also appears in the logs. */
const problemResponse = (error: IngestaError, requestId: string): HttpResponse => ({
  statusCode: error.statusCode,
  headers: { 'content-type': 'application/problem+json', 'x-request-id': requestId, ...error.headers() },
  body: JSON.stringify({ ...error.toProblem(), requestId }),
});

export { asIngestaError, problemResponse };
