import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { DependencyUnavailableError } from '../domain/errors.ts';
import type { PublishReceipt, UserEventPublisher } from '../domain/ports.ts';
import { type UserEvent, userEventAttributes } from '../domain/userEvent.ts';

/** Publishes user events to an SNS topic. The client is built by the composition root. */
class SnsUserEventPublisher implements UserEventPublisher {
  readonly #client: SNSClient;
  readonly #topicArn: string;

  constructor(client: SNSClient, topicArn: string) {
    this.#client = client;
    this.#topicArn = topicArn;
  }

  async publish(event: UserEvent): Promise<PublishReceipt> {
    const attributes = Object.fromEntries(
      Object.entries(userEventAttributes()).map(([name, value]) => [
        name,
        { DataType: 'String', StringValue: value },
      ]),
    );
    let messageId: string | undefined;
    try {
      const out = await this.#client.send(
        new PublishCommand({
          TopicArn: this.#topicArn,
          Message: JSON.stringify(event),
          MessageAttributes: attributes,
        }),
      );
      messageId = out.MessageId;
    } catch (error) {
      throw new DependencyUnavailableError(
        'sns',
        'The event could not be published. Retry with the same Idempotency-Key.',
        { cause: error },
      );
    }
    if (messageId === undefined) throw new Error('SNS Publish returned no MessageId.');
    return { messageId };
  }
}

export { SnsUserEventPublisher };
