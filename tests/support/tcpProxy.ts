import { connect, createServer, type Server, type Socket } from 'node:net';

type ProxyMode = 'pass' | 'refuse' | 'stall' | 'hold';

interface TcpProxy {
  port: number;
  /**
   * pass: forward; refuse: reset new connections; stall: accept and never answer; hold: accept, then forward
   * after `holdMs` (what a client sees of Aurora resuming from a pause: its connect waits, then succeeds).
   */
  setMode(mode: ProxyMode, options?: { holdMs?: number }): void;
  /** Cuts every open connection, as a failover or a network drop would. */
  cutAll(): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy in front of a real server, to fail the network under a real driver. */
const startTcpProxy = async (targetHost: string, targetPort: number): Promise<TcpProxy> => {
  let mode: ProxyMode = 'pass';
  let holdMs = 0;
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    if (mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    if (mode === 'stall') return;
    const forward = (): void => {
      if (client.destroyed) return;
      const upstream = connect(targetPort, targetHost);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.resume();
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    };
    if (mode !== 'hold') {
      forward();
      return;
    }
    // What the client sends meanwhile (the startup message) waits in the socket until forwarded.
    client.pause();
    const timer = setTimeout(forward, holdMs);
    client.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    setMode: (next, options = {}) => {
      mode = next;
      holdMs = options.holdMs ?? 0;
    },
    cutAll: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/** A loopback port nothing listens on (free when asked; a test binds it or expects refusals). */
const freePort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
};

export type { ProxyMode, TcpProxy };
export { freePort, startTcpProxy };
