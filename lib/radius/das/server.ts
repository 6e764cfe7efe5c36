/**
 * The NAS side of Dynamic Authorization (RFC 5176): a Dynamic Authorization Server that takes
 * Disconnect-Requests and CoA-Requests from the clients it knows, checks them, asks its owner to
 * carry them out and answers with a signed ACK or NAK.
 *
 * The RADIUS work and the socket are native (native/radius/das/radius_das_engine.h, on a thread of its
 * own; native/radius/das/radius_das.h says what is dropped, what is answered from memory and what is
 * NAK'd there), as the RADIUS server's are: what remains here is the policy's part, the owner's
 * handle(), whose verdict (or its failure: 506 Resources Unavailable) the native side signs and
 * sends.
 *
 * With `radsec`, the requests come over RadSec (RFC 6614) instead: a TLS listener (radsec/listener.ts,
 * the one RadiusServer's RadSec runs on) hands each connection's bytes to the same native engine,
 * which frames and checks them under RadSec's secret "radsec", and what it answers is written back
 * to the connection the request came on. A connection that authenticated (a certificate from `ca`,
 * or a PSK client) from an address no `clients` entry contains may not send them: each of its
 * requests, and a request of another kind from anyone, gets a Protocol-Error (RFC 7930 §4) with
 * Error-Cause 406 Unsupported Extension, as a RadSec listener that takes no CoA answers (the
 * RadSec revision §3.7), never silence. With `radsec.dtls`, RADIUS/DTLS (RFC 7360) too on the same
 * port number over UDP (dtls-listener.ts, RadiusServer's): its records reach the engine on the
 * listener's thread and the replies go straight back, under "radius/dtls".
 */
import { isIP } from 'node:net';
import {
  DynamicAuthorizationServerStats, NativeDasRequest, NativeDynamicAuthorization, RadiusEngineClient,
  zeroDynamicAuthorizationServerStats,
} from '../../native';
import { networkOf, RadiusClientEntry } from '../client-networks';
import { DYNAMIC_AUTHORIZATION_PORT } from './client';
import { bindError } from '../endpoint';
import { RADSEC_PORT, RADSEC_SECRET } from '../radsec/client';
import { RadSecListener, RadSecListenOptions, RadSecStreamSink } from '../radsec/listener';
import { RadSecServerCredentials } from '../radsec/credentials';
import { RadSecDtlsListener } from '../radsec/dtls-listener';
import { answer, openLane } from '../das-lane';
import type { DasRequest, DasVerdict } from '../das-lane';

export type { DasRequest, DasVerdict };

export interface DynamicAuthorizationServerOptions {
  /** Address to bind. Default 127.0.0.1. */
  host?: string;
  /** UDP port; 0 picks a free one. Default 3799 (RFC 5176 §3); with `radsec`, the TCP port, default 2083. */
  port?: number;
  /** Who may send requests, each with its secret (an address or CIDR network). With `radsec`, the
   *  secret is RadSec's own ("radsec", RFC 6614 §2.3) and an entry's is not read. */
  clients: (RadiusClientEntry | { network: string; secret?: undefined })[];
  /** Take the requests over RadSec (TLS on TCP) instead of UDP: the listener's certificate, the CA
   *  of the client certificates it accepts and its PSK clients, with RadSec's limits
   *  (RadSecListenOptions; with `dtls`, RADIUS/DTLS too on the same port number over UDP, under
   *  "radius/dtls"; RADIUS/1.0 only, `radiusVersion` "1.0" or unset). */
  radsec?: RadSecListenOptions;
  /** Our NAS-Identifier: a request naming another is NAK'd 403. When unset, any NAS-Identifier is refused. */
  nasIdentifier?: string;
  /** Our NAS-IP-Address / NAS-IPv6-Address: a request naming another is NAK'd 403. Default: the bound address. */
  nasIpAddress?: string;
  /** Drop requests without a Message-Authenticator. Default true. */
  requireMessageAuthenticator?: boolean;
  /** Drop requests without an Event-Timestamp. Default true. */
  requireEventTimestamp?: boolean;
  /** How far Event-Timestamp may be from our clock, past or future. A request is remembered until its
   *  Event-Timestamp falls outside it (at most twice this after it came). Default 300 s. */
  windowSeconds?: number;
  /** Requests remembered at most (those that can no longer pass first, then the oldest, are forgotten:
   *  a replay of one forgotten within its window is carried out again). Size it by the most requests
   *  taken within twice windowSeconds: the peak request rate × 2 × windowSeconds (4096 holds a steady
   *  6.8 a second at 300 s). Default 4096. */
  replayCacheSize?: number;
  /** Carries a request out. A throw or rejection NAKs 506 Resources Unavailable. */
  handle(request: DasRequest): DasVerdict | Promise<DasVerdict>;
}

