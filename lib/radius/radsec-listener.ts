import type { Socket } from 'node:net';
import { createServer, Server, TLSSocket } from 'node:tls';
import { RADIUS_HEADER_LENGTH, RADIUS_MAX_PACKET_LENGTH } from './constants';
import { DEFAULT_RADSEC_LIMITS, MIN_BUFFERED_REPLY_BYTES, RadSecAdmission } from './radsec-admission';

export { DEFAULT_RADSEC_LIMITS };

/**
 * The server side of RadSec (RFC 6614): a TLS listener that demands a client certificate from
 * `ca` and cuts each connection's byte stream into RADIUS packets by their Length field. Each
 * packet is handed on with its connection's number (its link) and remote address; a reply to
 * that link goes back over the same connection, so the RADIUS engine serves both transports alike.
 *
 * Anyone can open a TCP connection, so every limit below holds before the certificate is seen:
 * connections are capped (radsec-admission.ts), a handshake has a deadline from the moment the
 * TCP connection is accepted (trickled bytes do not extend it), an authenticated connection that
 * sends no packet for a while is closed, and a connection whose replies go unread stops being read.
 */
export interface RadSecListenOptions {
  cert: string | Buffer;
  key: string | Buffer;
  passphrase?: string;
  /** The CA whose client certificates are accepted: RadSec clients authenticate by certificate. */
  ca: string | Buffer;
  /** Connections at once, handshaking or authenticated. At the cap a newcomer closes the oldest
   *  connection still handshaking of the address holding the most of them; when every connection
   *  is authenticated the newcomer is closed. Default 256 (DEFAULT_RADSEC_LIMITS). */
  maxConnections?: number;
  /** Connections from one source address at once; at it a newcomer from that address closes the
   *  address's oldest connection still handshaking, or is closed when there is none. Default 16. */
  maxConnectionsPerAddress?: number;
  /** From the TCP connection's accept to a verified client certificate at most, however the bytes
   *  arrive; past it the connection is closed. Default 10000 ms. */
  handshakeTimeoutMs?: number;
  /** An authenticated connection that sends no RADIUS packet for this long is closed (one held
   *  back for unread replies sends none); 0 never. Default 600000 ms. */
  idleTimeoutMs?: number;
  /** Reply bytes waiting to be written to one connection (its client not reading them) past which
   *  that connection is no longer read until they drain. At least 16384; default 65536. */
  maxBufferedReplyBytes?: number;
  /** Told of each connection closed for a limit, and of each pause and resume (called synchronously;
   *  a throw is ignored). */
  onConnectionEvent?: (event: RadSecConnectionEvent) => void;
}

/** What the listener did to one connection, and why. */
export interface RadSecConnectionEvent {
  /** closed: ended for `reason`; paused: its unread replies passed maxBufferedReplyBytes, so it is
   *  no longer read; resumed: they drained and it is read again. */
  event: 'closed' | 'paused' | 'resumed';
  /** For closed: past handshakeTimeoutMs or idleTimeoutMs; evicted to make room for a newcomer at
   *  a cap; refused on arrival at a cap that had no connection to displace. */
  reason?: 'handshake-timeout' | 'idle-timeout' | 'evicted' | 'refused';
  address: string;
  port: number;
  /** Reply bytes waiting to be written to it now, and the most it has held. */
  bufferedBytes: number;
  peakBufferedBytes: number;
}

/** Packets one connection hands on per turn of the event loop. The engine's replies come back a
 *  turn later, so this bounds what a client that does not read them gets buffered beyond
 *  maxBufferedReplyBytes: a few turns' worth of replies, at most 4096 bytes each. */
const PACKETS_PER_TURN = 64;

export type RadSecPacketSink = (packet: Buffer, link: number, remote: { address: string; port: number }) => void;

