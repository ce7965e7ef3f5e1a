import { describe, expect, it } from 'vitest';
import { MethodNotAllowedError, NotFoundError } from '../../../shared/src/errors.ts';
import { type HttpRequest, json } from './httpTypes.ts';
import { Router } from './router.ts';

const req = (method: string, path: string): HttpRequest => ({
  method,
  path,
  query: new URLSearchParams(),
  headers: {},
  body: undefined,
  requestId: 'r',
});

const router = new Router()
  .on('GET', '/users', async () => json(200, 'list'))
  .on('POST', '/users', async () => json(202, 'post'))
  .on('GET', '/users/:id', async (_r, p) => json(200, p));

describe('Router', () => {
  it('routes by method and path, capturing parameters', async () => {
    expect((await router.dispatch(req('POST', '/users'))).statusCode).toBe(202);
    expect(JSON.parse((await router.dispatch(req('GET', '/users/42'))).body)).toEqual({ id: '42' });
  });

  it('treats a trailing slash as the same path', async () => {
    expect((await router.dispatch(req('GET', '/users/'))).body).toBe('"list"');
  });

  it('answers an unknown path with NotFound', async () => {
    await expect(router.dispatch(req('GET', '/orders'))).rejects.toBeInstanceOf(NotFoundError);
    await expect(router.dispatch(req('GET', '/users/1/extra'))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers a wrong method with 405 and the allowed methods', async () => {
    const error = await router.dispatch(req('DELETE', '/users')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MethodNotAllowedError);
    expect((error as MethodNotAllowedError).headers()).toEqual({ allow: 'GET, POST' });
  });
});
