import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IdempotencyClaim } from '#shared/domain/ports.ts';
import { SqlIdempotencyStore } from '#shared/store/sqlIdempotencyStore.ts';
import { describeEachBackend, type TestDatabase } from '../support/testDatabase.ts';

const T0 = new Date('2026-06-01T12:00:00.000Z');
const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
const FP_A = 'a'.repeat(64);
const FP_B = 'b'.repeat(64);
const RESPONSE = { status: 202, body: { eventId: 'k', messageId: 'm-1' } };

describeEachBackend('SqlIdempotencyStore on $name', (backend) => {
  let database: TestDatabase;
  let store: SqlIdempotencyStore;

  beforeAll(async () => {
    database = await backend.open();
    store = new SqlIdempotencyStore(database.db);
  });
  afterAll(() => database.dispose());

  /** A fresh scope per test keeps the tests apart in one table. */
  const claimFor = (scope: string, overrides: Partial<IdempotencyClaim> = {}): IdempotencyClaim => ({
    scope,
    key: 'k',
    fingerprint: FP_A,
    token: randomUUID(),
    now: T0,
    leaseUntil: at(30),
    sweepLimit: 10,
    ...overrides,
  });

  const rows = async (scope: string) =>
    (
      await database.db.query<{ key: string; state: string }>(
        'SELECT key, state FROM idempotency_keys WHERE scope = $1 ORDER BY key',
        [scope],
      )
    ).rows;

  it('claims an unknown key, then reports it in flight with its fingerprint', async () => {
    const scope = randomUUID();
    expect(await store.claim(claimFor(scope))).toEqual({ kind: 'claimed' });
    expect(await store.claim(claimFor(scope, { fingerprint: FP_B, now: at(5) }))).toEqual({
      kind: 'in-flight',
      fingerprint: FP_A,
    });
  });

  it('replays the stored response once completed, until it expires', async () => {
    const scope = randomUUID();
    const claim = claimFor(scope);
    await store.claim(claim);
    expect(
      await store.complete({ scope, key: 'k', token: claim.token, response: RESPONSE, expiresAt: at(60) }),
    ).toBe(true);
    expect(await store.claim(claimFor(scope, { now: at(59) }))).toEqual({
      kind: 'completed',
      fingerprint: FP_A,
      response: RESPONSE,
    });
    // Expired: the key starts a new request, whatever its body.
    expect(
      await store.claim(claimFor(scope, { now: at(60), fingerprint: FP_B, leaseUntil: at(90) })),
    ).toEqual({
      kind: 'claimed',
    });
  });

  it('replays the body as it was stored, member order included', async () => {
    const scope = randomUUID();
    const claim = claimFor(scope);
    await store.claim(claim);
    const response = { status: 202, body: { messageId: 'm-1', eventId: 'k' } };
    await store.complete({ scope, key: 'k', token: claim.token, response, expiresAt: at(60) });
    const replay = await store.claim(claimFor(scope, { now: at(1) }));
    expect(replay.kind === 'completed' && JSON.stringify(replay.response)).toBe(JSON.stringify(response));
  });

  it('keeps a key under the longest IAM principal ARN (a 512-character path)', async () => {
    const scope = `arn:aws:iam::123456789012:user/${'p/'.repeat(255)}${'n'.repeat(64)}`;
    expect(await store.claim(claimFor(scope))).toEqual({ kind: 'claimed' });
  });

  it('lets anyone take over an in-flight key whose lease ran out, and the old holder can no longer complete it', async () => {
    const scope = randomUUID();
    const first = claimFor(scope);
    await store.claim(first);
    const second = claimFor(scope, { now: at(30), leaseUntil: at(60) });
    expect(await store.claim(second)).toEqual({ kind: 'claimed' });
    expect(
      await store.complete({ scope, key: 'k', token: first.token, response: RESPONSE, expiresAt: at(99) }),
    ).toBe(false);
    expect(
      await store.complete({ scope, key: 'k', token: second.token, response: RESPONSE, expiresAt: at(99) }),
    ).toBe(true);
  });

  it('frees a released key at once, but only for the holder of the claim', async () => {
    const scope = randomUUID();
    const claim = claimFor(scope);
    await store.claim(claim);
    await store.release({ scope, key: 'k', token: randomUUID() });
    expect(await rows(scope)).toEqual([{ key: 'k', state: 'in_flight' }]);
    await store.release({ scope, key: 'k', token: claim.token });
    expect(await rows(scope)).toEqual([]);
    expect(await store.claim(claimFor(scope, { now: at(1) }))).toEqual({ kind: 'claimed' });
  });

  it('keeps the same key of different scopes apart', async () => {
    const [alice, bob] = [randomUUID(), randomUUID()];
    expect(await store.claim(claimFor(alice))).toEqual({ kind: 'claimed' });
    expect(await store.claim(claimFor(bob, { fingerprint: FP_B }))).toEqual({ kind: 'claimed' });
  });

  it('grants exactly one of many concurrent claims of one key', async () => {
    const scope = randomUUID();
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => store.claim(claimFor(scope))));
    expect(outcomes.filter((o) => o.kind === 'claimed')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'in-flight')).toHaveLength(11);
  });

  it('sweeps expired records of other keys as it claims, a bounded batch each, oldest first, never a live one', async () => {
    await database.db.exec('DELETE FROM idempotency_keys');
    const scope = randomUUID();
    await database.db.query(
      `INSERT INTO idempotency_keys (scope, key, fingerprint, state, response_status, response_body, created_at, expires_at)
       SELECT $1, 'old-' || lpad(g::text, 2, '0'), $2, 'completed', 202, '{}'::json, $3::timestamptz,
              $3::timestamptz + g * interval '1 second'
       FROM generate_series(1, 25) g`,
      [scope, FP_A, T0.toISOString()],
    );
    const now = at(100);
    const claimAt = (key: string) => store.claim(claimFor(scope, { key, now, leaseUntil: at(3600) }));
    const keys = async () => (await rows(scope)).map((r) => r.key);
    await claimAt('live-1');
    expect(await keys()).toEqual(['live-1', ...Array.from({ length: 15 }, (_, i) => `old-${i + 11}`)]);
    // A replay, an in-flight answer, sweeps nothing: only a claim that takes its key writes.
    await claimAt('live-1');
    expect(await keys()).toHaveLength(16);
    await claimAt('live-2');
    expect(await keys()).toEqual(['live-1', 'live-2', 'old-21', 'old-22', 'old-23', 'old-24', 'old-25']);
    await claimAt('live-3');
    await claimAt('live-4');
    expect(await keys()).toEqual(['live-1', 'live-2', 'live-3', 'live-4']);
  });
});
