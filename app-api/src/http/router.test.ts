import { describe, expect, it } from 'vitest';
import { json } from './httpTypes.ts';
import { Router } from './router.ts';

const list = async () => json(200, 'list');
const router = new Router()
  .on('GET', '/users', list)
  .on('POST', '/users', async () => json(202, 'post'))
  .on('GET', '/users/:id', async (_r, p) => json(200, p));

describe('Router', () => {
  it('finds the handler by method and path, capturing parameters', () => {
    const match = router.find('GET', '/users/42');
    expect(match).toMatchObject({ route: '/users/{id}', params: { id: '42' }, allow: ['GET'] });
    expect(match?.handler).toBeTypeOf('function');
  });

  it('names the route template, never the raw path', () => {
    expect(router.find('GET', '/users/999999')?.route).toBe('/users/{id}');
  });

  it('treats a trailing slash as the same path', () => {
    expect(router.find('GET', '/users/')?.handler).toBe(list);
  });

  it('finds nothing for an unknown path', () => {
    expect(router.find('GET', '/orders')).toBeNull();
    expect(router.find('GET', '/users/1/extra')).toBeNull();
  });

  it('reports the allowed methods when the method does not match', () => {
    expect(router.find('DELETE', '/users')).toMatchObject({ handler: undefined, allow: ['GET', 'POST'] });
  });

  it('does not match a parameter that is not valid percent-encoding', () => {
    expect(router.find('GET', '/users/%E0%A4%A')).toBeNull();
  });
});
