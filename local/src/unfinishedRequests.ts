import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Node stops enforcing its header and request deadlines once `close()` is called, so a client that keeps
 * dripping bytes would hold the server (and `npm start`'s shutdown) open for as long as it likes. From then
 * on, a connection whose request has not fully arrived, headers or body, is destroyed: nothing was accepted
 * from it, so no answer is owed. Requests read whole are still answered.
 */
const endUnfinishedRequestsOnClose = (server: Server): void => {
  /** Each connection's request under way; undefined between requests (or before the first one's headers end). */
  const current = new Map<Socket, IncomingMessage | undefined>();
  server.on('connection', (socket: Socket) => {
    current.set(socket, undefined);
    socket.once('close', () => current.delete(socket));
  });
  server.on('request', (request: IncomingMessage, response) => {
    current.set(request.socket, request);
    response.once('finish', () => {
      if (current.get(request.socket) === request) current.set(request.socket, undefined);
    });
  });
  const close = server.close.bind(server);
  server.close = (callback?: (error?: Error) => void) => {
    const closing = close(callback);
    for (const [socket, request] of current) {
      if (request === undefined || !request.complete) socket.destroy();
    }
    return closing;
  };
};

export { endUnfinishedRequestsOnClose };
