import type { LocalQueue } from '#local/localQueue.ts';

/**
 * Wakes long polls: one listener per queue, so each waiting ReceiveMessage ends as soon as a message
 * arrives, its time is up, or its signal aborts (the client went away or the server is closing).
 */
class Arrivals {
  readonly #waiters = new Map<LocalQueue, Set<() => void>>();

  watch(queue: LocalQueue): void {
    if (this.#waiters.has(queue)) return;
    const waiters = new Set<() => void>();
    this.#waiters.set(queue, waiters);
    queue.onMessage(() => {
      for (const wake of [...waiters]) wake();
    });
  }

  /** Resolves after `ms`, on the next arrival on `queue`, or when `signal` aborts, whichever is first. */
  wait(queue: LocalQueue, ms: number, signal: AbortSignal | undefined): Promise<void> {
    const waiters = this.#waiters.get(queue);
    return new Promise<void>((resolve) => {
      if (signal?.aborted) {
        resolve();
        return;
      }
      const done = () => {
        clearTimeout(timer);
        waiters?.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      waiters?.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

export { Arrivals };
