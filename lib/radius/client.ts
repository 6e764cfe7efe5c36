import { randomBytes } from 'node:crypto';
import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import { RadiusAttributeType, RadiusCode } from './constants';
import { canonicalAddress, formatHostPort, RadiusEndpoint, resolveHost } from './endpoint';
import {
  RadiusAbortedError, RadiusAuthenticatorMismatchError, RadiusMalformedError, RadiusMessageAuthenticatorInvalidError,
  RadiusMessageAuthenticatorMissingError, RadiusTimeoutError,
} from './errors';
import { IdentifierPool } from './identifier-pool';
import { decodeRadiusPacket, DecodedRadiusPacket, RadiusAttribute, textAttribute } from './packet';
import { checkResponse, responseAuthenticatorValid, secretBytes, signAccessRequest } from './signing';

/** Counters of what the client did and, above all, what it refused to trust. */
export interface RadiusClientStats {
  requests: number;
  retransmissions: number;
  repliesAccepted: number;
  /** Datagrams that do not parse as RADIUS. */
  repliesMalformed: number;
  /** Replies to an outstanding request that failed Response/Message-Authenticator verification. */
  repliesUnauthenticated: number;
  /** Replies dropped because they carried no Message-Authenticator (BlastRADIUS, CVE-2024-3596). */
  repliesWithoutMessageAuthenticator: number;
  /** Replies from an unknown source, to an identifier with nothing outstanding, or of a wrong code. */
  repliesUnexpected: number;
  /** Replies whose Response Authenticator proves they answer an outstanding request sent under
   *  another Identifier: stray (RFC 2865 §3 drops them), never evidence of a wrong secret. */
  repliesStray: number;
  timeouts: number;
  /** Unauthenticated probes sent to tell a wrong shared secret from a silent server. */
  secretProbes: number;
  /** Requests that waited because all 256 identifiers towards their server were outstanding. */
  identifierWaits: number;
}

export interface RadiusClientOptions {
  /** Total time one request may take, over all its tries. Default 6000 ms. */
  timeoutMs?: number;
  /** Transmissions per request (the first one and its identical retransmissions). Default 3. */
  tries?: number;
  /**
   * When the first try goes unanswered, send one Access-Request without Message-Authenticator or
   * EAP-Message: servers silently drop requests with a bad Message-Authenticator, but usually
   * answer this one (with a Reject), and its Response Authenticator then shows whether the
   * secret is right. Default true.
   */
  secretProbe?: boolean;
  /**
   * Drop replies without a Message-Authenticator, even those with no EAP-Message (a bare
   * Access-Reject, say): their MD5 Response Authenticator alone can be forged (BlastRADIUS,
   * CVE-2024-3596). Default true.
   */
  requireMessageAuthenticator?: boolean;
  /** Local addresses to bind; default: any address, ephemeral port. */
  localAddress4?: string;
  localAddress6?: string;
}

export interface RadiusRequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  tries?: number;
  secretProbe?: boolean;
  requireMessageAuthenticator?: boolean;
  /** PAP: the password to send as a hidden User-Password (RFC 2865 §5.2). */
  userPassword?: Buffer;
}

/** A verified reply and the request it answers (MPPE keys need the Request Authenticator). */
export interface RadiusExchange {
  reply: DecodedRadiusPacket;
  requestAuthenticator: Buffer;
  tries: number;
}

interface Outstanding {
  requestAuthenticator: Buffer;
  secret: Buffer;
  expectedCodes: readonly number[];
  requireMessageAuthenticator: boolean;
  onReply(reply: DecodedRadiusPacket): void;
  onUnauthenticated(): void;
  /** A reply to this request arrived under another Identifier (dropped). */
  onStray(): void;
  onMissingMessageAuthenticator(): void;
  /** The Response Authenticator was right, the Message-Authenticator wrong. */
  onInvalidMessageAuthenticator(): void;
}

interface Destination {
  key: string;
  family: 4 | 6;
  address: string;
  port: number;
  identifiers: IdentifierPool;
  outstanding: Map<number, Outstanding>;
}

const ACCESS_REPLY_CODES = [RadiusCode.AccessAccept, RadiusCode.AccessReject, RadiusCode.AccessChallenge];

