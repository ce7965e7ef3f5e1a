import type { RouteHandler, RouteParams } from './httpTypes.ts';

interface Route {
  /** The template as registered, e.g. `/users/:id`. */
  template: string;
  /** Segments; a segment starting with ':' captures a parameter. */
  segments: string[];
  methods: Partial<Record<string, RouteHandler>>;
}

interface RouteMatch {
  /** The template in OpenAPI style (`/users/{id}`): a bounded label for metrics and logs. */
  route: string;
  params: RouteParams;
  /** Undefined when the path exists but not for this method. */
  handler: RouteHandler | undefined;
  allow: string[];
}

const split = (path: string): string[] => path.split('/').filter((s) => s.length > 0);

const matchSegments = (route: Route, segments: string[]): RouteParams | null => {
  if (route.segments.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, pattern] of route.segments.entries()) {
    const actual = segments[i] as string;
    if (pattern.startsWith(':')) {
      try {
        params[pattern.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (pattern !== actual) return null;
  }
  return params;
};

/** A tiny exact-match router; the app turns "no route" into 404 and "no method" into 405 + Allow. */
class Router {
  readonly #routes: Route[] = [];

  on(method: string, template: string, handler: RouteHandler): this {
    const existing = this.#routes.find((r) => r.template === template);
    if (existing) existing.methods[method] = handler;
    else this.#routes.push({ template, segments: split(template), methods: { [method]: handler } });
    return this;
  }

  find(method: string, path: string): RouteMatch | null {
    const segments = split(path);
    for (const route of this.#routes) {
      const params = matchSegments(route, segments);
      if (params === null) continue;
      return {
        route: route.template.replace(/:([A-Za-z]+)/g, '{$1}'),
        params,
        handler: route.methods[method],
        allow: Object.keys(route.methods),
      };
    }
    return null;
  }
}

export type { RouteMatch };
export { Router };
