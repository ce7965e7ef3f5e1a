import { createHash, randomUUID } from 'node:crypto';
import { IdempotencyKeyInFlightError, IdempotencyKeyReusedError } from './errors.ts';
import type { IdempotencyStore, StoredResponse } from './ports.ts';

/**
 * Idempotency-Key handling after draft-ietf-httpapi-idempotency-key-header: the first request with a key
 * runs and its response is kept; a retry with the same request gets that response again; the same key
 * while the first still runs is a conflict; the same key with another request is refused.
 */
interface IdempotencyPolicy {
  /** How long a completed key is kept and replayed; after it, the key starts a new request. */
  ttlMs: number;
  /** How long an in-flight claim holds its key: longer than a request can run, so a live one is never overtaken. */
  leaseMs: number;
  /** Expired records each claim deletes, at most: bounded work, and more than the one record it adds. */
  sweepBatch: number;
}

const DEFAULT_IDEMPOTENCY_POLICY: IdempotencyPolicy = {
  ttlMs: 24 * 60 * 60 * 1000,
  leaseMs: 30_000,
  sweepBatch: 10,
};

interface IdempotentRequest {
  /** Whose key it is (the authenticated caller), so different clients never collide. */
  scope: string;
  key: string;
  /** `requestFingerprint` of the normalised request. */
  fingerprint: string;
}

interface IdempotentOutcome {
  response: StoredResponse;
  /** True when this is the stored answer to an earlier request. */
  replayed: boolean;
  /** False when the work ran but its response could not be kept; a retry after the lease runs it again. */
  recorded: boolean;
}

interface IdempotencyDependencies {
  store: IdempotencyStore;
  policy: IdempotencyPolicy;
  /** The clock keys expire by; tests move it. */
  now?: () => Date;
}

/** Sorted keys, so two equal objects always serialise (and hash) alike. */
const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
};

/** SHA-256 of the canonical JSON of an already normalised request. */
const requestFingerprint = (normalised: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify(canonical(normalised)))
    .digest('hex');

/**
 * Runs `work` at most once per (scope, key) while the key lives. A failed `work` gives the key back at
 * once; if even that fails, the lease runs out and the key is free again.
 */
const runOnce = async (
  { store, policy, now = () => new Date() }: IdempotencyDependencies,
  { scope, key, fingerprint }: IdempotentRequest,
  work: () => Promise<StoredResponse>,
): Promise<IdempotentOutcome> => {
  const started = now();
  const token = randomUUID();
  const outcome = await store.claim({
    scope,
    key,
    fingerprint,
    token,
    now: started,
    leaseUntil: new Date(started.getTime() + policy.leaseMs),
    sweepLimit: policy.sweepBatch,
  });
  if (outcome.kind !== 'claimed') {
    if (outcome.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(key);
    if (outcome.kind === 'in-flight') throw new IdempotencyKeyInFlightError(key);
    return { response: outcome.response, replayed: true, recorded: true };
  }
  let response: StoredResponse;
  try {
    response = await work();
  } catch (error) {
    // Best effort: if the release fails too, the lease expires and the key is retryable then.
    await store.release({ scope, key, token }).catch(() => {});
    throw error;
  }
  const expiresAt = new Date(started.getTime() + policy.ttlMs);
  // The work is done (the event is out): its answer stands even if it cannot be kept.
  const recorded = await store.complete({ scope, key, token, response, expiresAt }).catch(() => false);
  return { response, replayed: false, recorded };
};

export type { IdempotencyDependencies, IdempotencyPolicy, IdempotentOutcome, IdempotentRequest };
export { DEFAULT_IDEMPOTENCY_POLICY, requestFingerprint, runOnce };