export type { DynamicAuthorizationServerStats };

export class DynamicAuthorizationServer {
  private readonly options: DynamicAuthorizationServerOptions;
  private readonly clients: RadiusEngineClient[];
  private readonly windowSeconds: number;
  private readonly replayCacheSize: number;
  private lane: NativeDynamicAuthorization | undefined;
  /** The last lane's, once closed: its counts stay readable. */
  private closedLane: NativeDynamicAuthorization | undefined;
  private bound: { address: string; port: number } | undefined;
  private listener: RadSecListener | undefined;
  private dtls: RadSecDtlsListener | undefined;
  private radsecCredentials: RadSecServerCredentials | undefined;
  private dtlsRefusal: string | undefined;

  constructor(options: DynamicAuthorizationServerOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    if (typeof options.handle !== 'function') throw new TypeError('handle must be a function');
    if (!Array.isArray(options.clients) || options.clients.length === 0) {
      throw new TypeError('clients must be a non-empty array of { network, secret }');
    }
    if (options.radsec !== undefined && (typeof options.radsec !== 'object' || options.radsec === null)) {
      throw new TypeError('radsec must be RadSec listener options ({ cert, key, ca } or { psk })');
    }
    if (options.radsec?.radiusVersion !== undefined && options.radsec.radiusVersion !== '1.0') {
      throw new TypeError('radsec.radiusVersion: the Dynamic Authorization Server speaks RADIUS/1.0 over TLS');
    }
    this.clients = options.clients.flatMap((entry, i) => {
      const read = options.radsec && typeof entry === 'object' && entry !== null ? { network: entry.network, secret: RADSEC_SECRET } : entry;
      const { networks, secret } = networkOf(read as RadiusClientEntry, i);
      return networks.map(({ address, prefix }) => ({ network: address, prefix, secret }));
    });
    this.windowSeconds = options.windowSeconds ?? 300;
    if (!Number.isInteger(this.windowSeconds) || this.windowSeconds < 1 || this.windowSeconds > 86_400) {
      throw new RangeError('windowSeconds must be an integer from 1 to 86400');
    }
    this.replayCacheSize = options.replayCacheSize ?? 4096;
    if (!Number.isInteger(this.replayCacheSize) || this.replayCacheSize < 1 || this.replayCacheSize > 0xffffffff) {
      throw new RangeError('replayCacheSize must be a positive integer');
    }
    if (options.nasIpAddress !== undefined && isIP(options.nasIpAddress) === 0) {
      throw new RangeError(`nasIpAddress "${options.nasIpAddress}" is not an IP address`);
    }
    this.options = options;
  }

  get stats(): DynamicAuthorizationServerStats {
    return (this.lane ?? this.closedLane)?.stats() ?? zeroDynamicAuthorizationServerStats();
  }

