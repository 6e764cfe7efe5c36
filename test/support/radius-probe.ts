/** A RadiusServer under test with a UDP client beside it on loopback, and the polling its tests wait with. */
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
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

/**
 * Starts a RadiusServer with `options` on a free loopback port (127.0.0.1, or ::1 when `host` is
 * IPv6) and binds a client socket of the same family to talk to it.
 */
export async function radiusServerProbe(options: Omit<RadiusServerOptions, 'port'>): Promise<RadiusServerProbe> {
  const server = new RadiusServer({ ...options, port: 0 });
  const { port } = await server.listen();
  const loopback = isIP(options.host ?? '') === 6 ? '::1' : '127.0.0.1';
  const socket = createSocket(loopback === '::1' ? 'udp6' : 'udp4');
  const replies: Buffer[] = [];
  socket.on('message', (message) => replies.push(message));
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, loopback, () => resolve());
    });
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    server,
    replies,
    send: (datagram) => socket.send(datagram, port, loopback),
    close: async () => {
      socket.close();
      await server.close();
    },
  };
}
