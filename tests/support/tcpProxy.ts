import { connect, createServer, type Server, type Socket } from 'node:net';

type ProxyMode = 'pass' | 'refuse' | 'stall';

interface TcpProxy {
  port: number;
  /** pass: forward; refuse: reset new connections; stall: accept and never answer. */
  setMode(mode: ProxyMode): void;
  /** Cuts every open connection, as a failover or a network drop would. */
  cutAll(): void;
  close(): Promise<void>;
}

/** A loopback TCP proxy in front of a real server, to fail the network under a real driver. */
const startTcpProxy = async (targetHost: string, targetPort: number): Promise<TcpProxy> => {
  let mode: ProxyMode = 'pass';
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
    const upstream = connect(targetPort, targetHost);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    setMode: (next) => {
      mode = next;
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

export type { ProxyMode, TcpProxy };
export { startTcpProxy };
