import { createServer, Server, TLSSocket } from 'node:tls';
import { RADIUS_HEADER_LENGTH, RADIUS_MAX_PACKET_LENGTH } from './constants';

/**
 * The server side of RadSec (RFC 6614): a TLS listener that demands a client certificate from
 * `ca` and cuts each connection's byte stream into RADIUS packets by their Length field. Each
 * packet is handed on with its connection's number (its link) and remote address; a reply to
 * that link goes back over the same connection, so the RADIUS engine serves both transports alike.
 */
export interface RadSecListenOptions {
  cert: string | Buffer;
  key: string | Buffer;
  passphrase?: string;
  /** The CA whose client certificates are accepted: RadSec clients authenticate by certificate. */
  ca: string | Buffer;
}

export type RadSecPacketSink = (packet: Buffer, link: number, remote: { address: string; port: number }) => void;

export class RadSecListener {
  private readonly server: Server;
  private readonly connections = new Map<number, TLSSocket>();
  private lastLink = 0;

  constructor(options: RadSecListenOptions, onPacket: RadSecPacketSink) {
    this.server = createServer({
      cert: options.cert, key: options.key, passphrase: options.passphrase, ca: options.ca,
      requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2',
    }, (socket) => {
      const remote = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
      // Numbers from 1 (0 is the engine's UDP socket), never reused within 2^32 connections.
      this.lastLink = (this.lastLink % 0xffffffff) + 1;
      const link = this.lastLink;
      this.connections.set(link, socket);
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 4) {
          const length = buffered.readUInt16BE(2);
          // A stream that lost its framing cannot be resynchronised: drop the connection.
          if (length < RADIUS_HEADER_LENGTH || length > RADIUS_MAX_PACKET_LENGTH) {
            socket.destroy();
            return;
          }
          if (buffered.length < length) break;
          const packet = buffered.subarray(0, length);
          buffered = buffered.subarray(length);
          onPacket(packet, link, remote);
        }
      });
      socket.on('error', () => undefined);
      socket.on('close', () => this.connections.delete(link));
    });
    // Handshake failures (a client certificate from another CA) end that connection only.
    this.server.on('tlsClientError', () => undefined);
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.removeListener('error', reject);
        resolve();
      });
    });
  }

  address(): { address: string; port: number } {
    const bound = this.server.address();
    if (bound === null || typeof bound === 'string') throw new Error('RadSec listener is not listening');
    return { address: bound.address, port: bound.port };
  }

  /** Sends a reply over the connection `link` names; false when that connection is gone. */
  send(link: number, datagram: Buffer): boolean {
    const socket = this.connections.get(link);
    if (!socket || socket.destroyed) return false;
    socket.write(datagram);
    return true;
  }

  async close(): Promise<void> {
    for (const socket of this.connections.values()) socket.destroy();
    this.connections.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
