import { constants as cryptoConstants } from 'node:crypto';
import { createServer as createTcpServer, Server as TcpServer } from 'node:net';
import type { Socket } from 'node:net';
import { createServer, Server, TLSSocket } from 'node:tls';
import { DEFAULT_RADSEC_LIMITS, MIN_BUFFERED_REPLY_BYTES, RadSecAdmission } from './admission';
import { HandshakeBudget } from './handshake-budget';
import { KnownPrefixesFile } from './known-prefixes';
import { radsecAlpnSelector, radsecVersionAgreed, radiusVersionOf } from './alpn';
import type { RadiusVersionSetting } from './alpn';
import { RadSecServerCredentials } from './credentials';
import { chainLengthRefusal } from './chain-length';

export { DEFAULT_RADSEC_LIMITS };

/**
 * The server side of RadSec (RFC 6614): a TLS listener that demands a client certificate from
 * `ca` and hands each connection's bytes, as they are read, to the RADIUS engine with the
 * connection's number (its link) and remote address. The engine cuts them into packets and
 * answers each as it answers a UDP datagram; a reply to that link goes back over the same
 * connection, and a connection whose framing broke is closed.
 *
 * Anyone can open a TCP connection, so every limit below holds before the certificate is seen:
 * connections are capped (admission.ts), the handshakes of prefixes never authenticated
 * start at a bounded rate (handshake-budget.ts), a handshake has a deadline from the moment
 * the TCP connection is accepted (trickled bytes do not extend it), an authenticated connection
 * that sends no packet for a while is closed, and a connection whose replies go unread stops being
 * read. A connection is accepted by a plain TCP server and not read until it is admitted and its
 * handshake may start: one refused or displaced costs no TLS state.
 */
export interface RadSecListenOptions {
  /** The listener's certificate and key: required unless `psk` is given (a PSK-only listener). */
  cert?: string | Buffer;
  key?: string | Buffer;
  passphrase?: string;
  /** The CA whose client certificates are accepted; without it only PSK clients are. */
  ca?: string | Buffer;
  /** Clients known by TLS-PSK (RFC 9813): identity, key (at least 16 bytes) and the addresses each
   *  may come from; with a certificate too, one listener takes both (TLS 1.2 and 1.3). */
  psk?: { identity: string; key: Buffer; networks: string[] }[];
  /** RFC 9765's Version setting: "auto" (default) echoes radius/1.1 when offered over TLS 1.3
   *  and radius/1.0 otherwise; "1.0" refuses a client that offers radius/1.1 alone; "1.1" takes
   *  only radius/1.1 and closes a client that offers no ALPN. */
  radiusVersion?: '1.0' | '1.1' | 'auto';
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
  /** A file that keeps the network prefixes (/24, /56) whose connections authenticated, one a
   *  line: read when the listener is made (none yet when it does not exist), written again as a
   *  new prefix authenticates. Their connections rank above unknown ones at the cap from the
   *  first moment, so a listener started again still knows its NASes. */
  knownPrefixesFile?: string;
  /** Also RADIUS/DTLS (RFC 7360) on the same port number over UDP, with the same credentials and these
   *  limits (dtls-listener.ts). Default false. */
  dtls?: boolean;
}

/** What the listener did to one connection, and why. */
export interface RadSecConnectionEvent {
  /** closed: ended for `reason`; paused: its unread replies passed maxBufferedReplyBytes, so it is
   *  no longer read; resumed: they drained and it is read again. */
  event: 'closed' | 'paused' | 'resumed';
  /** For closed: past handshakeTimeoutMs or idleTimeoutMs; evicted to make room for a newcomer at
   *  a cap; refused on arrival at a cap that had no connection to displace; chain-too-long: its
   *  client certificate verified through a chain longer than RADIUS/DTLS takes (`detail` names
   *  the count). */
  reason?: 'handshake-timeout' | 'idle-timeout' | 'evicted' | 'refused' | 'chain-too-long';
  /** What was refused, in words, where the reason alone does not say it (chain-too-long's count). */
  detail?: string;
  address: string;
  port: number;
  /** Reply bytes waiting to be written to it now, and the most it has held. */
  bufferedBytes: number;
  peakBufferedBytes: number;
}