/**
 * A RADIUS client: one UDP socket per address family, shared by every request and server, so
 * thousands of concurrent sessions cost two file descriptors. Identifiers are managed per server.
 */
export class RadiusClient {
  readonly stats: RadiusClientStats = {
    requests: 0, retransmissions: 0, repliesAccepted: 0, repliesMalformed: 0, repliesUnauthenticated: 0,
    repliesWithoutMessageAuthenticator: 0, repliesUnexpected: 0, repliesStray: 0, timeouts: 0, secretProbes: 0, identifierWaits: 0,
  };
  private readonly options: Required<Omit<RadiusClientOptions, 'localAddress4' | 'localAddress6'>> & RadiusClientOptions;
  private readonly sockets = new Map<4 | 6, Promise<Socket>>();
  private readonly destinations = new Map<string, Destination>();
  private pending = 0;
  private closed = false;
  private readonly closers = new Set<() => void>();

  constructor(options: RadiusClientOptions = {}) {
    this.options = { timeoutMs: 6000, tries: 3, secretProbe: true, requireMessageAuthenticator: true, ...options };
    if (!(this.options.tries >= 1) || !(this.options.timeoutMs > 0)) {
      throw new RangeError('RadiusClient needs tries >= 1 and timeoutMs > 0');
    }
  }

  /**
   * Sends one Access-Request and resolves with its verified reply. The same bytes are resent
   * on every try (RFC 5080 §2.2.1): a server that already answered recognises the duplicate.
   */
  async accessRequest(endpoint: RadiusEndpoint, attributes: RadiusAttribute[],
    options: RadiusRequestOptions = {}): Promise<RadiusExchange> {
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const tries = options.tries ?? this.options.tries;
    const probe = options.secretProbe ?? this.options.secretProbe;
    const requireMessageAuthenticator = options.requireMessageAuthenticator ?? this.options.requireMessageAuthenticator;
    const secret = secretBytes(endpoint.secret);
    const destination = await this.destination(endpoint.host, endpoint.port);
    const socket = await this.socket(destination.family);
    const identifier = await this.acquireIdentifier(destination, options.signal);
    const started = Date.now();
    const { datagram, requestAuthenticator } = signAccessRequest(identifier, attributes, secret,
      RadiusCode.AccessRequest, options.userPassword);
    const server = formatHostPort(destination.address, destination.port);
    this.stats.requests++;
    this.hold();

    return new Promise<RadiusExchange>((resolve, reject) => {
      let sent = 0;
      let unauthenticated = 0;
      let withoutMessageAuthenticator = 0;
      let invalidMessageAuthenticator = 0;
      let timer: NodeJS.Timeout | undefined;
      let probeSent = false;
      let stray = 0;
      const interval = Math.max(1, Math.floor(timeoutMs / tries));

      const finish = (error: Error | undefined, reply?: DecodedRadiusPacket): void => {
        if (timer) clearTimeout(timer);
        destination.outstanding.delete(identifier);
        destination.identifiers.release(identifier);
        options.signal?.removeEventListener('abort', onAbort);
        this.closers.delete(onClose);
        this.release();
        if (error) reject(error);
        else resolve({ reply: reply!, requestAuthenticator, tries: sent });
      };
      const onAbort = (): void => finish(new RadiusAbortedError());
      const onClose = (): void => finish(new RadiusAbortedError('RADIUS client closed'));
      const transmit = (): void => {
        sent++;
        if (sent > 1) this.stats.retransmissions++;
        socket.send(datagram, destination.port, destination.address);
        timer = setTimeout(onTimer, sent === tries ? timeoutMs - interval * (tries - 1) : interval);
      };
      const onTimer = (): void => {
        if (probe && !probeSent) {
          probeSent = true;
          this.probeSecret(destination, socket, secret, attributes)
            .then((verdict) => {
              if (verdict === 'mismatch' && destination.outstanding.get(identifier) === entry) {
                finish(new RadiusAuthenticatorMismatchError(server, unauthenticated + 1));
              }
            }, () => undefined);
        }
        if (sent < tries) {
          transmit();
        } else {
          this.stats.timeouts++;
          // A reply with a valid Response Authenticator proves the secret: its Message-Authenticator
          // problem is what to report, not the secret.
          finish(invalidMessageAuthenticator > 0
            ? new RadiusMessageAuthenticatorInvalidError(server, invalidMessageAuthenticator)
            : withoutMessageAuthenticator > 0
              ? new RadiusMessageAuthenticatorMissingError(server, withoutMessageAuthenticator)
              : unauthenticated > 0
                ? new RadiusAuthenticatorMismatchError(server, unauthenticated)
                : new RadiusTimeoutError(server, sent, Date.now() - started, stray));
        }
      };
      const entry: Outstanding = {
        requestAuthenticator, secret, expectedCodes: ACCESS_REPLY_CODES, requireMessageAuthenticator,
        onReply: (reply) => {
          this.stats.repliesAccepted++;
          finish(undefined, reply);
        },
        onUnauthenticated: () => { unauthenticated++; },
        onStray: () => { stray++; },
        onMissingMessageAuthenticator: () => { withoutMessageAuthenticator++; },
        onInvalidMessageAuthenticator: () => { invalidMessageAuthenticator++; },
      };
      if (options.signal?.aborted) {
        finish(new RadiusAbortedError());
        return;
      }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.closers.add(onClose);
      destination.outstanding.set(identifier, entry);
      transmit();
    });
  }

