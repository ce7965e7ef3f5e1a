import { loadOnce } from '#shared/bootstrap/loadOnce.ts';
import type { RouteHandler } from './httpTypes.ts';

/**
 * A route whose module is loaded on its first request, not at cold start: a cold start then compiles and
 * builds (zod schemas included) only the routes it serves. A failed load is retried on the next request.
 */
const lazyRoute = (load: () => Promise<RouteHandler>): RouteHandler => {
  const handler = loadOnce(load);
  return async (request, params) => (await handler())(request, params);
};

export { lazyRoute };
