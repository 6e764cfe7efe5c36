/** A RadiusServer under test with a UDP client beside it on loopback, and the polling its tests wait with. */
import { createSocket } from 'node:dgram';
import { RadiusServer, RadiusServerOptions } from '../../lib/radius';

/** Polls `condition` every `everyMs` until it holds; fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 3000, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export interface RadiusServerProbe {
  server: RadiusServer;
  /** Every datagram the server sent back, in arrival order. */
  replies: Buffer[];
  /** Sends one datagram to the server from the probe's socket. */
  send(datagram: Buffer): void;
  /** Closes the socket and the server. */
  close(): Promise<void>;
}

/** Starts a RadiusServer with `options` on a free loopback port and binds a client socket to talk to it. */
export async function radiusServerProbe(options: Omit<RadiusServerOptions, 'port'>): Promise<RadiusServerProbe> {
  const server = new RadiusServer({ ...options, port: 0 });
  const { port } = await server.listen();
  const socket = createSocket('udp4');
  const replies: Buffer[] = [];
  socket.on('message', (message) => replies.push(message));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    server,
    replies,
    send: (datagram) => socket.send(datagram, port, '127.0.0.1'),
    close: async () => {
      socket.close();
      await server.close();
    },
  };
}
