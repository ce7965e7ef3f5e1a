import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { redactedError } from '#shared/logging/personalData.ts';
import { createLambdaContext } from './lambdaContext.ts';
import type { LocalQueue, MessageError } from './localQueue.ts';
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
  /** Messages seen arriving: lets the loop skip a wait when one came while it was busy. */
  #arrivals = 0;
  /** Visible messages counted while a batching window is open. */
  #windowCount = 0;
  /** When records that failed become visible again, so an idle wait ends for their retry. */
  #retries: number[] = [];
  /** Why records of the batches under way failed, as the subscriber reported them. */
  readonly #reasons = new Map<string, string | undefined>();

  constructor(options: EventSourceOptions) {
    if (options.batchSize < 1 || options.batchSize > 10_000) throw new Error('batchSize must be 1–10,000.');
    if (options.batchSize > 10 && (options.batchingWindowMs ?? 0) < 1_000) {
      throw new Error('A batchSize above 10 needs a batching window of at least 1 s, as in AWS.');
    }
    this.#options = options;
    // Like a long poll: a message arriving ends an idle wait at once.
    options.queue.onMessage((count) => this.#notify(count));
  }

  /**
   * For the subscriber's onRecordFailure: why a record of a batch under way failed. It is kept with the
   * message (the DLQ listing shows it); records of other invocations are ignored.
   */
  recordFailure(messageId: string, reason: string): void {
    if (this.#reasons.has(messageId)) this.#reasons.set(messageId, reason);
  }

  /** Receives and processes one batch. Returns the report, or null when nothing was visible. */
  async pollOnce(): Promise<BatchReport | null> {
    const { queue, invoke, functionName, batchSize, functionTimeoutMs } = this.#options;
    const claimedAt = Date.now();
    const received = await queue.receive(batchSize);
    if (received.length === 0) return null;

    const report: BatchReport = { received: received.length, succeeded: 0, failed: 0 };
    const byId = new Map(received.map((r) => [r.message.messageId, r]));
    for (const id of byId.keys()) this.#reasons.set(id, undefined);
    try {
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

      const succeeded: string[] = [];
      const errors: MessageError[] = [];
      for (const [id, r] of byId) {
        if (failedIds.has(id)) {
          report.failed += 1;
          const reason =
            report.batchError === undefined ? this.#reasons.get(id) : `Batch failed: ${report.batchError}`;
          if (reason !== undefined) errors.push({ messageId: id, error: reason });
        } else {
          succeeded.push(r.receiptHandle);
          report.succeeded += 1;
        }
      }
      if (report.failed > 0) this.#retries.push(claimedAt + queue.visibilityTimeoutMs);
      if (succeeded.length > 0) await queue.deleteBatch(succeeded);
      if (errors.length > 0) await queue.recordErrors(errors);
    } finally {
      for (const id of byId.keys()) this.#reasons.delete(id);
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

  /** Stops polling; resolves once the batch under way (if any) is settled. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  #notify(count: number): void {
    this.#arrivals += count;
    if (this.#waiting === 'idle') this.#wake?.();
    if (this.#waiting === 'window') {
      this.#windowCount += count;
      if (this.#windowCount >= this.#options.batchSize) this.#wake?.();
    }
  }

  async #run(): Promise<void> {
    const { batchingWindowMs = 0, idlePollMs = 1_000, batchSize } = this.#options;
    while (this.#running) {
      const arrivals = this.#arrivals;
      let wait: number | undefined;
      try {
        if (batchingWindowMs > 0) await this.#holdWindow(Date.now() + batchingWindowMs);
        if (!this.#running) break;
        const report = await this.pollOnce();
        // A short batch means nothing more was visible: wait for an arrival, a retry, or the next poll.
        if (report === null || report.received < batchSize) wait = this.#idleWait(idlePollMs);
      } catch (error) {
        // Never let one bad batch (or a database hiccup) stop the mapping; AWS keeps polling too.
        console.error('local event source: poll failed', redactedError(error));
        wait = idlePollMs;
      }
      if (wait !== undefined && this.#running && this.#arrivals === arrivals) await this.#sleep(wait, 'idle');
    }
  }

  /**
   * Waits until a full batch is visible or the window closes. Arrivals wake the wait once they make a
   * batch; the database has the last word before the batch is taken.
   */
  async #holdWindow(closesAt: number): Promise<void> {
    const { batchSize, queue } = this.#options;
    for (;;) {
      const { visible } = await queue.stats();
      const left = closesAt - Date.now();
      if (visible >= batchSize || left <= 0 || !this.#running) return;
      this.#windowCount = visible;
      await this.#sleep(left, 'window');
    }
  }

  /** Until the soonest failed record of ours is visible again, at most the idle poll. */
  #idleWait(idlePollMs: number): number {
    const now = Date.now();
    this.#retries = this.#retries.filter((at) => at > now);
    const soonest = Math.min(...this.#retries);
    return Number.isFinite(soonest) ? Math.min(idlePollMs, soonest - now) : idlePollMs;
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
