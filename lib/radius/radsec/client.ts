import { connect, ConnectionOptions, TLSSocket } from 'node:tls';
import type { PeerCertificate } from 'node:tls';
import { isIP } from 'node:net';
import { RadiusClientOutcomeKind } from '../../native';
import type { NativeRadiusClient, RadiusClientCounters, RadiusClientEvents } from '../../native';
import { ClientEngine, Target } from '../client-engine';
import type { EngineRequest, LoadHooks, LoadPlan, RadiusClientLoadProgress } from '../client-engine';
import { AccountingCode } from '../accounting';
import { RadiusCode, radiusCodeName } from '../constants';
import { formatHostPort, RadiusEndpoint } from '../endpoint';
import {
  RadiusAbortedError, RadiusConnectionError, RadiusMalformedError, RadiusProtocolErrorReply, RadiusTimeoutError,
  RadSecCertificateError, RadSecHandshakeRefusedError, RadSecUnansweredError, RadSecVersionError,
} from '../errors';
import { exchangeOf, failureOf } from '../client';
import { protocolErrorOf } from '../error-cause';
import type { RadiusExchange, RadiusRequestOptions } from '../client';
import type { RadiusAttribute } from '../attributes';
import { isIdentityRefusal, RadSecClientCredentials } from './credentials';
import { radsecClientAlpn, radsecVersionAgreed, radiusVersionOf } from './alpn';
import type { RadiusVersionSetting } from './alpn';
import {
  DEFAULT_STATUS_SERVER_AFTER_MS, DEFAULT_STATUS_SERVER_TIMEOUT_MS, RadSecWatchdog, statusServerOn,
} from './watchdog';
import type { StatusServerOptions, StatusServerReply } from '../status-server';
import { RadSecDtlsError, RadSecDtlsSocket } from './dtls';
import type { RadSecSocket } from './dtls';
import { ReverseDynamicAuthorization } from './reverse-coa';
import type { DasRequest, DasVerdict } from '../das-lane';
import { secretBytes } from '../secret';

/**
 * RADIUS over TLS (RadSec, RFC 6614): the same packets over one TLS connection on TCP 2083,
 * both ends authenticated by certificate, or by a pre-shared key (TLS-PSK, RFC 9813). The shared secret is fixed to "radsec" (§2.3) and
 * still signs every packet; Message-Authenticator stays mandatory (BlastRADIUS does not apply to
 * TLS, but RFC 3579 still wants it with EAP). Over TCP a request is never retransmitted on the
 * same connection (RFC 6613 §2.6.1): it waits once, for the whole timeout.
 */
export const RADSEC_SECRET = 'radsec';
/** RadSec's port, TCP for TLS and UDP for DTLS (RFC 6614 §2.1, RFC 7360 §3). */
export const RADSEC_PORT = 2083;