/** Where the connections' bytes go: the RADIUS engine (RadiusEngine's link(), stream() and drop()). */
export interface RadSecStreamSink {
  /** A number for a connection just authenticated (its link), from the engine's one counter, which
   *  RADIUS/DTLS's associations take theirs from too: a reply to it comes back through send(). */
  open(): number;
  /** A connection's bytes as read; none: its next turn. What the engine answered of them, and
   *  whether whole packets wait past this turn's share (then the connection is not read until
   *  a turn later, when they are answered). */
  stream(link: number, data: Buffer, remote: { address: string; port: number; radius11?: boolean }): { packets: number; backlog: boolean };
  /** The connection is gone: its number is free again. */
  drop(link: number): void;
}

const NO_BYTES = Buffer.alloc(0);

/** Connections the kernel holds for the listener to accept (Linux caps it at net.core.somaxconn,
 *  4096 by default). A flood of a thousand connections a second fills Node's default of 511 in
 *  half a second of the process not running (a busy machine), and past it the kernel drops every
 *  SYN, a NAS's too, which its TCP then sends again 1, 3 and 7 s later: past radsecproxy's 5 s.
 *  Each costs the kernel little; the admission decides what becomes of it once accepted. */
const ACCEPT_BACKLOG = 4096;

interface Connection {
  readonly address: string;
  readonly port: number;
  readonly sequence: number;
  readonly raw: Socket;
  timer: NodeJS.Timeout | undefined;
  tls?: TLSSocket;
  link?: number;
  /** The engine answers the packets it holds back for it, as far as the limits let it. */
  pump?: () => void;
  /** The engine holds whole packets of it past a turn's share. */
  backlog: boolean;
  /** Its replies went unread past maxBufferedReplyBytes: not read until they drain. */
  paused: boolean;
  peakBufferedBytes: number;
  bytes(): { read: number; written: number };
}

