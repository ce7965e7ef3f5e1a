import type { Migration } from './migration.ts';

/**
 * Idempotency-Key records for POST /users. One row per (scope, key): in flight while the first request
 * runs (expires_at is then its lease), completed with the response it got (expires_at is then its TTL).
 * Expired rows are swept in bounded batches by expires_at. The scope fits any IAM ARN (paths included); the
 * body is `json`, not `jsonb`, so a replay keeps the first answer's member order.
 */
const createIdempotencyKeys: Migration = {
  id: '0003_create_idempotency_keys',
  sql: `
CREATE TABLE idempotency_keys (
  scope           text        NOT NULL CHECK (char_length(scope) BETWEEN 1 AND 2048),
  key             text        NOT NULL CHECK (char_length(key) BETWEEN 1 AND 128),
  fingerprint     text        NOT NULL CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
  state           text        NOT NULL CHECK (state IN ('in_flight', 'completed')),
  lease_token     text,
  response_status smallint,
  response_body   json,
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  PRIMARY KEY (scope, key),
  CONSTRAINT idempotency_keys_state_shape CHECK (
    (state = 'in_flight' AND lease_token IS NOT NULL AND response_status IS NULL AND response_body IS NULL)
    OR (state = 'completed' AND lease_token IS NULL AND response_status IS NOT NULL AND response_body IS NOT NULL)
  )
);
CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
`,
};

export { createIdempotencyKeys };
