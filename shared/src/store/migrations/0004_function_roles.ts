import type { Migration } from './migration.ts';

/** The database user each function logs in as (Terraform's rds-db:connect grants name them too). */
const DB_ROLES = { api: 'ingesta_api', subscriber: 'ingesta_subscriber' } as const;

/**
 * One login role per function, holding only what that function does; the master user keeps the schema
 * and is used by migrations alone. Roles are server-wide, so creating one tolerates another database
 * (or a concurrent migration elsewhere on the server) having made it first. `rds_iam` exists only on
 * RDS and Aurora: there it makes the role log in with IAM tokens instead of a password; elsewhere
 * (PostgreSQL, PGlite) it is skipped and the role logs in as the server's auth rules say.
 * idempotency_keys (migration 0003, the API's Idempotency-Key records) is granted only if it exists.
 */
const functionRoles: Migration = {
  id: '0004_function_roles',
  sql: `
DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['${DB_ROLES.api}', '${DB_ROLES.subscriber}'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION', role_name);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'rds_iam') THEN
      EXECUTE format('GRANT rds_iam TO %I', role_name);
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), role_name);
  END LOOP;
  -- Before PostgreSQL 15 every role may create tables in public; no function needs to.
  EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', current_schema());
  EXECUTE format(
    'GRANT USAGE ON SEQUENCE %s TO ${DB_ROLES.subscriber}',
    pg_get_serial_sequence('users', 'id')
  );
  IF to_regclass('idempotency_keys') IS NOT NULL THEN
    GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO ${DB_ROLES.api};
  END IF;
END $$;

GRANT SELECT ON users TO ${DB_ROLES.api};
GRANT SELECT, INSERT, UPDATE ON users TO ${DB_ROLES.subscriber};
`,
};

export { DB_ROLES, functionRoles };
