import { AsyncLocalStorage } from 'node:async_hooks';

/** `LogType: Tail` returns the last 4 KB of an invocation's log. */
const TAIL_BYTES = 4 * 1024;
/** What one invocation keeps while it runs: enough for the tail, bounded however much it logs. */
const KEPT_BYTES = 16 * 1024;

/** The log lines of one invocation, as Lambda would send them to CloudWatch: bounded, most recent kept. */
class InvocationLog {
  #chunks: Buffer[] = [];
  #bytes = 0;

  append(text: string | Uint8Array): void {
    const chunk = typeof text === 'string' ? Buffer.from(text) : Buffer.from(text);
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
    while (this.#bytes - (this.#chunks[0]?.length ?? 0) >= KEPT_BYTES) {
      this.#bytes -= this.#chunks.shift()?.length ?? 0;
    }
  }

  /** The last 4 KB, base64, as `X-Amz-Log-Result` carries it. */
  tail(): string {
    const all = Buffer.concat(this.#chunks);
    return all.subarray(Math.max(0, all.length - TAIL_BYTES)).toString('base64');
  }
}

const current = new AsyncLocalStorage<InvocationLog>();
let capturing = false;

/**
 * Copies what a handler writes to stdout and stderr (Powertools Logger writes there) into the log of the
 * invocation it runs in, found through async context, so concurrent invocations never see each other's lines.
 * Installed once per process; outside an invocation a write passes through untouched.
 */
const captureProcessOutput = (): void => {
  if (capturing) return;
  capturing = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write;
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      if (typeof chunk === 'string' || chunk instanceof Uint8Array) current.getStore()?.append(chunk);
      return Reflect.apply(write, this, [chunk, ...rest]) as boolean;
    } as typeof stream.write;
  }
};

/** Runs `fn` with `log` collecting its output (and that of everything it starts). */
const withInvocationLog = <T>(log: InvocationLog, fn: () => Promise<T>): Promise<T> => current.run(log, fn);

export { captureProcessOutput, InvocationLog, TAIL_BYTES, withInvocationLog };
