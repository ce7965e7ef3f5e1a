import { describe, expect, it } from 'vitest';
import { IdempotencyKeyInFlightError, IdempotencyKeyReusedError } from './errors.ts';
import { DEFAULT_IDEMPOTENCY_POLICY, requestFingerprint, runOnce } from './idempotency.ts';
import type { ClaimOutcome, IdempotencyClaim, IdempotencyStore, StoredResponse } from './ports.ts';

/** Answers claims as told and records every call; the SQL semantics are tested in tests/integration. */
const scriptedStore = (outcome: ClaimOutcome, failures: { complete?: Error; release?: Error } = {}) => {
  const calls: string[] = [];
  const claims: IdempotencyClaim[] = [];
  const store: IdempotencyStore = {
    claim: async (claim) => {
      calls.push('claim');
      claims.push(claim);
      return outcome;
    },
    complete: async ({ expiresAt }) => {
      calls.push(`complete until ${expiresAt.toISOString()}`);
      if (failures.complete) throw failures.complete;
      return true;
    },
    release: async () => {
      calls.push('release');
      if (failures.release) throw failures.release;
    },
  };
  return { store, calls, claims };
};

const NOW = new Date('2026-06-01T12:00:00.000Z');
const ACCEPTED: StoredResponse = { status: 202, body: { eventId: 'k1', messageId: 'm-1' } };
const request = { scope: 'anonymous', key: 'k1', fingerprint: requestFingerprint({ name: 'Ada' }) };
const deps = (store: IdempotencyStore) => ({
  store,
  policy: DEFAULT_IDEMPOTENCY_POLICY,
  now: () => NOW,
});

describe('requestFingerprint', () => {
  it('is the same for the same request whatever the key order, and differs for another request', () => {
    const a = requestFingerprint({ name: 'Ada', email: 'ada@x.io' });
    expect(requestFingerprint({ email: 'ada@x.io', name: 'Ada' })).toBe(a);
    expect(requestFingerprint({ name: 'Ada', email: 'ada@y.io' })).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('runOnce', () => {
  it('runs the work once claimed and keeps its response for the TTL; the claim holds a lease and sweeps a bounded batch', async () => {
    const { store, calls, claims } = scriptedStore({ kind: 'claimed' });
    const outcome = await runOnce(deps(store), request, async () => ACCEPTED);
    expect(outcome).toEqual({ response: ACCEPTED, replayed: false, recorded: true });
    expect(calls).toEqual(['claim', 'complete until 2026-06-02T12:00:00.000Z']);
    expect(claims[0]).toMatchObject({
      leaseUntil: new Date(NOW.getTime() + DEFAULT_IDEMPOTENCY_POLICY.leaseMs),
      sweepLimit: DEFAULT_IDEMPOTENCY_POLICY.sweepBatch,
    });
  });

  it('replays a completed response without running the work', async () => {
    const { store } = scriptedStore({
      kind: 'completed',
      fingerprint: request.fingerprint,
      response: ACCEPTED,
    });
    let ran = 0;
    const outcome = await runOnce(deps(store), request, async () => {
      ran += 1;
      return ACCEPTED;
    });
    expect(outcome).toEqual({ response: ACCEPTED, replayed: true, recorded: true });
    expect(ran).toBe(0);
  });

  it.each([
    [
      'in flight',
      { kind: 'in-flight', fingerprint: request.fingerprint } as const,
      IdempotencyKeyInFlightError,
    ],
    [
      'in flight with another body',
      { kind: 'in-flight', fingerprint: 'f'.repeat(64) } as const,
      IdempotencyKeyReusedError,
    ],
    [
      'completed with another body',
      { kind: 'completed', fingerprint: 'f'.repeat(64), response: ACCEPTED } as const,
      IdempotencyKeyReusedError,
    ],
  ])('refuses a key %s without running the work', async (_label, outcome, expected) => {
    const { store } = scriptedStore(outcome);
    const work = async (): Promise<StoredResponse> => {
      throw new Error('must not run');
    };
    await expect(runOnce(deps(store), request, work)).rejects.toBeInstanceOf(expected);
  });

  it('gives the key back when the work fails, and rethrows the failure', async () => {
    const { store, calls } = scriptedStore({ kind: 'claimed' });
    const failure = new Error('topic down');
    await expect(runOnce(deps(store), request, () => Promise.reject(failure))).rejects.toBe(failure);
    expect(calls.at(-1)).toBe('release');
  });

  it('still reports the work failure when the release fails too (the lease frees the key later)', async () => {
    const { store } = scriptedStore({ kind: 'claimed' }, { release: new Error('database down') });
    const failure = new Error('topic down');
    await expect(runOnce(deps(store), request, () => Promise.reject(failure))).rejects.toBe(failure);
  });

  it('answers with the response it could not store, saying so', async () => {
    const { store } = scriptedStore({ kind: 'claimed' }, { complete: new Error('database down') });
    expect(await runOnce(deps(store), request, async () => ACCEPTED)).toEqual({
      response: ACCEPTED,
      replayed: false,
      recorded: false,
    });
  });
});
