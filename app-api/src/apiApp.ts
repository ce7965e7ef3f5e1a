import type { Logger } from '@aws-lambda-powertools/logger';
import { IngestaError, NotFoundError } from '#shared/domain/errors.ts';
import type { IdempotencyDependencies } from '#shared/domain/idempotency.ts';
import type { PipelineMetrics, UserEventPublisher, UserStore } from '#shared/domain/ports.ts';
import { MethodNotAllowedError } from './http/errors.ts';
import type { HttpRequest, HttpResponse } from './http/httpTypes.ts';
import { problemResponse, toProblem } from './http/problems.ts';
import { type RouteMatch, Router } from './http/router.ts';
import { healthRoute } from './routes/healthRoute.ts';
import { openApiRoute } from './routes/openApiRoute.ts';
import { getUserRoute, listUsersRoute, postUserRoute } from './routes/usersRoutes.ts';

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

/** The API as a plain function of a request. Errors render themselves; nothing else leaks. */
const createApiApp = ({
  store,
  publisher,
  idempotency,
  logger,
  metrics,
  version,
}: ApiDependencies): ApiApp => {
  const router = new Router()
    .on('GET', '/health', healthRoute(store, version))
    .on('GET', '/users', listUsersRoute(store))
    .on('POST', '/users', postUserRoute({ publisher, idempotency, logger }))
    .on('GET', '/users/:id', getUserRoute(store))
    .on('GET', '/openapi.json', openApiRoute());

  const dispatch = async (request: HttpRequest, match: RouteMatch | null): Promise<HttpResponse> => {
    if (match === null)
      throw new NotFoundError(`No route for ${request.method} ${request.path.slice(0, 200)}.`);
    if (match.handler === undefined) throw new MethodNotAllowedError(request.method, match.allow);
    return match.handler(request, match.params);
  };

  return async (request) => {
    const started = performance.now();
    const match = router.find(request.method, request.path);
    let response: HttpResponse;
    try {
      response = await dispatch(request, match);
    } catch (error) {
      // Client errors are the client's; server errors are logged in full, the client sees only the request id.
      if (toProblem(error).status >= 500) {
        const message = error instanceof IngestaError ? 'Request failed on a dependency' : 'Unhandled error';
        logger.error(message, { error, requestId: request.requestId });
      }
      response = problemResponse(error, request.requestId);
    }
    response.headers['x-request-id'] = request.requestId;
    metrics.apiRequest({
      route: match?.route ?? 'unmatched',
      method: request.method,
      status: response.statusCode,
      durationMs: performance.now() - started,
    });
    return response;
  };
};

export type { ApiApp, ApiDependencies };
export { createApiApp };
