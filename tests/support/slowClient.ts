import { connect } from 'node:net';

interface SlowClient {
  /** Resolves once the server has closed or reset the connection. */
  gone: Promise<void>;
  stop(): void;
}

/**
 * A client that sends `head` and then one more byte every `everyMs`, never finishing its request
 * (`byte` is a body byte, or a header line for a request whose headers never end): a slow loris.
 */
const slowClient = (baseUrl: string, head: string, byte = 'a', everyMs = 100): Promise<SlowClient> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    const socket = connect(Number(port), hostname, () => {
      socket.write(head);
      const timer = setInterval(() => socket.write(byte), everyMs);
      const gone = new Promise<void>((done) => socket.once('close', () => done()));
      void gone.then(() => clearInterval(timer));
      resolve({ gone, stop: () => socket.destroy() });
    });
    socket.on('error', () => socket.destroy());
    socket.once('error', reject);
  });

/** 'closed' when the server's close() completes within `ms`, else 'still open'. */
const closesWithin = (close: (done: () => void) => void, ms: number): Promise<'closed' | 'still open'> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still open'), ms);
    close(() => {
      clearTimeout(timer);
      resolve('closed');
    });
  });

export type { SlowClient };
export { closesWithin, slowClient };