  /** Closes the sockets; outstanding requests reject with RadiusAbortedError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const close of [...this.closers]) close();
    const sockets = await Promise.allSettled(this.sockets.values());
    for (const result of sockets) {
      if (result.status === 'fulfilled') await new Promise<void>((done) => result.value.close(() => done()));
    }
    this.sockets.clear();
  }

  /**
   * One Access-Request carrying only User-Name: no Message-Authenticator for the server to
   * reject silently. A reply that fails Response Authenticator verification proves the secrets
   * differ; a verified one, that they match; silence proves nothing.
   */
  private async probeSecret(destination: Destination, socket: Socket, secret: Buffer,
    attributes: RadiusAttribute[]): Promise<'mismatch' | 'match' | 'silent'> {
    const userName = attributes.find((attribute) => attribute.type === RadiusAttributeType.UserName)?.value
      ?? textAttribute('eaphost-secret-probe');
    const identifier = await destination.identifiers.acquire();
    this.stats.secretProbes++;
    const requestAuthenticator = randomBytes(16);
    // Hand-built: signAccessRequest always adds a Message-Authenticator, which is the point to avoid.
    const length = 20 + 2 + userName.length;
    const datagram = Buffer.alloc(length);
    datagram[0] = RadiusCode.AccessRequest;
    datagram[1] = identifier;
    datagram.writeUInt16BE(length, 2);
    requestAuthenticator.copy(datagram, 4);
    datagram[20] = RadiusAttributeType.UserName;
    datagram[21] = 2 + userName.length;
    userName.copy(datagram, 22);
    this.hold();
    return new Promise((resolve) => {
      const finish = (verdict: 'mismatch' | 'match' | 'silent'): void => {
        clearTimeout(timer);
        this.closers.delete(onClose);
        destination.outstanding.delete(identifier);
        destination.identifiers.release(identifier);
        this.release();
        resolve(verdict);
      };
      const onClose = (): void => finish('silent');
      this.closers.add(onClose);
      // Servers that delay rejects (FreeRADIUS reject_delay, 1 s by default) need more than one try's interval.
      const timer = setTimeout(() => finish('silent'), Math.max(this.options.timeoutMs, 1500));
      destination.outstanding.set(identifier, {
        requestAuthenticator, secret, expectedCodes: ACCESS_REPLY_CODES, requireMessageAuthenticator: false,
        onReply: () => finish('match'),
        onUnauthenticated: () => finish('mismatch'),
        onStray: () => undefined,
        onMissingMessageAuthenticator: () => finish('match'),
        onInvalidMessageAuthenticator: () => finish('match'),
      });
      socket.send(datagram, destination.port, destination.address);
    });
  }

  private async acquireIdentifier(destination: Destination, signal?: AbortSignal): Promise<number> {
    if (signal?.aborted) throw new RadiusAbortedError();
    if (destination.identifiers.size === 256) this.stats.identifierWaits++;
    const identifier = await destination.identifiers.acquire();
    if (signal?.aborted || this.closed) {
      destination.identifiers.release(identifier);
      throw new RadiusAbortedError();
    }
    return identifier;
  }

