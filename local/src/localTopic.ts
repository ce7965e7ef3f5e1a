import { randomUUID } from 'node:crypto';
import type { LocalQueue } from './localQueue.ts';
import { assertMessageFits } from './messageSize.ts';
import { snsEnvelope } from './snsEnvelope.ts';

interface Subscription {
  queue: LocalQueue;
  rawMessageDelivery: boolean;
}

/** An in-process SNS topic that fans out to SQS-like queues, enveloped or raw, as SNS does. */
class LocalTopic {
  readonly arn: string;
  readonly #subscriptions: Subscription[] = [];

  constructor({
    name,
    region = 'us-east-1',
    accountId = '000000000000',
  }: { name: string; region?: string; accountId?: string }) {
    this.arn = `arn:aws:sns:${region}:${accountId}:${name}`;
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
}

export { LocalTopic };
