import type { Logger } from '@aws-lambda-powertools/logger';
import { getUser } from '#shared/domain/getUser.ts';
import { type IdempotencyDependencies, requestFingerprint, runOnce } from '#shared/domain/idempotency.ts';
import { listUsers } from '#shared/domain/listUsers.ts';
import type { StoredResponse, UserEventPublisher, UserStore } from '#shared/domain/ports.ts';
import { submitUser } from '#shared/domain/submitUser.ts';
import { parseNewUser } from '#shared/domain/user.ts';
import { conditional } from '../http/conditional.ts';
import { json, type RouteHandler } from '../http/httpTypes.ts';
import { ANONYMOUS_SCOPE, REPLAYED_HEADER, readIdempotencyKey } from '../http/idempotencyKey.ts';
import { readJsonBody } from '../http/jsonBody.ts';

interface PostUserDependencies {
  publisher: UserEventPublisher;
  idempotency: IdempotencyDependencies;
  logger: Logger;
}

const listUsersRoute =
  (store: UserStore): RouteHandler =>
  async (request) => {
    const page = await listUsers(store, {
      limit: request.query.get('limit') ?? undefined,
      cursor: request.query.get('cursor') ?? undefined,
    });
    return conditional(request, json(200, page));
  };

const getUserRoute =
  (store: UserStore): RouteHandler =>
  async (request, params) =>
    conditional(request, json(200, await getUser(store, params.id ?? '')));

/**
 * Without a key, every POST publishes. With one, the first request publishes and its 202 is kept;
 * the same request again gets that 202 back (marked replayed) and publishes nothing.
 */
const postUserRoute =
  ({ publisher, idempotency, logger }: PostUserDependencies): RouteHandler =>
  async (request) => {
    const body = readJsonBody(request);
    const key = readIdempotencyKey(request);
    const submit = async (): Promise<StoredResponse> => ({
      status: 202,
      body: await submitUser(publisher, { body, idempotencyKey: key }),
    });
    if (key === undefined) {
      const { status, body: result } = await submit();
      return json(status, result);
    }
    // Validated first: an invalid body never holds a key. The fingerprint is of the normalised user,
    // so ' Ada ' and 'Ada' are the same request.
    const fingerprint = requestFingerprint(parseNewUser(body));
    const scope = request.caller ?? ANONYMOUS_SCOPE;
    const outcome = await runOnce(idempotency, { scope, key, fingerprint }, submit);
    if (!outcome.recorded) {
      logger.warn('Published, but the Idempotency-Key response could not be stored', {
        requestId: request.requestId,
        idempotencyKey: key,
      });
    }
    return json(
      outcome.response.status,
      outcome.response.body,
      outcome.replayed ? { [REPLAYED_HEADER]: 'true' } : {},
    );
  };

export type { PostUserDependencies };
export { getUserRoute, listUsersRoute, postUserRoute };