  private async destination(host: string, port: number): Promise<Destination> {
    if (this.closed) throw new RadiusAbortedError('RADIUS client closed');
    const resolved = await resolveHost(host);
    const key = `${resolved.address}|${port}`;
    let destination = this.destinations.get(key);
    if (!destination) {
      destination = {
        key, family: resolved.family, address: resolved.address, port,
        identifiers: new IdentifierPool(), outstanding: new Map(),
      };
      this.destinations.set(key, destination);
    }
    return destination;
  }

  private socket(family: 4 | 6): Promise<Socket> {
    let socket = this.sockets.get(family);
    if (!socket) {
      socket = new Promise<Socket>((resolve, reject) => {
        const udp = createSocket(family === 4 ? 'udp4' : 'udp6');
        udp.once('error', reject);
        udp.on('message', (message, remote) => this.onMessage(message, remote));
        udp.bind({ port: 0, address: family === 4 ? this.options.localAddress4 : this.options.localAddress6 }, () => {
          udp.removeListener('error', reject);
          // Send errors (e.g. no route) surface as timeouts; an unhandled 'error' would kill the process.
          udp.on('error', () => undefined);
          if (this.pending === 0) udp.unref();
          resolve(udp);
        });
      });
      this.sockets.set(family, socket);
    }
    return socket;
  }

  private onMessage(message: Buffer, remote: RemoteInfo): void {
    const destination = this.destinations.get(`${canonicalAddress(remote.address)}|${remote.port}`);
    if (!destination || message.length < 2) {
      this.stats.repliesUnexpected++;
      return;
    }
    const outstanding = destination.outstanding.get(message[1]);
    let reply: DecodedRadiusPacket;
    try {
      reply = decodeRadiusPacket(message);
    } catch (error) {
      if (!(error instanceof RadiusMalformedError)) throw error;
      if (outstanding) this.stats.repliesMalformed++;
      else this.stats.repliesUnexpected++;
      return;
    }
    if (!outstanding) {
      if (!this.dropStray(destination, reply)) this.stats.repliesUnexpected++;
      return;
    }
    if (!outstanding.expectedCodes.includes(reply.code)) {
      this.stats.repliesUnexpected++;
      return;
    }
    const check = checkResponse(reply, outstanding.requestAuthenticator, outstanding.secret,
      outstanding.requireMessageAuthenticator);
    switch (check) {
      case 'valid':
        outstanding.onReply(reply);
        return;
      case 'message-authenticator-missing':
        // The secret is right, the server merely vulnerable: say so rather than blame the secret.
        this.stats.repliesWithoutMessageAuthenticator++;
        outstanding.onMissingMessageAuthenticator();
        return;
      case 'message-authenticator-invalid':
        this.stats.repliesUnauthenticated++;
        outstanding.onInvalidMessageAuthenticator();
        return;
      default:
        if (this.dropStray(destination, reply)) return;
        this.stats.repliesUnauthenticated++;
        outstanding.onUnauthenticated();
    }
  }

  /**
   * A reply that fails verification under its own Identifier may answer another outstanding
   * request, sent back under the wrong Identifier: its Response Authenticator, computed over the
   * reply as sent and that request's authenticator, proves it. It is dropped as stray (RFC 2865
   * §3) and told to the request it answers, so a server's Identifier bug is not reported as a
   * wrong shared secret.
   */
  private dropStray(destination: Destination, reply: DecodedRadiusPacket): boolean {
    for (const [identifier, other] of destination.outstanding) {
      if (identifier === reply.identifier || !other.expectedCodes.includes(reply.code)) continue;
      if (!responseAuthenticatorValid(reply, other.requestAuthenticator, other.secret)) continue;
      this.stats.repliesStray++;
      other.onStray();
      return true;
    }
    return false;
  }

  /** Keeps the event loop alive exactly while something is outstanding. */
  private hold(): void {
    if (this.pending++ === 0) this.forEachSocket((socket) => socket.ref());
  }

  private release(): void {
    if (--this.pending === 0) this.forEachSocket((socket) => socket.unref());
  }

  private forEachSocket(action: (socket: Socket) => void): void {
    for (const socket of this.sockets.values()) socket.then(action, () => undefined);
  }
}