type Limits = Required<Omit<RadSecListenOptions, 'cert' | 'key' | 'passphrase' | 'ca' | 'psk' | 'onConnectionEvent' | 'knownPrefixesFile' | 'dtls' | 'radiusVersion'>>;

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
  /** The TLS server: never listening, it is handed each connection whose handshake starts. */
  private readonly server: Server;
  /** What listens: accepts each TCP connection paused. */
  private readonly tcp: TcpServer;
  private readonly budget: HandshakeBudget<Connection>;
  /** Its limits, the defaults filled in: RADIUS/DTLS's too (dtls-listener.ts). */
  readonly limits: Limits;
  private readonly admission: RadSecAdmission<Connection>;
  /** Accepted TCP connections by remote address and port, until their handshake ends (those
   *  waiting for the budget to start it too). */
  private readonly handshaking = new Map<string, Connection>();
  private readonly links = new Map<number, Connection>();
  private readonly corked = new Set<TLSSocket>();
  private readonly knownFile: KnownPrefixesFile | undefined;
  private arrivals = 0;
  private readonly radiusVersion: RadiusVersionSetting;

  /** Its connections now, by state: TLS handshake under way, authenticated and read, authenticated
   *  and paused (its replies unread past maxBufferedReplyBytes). */
  get connectionStates(): { handshaking: number; open: number; paused: number } {
    let paused = 0;
    for (const connection of this.links.values()) if (connection.paused) ++paused;
    return { handshaking: this.handshaking.size, open: this.links.size - paused, paused };
  }

  /** The networks whose prefixes rank as known from the start: the server's (its clients, its
   *  allowed addresses) and the PSK clients'. RADIUS/DTLS's too. */
  readonly knownNetworks: readonly string[];

  /** `credentials`: options' own, read once (RadSecServerCredentials), handed to RADIUS/DTLS's
   *  listener too; `clientNetworks`: the networks the server answers (its clients, its allowed
   *  addresses), whose prefixes rank as known from the start, beside the PSK clients' own. */
  constructor(private readonly options: RadSecListenOptions, readonly credentials: RadSecServerCredentials,
    private readonly sink: RadSecStreamSink, clientNetworks: readonly string[] = []) {
    this.limits = radsecLimitsOf(options);
    const knownFile = options.knownPrefixesFile === undefined ? undefined : new KnownPrefixesFile(options.knownPrefixesFile);
    this.knownFile = knownFile;
    const networks = [...clientNetworks, ...(options.psk ?? []).flatMap((client) => client.networks)];
    this.knownNetworks = networks;
    this.admission = new RadSecAdmission(this.limits, {
      clientNetworks: networks,
      ...(knownFile === undefined ? {} : { knownPrefixes: knownFile.read(), onKnownPrefix: () => knownFile.save(this.admission.knownPrefixes()) }),
    });
    this.radiusVersion = radiusVersionOf(options.radiusVersion, 'radsec.radiusVersion', 'auto');
    this.server = createServer({
      ...credentials.tls(),
      ALPNCallback: radsecAlpnSelector(this.radiusVersion),
      // A session resumed keeps the version it had (RFC 9765 §3.6): Node cannot tie the protocol
      // agreed to a session ticket, so a listener that takes both resumes no session (a "1.1" one
      // takes radius/1.1 alone on resumption too, a "1.0" one has no RADIUS/1.1 session to lose).
      ...(this.radiusVersion === 'auto' ? { secureOptions: cryptoConstants.SSL_OP_NO_TICKET } : {}),
    }, (socket) => this.secured(socket));
    this.tcp = createTcpServer({ pauseOnConnect: true }, (raw) => this.accepted(raw));
    this.budget = new HandshakeBudget((connection) => this.startHandshake(connection));
    // Handshake failures (a client certificate from another CA, Node's own handshake timer) end that connection only.
    this.server.on('tlsClientError', (_error, socket) => socket.destroy());
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.tcp.once('error', reject);
      this.tcp.listen({ port, host, backlog: ACCEPT_BACKLOG }, () => {
        this.tcp.removeListener('error', reject);
        resolve();
      });
    });
  }

  address(): { address: string; port: number } {
    const bound = this.tcp.address();
    if (bound === null || typeof bound === 'string') throw new Error('RadSec listener is not listening');
    return { address: bound.address, port: bound.port };
  }

  /**
   * Sends a reply over the connection `link` names; false when that connection is gone. Replies of
   * one turn are written together; a connection whose client leaves them unread past
   * maxBufferedReplyBytes is no longer read until they drain, so what one client can make the
   * server hold is bounded.
   */
  /** @internal Who is on the other end of TLS connection `link`, while it is open. */
  peer(link: number): { address: string; port: number } | undefined {
    const connection = this.links.get(link);
    return connection?.tls && !connection.tls.destroyed ? { address: connection.address, port: connection.port } : undefined;
  }

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
    this.budget.clear();
    await new Promise<void>((resolve) => this.tcp.close(() => resolve()));
    await this.knownFile?.saved();
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
      address, port, sequence: ++this.arrivals, raw, timer: undefined, paused: false, backlog: false, peakBufferedBytes: 0,
      bytes: () => ({ read: raw.bytesRead, written: raw.bytesWritten }),
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
    if (this.admission.isKnown(address)) this.startHandshake(connection);
    else this.budget.offer(connection);
  }

  /** Hands the connection, not read so far, to the TLS server: its ClientHello is read now. */
  private startHandshake(connection: Connection): void {
    if (connection.raw.destroyed) return;
    // tls.Server wraps it as it wraps what it accepts itself; closing the raw socket closes the TLS side too.
    this.server.emit('connection', connection.raw);
  }

  /** The engine found connection `link`'s framing broken: nothing after it can be read. The
   *  replies written to it already go out before it closes. */
  broken(link: number): void {
    const socket = this.links.get(link)?.tls;
    if (socket === undefined || socket.destroyed) return;
    socket.pause();
    socket.end(() => socket.destroy());
  }

  private secured(socket: TLSSocket): void {
    const key = peerKey(socket.remoteAddress ?? '', socket.remotePort ?? 0);
    const connection = this.handshaking.get(key);
    if (connection === undefined) {
      socket.destroy();
      return;
    }
    this.handshaking.delete(key);
    clearTimeout(connection.timer);
    const table = this.credentials.pskTable;
    if (table !== undefined && !socket.authorized && !table.proved(socket)) {
      socket.destroy();
      return;
    }
    connection.tls = socket;
    // OpenSSL verified a chain up to its depth of 100; RADIUS/DTLS refuses one past 16 natively, and so does this.
    const tooLong = socket.authorized ? chainLengthRefusal(socket.getPeerCertificate(true)) : undefined;
    if (tooLong !== undefined) {
      this.end(connection, 'chain-too-long', tooLong);
      return;
    }
    // No agreement on RADIUS/1.1 where it is required, or radius/1.1 over TLS 1.2: closed (RFC 9765 §3.3's Close-S).
    const agreed = radsecVersionAgreed(this.radiusVersion, socket.alpnProtocol, socket.getProtocol());
    if ('refused' in agreed) {
      socket.destroy();
      return;
    }
    this.admission.authenticated(connection);
    const remote = { address: connection.address, port: connection.port, radius11: agreed.radius11 };
    const link = this.sink.open();
    connection.link = link;
    this.links.set(link, connection);
    const idleMs = this.limits.idleTimeoutMs;
    connection.timer = idleMs > 0 ? setTimeout(() => this.end(connection, 'idle-timeout'), idleMs).unref() : undefined;
    let turnScheduled = false;
    // The engine answers a turn's share of a connection's packets; past it, the connection is not
    // read until the next turn, when that turn's replies have been written and measured against
    // maxBufferedReplyBytes, and the engine answers what it held back.
    const feed = (data: Buffer): void => {
      const { packets, backlog } = this.sink.stream(link, data, remote);
      if (packets > 0) connection.timer?.refresh();
      connection.backlog = backlog;
      if (!backlog) return;
      socket.pause();
      if (turnScheduled) return;
      turnScheduled = true;
      setImmediate(() => {
        turnScheduled = false;
        connection.pump?.();
      });
    };
    connection.pump = (): void => {
      // A turn scheduled before the connection closed finds nothing to do.
      if (socket.destroyed || socket.writableEnded || connection.paused) return;
      feed(NO_BYTES);
      if (!connection.backlog && socket.isPaused()) socket.resume();
    };
    socket.on('data', (chunk: Buffer) => {
      if (!socket.destroyed) feed(chunk);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.closed(connection));
  }

  /** Its TCP or TLS side closed, whoever closed it; idempotent. */
  private closed(connection: Connection): void {
    clearTimeout(connection.timer);
    this.admission.forget(connection);
    this.budget.withdraw(connection);
    const key = peerKey(connection.address, connection.port);
    if (this.handshaking.get(key) === connection) this.handshaking.delete(key);
    if (connection.link !== undefined && this.links.get(connection.link) === connection) {
      this.links.delete(connection.link);
      this.sink.drop(connection.link);
    }
  }

  private end(connection: Connection, reason: NonNullable<RadSecConnectionEvent['reason']>, detail?: string): void {
    this.admission.forget(connection);
    this.budget.withdraw(connection);
    this.tell(connection, 'closed', reason, detail);
    (connection.tls ?? connection.raw).destroy();
  }

  private tell(connection: Connection, event: RadSecConnectionEvent['event'], reason?: RadSecConnectionEvent['reason'],
    detail?: string): void {
    const report = this.options.onConnectionEvent;
    if (report === undefined) return;
    try {
      report({
        event, ...(reason ? { reason } : {}), ...(detail ? { detail } : {}), address: connection.address, port: connection.port,
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
