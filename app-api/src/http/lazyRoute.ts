import type { RouteHandler } from './httpTypes.ts';

/**
 * A route whose module is loaded on its first request, not at cold start: a cold start then compiles and
 * builds (zod schemas included) only the routes it serves. A failed load is retried on the next request.
 */
const lazyRoute = (load: () => Promise<RouteHandler>): RouteHandler => {
  let handler: Promise<RouteHandler> | undefined;
  return async (request, params) => {
    handler ??= load().catch((error: unknown) => {
      handler = undefined;
      throw error;
    });
    return (await handler)(request, params);
  };
};

export { lazyRoute };
