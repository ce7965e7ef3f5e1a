import type { Logger } from '@aws-lambda-powertools/logger';
import { IngestaError, NotFoundError } from '#shared/domain/errors.ts';
import type { IdempotencyDependencies } from '#shared/domain/idempotency.ts';
import type { PipelineMetrics, UserEventPublisher, UserStore } from '#shared/domain/ports.ts';
import { withDeadline } from '#shared/lambda/deadline.ts';
import { MethodNotAllowedError, PayloadTooLargeError } from './http/errors.ts';
import type { HttpRequest, HttpResponse } from './http/httpTypes.ts';
import { MAX_BODY_BYTES } from './http/jsonBody.ts';
import { lazyRoute } from './http/lazyRoute.ts';
import { problemResponse } from './http/problems.ts';
import { type RouteMatch, Router } from './http/router.ts';
import { healthRoute } from './routes/healthRoute.ts';

interface ApiDependencies {
  /** Reads users (the reader endpoint in AWS). */
  store: UserStore;
  publisher: UserEventPublisher;
  /** Idempotency-Key records, on the writer. */
  idempotency: IdempotencyDependencies;
  logger: Logger;
  metrics: PipelineMetrics;
  version: string;
}

type ApiApp = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * The API as a plain function of a request. Errors render themselves; nothing else leaks. Every answer
 * is measured and logged once, with its route template, method, status and request id.
 */
const createApiApp = ({
  store,
  publisher,
  idempotency,
  logger,
  metrics,
  version,
}: ApiDependencies): ApiApp => {
  // Only /health is built at cold start: the other routes' modules (and the zod schemas they build) load on
  // their first request, so a probe or a POST does not pay for the routes it does not serve.
  const usersRoutes = () => import('./routes/usersRoutes.ts');
  const router = new Router()
    .on('GET', '/health', healthRoute(store, version))
    .on(
      'GET',
      '/users',
      lazyRoute(async () => (await usersRoutes()).listUsersRoute(store)),
    )
    .on(
      'POST',
      '/users',
      lazyRoute(async () => (await usersRoutes()).postUserRoute({ publisher, idempotency, logger })),
    )
    .on(
      'GET',
      '/users/:id',
      lazyRoute(async () => (await usersRoutes()).getUserRoute(store)),
    )
    .on(
      'GET',
      '/openapi.json',
      lazyRoute(async () => (await import('./routes/openApiRoute.ts')).openApiRoute()),
    );

  const dispatch = async (request: HttpRequest, match: RouteMatch | null): Promise<HttpResponse> => {
    if (match === null)
      throw new NotFoundError(`No route for ${request.method} ${request.path.slice(0, 200)}.`);
    if (match.handler === undefined) throw new MethodNotAllowedError(request.method, match.allow);
    return match.handler(request, match.params);
  };

  return async (request) => {
    const started = performance.now();
    const match = router.find(request.method, request.path);
    const route = match?.route ?? 'unmatched';
    let response: HttpResponse;
    let serverError: unknown;
    try {
      // Every route refuses a large body the same way, and the refusal is measured like any answer.
      if ((request.body?.byteLength ?? 0) > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
      const work = dispatch(request, match);
      response = await (request.deadlineMs === undefined ? work : withDeadline(work, request.deadlineMs));
    } catch (error) {
      response = problemResponse(error, request.requestId);
      if (response.statusCode >= 500) serverError = error;
    }
    response.headers['x-request-id'] = request.requestId;
    // JSON is never to be sniffed as anything else, in AWS as locally.
    response.headers['x-content-type-options'] = 'nosniff';
    const durationMs = performance.now() - started;
    // One line per request; never the body, the query or the raw path (they carry personal data).
    const line = {
      method: request.method,
      route,
      status: response.statusCode,
      durationMs: Math.round(durationMs * 10) / 10,
      requestId: request.requestId,
    };
    if (serverError === undefined) logger.info('Request', line);
    else {
      // Server errors are logged in full; the client sees only the request id.
      const message =
        serverError instanceof IngestaError ? 'Request failed on a dependency' : 'Unhandled error';
      logger.error(message, { ...line, error: serverError });
    }
    metrics.apiRequest({ route, method: request.method, status: response.statusCode, durationMs });
    return response;
  };
};

export type { ApiApp, ApiDependencies };
export { createApiApp };
