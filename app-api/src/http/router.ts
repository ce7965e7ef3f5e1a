import { MethodNotAllowedError, NotFoundError } from '../../../shared/src/errors.ts';
import type { HttpRequest, HttpResponse, RouteHandler, RouteParams } from './httpTypes.ts';

interface Route {
  /** Segments; a segment starting with ':' captures a parameter. */
  segments: string[];
  methods: Partial<Record<string, RouteHandler>>;
}

const split = (path: string): string[] => path.split('/').filter((s) => s.length > 0);

const match = (route: Route, segments: string[]): RouteParams | null => {
  if (route.segments.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, pattern] of route.segments.entries()) {
    const actual = segments[i] as string;
    if (pattern.startsWith(':')) params[pattern.slice(1)] = decodeURIComponent(actual);
    else if (pattern !== actual) return null;
  }
  return params;
};

/** A tiny exact-match router: unknown paths are 404, known paths with the wrong method 405 + Allow. */
class Router {
  readonly #routes: Route[] = [];

  on(method: string, path: string, handler: RouteHandler): this {
    const segments = split(path);
    const existing = this.#routes.find((r) => r.segments.join('/') === segments.join('/'));
    if (existing) existing.methods[method] = handler;
    else this.#routes.push({ segments, methods: { [method]: handler } });
    return this;
  }

  async dispatch(request: HttpRequest): Promise<HttpResponse> {
    const segments = split(request.path);
    for (const route of this.#routes) {
      const params = match(route, segments);
      if (params === null) continue;
      const handler = route.methods[request.method];
      if (handler === undefined) throw new MethodNotAllowedError(request.method, Object.keys(route.methods));
      return handler(request, params);
    }
    throw new NotFoundError(`No route for ${request.method} ${request.path.slice(0, 200)}.`);
  }
}

export { Router };
