import { DependencyUnavailableError } from '#shared/domain/errors.ts';
import type { UserStore } from '#shared/domain/ports.ts';
import { json, type RouteHandler } from '../http/httpTypes.ts';

/** For smoke tests and probes: proves the function is up and can reach its database. */
const healthRoute =
  (store: UserStore, version: string): RouteHandler =>
  async () => {
    try {
      await store.ping();
    } catch (error) {
      throw new DependencyUnavailableError('database', 'The database is unreachable.', { cause: error });
    }
    return json(200, { status: 'ok', version, database: 'ok' }, { 'cache-control': 'no-store' });
  };

export { healthRoute };