export interface RadSecClientOptions {
  /** Client certificate and key (PEM) the server checks, and the CA (PEM) that issued the server's:
   *  required unless `psk` is given. */
  cert?: string | Buffer;
  key?: string | Buffer;
  passphrase?: string;
  ca?: string | Buffer;
  /** TLS-PSK (RFC 9813) instead of certificates: this identity and key (at least 16 bytes), with an
   *  (EC)DHE exchange in TLS 1.2 and 1.3. A server that answers with a certificate is refused. */
  psk?: { identity: string; key: Buffer };
  /** The name the server's certificate must carry (a DNS or IP subjectAltName); default the host. */
  serverName?: string;
  /** Also accept a server certificate that has no DNS subjectAltName and names the server
   *  in its subject's CN only. Weaker (the RadSec revision §3.3.1 asks for SANs): a CN is free text,
   *  not typed as a host name, and a CA may put any text there. Default false. */
  allowCommonNameOnly?: boolean;
  /** A realm whose NAIRealm subjectAltName (otherName id-on-naiRealm, RFC 7585 §2.3) also makes the
   *  server's certificate acceptable when it does not carry `serverName`: a home server found by
   *  dynamic discovery for that realm. One that carries neither is refused ("cert-refused"). */
  naiRealm?: string;
  /** Time one request may take. Default 6000 ms. */
  timeoutMs?: number;
  /** TLS version bounds. Default TLSv1.2 .. TLSv1.3. */
  minVersion?: ConnectionOptions['minVersion'];
  maxVersion?: ConnectionOptions['maxVersion'];
  /** The liveness check of each connection (the RadSec revision §3.8): one that has brought nothing
   *  for this long, idle or with requests unanswered, gets a Status-Server. Default 30000 ms; 0 never. */
  statusServerAfterMs?: number;
  /** That Status-Server unanswered this long: the connection is closed as dead and its requests fail
   *  with RadSecUnresponsiveError. Default 6000 ms. */
  statusServerTimeoutMs?: number;
  /** Told of each liveness check's outcome, with the server (address:port): the verified answer, a
   *  verified Protocol-Error (ERR_RADIUS_PROTOCOL_ERROR: alive, but it takes no Status-Server), or
   *  the error (ERR_RADSEC_UNRESPONSIVE) the connection was closed with. Called synchronously; a
   *  throw is ignored. */
  onStatusServer?: (server: string, outcome: StatusServerReply | Error) => void;
  /** TLS over TCP (default), or DTLS 1.2 over UDP (RFC 7360; its shared secret is "radius/dtls",
   *  RADSEC_DTLS_SECRET). The same checks of the server either way; the TLS version bounds are TLS's. */
  transport?: 'tls' | 'dtls';
  /** RFC 9765's Version setting: "1.0" (default) offers radius/1.0; "auto" offers radius/1.1 too
   *  where TLS 1.3 is allowed and speaks what the server echoes; "1.1" offers radius/1.1 alone,
   *  over TLS 1.3 only, and fails with RadSecVersionError where the server does not agree.
   *  RADIUS/1.1 carries a Token instead of the Identifier and authenticators: no MD5, no secret. */
  radiusVersion?: '1.0' | '1.1' | 'auto';
  /** Experimental: reverse CoA (draft-ietf-radext-reverse-coa). Disconnect-Requests and
   *  CoA-Requests the server sends back down this client's own connections are checked as the
   *  Dynamic Authorization Server checks them (under the connection's secret), handed to
   *  `handle`, and answered on that connection with the signed ACK or NAK. Without it they are
   *  dropped, unanswered, as by a client that never signalled support. */
  reverseCoa?: {
    /** Carries a request out, as DynamicAuthorizationServerOptions' handle: a throw or rejection NAKs 506. */
    handle(request: DasRequest): DasVerdict | Promise<DasVerdict>;
    /** Our NAS-Identifier: a request naming another is NAK'd 403; unset, any NAS-Identifier is. */
    nasIdentifier?: string;
    /** Our NAS-IP-Address / NAS-IPv6-Address: a request naming another is NAK'd 403; unset, any is. */
    nasIpAddress?: string;
    /** @internal A proxy's home connection (RadiusServer's proxyReverseCoa): the NAS identification
     *  passes unchecked, the NAS's to check. */
    relay?: true;
  };
}

interface Connection {
  socket: RadSecSocket;
  link: number;
  /** Its handshake done and the server checked: what the server sends down it is heard from then on. */
  secure?: boolean;
  radius11?: boolean;
  target?: Target;
  failed?: Error;
  watchdog?: RadSecWatchdog;
  /** With reverseCoa: the connection's secret and server port, for the requests its server sends down it. */
  peer?: { secret: Buffer; port: number };
  /** Told once, with the error, when the connection fails (the RADIUS proxy's home goes down). */
  onFailed?: (error: Error) => void;
}

/** The native engine the next RadSecClient made opens (radsecClientOver), while one is made. */
let opening: ((onEvents: (events: RadiusClientEvents) => void) => NativeRadiusClient) | undefined;

