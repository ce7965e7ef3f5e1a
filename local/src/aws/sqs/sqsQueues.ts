import type { LocalQueue } from '#local/localQueue.ts';
import { MAX_MESSAGE_BYTES } from '#local/messageSize.ts';
import { sqsErrors } from './sqsErrors.ts';

const ACCOUNT_ID = '000000000000';

/** The attributes GetQueueAttributes knows, as the model names them. */
const QUEUE_ATTRIBUTE_NAMES = [
  'All',
  'Policy',
  'VisibilityTimeout',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
  'ApproximateNumberOfMessagesDelayed',
  'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds',
  'RedrivePolicy',
  'FifoQueue',
  'ContentBasedDeduplication',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'RedriveAllowPolicy',
  'SqsManagedSseEnabled',
] as const;

/**
 * The queues the endpoint serves (the pipeline's queue and its DLQ): found by name, URL or ARN.
 * A queue URL names its queue by path, so URLs minted for another host (or by the CLI) still resolve.
 */
class SqsQueues {
  readonly #queues: readonly LocalQueue[];

  constructor(queues: readonly LocalQueue[]) {
    this.#queues = queues;
  }

  all(): readonly LocalQueue[] {
    return this.#queues;
  }

  byName(name: string): LocalQueue | undefined {
    return this.#queues.find((q) => q.name === name);
  }

  byArn(arn: string): LocalQueue | undefined {
    return this.#queues.find((q) => q.arn === arn);
  }

  /** `http(s)://any-host/000000000000/name`, a bare queue name, or the queue's ARN. */
  byUrl(queueUrl: string): LocalQueue {
    if (queueUrl.startsWith('arn:')) {
      const queue = this.byArn(queueUrl);
      if (queue === undefined) throw sqsErrors.queueDoesNotExist();
      return queue;
    }
    if (!queueUrl.includes('/')) {
      const queue = this.byName(queueUrl);
      if (queue === undefined) throw sqsErrors.queueDoesNotExist();
      return queue;
    }
    let url: URL;
    try {
      url = new URL(queueUrl);
    } catch {
      throw sqsErrors.invalidAddress(queueUrl.slice(0, 200));
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw sqsErrors.invalidAddress(queueUrl.slice(0, 200));
    const [account, name, ...rest] = url.pathname.split('/').filter((part) => part !== '');
    const queue =
      account === ACCOUNT_ID && rest.length === 0 && name !== undefined ? this.byName(name) : undefined;
    if (queue === undefined) throw sqsErrors.queueDoesNotExist();
    return queue;
  }

  /** The URL of a queue as a client reached this endpoint (its Host header). */
  urlOf(queue: LocalQueue, host: string): string {
    return `http://${host}/${ACCOUNT_ID}/${queue.name}`;
  }

  /** The queues whose redrive policy names `dlq`. */
  sourcesOf(dlq: LocalQueue): LocalQueue[] {
    return this.#queues.filter((q) => q.redrive?.deadLetterQueue === dlq);
  }

  isDeadLetterQueue(queue: LocalQueue): boolean {
    return this.sourcesOf(queue).length > 0;
  }

  /**
   * What GetQueueAttributes answers. Attributes the local queue has no truth for (creation time,
   * retention: local queues keep messages until consumed) are left out rather than invented.
   */
  async attributes(queue: LocalQueue, names: readonly string[]): Promise<Record<string, string>> {
    for (const name of names) {
      if (!(QUEUE_ATTRIBUTE_NAMES as readonly string[]).includes(name))
        throw sqsErrors.invalidAttributeName(name);
    }
    if (names.length === 0) return {};
    const stats = await queue.stats();
    const sources = this.sourcesOf(queue);
    const known: Record<string, string | undefined> = {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(stats.visible),
      ApproximateNumberOfMessagesNotVisible: String(stats.inFlight),
      ApproximateNumberOfMessagesDelayed: '0',
      VisibilityTimeout: String(Math.round(queue.visibilityTimeoutMs / 1000)),
      MaximumMessageSize: String(MAX_MESSAGE_BYTES),
      DelaySeconds: '0',
      ReceiveMessageWaitTimeSeconds: '0',
      SqsManagedSseEnabled: 'false',
      RedrivePolicy:
        queue.redrive === undefined
          ? undefined
          : JSON.stringify({
              deadLetterTargetArn: queue.redrive.deadLetterQueue.arn,
              maxReceiveCount: queue.redrive.maxReceiveCount,
            }),
      RedriveAllowPolicy:
        sources.length === 0
          ? undefined
          : JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: sources.map((s) => s.arn) }),
    };
    const wanted = names.includes('All') ? Object.keys(known) : names;
    return Object.fromEntries(
      wanted.flatMap((name) => {
        const value = known[name];
        return value === undefined ? [] : [[name, value]];
      }),
    );
  }
}

export { ACCOUNT_ID, QUEUE_ATTRIBUTE_NAMES, SqsQueues };
