import { describe, expect, it } from 'vitest';
import { type HttpRequest, json, type RouteHandler } from './httpTypes.ts';
import { lazyRoute } from './lazyRoute.ts';

const request: HttpRequest = {
  method: 'GET',
  path: '/x',
  query: new URLSearchParams(),
  headers: {},
  body: undefined,
  requestId: 'r-1',
};

describe('lazyRoute', () => {
  it('loads the route on its first request only, then reuses it', async () => {
    let loads = 0;
    const route = lazyRoute(async () => {
      loads += 1;
      return (async (_request, params) => json(200, params)) satisfies RouteHandler;
    });
    expect(loads).toBe(0);
    const answers = await Promise.all([route(request, { id: '1' }), route(request, { id: '2' })]);
    expect(answers.map((a) => a.body)).toEqual(['{"id":"1"}', '{"id":"2"}']);
    expect(loads).toBe(1);
  });

  it('passes a failed load to the request and loads again on the next one', async () => {
    let loads = 0;
    const route = lazyRoute(async () => {
      loads += 1;
      if (loads === 1) throw new Error('chunk failed to load');
      return async () => json(204, null);
    });
    await expect(route(request, {})).rejects.toThrow('chunk failed to load');
    await expect(route(request, {})).resolves.toMatchObject({ statusCode: 204 });
    expect(loads).toBe(2);
  });
});
