import type { UserStore } from '#shared/domain/ports.ts';
import type * as z from '#shared/domain/zodMini.ts';
import { json, type RouteHandler } from '../http/httpTypes.ts';
import type { HealthSchema } from '../openapi/schemas.ts';

/** For smoke tests and probes: proves the function is up and can reach its database. */
const healthRoute =
  (store: UserStore, version: string): RouteHandler =>
  async () => {
    // An unreachable database surfaces as DependencyUnavailableError from the store: 503.
    await store.ping();
    const health: z.output<typeof HealthSchema> = { status: 'ok', version, database: 'ok' };
    return json(200, health, { 'cache-control': 'no-store' });
  };

export { healthRoute };
