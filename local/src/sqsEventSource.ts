import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { createLambdaContext } from './lambdaContext.ts';
import type { LocalQueue } from './localQueue.ts';
import { toSqsEvent } from './sqsEvent.ts';

const BatchResponseSchema = z
  .object({ batchItemFailures: z.array(z.object({ itemIdentifier: z.unknown() })) })
  .nullish();

type Invoke = (event: unknown, context: Context) => Promise<unknown>;

interface EventSourceOptions {
  queue: LocalQueue;
  invoke: Invoke;
  functionName: string;
  /** Like the mapping's BatchSize: 1–10,000 (above 10 needs a batching window, as in AWS). */
  batchSize: number;
  /** Like MaximumBatchingWindowInSeconds, in ms. */
  batchingWindowMs?: number;
  /** How often an empty queue is polled. */
  idlePollMs?: number;
  functionTimeoutMs?: number;
  onBatch?: (report: BatchReport) => void;
}

interface BatchReport {
  received: number;
  succeeded: number;
  failed: number;
  /** Set when the whole batch failed (the function threw or answered wrongly). */
  batchError?: string;
}

/**
 * Emulates Lambda's SQS event source mapping: polls, invokes with a real-shaped event, deletes
 * what succeeded, and leaves failures to reappear after the visibility timeout. Like AWS, an
 * empty or unknown itemIdentifier, or a thrown error, fails the whole batch.
 */
class SqsEventSource {
  readonly #options: EventSourceOptions;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** What the loop is waiting on: an idle poll ends on any arrival, a batching window only on a full batch. */
  #waiting: 'idle' | 'window' | undefined;

  constructor(options: EventSourceOptions) {
    if (options.batchSize < 1 || options.batchSize > 10_000) throw new Error('batchSize must be 1–10,000.');
    if (options.batchSize > 10 && (options.batchingWindowMs ?? 0) < 1_000) {
      throw new Error('A batchSize above 10 needs a batching window of at least 1 s, as in AWS.');
    }
    this.#options = options;
    // Like a long poll: a message arriving ends an idle wait at once.
    options.queue.onMessage(() => this.#notify());
  }

  /** Receives and processes one batch. Returns the report, or null when nothing was visible. */
  async pollOnce(): Promise<BatchReport | null> {
    const { queue, invoke, functionName, batchSize, functionTimeoutMs } = this.#options;
    const received = queue.receive(batchSize);
    if (received.length === 0) return null;

    const report: BatchReport = { received: received.length, succeeded: 0, failed: 0 };
    const byId = new Map(received.map((r) => [r.message.messageId, r]));
    let failedIds: Set<string>;
    try {
      const response = await invoke(
        toSqsEvent(queue, received),
        createLambdaContext(functionName, { timeoutMs: functionTimeoutMs ?? 30_000 }),
      );
      failedIds = this.#failedIds(response, byId);
    } catch (error) {
      report.batchError = error instanceof Error ? error.message : String(error);
      failedIds = new Set(byId.keys());
    }

    for (const [id, r] of byId) {
      if (failedIds.has(id)) {
        report.failed += 1;
        if (report.batchError !== undefined) queue.recordError(id, `Batch failed: ${report.batchError}`);
      } else {
        queue.delete(r.receiptHandle);
        report.succeeded += 1;
      }
    }
    this.#options.onBatch?.(report);
    return report;
  }

  #failedIds(response: unknown, byId: ReadonlyMap<string, unknown>): Set<string> {
    const parsed = BatchResponseSchema.safeParse(response);
    if (!parsed.success) throw new Error('Invalid batch response: expected { batchItemFailures: [...] }.');
    const failures = parsed.data?.batchItemFailures ?? [];
    const ids = new Set<string>();
    for (const { itemIdentifier } of failures) {
      if (typeof itemIdentifier !== 'string' || !byId.has(itemIdentifier)) {
        throw new Error(`Invalid batch response: unknown itemIdentifier ${JSON.stringify(itemIdentifier)}.`);
      }
      ids.add(itemIdentifier);
    }
    return ids;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops polling and waits for the batch in flight to finish. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  #notify(): void {
    const { queue, batchSize } = this.#options;
    if (this.#waiting === 'idle' || (this.#waiting === 'window' && queue.stats().visible >= batchSize)) {
      this.#wake?.();
    }
  }

  async #run(): Promise<void> {
    const { batchingWindowMs = 0, idlePollMs = 1_000, queue, batchSize } = this.#options;
    while (this.#running) {
      if (batchingWindowMs > 0 && queue.stats().visible < batchSize)
        await this.#sleep(batchingWindowMs, 'window');
      let report: BatchReport | null = null;
      try {
        report = await this.pollOnce();
      } catch (error) {
        // Never let one bad batch stop the mapping; AWS keeps polling too.
        console.error('local event source: poll failed', error);
      }
      if (report === null && this.#running) {
        const next = queue.nextVisibleAt();
        const wait = next === null ? idlePollMs : Math.min(idlePollMs, Math.max(1, next - Date.now()));
        await this.#sleep(wait, 'idle');
      }
    }
  }

  #sleep(ms: number, waiting: 'idle' | 'window'): Promise<void> {
    this.#waiting = waiting;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    }).finally(() => {
      this.#waiting = undefined;
    });
  }
}

export type { BatchReport, EventSourceOptions };
export { SqsEventSource };
