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
 */
import { isIP } from 'node:net';
import {
  binding, DasSessionIdentification, DynamicAuthorizationServerStats, NativeDasRequest, NativeDynamicAuthorization, RadiusEngineClient,
  zeroDynamicAuthorizationServerStats,
} from '../../native';
import { networkOf, RadiusClientEntry } from '../client-networks';
import { DYNAMIC_AUTHORIZATION_PORT, ErrorCause } from './client';
import { bindError } from '../endpoint';
import type { RadiusAttribute } from '../attributes';

/** A request that passed every check, for the owner to carry out. */
export interface DasRequest {
  kind: 'disconnect' | 'coa';
  /** The client's address, as the socket saw it. */
  client: string;
  /** The session identification, decoded (text attributes as UTF-8). */
  session: DasSessionIdentification;
  /** CoA only: Session-Timeout in seconds, and Authorize Only (re-authenticate) with its State. */
  sessionTimeout?: number;
  authorizeOnly?: { state: Buffer };
  attributes: readonly RadiusAttribute[];
}

/** What the owner did: carried out, or refused with an Error-Cause (RFC 5176 §3.6). */
export type DasVerdict = { done: true } | { done: false; errorCause: number };

export interface DynamicAuthorizationServerOptions {
  /** Address to bind. Default 127.0.0.1. */
  host?: string;
  /** UDP port; 0 picks a free one. Default 3799 (RFC 5176 §3). */
  port?: number;
  /** Who may send requests, each with its secret (an address or CIDR network). */
  clients: RadiusClientEntry[];
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

  constructor(options: DynamicAuthorizationServerOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    if (typeof options.handle !== 'function') throw new TypeError('handle must be a function');
    if (!Array.isArray(options.clients) || options.clients.length === 0) {
      throw new TypeError('clients must be a non-empty array of { network, secret }');
    }
    this.clients = options.clients.flatMap((entry, i) => {
      const { networks, secret } = networkOf(entry, i);
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
    const port = this.options.port ?? DYNAMIC_AUTHORIZATION_PORT;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port ${port} is not from 0 to 65535`);
    if (isIP(host) === 0) throw new RangeError(`host "${host}" is not an IP address`);
    const own = this.options.nasIpAddress ?? host;
    const open = (): NativeDynamicAuthorization => binding.dynamicAuthorizationOpen({
      host, port, clients: this.clients, nasIdentifier: this.options.nasIdentifier,
      nasAddress: own !== '0.0.0.0' && own !== '::' ? own : undefined,
      requireMessageAuthenticator: this.options.requireMessageAuthenticator ?? true,
      requireEventTimestamp: this.options.requireEventTimestamp ?? true,
      windowSeconds: this.windowSeconds, replayCacheSize: this.replayCacheSize,
      onRequests: (requests) => { for (const request of requests) void this.decide(lane, request); },
    });
    let lane: NativeDynamicAuthorization;
    try {
      lane = open();
    } catch (error) {
      throw bindError(error, host, port);
    }
    this.lane = lane;
    this.bound = { address: host, port: lane.port };
    return this.address();
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
    this.lane = undefined;
    this.bound = undefined;
    if (lane) {
      lane.close();
      this.closedLane = lane;
    }
    for (const client of this.clients) client.secret.fill(0);
  }

  private async decide(lane: NativeDynamicAuthorization, native: NativeDasRequest): Promise<void> {
    const { id, client, disconnect, session, sessionTimeout, authorizeOnlyState, attributes } = native;
    const verdict = await this.carryOut({
      kind: disconnect ? 'disconnect' : 'coa', client, session, attributes,
      ...(sessionTimeout !== undefined ? { sessionTimeout } : {}),
      ...(authorizeOnlyState !== undefined ? { authorizeOnly: { state: authorizeOnlyState } } : {}),
    });
    lane.verdict({ id, done: verdict.done, errorCause: verdict.done ? 0 : verdict.errorCause });
  }

  /** The owner's verdict; a throw, a rejection or no verdict at all (an Error-Cause that is no
   *  32-bit number among them) is 506 Resources Unavailable. */
  private async carryOut(request: DasRequest): Promise<DasVerdict> {
    const unavailable: DasVerdict = { done: false, errorCause: ErrorCause.ResourcesUnavailable };
    try {
      const verdict = await this.options.handle(request);
      if (verdict?.done === true) return verdict;
      const cause = verdict?.done === false ? verdict.errorCause : undefined;
      return Number.isInteger(cause) && cause! >= 0 && cause! <= 0xffffffff ? verdict : unavailable;
    } catch {
      return unavailable;
    }
  }
}
