import type { ServerResponse } from 'node:http';
import { RUNTIME_HEADERS } from '../localProblems.ts';

interface SnapshotStreamOptions {
  /** Concurrent streams at most; more are refused. */
  maxClients: number;
  /** One snapshot per client per interval at most. */
  intervalMs: number;
  /** A client that has not read this much is dropped rather than buffered for. */
  maxBufferedBytes?: number;
}

/** The shortest gap between two frames to one client, as a share of the interval (timers drift a little). */
const MIN_GAP = 0.9;

/**
 * Server-Sent Events of one snapshot, built once per tick for every client. The timer runs only while a
 * client is connected; a client that goes away is dropped at once, and the last one stops the work.
 */
class SnapshotStream {
  readonly #build: () => Promise<unknown>;
  readonly #options: Required<SnapshotStreamOptions>;
  readonly #clients = new Set<ServerResponse>();
  #timer: NodeJS.Timeout | undefined;
  #building = false;
  #last: { at: number; frame: string } | undefined;
  #failures = 0;
  /** When each client was last sent a frame: never two within MIN_GAP of an interval (timer jitter aside). */
  readonly #sentAt = new Map<ServerResponse, number>();

  constructor(build: () => Promise<unknown>, options: SnapshotStreamOptions) {
    this.#build = build;
    this.#options = { maxBufferedBytes: 1_048_576, ...options };
  }

  get clients(): number {
    return this.#clients.size;
  }

  /** Starts streaming to this client; false when the cap is reached (nothing was written). */
  attach(response: ServerResponse): boolean {
    if (this.#clients.size >= this.#options.maxClients) return false;
    response.writeHead(200, {
      ...RUNTIME_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    response.write(`retry: ${this.#options.intervalMs * 2}\n\n`);
    this.#clients.add(response);
    const detach = () => {
      this.#clients.delete(response);
      this.#sentAt.delete(response);
      if (this.#clients.size === 0) this.#stopTimer();
    };
    // The response closes when the client goes away (the request's own 'close' fires once its body is read).
    response.on('close', detach);
    this.#sentAt.set(response, Number.NEGATIVE_INFINITY);
    // A frame built this interval is sent as is; otherwise the newcomer gets one built now, not in a second.
    if (this.#last !== undefined && Date.now() - this.#last.at < this.#options.intervalMs) {
      response.write(this.#last.frame);
      this.#sentAt.set(response, this.#last.at);
    } else void this.#tick();
    this.#timer ??= setInterval(() => void this.#tick(), this.#options.intervalMs);
    return true;
  }

  async #tick(): Promise<void> {
    if (this.#building || this.#clients.size === 0) return;
    this.#building = true;
    try {
      const at = Date.now();
      const frame = `data: ${JSON.stringify(await this.#build())}\n\n`;
      this.#last = { at, frame };
      this.#failures = 0;
      for (const client of this.#clients) {
        if (at - (this.#sentAt.get(client) ?? 0) < this.#options.intervalMs * MIN_GAP) continue;
        if (client.writableLength > this.#options.maxBufferedBytes) client.destroy();
        else {
          client.write(frame);
          this.#sentAt.set(client, at);
        }
      }
    } catch (error) {
      // Said once per failure streak, not once a second.
      if (this.#failures++ === 0) console.error('local console: snapshot failed', error);
    } finally {
      this.#building = false;
    }
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Ends every stream (the server is closing). */
  close(): void {
    this.#stopTimer();
    for (const client of this.#clients) client.end();
    this.#clients.clear();
    this.#sentAt.clear();
  }
}

export type { SnapshotStreamOptions };
export { SnapshotStream };
