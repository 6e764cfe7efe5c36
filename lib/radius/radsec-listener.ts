import type { RemoteInfo } from 'node:dgram';
import { createServer, Server, TLSSocket } from 'node:tls';
import { RADIUS_HEADER_LENGTH, RADIUS_MAX_PACKET_LENGTH } from './constants';

/**
 * The server side of RadSec (RFC 6614): a TLS listener that demands a client certificate from
 * `ca` and cuts each connection's byte stream into RADIUS packets by their Length field. Each
 * packet is handed on with a RemoteInfo naming its connection (address and TCP port), and
 * replies to that RemoteInfo go back over the same connection, so the UDP server logic (reply
 * cache, conversations, verification) serves both transports unchanged.
 */
export interface RadSecListenOptions {
  cert: string | Buffer;
  key: string | Buffer;
  passphrase?: string;
  /** The CA whose client certificates are accepted: RadSec clients authenticate by certificate. */
  ca: string | Buffer;
}

export class RadSecListener {
  private readonly server: Server;
  private readonly connections = new Map<string, TLSSocket>();

  constructor(options: RadSecListenOptions, onPacket: (packet: Buffer, remote: RemoteInfo) => void) {
    this.server = createServer({
      cert: options.cert, key: options.key, passphrase: options.passphrase, ca: options.ca,
      requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2',
    }, (socket) => {
      const remote: RemoteInfo = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0,
        family: socket.remoteFamily === 'IPv6' ? 'IPv6' : 'IPv4', size: 0 };
      const key = `${remote.address}|${remote.port}`;
      this.connections.set(key, socket);
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
          const packet = Buffer.from(buffered.subarray(0, length));
          buffered = buffered.subarray(length);
          onPacket(packet, { ...remote, size: length });
        }
      });
      socket.on('error', () => undefined);
      socket.on('close', () => this.connections.delete(key));
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

  /** Sends a reply over the connection `remote` names; false when that connection is gone. */
  send(datagram: Buffer, remote: RemoteInfo): boolean {
    const socket = this.connections.get(`${remote.address}|${remote.port}`);
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
