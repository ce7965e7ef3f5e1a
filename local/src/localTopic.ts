import { createHash, randomUUID } from 'node:crypto';
import type { LocalQueue, MessageAttribute } from './localQueue.ts';
import { assertMessageFits } from './messageSize.ts';
import { snsEnvelope } from './snsEnvelope.ts';

interface Subscription {
  queue: LocalQueue;
  rawMessageDelivery: boolean;
}

/** An SNS message attribute: its type (`String`, `String.Array`, `Number`, `Binary`) and value (base64 for Binary). */
interface TopicAttribute {
  type: string;
  value: string;
}

interface TopicMessage {
  message: string;
  subject?: string;
  attributes: Readonly<Record<string, TopicAttribute>>;
}

/** What ListSubscriptionsByTopic shows of a subscription. */
interface SubscriptionView {
  subscriptionArn: string;
  queue: LocalQueue;
  rawMessageDelivery: boolean;
}

/** An in-process SNS topic that fans out to SQS-like queues, enveloped or raw, as SNS does. */
class LocalTopic {
  readonly arn: string;
  readonly name: string;
  readonly #subscriptions: Subscription[] = [];

  constructor({
    name,
    region = 'us-east-1',
    accountId = '000000000000',
  }: { name: string; region?: string; accountId?: string }) {
    this.arn = `arn:aws:sns:${region}:${accountId}:${name}`;
    this.name = name;
  }

  subscribe(queue: LocalQueue, { rawMessageDelivery = false }: { rawMessageDelivery?: boolean } = {}): void {
    this.#subscriptions.push({ queue, rawMessageDelivery });
  }

  /**
   * Delivers to every subscription, each send committed before this resolves, or throws before any
   * delivery when the message is too large.
   */
  async publish(message: string, attributes: Record<string, string> = {}): Promise<string> {
    assertMessageFits('SNS', message, attributes);
    const messageId = randomUUID();
    const timestamp = new Date();
    for (const { queue, rawMessageDelivery } of this.#subscriptions) {
      if (rawMessageDelivery) {
        await queue.send(message, attributes);
      } else {
        await queue.send(snsEnvelope({ messageId, topicArn: this.arn, message, attributes, timestamp }));
      }
    }
    return messageId;
  }

  // For the AWS wire endpoint (local/src/aws/sns): typed attributes, a subject, and the subscriptions.

  /** Like `publish`, with an SNS Subject and typed attributes, as the Publish action carries them. */
  async publishMessage({ message, subject, attributes }: TopicMessage): Promise<string> {
    const values = Object.fromEntries(Object.entries(attributes).map(([name, a]) => [name, a.value]));
    assertMessageFits('SNS', message, values);
    const messageId = randomUUID();
    const timestamp = new Date();
    const attributeTypes = Object.fromEntries(Object.entries(attributes).map(([name, a]) => [name, a.type]));
    for (const { queue, rawMessageDelivery } of this.#subscriptions) {
      if (rawMessageDelivery) {
        await queue.sendMessage(
          message,
          Object.fromEntries(Object.entries(attributes).map(([name, a]) => [name, toQueueAttribute(a)])),
        );
      } else {
        const envelope = snsEnvelope({
          messageId,
          topicArn: this.arn,
          message,
          attributes: values,
          attributeTypes,
          timestamp,
          ...(subject !== undefined && { subject }),
        });
        await queue.send(envelope);
      }
    }
    return messageId;
  }

  /** The subscriptions, each with a stable ARN (the topic's, then an id derived from the queue). */
  subscriptions(): SubscriptionView[] {
    return this.#subscriptions.map(({ queue, rawMessageDelivery }) => {
      const hex = createHash('sha256').update(queue.arn).digest('hex');
      const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
      return { subscriptionArn: `${this.arn}:${id}`, queue, rawMessageDelivery };
    });
  }
}

/** Raw delivery keeps an attribute's type; SQS has no String.Array, so it arrives as a String (as in AWS). */
const toQueueAttribute = (a: TopicAttribute): MessageAttribute =>
  a.type.startsWith('Binary')
    ? { dataType: a.type, binaryValue: a.value }
    : { dataType: a.type === 'String.Array' ? 'String' : a.type, stringValue: a.value };

export type { SubscriptionView, TopicAttribute, TopicMessage };
export { LocalTopic };
