/**
 * The NAS side of Dynamic Authorization (RFC 5176): a Dynamic Authorization Server that takes
 * Disconnect-Requests and CoA-Requests from the clients it knows, checks them, asks its owner to
 * carry them out and answers with a signed ACK or NAK.
 *
 * What is refused, and how (hostapd's DAS, src/radius/radius_das.c, does the same where it says):
 * - silently dropped: a source that is no client, a datagram that is no RADIUS packet, another
 *   code, a wrong Request Authenticator (wrong secret or forged; RFC 5176 §3.5 "silently
 *   discarded"), a Message-Authenticator that is wrong, or missing while required (RFC 5176
 *   §3.3, BlastRADIUS), an Event-Timestamp missing while required or outside the window
 *   (RFC 5176 §3.5: "SHOULD be silently discarded").
 * - answered from the cache and never carried out again: the same Identifier and Request
 *   Authenticator from the same client, a retransmission (RFC 5080 §2.2.2) or a replay: either
 *   way the first answer goes back. A request is remembered until its Event-Timestamp can no
 *   longer fall inside the window, past or future (up to twice the window after it came), so the
 *   same bytes are never carried out twice while they would pass the timestamp check; only a
 *   full cache forgets one earlier, and a request without Event-Timestamp (when none is required)
 *   is remembered one window from its arrival.
 * - NAK'd: 401 Unsupported Attribute (an attribute RFC 5176 §3 does not allow in that request),
 *   405 Unsupported Service (Service-Type other than Authorize Only), 402 Missing Attribute (no
 *   session identification, Authorize Only without State), 403 NAS Identification Mismatch
 *   (NAS-Identifier / NAS-IP-Address / NAS-IPv6-Address not ours), 404 Invalid Request (an
 *   identification or change attribute given twice), 407 Invalid Attribute Value, and whatever
 *   the owner answers (503 Session Context Not Found, 508 Multiple Session Selection
 *   Unsupported, …).
 */
import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import { BlockList, isIP } from 'node:net';
import { RadiusAttributeType as T, RadiusCode } from './constants';
import { canonicalAddress } from './endpoint';
import { networkOf, RadiusClientEntry } from './client-networks';
import { DYNAMIC_AUTHORIZATION_PORT, ErrorCause } from './dynamic-authorization';
import { decodeRadiusPacket, DecodedRadiusPacket, RadiusAttribute, uint32Attribute, addressAttribute } from './packet';
import { DasReplayMemory } from './das-replay';
import { checkComputedRequest, signResponse } from './signing';

/** Service-Type Authorize Only (RFC 5176 §3.2). */
const AUTHORIZE_ONLY = 17;
const CHAP_PASSWORD = 3;
const NAS_PORT_ID = 87;

/** Session identification (RFC 5176 §3): what selects the session. */
const SESSION_ATTRIBUTES: ReadonlySet<number> = new Set([T.UserName, T.NasPort, T.FramedIpAddress, T.CalledStationId,
  T.CallingStationId, T.AcctSessionId, T.AcctMultiSessionId, NAS_PORT_ID, T.ChargeableUserIdentity]);
/** NAS identification and the packet's own: allowed in both requests. */
const NAS_ATTRIBUTES: ReadonlySet<number> = new Set([T.NasIpAddress, T.NasIdentifier, T.NasIpv6Address]);
const PACKET_ATTRIBUTES: ReadonlySet<number> = new Set([T.MessageAuthenticator, T.EventTimestamp, T.ProxyState]);
/** What a CoA-Request may change here (RFC 5176 §3.2 leaves the set to the NAS). */
const COA_CHANGES: ReadonlySet<number> = new Set([T.SessionTimeout, T.ServiceType, T.State]);

/** A request that passed every check, for the owner to carry out. */
export interface DasRequest {
  kind: 'disconnect' | 'coa';
  /** The client's address, as the socket saw it. */
  client: string;
  /** The session identification, decoded (text attributes as UTF-8). */
  session: {
    userName?: string;
    callingStationId?: string;
    calledStationId?: string;
    acctSessionId?: string;
    acctMultiSessionId?: string;
    nasPort?: number;
    nasPortId?: string;
    framedIpAddress?: string;
    chargeableUserIdentity?: Buffer;
  };
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
  /** Requests remembered at most (those that can no longer pass first, then the oldest, are forgotten). Default 4096. */
  replayCacheSize?: number;
  /** Carries a request out. A throw or rejection NAKs 506 Resources Unavailable. */
  handle(request: DasRequest): DasVerdict | Promise<DasVerdict>;
  /** @internal The clock, in ms since the epoch (default Date.now): the tests move it. */
  clock?: () => number;
}

