import { connect, createServer } from 'node:net';
import { expect, it } from 'vitest';
import { freePort } from '#tests/support/tcpProxy.ts';
import { reservePort } from './reservePort.ts';

it('frees the port even while a client (a browser tab, a health probe) is connected to the reservation', async () => {
  const port = await freePort();
  const reservation = await reservePort(port, '127.0.0.1');
  const client = connect(port, '127.0.0.1');
  client.on('error', () => {});
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));

  const released = await Promise.race([
    reservation.release().then(() => 'released' as const),
    new Promise<'still held'>((resolve) => setTimeout(() => resolve('still held'), 5_000)),
  ]);
  client.destroy();

  expect(released).toBe('released');
  // The real server can listen now.
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
