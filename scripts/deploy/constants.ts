const FUNCTION_KINDS = ['api', 'suscriptor'] as const;

const DEFAULT_ALIAS = 'live';

/** The subscriber's contract for running schema migrations. */
const MIGRATE_PAYLOAD = { action: 'migrate' } as const;

/** Smoke data is easy to spot and to delete: `smoke-…@example.com`. */
const SMOKE_EMAIL_DOMAIN = 'example.com';
const SMOKE_USER_NAME = 'Ingesta smoke test';

export { DEFAULT_ALIAS, FUNCTION_KINDS, MIGRATE_PAYLOAD, SMOKE_EMAIL_DOMAIN, SMOKE_USER_NAME };
