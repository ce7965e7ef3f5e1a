import { createHash, randomUUID } from 'node:crypto';
import { assertMessageFits } from './messageSize.ts';

interface MessageAttribute {
  dataType: 'String';
  stringValue: string;
}

interface QueueMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  attributes: Record<string, MessageAttribute>;
  sentTimestamp: number;
  receiveCount: number;
  firstReceiveTimestamp: number | null;
  /** Epoch ms when the message becomes receivable again. */
  visibleAt: number;
  /** Only the latest receive's handle can delete the message, as in SQS. */
  receiptHandle: string | null;
  lastError: string | null;
  /** Set when the message was moved to a dead-letter queue. */
  deadLetteredAt: number | null;
  sourceQueueArn: string | null;
}

interface ReceivedMessage {
  message: Readonly<QueueMessage>;
  receiptHandle: string;
}

interface RedrivePolicy {
  deadLetterQueue: LocalQueue;
  maxReceiveCount: number;
}

interface LocalQueueOptions {
  name: string;
  region?: string;
  accountId?: string;
  visibilityTimeoutMs: number;
  /** Bound on stored messages; a full queue refuses sends instead of growing without limit. */
  maxMessages?: number;
  redrive?: RedrivePolicy;
  now?: () => number;
}

interface QueueStats {
  name: string;
  visible: number;
  inFlight: number;
  total: number;
}

class QueueFullError extends Error {
  constructor(queue: string, limit: number) {
    super(`Queue ${queue} holds its limit of ${limit} messages.`);
    this.name = 'QueueFullError';
  }
}

/**
 * An in-memory queue with the SQS semantics the pipeline relies on: visibility timeout,
 * ApproximateReceiveCount, receipt handles, and redrive to a DLQ once maxReceiveCount is exceeded.
 */
class LocalQueue {
  readonly name: string;
  readonly arn: string;
  readonly region: string;
  readonly visibilityTimeoutMs: number;
  readonly maxMessages: number;
  readonly redrive: RedrivePolicy | undefined;
  readonly #now: () => number;
  /** Insertion order approximates SQS's best-effort ordering. */
  readonly #messages = new Map<string, QueueMessage>();
  /** Latest receipt handle → message id. */
  readonly #handles = new Map<string, string>();
  readonly #listeners: (() => void)[] = [];

  constructor(options: LocalQueueOptions) {
    this.name = options.name;
    this.region = options.region ?? 'us-east-1';
    this.arn = `arn:aws:sqs:${this.region}:${options.accountId ?? '000000000000'}:${options.name}`;
    this.visibilityTimeoutMs = options.visibilityTimeoutMs;
    this.maxMessages = options.maxMessages ?? 100_000;
    this.redrive = options.redrive;
    this.#now = options.now ?? Date.now;
  }

