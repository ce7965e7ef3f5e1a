import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '#shared/domain/errors.ts';
import { type ApiContainer, gatedPublisher, startApiContainer } from '../support/apiContainer.ts';
import { eventually, type RunningStack, startLocalStack } from '../support/localStack.ts';

/**
 * draft-ietf-httpapi-idempotency-key-header over real HTTP, on the database of this run (PGlite, or
 * PostgreSQL with DATABASE_URL). Extra API containers share the stack's database and topic, as
 * Lambda containers share Aurora and SNS; each counts what it publishes.
 */
describe('Idempotency-Key over real HTTP', () => {
  let stack: RunningStack;
  const containers: ApiContainer[] = [];

  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(() => stack.stop());
  afterEach(async () => {
    await Promise.all(containers.splice(0).map((c) => c.stop()));
    expect(stack.contractViolations()).toEqual([]);
  });

  const container = async (options: Parameters<typeof startApiContainer>[1] = {}) => {
    const started = await startApiContainer(stack, options);
    containers.push(started);
    return started;
  };

  const post = async (url: string, key: string | undefined, user: { name: string; email: string }) => {
    const response = await fetch(`${url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key !== undefined && { 'idempotency-key': key }) },
      body: JSON.stringify(user),
    });
    return {
      status: response.status,
      replayed: response.headers.get('idempotent-replayed'),
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Record<string, unknown>,
    };
  };

  const ada = (email = `${randomUUID()}@example.com`) => ({ name: 'Ada Lovelace', email });

  it('replays the stored 202 for the same key and body, marked Idempotent-Replayed, and publishes once', async () => {
    const api = await container();
    const key = randomUUID();
    const user = ada();
    const first = await post(api.url, key, user);
    expect(first).toMatchObject({ status: 202, replayed: null, body: { eventId: key } });
    // The same user, written differently: the fingerprint is of the normalised body.
    const again = await post(api.url, key, { name: ` ${user.name} `, email: user.email.toUpperCase() });
    expect(again).toEqual({ ...first, replayed: 'true' });
    expect(api.published).toHaveLength(1);
  });

  it('answers 409 with Retry-After while the first request is in flight (a real race), then replays its 202', async () => {
    const gate = gatedPublisher();
    const slow = await container({ publisher: gate.wrap });
    const other = await container();
    const key = randomUUID();
    const user = ada();
    const first = post(slow.url, key, user);
    await gate.inFlight;
    const racing = await Promise.all([post(other.url, key, user), post(slow.url, key, user)]);
    for (const answer of racing) {
      expect(answer).toMatchObject({
        status: 409,
        retryAfter: '1',
        body: { type: 'urn:ingesta:problem:idempotency-key-in-flight', status: 409 },
      });
    }
    gate.release();
    expect(await first).toMatchObject({ status: 202, replayed: null, body: { eventId: key } });
    expect(await post(other.url, key, user)).toMatchObject({ status: 202, replayed: 'true' });
    expect([...slow.published, ...other.published]).toHaveLength(1);
  });

  it('refuses the same key with a different body with 422, in flight or completed, publishing nothing more', async () => {
    const gate = gatedPublisher();
    const slow = await container({ publisher: gate.wrap });
    const key = randomUUID();
    const first = post(slow.url, key, ada());
    await gate.inFlight;
    const whileInFlight = await post(slow.url, key, ada());
    gate.release();
    await first;
    const afterwards = await post(slow.url, key, ada());
    for (const answer of [whileInFlight, afterwards]) {
      expect(answer).toMatchObject({
        status: 422,
        body: { type: 'urn:ingesta:problem:idempotency-key-reused', status: 422 },
      });
    }
    expect(slow.published).toHaveLength(1);
  });

  it('treats a key past its 24-hour expiry as new: the request publishes again', async () => {
    let now = Date.now();
    const api = await container({ now: () => new Date(now) });
    const key = randomUUID();
    const first = await post(api.url, key, ada());
    now += 24 * 60 * 60 * 1000 - 1;
    expect(await post(api.url, key, ada())).toMatchObject({ status: 422 });
    now += 1;
    const later = await post(api.url, key, ada());
    expect(later).toMatchObject({ status: 202, replayed: null, body: { eventId: key } });
    expect(later.body.messageId).not.toBe(first.body.messageId);
    expect(api.published).toHaveLength(2);
  });

  it('leaves the key retryable when the publish fails: 503, then the retry publishes and answers 202', async () => {
    let failures = 1;
    const flaky = await container({
      publisher: (topic) => ({
        publish: async (event) => {
          if (failures-- > 0) throw new DependencyUnavailableError('topic', 'The topic is unavailable.');
          return topic.publish(event);
        },
      }),
    });
    const key = randomUUID();
    const user = ada();
    expect(await post(flaky.url, key, user)).toMatchObject({
      status: 503,
      retryAfter: '1',
      body: { status: 503 },
    });
    expect(flaky.published).toHaveLength(0);
    expect(await post(flaky.url, key, user)).toMatchObject({
      status: 202,
      replayed: null,
      body: { eventId: key },
    });
    expect(await post(flaky.url, key, user)).toMatchObject({ status: 202, replayed: 'true' });
    expect(flaky.published).toHaveLength(1);
  });

  it('lets N concurrent retries of one key through two containers publish exactly one event downstream', async () => {
    const [a, b] = [await container(), await container()];
    const key = randomUUID();
    const user = ada();
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) => post(i % 2 === 0 ? a.url : b.url, key, user)),
    );
    const fresh = answers.filter((r) => r.status === 202 && r.replayed === null);
    expect(fresh).toHaveLength(1);
    for (const answer of answers) {
      if (answer.status === 202) expect(answer.body).toEqual(fresh[0]?.body);
      else expect(answer).toMatchObject({ status: 409 });
    }
    expect([...a.published, ...b.published].map((e) => e.eventId)).toEqual([key]);
    // Downstream: the subscriber wrote that one event.
    const row = await eventually(async () => {
      const { rows } = await stack.pipeline.db.query<{ last_event_id: string }>(
        'SELECT last_event_id FROM users WHERE email = $1',
        [user.email],
      );
      return rows[0];
    });
    expect(row.last_event_id).toBe(key);
  });

  it('refuses an invalid Idempotency-Key with 400 before anything is claimed or published', async () => {
    const api = await container();
    const response = await fetch(`${api.url}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': '"unterminated' },
      body: JSON.stringify(ada()),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ path: 'Idempotency-Key' }] });
    expect(api.published).toHaveLength(0);
  });
});
