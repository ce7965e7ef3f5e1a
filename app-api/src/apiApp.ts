import type { Logger } from '@aws-lambda-powertools/logger';
import type { UserEventPublisher, UserStore } from '../../shared/src/domain/ports.ts';
import { IngestaError } from '../../shared/src/errors.ts';
import type { HttpRequest, HttpResponse } from './http/httpTypes.ts';
import { Router } from './http/router.ts';
import { healthRoute } from './routes/healthRoute.ts';
import { getUserRoute, listUsersRoute, postUserRoute } from './routes/usersRoutes.ts';

interface ApiDependencies {
  store: UserStore;
  publisher: UserEventPublisher;
  logger: Logger;
  version: string;
}

type ApiApp = (request: HttpRequest) => Promise<HttpResponse>;

const problem = (error: IngestaError, requestId: string): HttpResponse => ({
  statusCode: error.statusCode,
  headers: { 'content-type': 'application/problem+json', ...error.headers() },
  body: JSON.stringify({ ...error.toProblem(), requestId }),
});

/** The API as a plain function of a request. Errors render themselves; nothing else leaks. */
const createApiApp = ({ store, publisher, logger, version }: ApiDependencies): ApiApp => {
  const router = new Router()
    .on('GET', '/health', healthRoute(store, version))
    .on('GET', '/users', listUsersRoute(store))
    .on('POST', '/users', postUserRoute(publisher))
    .on('GET', '/users/:id', getUserRoute(store));

  return async (request) => {
    let response: HttpResponse;
    try {
      response = await router.dispatch(request);
    } catch (error) {
      if (error instanceof IngestaError && error.statusCode < 500) {
        response = problem(error, request.requestId);
      } else if (error instanceof IngestaError) {
        logger.error('Request failed on a dependency', { error, requestId: request.requestId });
        response = problem(error, request.requestId);
      } else {
        // Unexpected: log everything, tell the client only the request id.
        logger.error('Unhandled error', { error, requestId: request.requestId });
        response = problem(new IngestaError('An unexpected error occurred.'), request.requestId);
      }
    }
    response.headers['x-request-id'] = request.requestId;
    return response;
  };
};

export type { ApiApp, ApiDependencies };
export { createApiApp };
