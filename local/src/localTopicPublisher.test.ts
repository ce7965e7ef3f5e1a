import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '#shared/domain/errors.ts';
import { FlakyExecutor } from '#tests/support/flakyExecutor.ts';
import { primaryBackend, type TestDatabase } from '#tests/support/testDatabase.ts';
import { LocalQueue } from './localQueue.ts';
import { LocalTopic } from './localTopic.ts';
import { LocalTopicPublisher } from './localTopicPublisher.ts';
import { ensureQueueSchema } from './queueSchema.ts';

const event = (eventId: string) => ({
  eventId,
  occurredAt: '2026-01-01T00:00:00.000Z',
  user: { name: 'Ada', email: `${eventId}@example.com` },
});

describe('LocalTopicPublisher', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await primaryBackend.open({ migrated: false });
    await ensureQueueSchema(database.db);
  });
  afterAll(() => database.dispose());

  it('resolves only once the message is stored, and is a 503 when it could not be', async () => {
    const flaky = new FlakyExecutor(database.db);
    const queue = await LocalQueue.open(flaky, { name: 'publisher', visibilityTimeoutMs: 1_000 });
    const topic = new LocalTopic({ name: 'users' });
    topic.subscribe(queue, { rawMessageDelivery: true });
    const publisher = new LocalTopicPublisher(topic);

    await publisher.publish(event('stored'));
    expect((await queue.list()).map((m) => JSON.parse(m.body).eventId)).toEqual(['stored']);

    flaky.down = true;
    const refused = await publisher.publish(event('lost')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DependencyUnavailableError);
    expect(refused).toMatchObject({ dependency: 'topic' });
    flaky.down = false;
    expect((await queue.list()).map((m) => JSON.parse(m.body).eventId)).toEqual(['stored']);
  });
});