  send(body: string, attributes: Record<string, string> = {}): string {
    assertMessageFits('SQS', body, attributes);
    if (this.#messages.size >= this.maxMessages) throw new QueueFullError(this.name, this.maxMessages);
    const messageId = randomUUID();
    this.#messages.set(messageId, {
      messageId,
      body,
      md5OfBody: createHash('md5').update(body).digest('hex'),
      attributes: Object.fromEntries(
        Object.entries(attributes).map(([k, v]) => [k, { dataType: 'String' as const, stringValue: v }]),
      ),
      sentTimestamp: this.#now(),
      receiveCount: 0,
      firstReceiveTimestamp: null,
      visibleAt: 0,
      receiptHandle: null,
      lastError: null,
      deadLetteredAt: null,
      sourceQueueArn: null,
    });
    this.#announce();
    return messageId;
  }

  /** Calls `listener` whenever a message arrives (sent, redriven or restored), so a poller can wake. */
  onMessage(listener: () => void): void {
    this.#listeners.push(listener);
  }

  #announce(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Receives up to `max` visible messages, hiding each for the visibility timeout. */
  receive(max: number): ReceivedMessage[] {
    const now = this.#now();
    const received: ReceivedMessage[] = [];
    for (const message of this.#messages.values()) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      // SQS moves a message once a receive would push its count past maxReceiveCount.
      if (this.redrive && message.receiveCount >= this.redrive.maxReceiveCount) {
        this.#deadLetter(message, now);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.visibleAt = now + this.visibilityTimeoutMs;
      if (message.receiptHandle !== null) this.#handles.delete(message.receiptHandle);
      message.receiptHandle = randomUUID();
      this.#handles.set(message.receiptHandle, message.messageId);
      received.push({ message: { ...message }, receiptHandle: message.receiptHandle });
    }
    return received;
  }

  /** Deletes by receipt handle; a stale handle (the message was received again since) deletes nothing. */
  delete(receiptHandle: string): boolean {
    const messageId = this.#handles.get(receiptHandle);
    if (messageId === undefined) return false;
    this.#handles.delete(receiptHandle);
    return this.#messages.delete(messageId);
  }

  /** Makes a received message visible again after `timeoutMs` (0 = now). */
  changeVisibility(receiptHandle: string, timeoutMs: number): boolean {
    const message = this.#messages.get(this.#handles.get(receiptHandle) ?? '');
    if (message === undefined) return false;
    message.visibleAt = this.#now() + timeoutMs;
    return true;
  }

  recordError(messageId: string, error: string): void {
    const message = this.#messages.get(messageId);
    if (message) message.lastError = error.slice(0, 2_000);
  }

  list(): QueueMessage[] {
    return [...this.#messages.values()].map((m) => ({ ...m }));
  }

  stats(): QueueStats {
    const now = this.#now();
    let inFlight = 0;
    for (const m of this.#messages.values()) if (m.visibleAt > now) inFlight += 1;
    return { name: this.name, visible: this.#messages.size - inFlight, inFlight, total: this.#messages.size };
  }

  /** Epoch ms of the soonest moment a hidden message becomes visible, or null. */
  nextVisibleAt(): number | null {
    let soonest: number | null = null;
    for (const m of this.#messages.values()) {
      if (soonest === null || m.visibleAt < soonest) soonest = m.visibleAt;
    }
    return soonest;
  }

  /** Adds a message as it was (used by redrive and by restoring a snapshot). */
  adopt(message: QueueMessage): void {
    if (this.#messages.size >= this.maxMessages) throw new QueueFullError(this.name, this.maxMessages);
    this.#messages.set(message.messageId, { ...message });
    this.#announce();
  }

  /** Moves every message back to the queue it was dead-lettered from (like StartMessageMoveTask). */
  redriveTo(source: LocalQueue): number {
    let moved = 0;
    for (const message of [...this.#messages.values()]) {
      source.adopt({
        ...message,
        receiveCount: 0,
        visibleAt: 0,
        receiptHandle: null,
        deadLetteredAt: null,
        sourceQueueArn: null,
      });
      this.#messages.delete(message.messageId);
      if (message.receiptHandle !== null) this.#handles.delete(message.receiptHandle);
      moved += 1;
    }
    return moved;
  }

  #deadLetter(message: QueueMessage, now: number): void {
    if (!this.redrive) return;
    try {
      this.redrive.deadLetterQueue.adopt({
        ...message,
        visibleAt: 0,
        receiptHandle: null,
        deadLetteredAt: now,
        sourceQueueArn: this.arn,
      });
    } catch {
      // A full DLQ keeps the message here (undelivered) rather than lose it.
      return;
    }
    if (message.receiptHandle !== null) this.#handles.delete(message.receiptHandle);
    this.#messages.delete(message.messageId);
  }
}

export type { LocalQueueOptions, MessageAttribute, QueueMessage, QueueStats, ReceivedMessage, RedrivePolicy };
export { LocalQueue, QueueFullError };
