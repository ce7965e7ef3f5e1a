import { DependencyUnavailableError } from '#shared/domain/errors.ts';
import type { PublishReceipt, UserEventPublisher } from '#shared/domain/ports.ts';
import { type UserEvent, userEventAttributes } from '#shared/domain/userEvent.ts';
import type { LocalTopic } from './localTopic.ts';

/** The publisher port over the in-process topic: the local twin of SnsUserEventPublisher. */
class LocalTopicPublisher implements UserEventPublisher {
  readonly #topic: LocalTopic;

  constructor(topic: LocalTopic) {
    this.#topic = topic;
  }

  async publish(event: UserEvent): Promise<PublishReceipt> {
    try {
      return { messageId: await this.#topic.publish(JSON.stringify(event), userEventAttributes()) };
    } catch (error) {
      throw new DependencyUnavailableError(
        'topic',
        'The event could not be published. Retry with the same Idempotency-Key.',
        { cause: error },
      );
    }
  }
}

export { LocalTopicPublisher };