export interface DynamicAuthorizationServerStats {
  requests: number;
  acks: number;
  naks: number;
  /** Retransmissions and replays answered from the cache, not carried out again. */
  duplicates: number;
  droppedUnknownClient: number;
  droppedMalformed: number;
  /** A wrong Request Authenticator or Message-Authenticator: a wrong secret, or forged. */
  droppedUnauthenticated: number;
  droppedNoMessageAuthenticator: number;
  /** Event-Timestamp missing (when required) or outside the window. */
  droppedStale: number;
}

interface Client {
  match: BlockList;
  secret: Buffer;
}

function decodedText(value: Buffer): string {
  return value.toString('utf8');
}

export class DynamicAuthorizationServer {
  private readonly options: DynamicAuthorizationServerOptions;
  private readonly clients: Client[];
  private readonly memory: DasReplayMemory;
  private readonly now: () => number;
  private socket: Socket | undefined;
  private ownAddress: Buffer | undefined;
  private readonly counts: DynamicAuthorizationServerStats = {
    requests: 0, acks: 0, naks: 0, duplicates: 0, droppedUnknownClient: 0, droppedMalformed: 0, droppedUnauthenticated: 0,
    droppedNoMessageAuthenticator: 0, droppedStale: 0,
  };

  constructor(options: DynamicAuthorizationServerOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    if (typeof options.handle !== 'function') throw new TypeError('handle must be a function');
    if (!Array.isArray(options.clients) || options.clients.length === 0) {
      throw new TypeError('clients must be a non-empty array of { network, secret }');
    }
    this.clients = options.clients.map((entry, i) => {
      const { address, family, prefix, secret } = networkOf(entry, i);
      const match = new BlockList();
      match.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
      return { match, secret };
    });
    const window = options.windowSeconds ?? 300;
    if (!Number.isInteger(window) || window < 1 || window > 86_400) throw new RangeError('windowSeconds must be an integer from 1 to 86400');
    const cacheSize = options.replayCacheSize ?? 4096;
    if (!Number.isInteger(cacheSize) || cacheSize < 1) throw new RangeError('replayCacheSize must be a positive integer');
    this.memory = new DasReplayMemory(window * 1000, cacheSize, options.requireEventTimestamp ?? true);
    if (options.nasIpAddress !== undefined && isIP(options.nasIpAddress) === 0) {
      throw new RangeError(`nasIpAddress "${options.nasIpAddress}" is not an IP address`);
    }
    this.now = options.clock ?? Date.now;
    this.options = options;
  }

  get stats(): DynamicAuthorizationServerStats {
    return { ...this.counts };
  }

