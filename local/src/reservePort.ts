import { createServer } from 'node:net';
import { PortInUseError } from './localErrors.ts';

interface PortReservation {
  /** Frees the port for the real server, right before it listens. */
  release(): Promise<void>;
}

/**
 * Binds the port before the slow part of a start (opening the database), so a busy port fails at
 * once with one clear line. Port 0 (any free port) needs no reservation.
 */
const reservePort = (port: number, host: string, variable = 'PORT'): Promise<PortReservation> =>
  new Promise((resolve, reject) => {
    if (port === 0) {
      resolve({ release: async () => {} });
      return;
    }
    // Nothing answers yet: a client that connects now (a browser tab, a health probe) is reset at once, so it
    // retries instead of holding a connection that would keep the reservation from closing.
    const probe = createServer((socket) => socket.destroy());
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' ? new PortInUseError(port, host, { cause: error, variable }) : error,
      ),
    );
    probe.listen({ port, host, exclusive: true }, () =>
      resolve({ release: () => new Promise<void>((done) => probe.close(() => done())) }),
    );
  });

export type { PortReservation };
export { reservePort };
