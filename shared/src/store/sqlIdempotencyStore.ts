import type {
  ClaimOutcome,
  IdempotencyClaim,
  IdempotencyKeyRef,
  IdempotencyStore,
  StoredResponse,
} from '../domain/ports.ts';
import { ClassifiedSqlStore } from './databaseErrors.ts';

/**
 * Inserts an in-flight record, or takes over one that has expired at `now`; a live record is left
 * alone and the statement returns nothing. In the same statement (one commit), it deletes at most $7
 * expired records of other keys: oldest first, skipping rows another session holds.
 */
const CLAIM_SQL = `
WITH swept AS (
  DELETE FROM idempotency_keys WHERE (scope, key) IN (
    SELECT scope, key FROM idempotency_keys
    WHERE expires_at <= $5::timestamptz AND NOT (scope = $1 AND key = $2)
    ORDER BY expires_at
    LIMIT $7
    FOR UPDATE SKIP LOCKED)
)
INSERT INTO idempotency_keys AS k (scope, key, fingerprint, state, lease_token, created_at, expires_at)
VALUES ($1, $2, $3, 'in_flight', $4, $5::timestamptz, $6::timestamptz)
ON CONFLICT (scope, key) DO UPDATE
  SET fingerprint = EXCLUDED.fingerprint,
      state = 'in_flight',
      lease_token = EXCLUDED.lease_token,
      response_status = NULL,
      response_body = NULL,
      created_at = EXCLUDED.created_at,
      expires_at = EXCLUDED.expires_at
  WHERE k.expires_at <= EXCLUDED.created_at
RETURNING lease_token`;

/** A plain read: retries and racing requests find the live record without a lock or a write. */
const LIVE_SQL = `
SELECT fingerprint, state, response_status, response_body FROM idempotency_keys
WHERE scope = $1 AND key = $2 AND expires_at > $3::timestamptz`;

interface LiveRow {
  fingerprint: string;
  state: 'in_flight' | 'completed';
  response_status: number | null;
  response_body: unknown;
}

/** Between the read and the insert another request may claim the key (or free it again): then read again. */
const CLAIM_ATTEMPTS = 3;

/** The IdempotencyStore port over PostgreSQL or PGlite. Writes go to the writer: pass its executor. */
class SqlIdempotencyStore extends ClassifiedSqlStore implements IdempotencyStore {
  async claim(claim: IdempotencyClaim): Promise<ClaimOutcome> {
    const { scope, key, fingerprint, token, now, leaseUntil, sweepLimit } = claim;
    const at = now.toISOString();
    for (let attempt = 1; ; attempt += 1) {
      const { rows } = await this.query<LiveRow>(LIVE_SQL, [scope, key, at]);
      if (rows[0] !== undefined) return toOutcome(rows[0]);
      const claimed = await this.query(CLAIM_SQL, [
        scope,
        key,
        fingerprint,
        token,
        at,
        leaseUntil.toISOString(),
        sweepLimit,
      ]);
      if (claimed.rows.length > 0) return { kind: 'claimed' };
      if (attempt >= CLAIM_ATTEMPTS) {
        throw new Error(`Idempotency key could not be claimed or read after ${CLAIM_ATTEMPTS} attempts.`);
      }
    }
  }

  async complete({
    scope,
    key,
    token,
    response,
    expiresAt,
  }: IdempotencyKeyRef & { token: string; response: StoredResponse; expiresAt: Date }): Promise<boolean> {
    const { rowCount } = await this.query(
      `UPDATE idempotency_keys
       SET state = 'completed', lease_token = NULL, response_status = $4, response_body = $5::json,
           expires_at = $6::timestamptz
       WHERE scope = $1 AND key = $2 AND lease_token = $3 AND state = 'in_flight'`,
      [scope, key, token, response.status, JSON.stringify(response.body), expiresAt.toISOString()],
    );
    return rowCount === 1;
  }

  async release({ scope, key, token }: IdempotencyKeyRef & { token: string }): Promise<void> {
    await this.query(
      `DELETE FROM idempotency_keys
       WHERE scope = $1 AND key = $2 AND lease_token = $3 AND state = 'in_flight'`,
      [scope, key, token],
    );
  }
}

const toOutcome = (row: LiveRow): ClaimOutcome => {
  if (row.state === 'in_flight') return { kind: 'in-flight', fingerprint: row.fingerprint };
  return {
    kind: 'completed',
    fingerprint: row.fingerprint,
    response: { status: Number(row.response_status), body: row.response_body },
  };
};

export { SqlIdempotencyStore };