  async listen(): Promise<{ address: string; port: number }> {
    if (this.socket) throw new Error('the Dynamic Authorization Server is listening already');
    const host = this.options.host ?? '127.0.0.1';
    const port = this.options.port ?? DYNAMIC_AUTHORIZATION_PORT;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port ${port} is not from 0 to 65535`);
    if (isIP(host) === 0) throw new RangeError(`host "${host}" is not an IP address`);
    const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.removeListener('error', reject);
        resolve();
      });
    });
    socket.on('error', () => undefined);
    socket.on('message', (message, remote) => { void this.receive(message, remote); });
    this.socket = socket;
    const own = this.options.nasIpAddress ?? host;
    this.ownAddress = isIP(own) !== 0 && own !== '0.0.0.0' && own !== '::' ? addressAttribute(own) : undefined;
    return this.address();
  }

  address(): { address: string; port: number } {
    if (!this.socket) throw new Error('the Dynamic Authorization Server is not listening');
    const { address, port } = this.socket.address();
    return { address, port };
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((done) => socket.close(() => done()));
    this.memory.clear();
    for (const client of this.clients) client.secret.fill(0);
  }

  private clientFor(address: string): Client | undefined {
    const canonical = canonicalAddress(address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address);
    const family = isIP(canonical) === 6 ? 'ipv6' : 'ipv4';
    return this.clients.find((client) => client.match.check(canonical, family));
  }

  private async receive(message: Buffer, remote: RemoteInfo): Promise<void> {
    const client = this.clientFor(remote.address);
    if (!client) {
      ++this.counts.droppedUnknownClient;
      return;
    }
    let request: DecodedRadiusPacket;
    try {
      request = decodeRadiusPacket(message);
    } catch {
      ++this.counts.droppedMalformed;
      return;
    }
    if (request.code !== RadiusCode.DisconnectRequest && request.code !== RadiusCode.CoaRequest) {
      ++this.counts.droppedMalformed;
      return;
    }
    const check = checkComputedRequest(request, client.secret);
    const required = this.options.requireMessageAuthenticator ?? true;
    if (check === 'bad-request-authenticator' || check === 'message-authenticator-invalid') {
      ++this.counts.droppedUnauthenticated;
      return;
    }
    if (check === 'message-authenticator-missing' && required) {
      ++this.counts.droppedNoMessageAuthenticator;
      return;
    }
    const now = this.now();
    const until = this.memory.timelyUntil(request.attributes, now);
    if (until === undefined) {
      ++this.counts.droppedStale;
      return;
    }
    // Not by source port: a replay may come from any port (RFC 5080 §2.2.2 keys retransmissions by it too).
    // The Request Authenticator is a hash over the whole request, Event-Timestamp included.
    const key = `${remote.address}|${request.identifier}|${request.authenticator.toString('hex')}`;
    const seen = this.memory.find(key, now);
    if (seen) {
      ++this.counts.duplicates;
      if (seen.reply) this.send(seen.reply, remote);
      return;
    }
    const entry = this.memory.remember(key, until, now);
    ++this.counts.requests;
    const reply = await this.answer(request, remote.address, client.secret);
    entry.reply = reply;
    this.send(reply, remote);
  }

  private send(reply: Buffer, remote: RemoteInfo): void {
    this.socket?.send(reply, remote.port, remote.address);
  }

  private async answer(request: DecodedRadiusPacket, client: string, secret: Buffer): Promise<Buffer> {
    const disconnect = request.code === RadiusCode.DisconnectRequest;
    const ack = disconnect ? RadiusCode.DisconnectAck : RadiusCode.CoaAck;
    // As hostapd's DAS: the reply says when it was made; Proxy-State goes back as it came (RFC 5176 §3).
    const proxyState = [{ type: T.EventTimestamp, value: uint32Attribute(Math.floor(this.now() / 1000)) },
      ...request.attributes.filter((attribute) => attribute.type === T.ProxyState)];
    const nak = (cause: number, extra: RadiusAttribute[] = []): Buffer => {
      ++this.counts.naks;
      return signResponse(ack + 1, request, [...extra, { type: T.ErrorCause, value: uint32Attribute(cause) }, ...proxyState],
        secret);
    };
    const parsed = this.parse(request, disconnect);
    if ('errorCause' in parsed) return nak(parsed.errorCause);
    if (parsed.request.authorizeOnly) {
      // RFC 5176 §3.2: the NAS answers Authorize Only with a NAK saying it has begun (507) and asks the server itself.
      const verdict = await this.carryOut({ ...parsed.request, client });
      if (!verdict.done) return nak(verdict.errorCause);
      return nak(ErrorCause.RequestInitiated, [{ type: T.ServiceType, value: uint32Attribute(AUTHORIZE_ONLY) }]);
    }
    const verdict = await this.carryOut({ ...parsed.request, client });
    if (!verdict.done) return nak(verdict.errorCause);
    ++this.counts.acks;
    return signResponse(ack, request, proxyState, secret);
  }

  private async carryOut(request: DasRequest): Promise<DasVerdict> {
    try {
      const verdict = await this.options.handle(request);
      if (verdict?.done === true) return verdict;
      if (verdict?.done === false && Number.isInteger(verdict.errorCause)) return verdict;
      return { done: false, errorCause: ErrorCause.ResourcesUnavailable };
    } catch {
      return { done: false, errorCause: ErrorCause.ResourcesUnavailable };
    }
  }

  /** The request as the owner gets it, or the Error-Cause that refuses it. */
  private parse(packet: DecodedRadiusPacket, disconnect: boolean):
      { request: Omit<DasRequest, 'client'> } | { errorCause: number } {
    const session: DasRequest['session'] = {};
    let sessionTimeout: number | undefined;
    let serviceType: number | undefined;
    let state: Buffer | undefined;
    let identified = false;
    const given = new Set<number>();
    for (const { type, value } of packet.attributes) {
      if (PACKET_ATTRIBUTES.has(type)) continue;
      // RFC 5176 §3.5's table allows each identification attribute (and each change here) at most
      // once. Taken twice, the request names two sessions (hostapd acts on the first, another NAS
      // on the last): no attribute is unsupported and neither value is (401, 407), the request as a
      // whole is malformed, which §3.6 calls 404 Invalid Request ("some other aspect of the request
      // is invalid").
      if (given.has(type)) return { errorCause: ErrorCause.InvalidRequest };
      given.add(type);
      if (NAS_ATTRIBUTES.has(type)) {
        if (type !== T.NasIdentifier && value.length !== (type === T.NasIpAddress ? 4 : 16)) {
          return { errorCause: ErrorCause.InvalidAttributeValue };
        }
        if (!this.ours(type, value)) return { errorCause: ErrorCause.NasIdentificationMismatch };
        continue;
      }
      if (SESSION_ATTRIBUTES.has(type)) {
        identified = true;
        const fourBytes = type === T.NasPort || type === T.FramedIpAddress;
        if (fourBytes && value.length !== 4) return { errorCause: ErrorCause.InvalidAttributeValue };
        if (!fourBytes && value.length === 0) return { errorCause: ErrorCause.InvalidAttributeValue };
        switch (type) {
          case T.UserName: session.userName = decodedText(value); break;
          case T.CallingStationId: session.callingStationId = decodedText(value); break;
          case T.CalledStationId: session.calledStationId = decodedText(value); break;
          case T.AcctSessionId: session.acctSessionId = decodedText(value); break;
          case T.AcctMultiSessionId: session.acctMultiSessionId = decodedText(value); break;
          case NAS_PORT_ID: session.nasPortId = decodedText(value); break;
          case T.NasPort: session.nasPort = value.readUInt32BE(0); break;
          case T.FramedIpAddress: session.framedIpAddress = [...value].join('.'); break;
          default: session.chargeableUserIdentity = Buffer.from(value);
        }
        continue;
      }
      if (disconnect || !COA_CHANGES.has(type) || type === T.UserPassword || type === CHAP_PASSWORD) {
        return { errorCause: ErrorCause.UnsupportedAttribute };
      }
      if (type === T.State) {
        state = Buffer.from(value);
        continue;
      }
      if (value.length !== 4) return { errorCause: ErrorCause.InvalidAttributeValue };
      if (type === T.SessionTimeout) sessionTimeout = value.readUInt32BE(0);
      else serviceType = value.readUInt32BE(0);
    }
    if (!identified) return { errorCause: ErrorCause.MissingAttribute };
    if (serviceType !== undefined && serviceType !== AUTHORIZE_ONLY) return { errorCause: ErrorCause.UnsupportedService };
    if (serviceType === AUTHORIZE_ONLY) {
      // Authorize Only carries identification and State alone (RFC 5176 §3.2).
      if (state === undefined) return { errorCause: ErrorCause.MissingAttribute };
      if (sessionTimeout !== undefined) return { errorCause: ErrorCause.UnsupportedAttribute };
    } else if (state !== undefined) {
      return { errorCause: ErrorCause.UnsupportedAttribute };
    }
    const request: Omit<DasRequest, 'client'> = {
      kind: disconnect ? 'disconnect' : 'coa', session, attributes: packet.attributes,
      ...(sessionTimeout !== undefined ? { sessionTimeout } : {}),
      ...(serviceType === AUTHORIZE_ONLY ? { authorizeOnly: { state: state! } } : {}),
    };
    return { request };
  }

  /** NAS identification that names us (RFC 5176 §3: a request naming another NAS is NAK'd 403). */
  private ours(type: number, value: Buffer): boolean {
    if (type === T.NasIdentifier) return this.options.nasIdentifier !== undefined && decodedText(value) === this.options.nasIdentifier;
    return this.ownAddress !== undefined && this.ownAddress.equals(value);
  }
}
