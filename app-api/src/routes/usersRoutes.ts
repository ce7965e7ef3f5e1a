import { getUser } from '#shared/domain/getUser.ts';
import { listUsers } from '#shared/domain/listUsers.ts';
import type { UserEventPublisher, UserStore } from '#shared/domain/ports.ts';
import { submitUser } from '#shared/domain/submitUser.ts';
import { json, type RouteHandler } from '../http/httpTypes.ts';
import { readJsonBody } from '../http/jsonBody.ts';

const listUsersRoute =
  (store: UserStore): RouteHandler =>
  async (request) => {
    const page = await listUsers(store, {
      limit: request.query.get('limit') ?? undefined,
      cursor: request.query.get('cursor') ?? undefined,
    });
    return json(200, page);
  };

const getUserRoute =
  (store: UserStore): RouteHandler =>
  async (_request, params) =>
    json(200, await getUser(store, params.id ?? ''));

const postUserRoute =
  (publisher: UserEventPublisher): RouteHandler =>
  async (request) => {
    const body = readJsonBody(request);
    const result = await submitUser(publisher, { body, idempotencyKey: request.headers['idempotency-key'] });
    return json(202, result);
  };

export { getUserRoute, listUsersRoute, postUserRoute };