interface Connection {
  readonly address: string;
  readonly port: number;
  readonly sequence: number;
  readonly raw: Socket;
  timer: NodeJS.Timeout | undefined;
  tls?: TLSSocket;
  link?: number;
  /** Hands on the packets read and not yet handed on, as far as the limits let it. */
  pump?: () => void;
  /** Its replies went unread past maxBufferedReplyBytes: not read until they drain. */
  paused: boolean;
  peakBufferedBytes: number;
}

type Limits = Required<Omit<RadSecListenOptions, 'cert' | 'key' | 'passphrase' | 'ca' | 'onConnectionEvent'>>;

/** The listener's limits, the defaults filled in; a RangeError names a value out of range. */
export function radsecLimitsOf(options: RadSecListenOptions): Limits {
  const limits: Limits = { ...DEFAULT_RADSEC_LIMITS };
  for (const name of Object.keys(limits) as (keyof Limits)[]) {
    const value = options[name] ?? limits[name];
    const least = name === 'idleTimeoutMs' ? 0 : name === 'maxBufferedReplyBytes' ? MIN_BUFFERED_REPLY_BYTES : 1;
    // A timer set past 2^31 - 1 ms would fire at once.
    const most = name.endsWith('TimeoutMs') ? 0x7fffffff : Number.MAX_SAFE_INTEGER;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < least || value > most) {
      throw new RangeError(`radsec.${name} must be a whole number from ${least} to ${most}`);
    }
    limits[name] = value;
  }
  return limits;
}

export class RadSecListener {
  private readonly server: Server;
  private readonly limits: Limits;
  private readonly admission: RadSecAdmission<Connection>;
  /** Accepted TCP connections by remote address and port, until their handshake ends. */
  private readonly handshaking = new Map<string, Connection>();
  private readonly links = new Map<number, Connection>();
  private readonly corked = new Set<TLSSocket>();
  private lastLink = 0;
  private arrivals = 0;