/**
 * A RadSecClient whose native client engine `open` makes: the RADIUS engine's proxy's, which
 * sends its forwards through it on this client's connections (RadiusServer's `proxy`).
 */
export function radsecClientOver(options: RadSecClientOptions,
  open: (onEvents: (events: RadiusClientEvents) => void) => NativeRadiusClient): RadSecClient {
  opening = open;
  try {
    return new RadSecClient(options);
  } finally {
    opening = undefined;
  }
}

// A Protocol-Error answers an Access-Request too: final, whatever it says (the RadSec revision §3.7).
const ACCESS_REPLY_CODES: readonly number[] = [RadiusCode.AccessAccept, RadiusCode.AccessReject, RadiusCode.AccessChallenge,
  RadiusCode.ProtocolError];
const ACCOUNTING_REPLY_CODES: readonly number[] = [AccountingCode.Response, RadiusCode.ProtocolError];

/**
 * The TLS connections are Node's; the RADIUS inside them is the native client engine's
 * (client-engine.ts, no socket of its own): it writes each request for its connection, frames
 * what the connection brings by each packet's Length, and matches and verifies the replies,
 * 256 Identifiers per connection. A DTLS association is the engine's own (dtlsConnect): the
 * requests go into it and its records come back natively, JS told of its handshake and its end.
 */
export class RadSecClient {
  private readonly connections = new Map<string, Promise<Connection>>();
  private readonly byLink = new Map<number, Connection>();
  private nextLink = 1;
  private closed = false;
  private readonly radiusVersion: RadiusVersionSetting;
  /** Read and checked once, for either transport. */
  private readonly credentials: RadSecClientCredentials;
  private readonly reverse: ReverseDynamicAuthorization | undefined;
  private readonly engine = new ClientEngine({
    streams: {
      write: (link, datagram) => this.byLink.get(link)?.socket.write(datagram),
      request: (link, packet) => {
        // RADIUS/1.1 has no reverse CoA here: the lane signs RADIUS/1.0.
        const connection = this.byLink.get(link);
        if (!connection?.peer || !this.reverse || connection.radius11 === true || connection.secure !== true) return;
        const { socket, peer } = connection;
        this.reverse.take(link, packet, { address: socket.remoteAddress ?? '0.0.0.0', ...peer },
          (reply) => { if (!socket.destroyed) socket.write(reply); });
      },
      broken: (link) => {
        const connection = this.byLink.get(link);
        if (!connection) return;
        // A stream that lost its framing cannot be resynchronised: drop the connection.
        this.fail(connection, new RadiusMalformedError('RadSec stream: a Length field is out of range'));
        connection.socket.destroy();
      },
      resume: (link) => {
        const socket = tlsOf(this.byLink.get(link)?.socket);
        if (socket && !socket.destroyed) socket.resume();
      },
    },
    open: opening,
  });