  async listen(): Promise<{ address: string; port: number }> {
    if (this.lane) throw new Error('the Dynamic Authorization Server is listening already');
    const host = this.options.host ?? '127.0.0.1';
    const radsec = this.options.radsec;
    const port = this.options.port ?? (radsec ? RADSEC_PORT : DYNAMIC_AUTHORIZATION_PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port ${port} is not from 0 to 65535`);
    if (isIP(host) === 0) throw new RangeError(`host "${host}" is not an IP address`);
    const own = this.options.nasIpAddress ?? host;
    // Over RadSec the engine's socket takes nothing: any free port of the same address.
    const open = (): NativeDynamicAuthorization => openLane(this.options, {
      host, port: radsec ? 0 : port, radsec: radsec !== undefined, clients: this.clients,
      nasAddress: own !== '0.0.0.0' && own !== '::' ? own : undefined,
      windowSeconds: this.windowSeconds, replayCacheSize: this.replayCacheSize,
    }, (request) => void this.decide(lane, request));
    let lane: NativeDynamicAuthorization;
    try {
      lane = open();
    } catch (error) {
      throw bindError(error, host, port);
    }
    if (radsec) {
      // Read once, for both transports; wiped when the server closes, or here when it cannot listen.
      const credentials = new RadSecServerCredentials(radsec);
      this.radsecCredentials = credentials;
      const listener: RadSecListener = new RadSecListener({ ...radsec, radiusVersion: '1.0' }, credentials, this.sink(lane, () => listener),
        this.options.clients.map((entry) => entry.network));
      let dtls = radsec.dtls === true ? new RadSecDtlsListener(listener, lane) : undefined;
      try {
        await listener.listen(port, host);
        try {
          dtls?.listen(listener.address().port, host);
        } catch (error) {
          // An addon built without GnuTLS: RadSec over TLS alone, as RadiusServer's.
          if ((error as NodeJS.ErrnoException).code !== 'ENOTSUP') throw error;
          this.dtlsRefusal = (error as Error).message;
          dtls = undefined;
        }
      } catch (error) {
        lane.close();
        await listener.close().catch(() => undefined);
        credentials.wipe();
        this.radsecCredentials = undefined;
        // Node's own words (listen EADDRINUSE: address already in use 127.0.0.1:2083), its code kept.
        throw error;
      }
      this.listener = listener;
      this.dtls = dtls;
    }
    this.lane = lane;
    this.bound = this.listener?.address() ?? { address: host, port: lane.port };
    return this.address();
  }

  /** The engine as the RadSec listener's sink: what it answers at once is written back at once. */
  private sink(lane: NativeDynamicAuthorization, listener: () => RadSecListener): RadSecStreamSink {
    return {
      open: () => lane.link(),
      stream: (link, data, { address, port }) => {
        const { packets, backlog, broke, replies } = lane.stream({ link, data, address, port });
        for (const reply of replies) listener().send(link, reply);
        if (broke) listener().broken(link);
        return { packets, backlog };
      },
      drop: (link) => lane.drop({ link }),
    };
  }

  /** Whether RADIUS/DTLS listens beside RadSec over TLS; with false, `dtlsUnavailable` may say why not. */
  get servesDtls(): boolean {
    return this.dtls !== undefined;
  }

  /** The addon's reason RADIUS/DTLS was asked for and is not served (ENOTSUP: built without GnuTLS). */
  get dtlsUnavailable(): string | undefined {
    return this.dtlsRefusal;
  }

  address(): { address: string; port: number } {
    if (!this.bound) throw new Error('the Dynamic Authorization Server is not listening');
    return { ...this.bound };
  }

  /** @internal The server's clock (Event-Timestamp's) reads `nowMs` now, and goes on from there: the tests move it. */
  moveClock(nowMs: number): void {
    this.lane?.clock({ nowMs });
  }

  async close(): Promise<void> {
    const lane = this.lane;
    const listener = this.listener;
    // RADIUS/DTLS first: its thread hands the engine records until it stops.
    this.dtls?.close();
    this.dtls = undefined;
    this.lane = undefined;
    this.listener = undefined;
    this.bound = undefined;
    await listener?.close();
    if (lane) {
      lane.close();
      this.closedLane = lane;
    }
    this.radsecCredentials?.wipe();
    this.radsecCredentials = undefined;
    for (const client of this.clients) client.secret.fill(0);
  }

  private async decide(lane: NativeDynamicAuthorization, native: NativeDasRequest): Promise<void> {
    const listener = this.listener;
    // Over RadSec, to the connection the request came on, when it is still there.
    await answer(lane, native, this.options.handle, (reply) => listener?.send(native.link, reply));
  }
}