  constructor(private readonly options: RadSecListenOptions, onPacket: RadSecPacketSink) {
    this.limits = radsecLimitsOf(options);
    this.admission = new RadSecAdmission(this.limits);
    this.server = createServer({
      cert: options.cert, key: options.key, passphrase: options.passphrase, ca: options.ca,
      requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2',
    }, (socket) => this.secured(socket, onPacket));
    // After tls.Server's own listener has wrapped the socket: closing it closes the TLS side too.
    this.server.on('connection', (raw: Socket) => this.accepted(raw));
    // Handshake failures (a client certificate from another CA, Node's own handshake timer) end that connection only.
    this.server.on('tlsClientError', (_error, socket) => socket.destroy());
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

  /**
   * Sends a reply over the connection `link` names; false when that connection is gone. Replies of
   * one turn are written together; a connection whose client leaves them unread past
   * maxBufferedReplyBytes is no longer read until they drain, so what one client can make the
   * server hold is bounded.
   */
  send(link: number, datagram: Buffer): boolean {
    const connection = this.links.get(link);
    const socket = connection?.tls;
    if (!connection || !socket || socket.destroyed) return false;
    if (!this.corked.has(socket)) {
      this.corked.add(socket);
      socket.cork();
      process.nextTick(() => {
        this.corked.delete(socket);
        socket.uncork();
      });
    }
    const below = socket.write(datagram);
    connection.peakBufferedBytes = Math.max(connection.peakBufferedBytes, socket.writableLength);
    if (!below && !connection.paused && socket.writableLength >= this.limits.maxBufferedReplyBytes) {
      connection.paused = true;
      socket.pause();
      this.tell(connection, 'paused');
      socket.once('drain', () => {
        connection.paused = false;
        this.tell(connection, 'resumed');
        connection.pump?.();
      });
    }
    return true;
  }

  async close(): Promise<void> {
    for (const connection of [...this.handshaking.values(), ...this.links.values()]) connection.raw.destroy();
    this.handshaking.clear();
    this.links.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accepted(raw: Socket): void {
    const address = raw.remoteAddress;
    const port = raw.remotePort;
    raw.on('error', () => undefined);
    if (address === undefined || port === undefined) {
      raw.destroy();
      return;
    }
    const connection: Connection = {
      address, port, sequence: ++this.arrivals, raw, timer: undefined, paused: false, peakBufferedBytes: 0,
    };
    const admission = this.admission.admit(connection);
    if (!admission.admitted) {
      this.end(connection, 'refused');
      return;
    }
    if (admission.evicted) this.end(admission.evicted, 'evicted');
    this.handshaking.set(peerKey(address, port), connection);
    connection.timer = setTimeout(() => this.end(connection, 'handshake-timeout'), this.limits.handshakeTimeoutMs).unref();
    raw.on('close', () => this.closed(connection));
  }

  private secured(socket: TLSSocket, onPacket: RadSecPacketSink): void {
    const key = peerKey(socket.remoteAddress ?? '', socket.remotePort ?? 0);
    const connection = this.handshaking.get(key);
    if (connection === undefined) {
      socket.destroy();
      return;
    }
    this.handshaking.delete(key);
    clearTimeout(connection.timer);
    connection.tls = socket;
    this.admission.authenticated(connection);
    const remote = { address: connection.address, port: connection.port };
    // Numbers from 1 (0 is the engine's UDP socket), never reused within 2^32 connections.
    this.lastLink = (this.lastLink % 0xffffffff) + 1;
    const link = this.lastLink;
    connection.link = link;
    this.links.set(link, connection);
    const idleMs = this.limits.idleTimeoutMs;
    connection.timer = idleMs > 0 ? setTimeout(() => this.end(connection, 'idle-timeout'), idleMs).unref() : undefined;
    let buffered: Buffer = Buffer.alloc(0);
    let handed = 0;
    // Hands on what has been read, PACKETS_PER_TURN at most per turn of the event loop: the rest
    // waits, unread, until that turn's replies have been written and measured against the bound.
    connection.pump = (): void => {
      // A turn scheduled before the connection closed finds nothing to do.
      if (socket.destroyed) return;
      while (!connection.paused && buffered.length >= 4) {
        const length = buffered.readUInt16BE(2);
        // A stream that lost its framing cannot be resynchronised: drop the connection.
        if (length < RADIUS_HEADER_LENGTH || length > RADIUS_MAX_PACKET_LENGTH) {
          socket.destroy();
          return;
        }
        if (buffered.length < length) break;
        if (handed === PACKETS_PER_TURN) {
          socket.pause();
          return;
        }
        if (handed++ === 0) {
          setImmediate(() => {
            handed = 0;
            connection.pump?.();
          });
        }
        const packet = buffered.subarray(0, length);
        buffered = buffered.subarray(length);
        connection.timer?.refresh();
        onPacket(packet, link, remote);
      }
      if (!connection.paused && socket.isPaused()) socket.resume();
    };
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      connection.pump?.();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.closed(connection));
  }

  /** Its TCP or TLS side closed, whoever closed it; idempotent. */
  private closed(connection: Connection): void {
    clearTimeout(connection.timer);
    this.admission.forget(connection);
    const key = peerKey(connection.address, connection.port);
    if (this.handshaking.get(key) === connection) this.handshaking.delete(key);
    if (connection.link !== undefined) this.links.delete(connection.link);
  }

  private end(connection: Connection, reason: NonNullable<RadSecConnectionEvent['reason']>): void {
    this.admission.forget(connection);
    this.tell(connection, 'closed', reason);
    (connection.tls ?? connection.raw).destroy();
  }

  private tell(connection: Connection, event: RadSecConnectionEvent['event'], reason?: RadSecConnectionEvent['reason']): void {
    const report = this.options.onConnectionEvent;
    if (report === undefined) return;
    try {
      report({
        event, ...(reason ? { reason } : {}), address: connection.address, port: connection.port,
        bufferedBytes: connection.tls?.writableLength ?? 0, peakBufferedBytes: connection.peakBufferedBytes,
      });
    } catch {
      // A log that throws loses its line, never the connection's handling.
    }
  }
}

function peerKey(address: string, port: number): string {
  return `${address}|${port}`;
}