  constructor(private readonly options: RadSecClientOptions) {
    this.credentials = new RadSecClientCredentials(options);
    if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) throw new RangeError('timeoutMs must be > 0');
    this.radiusVersion = radiusVersionOf(options.radiusVersion, 'radiusVersion', '1.0');
    this.reverse = options.reverseCoa === undefined ? undefined : new ReverseDynamicAuthorization(options.reverseCoa);
    if (this.radiusVersion === '1.1' && (options.transport === 'dtls' || options.maxVersion === 'TLSv1.2')) {
      throw new TypeError('radiusVersion 1.1 needs TLS 1.3 over TCP (transport tls, maxVersion TLSv1.3)');
    }
    const { statusServerAfterMs: after = 0, statusServerTimeoutMs: wait = 1 } = options;
    // A timer set past 2^31 - 1 ms would fire at once.
    if (!Number.isSafeInteger(after) || after < 0 || after > 0x7fffffff) throw new RangeError('statusServerAfterMs must be a whole number from 0 to 2147483647');
    if (!Number.isSafeInteger(wait) || wait < 1 || wait > 0x7fffffff) throw new RangeError('statusServerTimeoutMs must be a whole number from 1 to 2147483647');
  }

  async accessRequest(endpoint: RadiusEndpoint, attributes: RadiusAttribute[],
    options: RadiusRequestOptions = {}): Promise<RadiusExchange> {
    return this.request(endpoint, {
      code: RadiusCode.AccessRequest, attributes, eapMessage: options.eapMessage, userPassword: options.userPassword,
      messageAuthenticator: true, requireMessageAuthenticator: options.requireMessageAuthenticator ?? true,
      answerCodes: ACCESS_REPLY_CODES,
    }, options);
  }

  /** One Accounting-Request (RFC 2866) on the connection to `endpoint`, sent once: the verified
   *  Accounting-Response, or a typed error (a Protocol-Error, RFC 7930, from a server that takes no
   *  accounting: ERR_RADIUS_PROTOCOL_ERROR). */
  async accountingRequest(endpoint: RadiusEndpoint, attributes: RadiusAttribute[],
    options: Pick<RadiusRequestOptions, 'timeoutMs' | 'signal'> = {}): Promise<RadiusExchange> {
    return this.request(endpoint, {
      code: AccountingCode.Request, attributes, messageAuthenticator: false, requireMessageAuthenticator: false,
      answerCodes: ACCOUNTING_REPLY_CODES,
    }, options);
  }

  /** @internal A CoA-Request or Disconnect-Request (RFC 5176) on the connection to `endpoint`,
   *  sent once: das/client.ts's exchange over RadSec. A Protocol-Error (RFC 7930) is final.
   *  Unanswered in time on a connection still up, a Status-Server on that same connection says
   *  what the peer does (RadSecUnansweredError); a connection that breaks is that error instead. */
  async dynamicAuthorizationRequest(endpoint: RadiusEndpoint,
    request: Pick<EngineRequest, 'code' | 'attributes' | 'messageAuthenticator' | 'requireMessageAuthenticator' | 'answerCodes'>,
    options: Pick<RadiusRequestOptions, 'timeoutMs' | 'signal'>): Promise<RadiusExchange> {
    const connection = await this.connection(endpoint);
    const started = performance.now();
    try {
      return await this.requestOn(connection, endpoint, { ...request, answerCodes: [...request.answerCodes, RadiusCode.ProtocolError] },
        options);
    } catch (error) {
      // Replies that came and did not verify say more than a Status-Server would.
      if (!(error instanceof RadiusTimeoutError) || error.strayReplies > 0 || error.unverifiedReplies > 0) throw error;
      const elapsedMs = Math.round(performance.now() - started);
      if (connection.failed) throw connection.failed;
      const statusServer = await statusServerOn(this.engine, this.targetOf(connection, endpoint),
        options.timeoutMs ?? this.options.timeoutMs ?? 6000, options.signal).then(() => 'answered' as const, (probe: unknown) => {
        if (probe instanceof RadiusProtocolErrorReply) return 'protocol-error' as const;
        if (probe instanceof RadiusTimeoutError) return 'unanswered' as const;
        throw probe;
      });
      throw new RadSecUnansweredError(error.server, elapsedMs, radiusCodeName(request.code), statusServer, 'NAS');
    }
  }

  private async request(endpoint: RadiusEndpoint, request: Omit<EngineRequest, 'secretProbe' | 'tries' | 'timeoutMs' | 'signal'>,
    options: Pick<RadiusRequestOptions, 'timeoutMs' | 'signal'>): Promise<RadiusExchange> {
    return this.requestOn(await this.connection(endpoint), endpoint, request, options);
  }

  private async requestOn(connection: Connection, endpoint: RadiusEndpoint,
    request: Omit<EngineRequest, 'secretProbe' | 'tries' | 'timeoutMs' | 'signal'>,
    options: Pick<RadiusRequestOptions, 'timeoutMs' | 'signal'>): Promise<RadiusExchange> {
    if (options.signal?.aborted) throw new RadiusAbortedError();
    if (connection.failed) throw connection.failed;
    if (connection.radius11 === true && request.userPassword?.length === 0) {
      throw new RangeError('RADIUS/1.1 carries a User-Password of 1 to 128 bytes, not an empty one (RFC 9765 §5.1.1)');
    }
    const { outcome, server } = await this.engine.sendOn(this.targetOf(connection, endpoint), {
      ...request, secretProbe: false, tries: 1, timeoutMs: options.timeoutMs ?? this.options.timeoutMs ?? 6000, signal: options.signal,
    });
    if (outcome.kind !== RadiusClientOutcomeKind.Reply) throw failureOf(outcome, server);
    if (outcome.code === RadiusCode.ProtocolError) throw protocolErrorOf(outcome.attributes ?? [], server);
    return exchangeOf(outcome);
  }

  /** @internal `eaphost load --radsec`: a load run (ClientEngine.load) on the connection to
   *  `endpoint` (opened if need be): the engine's thread makes every request, each sent once
   *  (never again on a connection, RFC 6613 §2.6.1); at most 256 out at once on one connection. */
  async load(endpoint: RadiusEndpoint, plan: LoadPlan, hooks: LoadHooks): Promise<void> {
    if (plan.tries !== 1) throw new RangeError('over RadSec a request is sent once: tries must be 1');
    return this.engine.loadOn(async () => {
      const connection = await this.connection(endpoint);
      if (connection.failed) throw connection.failed;
      return this.targetOf(connection, endpoint);
    }, plan, hooks);
  }

  /** @internal The RADIUS proxy's way to `endpoint`: its connection (opened if need be, checked as
   *  every request's is) and the engine target on it; `onFailed` is told once when it fails. */
  async proxyTarget(endpoint: RadiusEndpoint, onFailed: (error: Error) => void): Promise<number> {
    const connection = await this.connection(endpoint);
    if (connection.failed) throw connection.failed;
    const told = connection.onFailed;
    connection.onFailed = (error) => {
      told?.(error);
      onFailed(error);
    };
    return this.targetOf(connection, endpoint).target;
  }

  /** @internal What the client engine has counted (ClientEngine.counters): streamHandOffs, the
   *  packets that crossed JS on their way between a connection and the engine. */
  counters(): RadiusClientCounters {
    return this.engine.counters();
  }

  /** @internal The latest load run's figures so far (ClientEngine.loadProgress). */
  loadProgress(): RadiusClientLoadProgress {
    return this.engine.loadProgress();
  }

  /** A Status-Server (RFC 5997) on the connection to `endpoint` (opened if need be): the server's
   *  verified Access-Accept, or the typed error of why none came within `timeoutMs` (default the
   *  client's timeoutMs). The connection stays open either way. */
  async statusServer(endpoint: RadiusEndpoint, options: Pick<StatusServerOptions, 'timeoutMs' | 'signal'> = {}): Promise<StatusServerReply> {
    const connection = await this.connection(endpoint);
    if (options.signal?.aborted) throw new RadiusAbortedError();
    if (connection.failed) throw connection.failed;
    return statusServerOn(this.engine, this.targetOf(connection, endpoint), options.timeoutMs ?? this.options.timeoutMs ?? 6000,
      options.signal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const all = await Promise.allSettled(this.connections.values());
    for (const result of all) {
      if (result.status !== 'fulfilled') continue;
      this.fail(result.value, new RadiusAbortedError('RadSec client closed'));
      result.value.socket.destroy();
    }
    this.connections.clear();
    this.engine.close();
    this.reverse?.close();
    this.credentials.wipe();
  }

  private fail(connection: Connection, error: Error): void {
    if (connection.failed) return;
    connection.failed = error;
    connection.watchdog?.stop();
    this.byLink.delete(connection.link);
    this.reverse?.drop(connection.link);
    connection.peer?.secret.fill(0);
    this.engine.dropStream(connection.link, error);
    connection.onFailed?.(error);
  }

  private targetOf(connection: Connection, endpoint: RadiusEndpoint): Target {
    connection.target ??= this.engine.streamTarget(connection.link, connection.socket.remoteAddress ?? '0.0.0.0',
      endpoint.port, endpoint.secret, connection.radius11 === true);
    return connection.target;
  }

  /** The connection's liveness check (watchdog.ts), from its handshake on. */
  private watch(connection: Connection, endpoint: RadiusEndpoint, server: string): void {
    const { statusServerAfterMs, statusServerTimeoutMs, onStatusServer } = this.options;
    connection.watchdog = new RadSecWatchdog({
      engine: this.engine, link: connection.link, server, report: onStatusServer,
      target: () => this.targetOf(connection, endpoint),
      quietMs: () => (connection.socket instanceof RadSecDtlsSocket ? connection.socket.quietMs() : undefined),
      close: (error) => {
        this.fail(connection, error);
        connection.socket.destroy();
      },
    }, statusServerAfterMs ?? DEFAULT_STATUS_SERVER_AFTER_MS, statusServerTimeoutMs ?? DEFAULT_STATUS_SERVER_TIMEOUT_MS);
  }

  private connection(endpoint: RadiusEndpoint): Promise<Connection> {
    if (this.closed) return Promise.reject(new RadiusAbortedError('RadSec client closed'));
    const key = `${endpoint.host}|${endpoint.port}`;
    const existing = this.connections.get(key);
    if (existing) {
      return existing.then((connection) => {
        if (!connection.failed) return connection;
        this.connections.delete(key);
        return this.connection(endpoint);
      });
    }
    const made = new Promise<Connection>((resolve, reject) => {
      const servername = this.options.serverName ?? endpoint.host;
      const link = this.nextLink++;
      const socket: RadSecSocket = this.options.transport === 'dtls'
        ? new RadSecDtlsSocket({ host: endpoint.host, port: endpoint.port, servername, credentials: this.credentials,
          handshakeTimeoutMs: this.options.timeoutMs ?? 6000, open: (args) => this.engine.dtlsConnect(link, args) })
        : connect({
          host: endpoint.host, port: endpoint.port, ...this.credentials.tls(),
          ALPNProtocols: radsecClientAlpn(this.radiusVersion, this.options.maxVersion !== 'TLSv1.2'),
          // RFC 6066 §3: a literal address is no SNI HostName; the certificate is still checked against it.
          ...(isIP(servername) === 0 ? { servername } : {}),
          checkServerIdentity: (_host: string, peer: PeerCertificate) => this.credentials.checkServer(servername, peer),
          minVersion: this.radiusVersion === '1.1' ? 'TLSv1.3' : this.options.minVersion ?? 'TLSv1.2',
          ...(this.options.maxVersion ? { maxVersion: this.options.maxVersion } : {}),
        });
      // Reverse CoA's requests are checked, and answered, under the secret the connection's own are.
      const connection: Connection = { socket, link,
        ...(this.reverse ? { peer: { secret: secretBytes(endpoint.secret), port: endpoint.port } } : {}) };
      this.byLink.set(connection.link, connection);
      const server = formatHostPort(endpoint.host, endpoint.port);
      let secure = false;
      // TLS 1.2's master secret is made as our last flight goes out (certificate, Finished): a peer
      // that then closes without its Finished refused what we sent. Only the label is read.
      let flightSent = false;
      tlsOf(socket)?.on('keylog', (line: Buffer) => {
        flightSent ||= line.toString('latin1', 0, 14) === 'CLIENT_RANDOM ';
        line.fill(0);
      });
      socket.once('secureConnect', () => {
        if (this.options.transport !== 'dtls' && socket instanceof TLSSocket) {
          const agreed = radsecVersionAgreed(this.radiusVersion, socket.alpnProtocol, socket.getProtocol());
          if ('refused' in agreed) {
            // RFC 9765 §3.3's Close-C: the client ends what it cannot speak.
            const failure = new RadSecVersionError(server, '1.1', agreed.refused);
            this.fail(connection, failure);
            reject(failure);
            socket.destroy();
            return;
          }
          connection.radius11 = agreed.radius11;
        }
        secure = true;
        connection.secure = true;
        this.watch(connection, endpoint, server);
        resolve(connection);
      });
      // Not read while the engine holds its bound of this connection's bytes unread (as the
      // server side does): a server streaming junk costs that much memory, not all it sends.
      tlsOf(socket)?.on('data', (chunk: Buffer) => {
        connection.watchdog?.heard();
        if (this.engine.stream(connection.link, chunk)) tlsOf(socket)?.pause();
      });
      // Which of the alert, the reset or a write into the closed socket Node reports first is
      // timing: each is the same failure to the caller, one typed error carrying the first cause.
      socket.on('error', (error) => {
        // The server took none of the protocols offered (RFC 9765 §3.3's Alert).
        const failure = tlsAlertOf((error as NodeJS.ErrnoException).code ?? '') === 'no_application_protocol'
          ? new RadSecVersionError(server, this.radiusVersion === '1.1' ? '1.1' : '1.0', 'it answered with the no_application_protocol alert', error)
          : connectionErrorOf(server, secure, error, flightSent, this.credentials.offered);
        this.fail(connection, failure);
        reject(failure);
      });
      socket.on('close', () => {
        const failure = new RadiusConnectionError(server, secure);
        this.fail(connection, failure);
        reject(failure);
      });
    });
    this.connections.set(key, made);
    made.catch(() => this.connections.delete(key));
    return made;
  }
}

const tlsOf = (socket: RadSecSocket | undefined): TLSSocket | undefined => (socket instanceof TLSSocket ? socket : undefined);

/** OpenSSL's verdicts on a chain (X509_V_ERR_*, as Node names them) and Node's name check. */
const CERTIFICATE_VERIFY = new RegExp(`^(?:${['UNABLE_TO_\\w+', 'CERT_\\w+', 'CRL_\\w+', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
  'INVALID_CA', 'INVALID_PURPOSE', 'PATH_LENGTH_EXCEEDED', 'HOSTNAME_MISMATCH', 'ERR_TLS_CERT_ALTNAME_INVALID'].join('|')})$`);

/**
 * A failed RadSec connection's typed error: the peer refused the handshake with an alert (TLS's
 * received-alert codes; a DTLS handshake's alert, named in parentheses by the native end) or by a
 * close once our TLS 1.2 flight was out, we
 * refused the peer's certificate (OpenSSL's chain verdict, the native DTLS end's ECERT, or our
 * name check), or something else (a reset, a close, a timeout).
 */
/**
 * The TLS alert a peer sent, by its RFC 8446 name, from Node's error code. Node makes the code
 * from OpenSSL's reason text: "sslv3/tlsv1/tlsv13 alert …" up to OpenSSL 3.1 (Node 20), "ssl/tls
 * alert …" from 3.2 (Node 24: ERR_SSL_SSL/TLS_ALERT_BAD_RECORD_MAC).
 */
function tlsAlertOf(code: string): string | undefined {
  return /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13|SSL\/TLS)_ALERT_(\w+)$/.exec(code)?.[1].toLowerCase();
}

function connectionErrorOf(server: string, secure: boolean, error: Error, flightSent: boolean, offered: string): RadiusConnectionError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const dtls = error instanceof RadSecDtlsError;
  const alert = tlsAlertOf(code) ??
    (dtls && code === 'EPROTO' ? /^DTLS handshake: .*\(([^()]+)\)$/.exec(error.message)?.[1].toLowerCase().replace(/\W+/g, '_') : undefined);
  if (alert !== undefined || (flightSent && !secure && code === 'ECONNRESET')) {
    return new RadSecHandshakeRefusedError(server, secure, alert, offered, error);
  }
  if (isIdentityRefusal(error) || (dtls ? code === 'ECERT' : CERTIFICATE_VERIFY.test(code))) return new RadSecCertificateError(server, error);
  return new RadiusConnectionError(server, secure, error);
}
