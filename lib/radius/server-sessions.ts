/**
 * The sessions a RadiusServer authenticated, as their NAS names them (RFC 5176 §3), so the server
 * can end or change one later with a Disconnect-Request or CoA-Request to that NAS. Bounded (the
 * oldest is forgotten first) and expiring; a session ended by a Disconnect-ACK is forgotten.
 */
import { decodeAttributes } from './attribute-codec';
import { RadiusAttributeType as T } from './constants';
import {
  CoaChanges, coaRequest, DYNAMIC_AUTHORIZATION_PORT, disconnectRequest, DynamicAuthorizationOptions,
  DynamicAuthorizationReply, DynamicAuthorizationSession,
} from './das/client';
import { RadiusSecret } from './secret';
import type { RadiusEndpoint } from './endpoint';
import type { RadiusAttribute } from './attributes';
import { ErrorCause } from './error-cause';
import type { DasRequest, DasVerdict } from './das-lane';
import type { RadSecClient } from './radsec/client';

/** One accepted session, as the NAS's Access-Request named it. */
export interface AuthenticatedSession {
  /** The NAS's source address (where a request goes when it sent no NAS-IP-Address). */
  client: string;
  userName: string;
  callingStationId?: string;
  acctSessionId?: string;
  nasIdentifier?: string;
  /** NAS-IP-Address or NAS-IPv6-Address. */
  nasIpAddress?: string;
  /** Operator-Name (RFC 5580), which reverse CoA through the proxy routes by. */
  operatorName?: string;
  /** The home server that accepted it (its URL, as `proxy` names it): a proxied session. */
  home?: string;
  /** When it was accepted (Date.now()). */
  acceptedAt: number;
}

export interface SessionMemoryOptions {
  /** Sessions remembered at most. Default 10000. */
  max?: number;
  /** How long one is remembered after its Access-Accept. Default 24 h. */
  ttlMs?: number;
}

/** Which remembered session: every field given must match (exactly one session must). */
export type SessionSelector = Partial<Pick<AuthenticatedSession,
  'userName' | 'callingStationId' | 'acctSessionId' | 'nasIdentifier' | 'nasIpAddress' | 'client'>>;

/** Experimental, reverse CoA (draft-ietf-radext-reverse-coa): the request goes down the RadSec
 *  connection the session's Access-Request came on, which its NAS opened, under that connection's
 *  secret; the NAS answers on it. Sent once (RFC 6613 §2.6.1). RadiusServer's signatures spell it out. */
export type ReverseDasOptions = Omit<DynamicAuthorizationOptions, 'client' | 'tries'> & { reverse: true };

/** Where the NAS's Dynamic Authorization Server is, and its secret; over UDP. */
export interface NasDasOptions extends Omit<DynamicAuthorizationOptions, 'client'> {
  /** Its port. Default 3799. */
  nasPort?: number;
  nasSecret: RadiusSecret;
  /** Its address, when it is not the session's NAS-IP-Address (or the NAS's source address). */
  nasHost?: string;
}

/** @internal Experimental, reverse CoA through the proxy (RadiusServer's proxyReverseCoa.nasDas):
 *  where the NASes' Dynamic Authorization Servers listen over UDP (each at its session's
 *  NAS-IP-Address, or its source address), for a NAS that did not come over a RadSec connection
 *  still open. */
export interface ProxyNasDas {
  /** Default 3799. */
  port?: number;
  secret: RadiusSecret;
}

/** @internal The server's way down RadSec connection `link` (reverse CoA), when it is open and
 *  `client` is still on its other end. */
export type ReverseWay = (link: number, client: string) => { endpoint: RadiusEndpoint; client: RadSecClient } | undefined;

export class SessionSelectionError extends Error {
  readonly code: 'ERR_SESSION_NOT_FOUND' | 'ERR_SESSION_AMBIGUOUS' | 'ERR_SESSION_NO_LINK';
  constructor(code: SessionSelectionError['code'], message: string) {
    super(message);
    this.name = 'SessionSelectionError';
    this.code = code;
  }
}

const SELECTOR_KEYS: readonly (keyof SessionSelector)[] =
  ['userName', 'callingStationId', 'acctSessionId', 'nasIdentifier', 'nasIpAddress', 'client'];

export class SessionMemory {
  private readonly max: number;
  private readonly ttlMs: number;
  /** By insertion: the oldest first. */
  private readonly sessions = new Map<number, AuthenticatedSession>();
  /** The RadSec connection each session's Access-Request came on (reverse CoA), by the same key. */
  private readonly links = new Map<number, number>();
  private next = 0;

  constructor(options: SessionMemoryOptions = {}) {
    if (typeof options !== 'object' || options === null) throw new TypeError('sessions must be { max?, ttlMs? }');
    this.max = options.max ?? 10_000;
    this.ttlMs = options.ttlMs ?? 24 * 3600_000;
    if (!Number.isInteger(this.max) || this.max < 1) throw new TypeError('sessions.max must be a positive integer');
    if (!Number.isInteger(this.ttlMs) || this.ttlMs < 1) throw new TypeError('sessions.ttlMs must be a positive integer');
  }

  /** An Access-Accept's session, from what its first Access-Request carried; `link`: the RadSec
   *  connection it came on (0: UDP); `home`: the home server that accepted it ('' : this server). */
  accepted(client: string, userName: string, nasAttributes: readonly { type: number; value: Buffer }[], link = 0, home = ''): void {
    const session: AuthenticatedSession = { client, userName, ...(home !== '' ? { home } : {}), acceptedAt: Date.now() };
    for (const { type, value, error } of decodeAttributes(nasAttributes)) {
      if (error !== undefined || typeof value !== 'string') continue;
      if (type === T.CallingStationId) session.callingStationId ??= value;
      else if (type === T.AcctSessionId) session.acctSessionId ??= value;
      else if (type === T.NasIdentifier) session.nasIdentifier ??= value;
      else if (type === T.NasIpAddress || type === T.NasIpv6Address) session.nasIpAddress ??= value;
      else if (type === T.OperatorName) session.operatorName ??= value;
    }
    // A new authentication of the same session replaces the old one.
    for (const [key, known] of this.sessions) if (SELECTOR_KEYS.every((k) => known[k] === session[k])) this.forget(key);
    if (link !== 0) this.links.set(this.next, link);
    this.sessions.set(this.next++, session);
    this.prune();
  }

  list(): AuthenticatedSession[] {
    this.prune();
    return [...this.sessions.values()].map((session) => ({ ...session }));
  }

  /** The one session the selector names. */
  find(selector: SessionSelector): [number, AuthenticatedSession] {
    if (typeof selector !== 'object' || selector === null) throw new TypeError('the session selector must be an object');
    const given = SELECTOR_KEYS.filter((key) => selector[key] !== undefined);
    if (given.length === 0) throw new TypeError(`the session selector names nothing: give one of ${SELECTOR_KEYS.join(', ')}`);
    this.prune();
    const found = [...this.sessions].filter(([, session]) => given.every((key) => session[key] === selector[key]));
    if (found.length === 0) {
      throw new SessionSelectionError('ERR_SESSION_NOT_FOUND', `no authenticated session matches ${JSON.stringify(selector)}`);
    }
    if (found.length > 1) {
      throw new SessionSelectionError('ERR_SESSION_AMBIGUOUS', `${found.length} authenticated sessions match ` +
        `${JSON.stringify(selector)}: name one (callingStationId, acctSessionId)`);
    }
    return found[0];
  }

  /** @internal The server's way down its RadSec connections (reverse CoA): RadiusServer sets it. */
  reverseWay: ReverseWay | undefined;

  async disconnect(selector: SessionSelector, options: NasDasOptions | ReverseDasOptions): Promise<DynamicAuthorizationReply> {
    const [key, session] = this.find(selector);
    const [endpoint, sent] = this.route(key, session, options);
    const reply = await disconnectRequest(endpoint, { session: identification(session) }, sent);
    if (reply.acknowledged) this.forget(key);
    return reply;
  }

  async changeAuthorization(selector: SessionSelector, changes: CoaChanges, options: NasDasOptions | ReverseDasOptions):
      Promise<DynamicAuthorizationReply> {
    const [key, session] = this.find(selector);
    const [endpoint, sent] = this.route(key, session, options);
    return coaRequest(endpoint, { session: identification(session), changes }, sent);
  }

  /** Over UDP to the NAS's Dynamic Authorization Server, or down the session's RadSec connection. */
  private route(key: number, session: AuthenticatedSession, options: NasDasOptions | ReverseDasOptions):
      [RadiusEndpoint, DynamicAuthorizationOptions] {
    if (typeof options !== 'object' || options === null || !('reverse' in options) || options.reverse !== true) {
      return [endpointOf(session, options as NasDasOptions), options as NasDasOptions];
    }
    const link = this.links.get(key);
    const way = link === undefined ? undefined : this.reverseWay?.(link, session.client);
    if (way === undefined) {
      throw new SessionSelectionError('ERR_SESSION_NO_LINK', `the session of ${JSON.stringify(session.userName)} did not come over ` +
        'a RadSec connection that is still open: reverse CoA goes down the one its Access-Request came on');
    }
    const { reverse: _reverse, ...rest } = options;
    return [way.endpoint, { ...rest, client: way.client }];
  }

  /**
   * @internal Reverse CoA through the proxy (draft-ietf-radext-reverse-coa), experimental: a request that
   * home server `home` sent down the RadSec connection the proxy opened to it goes on to the NAS
   * of a session proxied to that home. Which NAS: the one session the request names (its
   * User-Name, Acct-Session-Id, Calling-Station-Id, each given one matching), among those of its
   * Operator-Name when a session carried it; failing that, the one NAS all of that Operator-Name's
   * sessions came from. Which way: down the NAS's own RadSec connection while it is open (its
   * `reverseCoa` answers there), else to its Dynamic Authorization Server over UDP when `udp`
   * says where. Neither, or no NAS: NAK 502 Request Not Routable (RFC 5176 §3.6). The NAS's ACK
   * is ours, its NAK's first Error-Cause ours; its silence or a failure rejects (the lane NAKs 506).
   */
  async relay(home: string, request: DasRequest, udp: ProxyNasDas | undefined): Promise<DasVerdict> {
    const found = this.nasOf(home, request);
    const session = found === undefined ? undefined : this.sessions.get(found.key);
    const link = found === undefined ? undefined : this.links.get(found.key);
    const way = session === undefined || link === undefined ? undefined : this.reverseWay?.(link, session.client);
    if (found === undefined || session === undefined || (way === undefined && udp === undefined)) {
      return { done: false, errorCause: ErrorCause.RequestNotRoutable };
    }
    const [endpoint, sent]: [RadiusEndpoint, DynamicAuthorizationOptions] = way !== undefined ? [way.endpoint, { client: way.client }]
      : [endpointOf(session, { nasSecret: udp!.secret, ...(udp!.port !== undefined ? { nasPort: udp!.port } : {}) }), {}];
    // The home's Event-Timestamp (RFC 5176 §3.4) goes on to the NAS; none, or one that does not decode: now.
    const [stamp] = decodeAttributes(request.attributes.filter(({ type }) => type === T.EventTimestamp));
    const options = { ...sent, eventTimestamp: typeof stamp?.value === 'number' ? new Date(stamp.value * 1000) : true };
    const message = forwarded(request);
    const reply = request.kind === 'disconnect' ? await disconnectRequest(endpoint, message, options)
      : await coaRequest(endpoint, message, options);
    if (!reply.acknowledged) return { done: false, errorCause: reply.errorCauses[0]?.value ?? ErrorCause.ResourcesUnavailable };
    if (request.kind === 'disconnect' && found.named) this.forget(found.key);
    return { done: true };
  }

  /** The session (`named`) or, by Operator-Name, the NAS a request from `home` is for. */
  private nasOf(home: string, request: DasRequest): { key: number; named: boolean } | undefined {
    this.prune();
    const proxied = [...this.sessions].filter(([, session]) => session.home === home);
    const operator = request.attributes.find(({ type }) => type === T.OperatorName)?.value.toString('utf8');
    const byOperator = proxied.filter(([, session]) => operator !== undefined && session.operatorName === operator);
    const given = RELAY_KEYS.filter((key) => request.session[key] !== undefined);
    const named = given.length === 0 ? [] : (byOperator.length > 0 ? byOperator : proxied)
      .filter(([, session]) => given.every((key) => session[key] === request.session[key]));
    if (named.length === 1) return { key: named[0][0], named: true };
    const nases = new Set(byOperator.map(([key, session]) => `${session.client}|${this.links.get(key) ?? 0}`));
    return nases.size === 1 ? { key: byOperator[byOperator.length - 1][0], named: false } : undefined;
  }

  private forget(key: number): void {
    this.sessions.delete(key);
    this.links.delete(key);
  }

  private prune(): void {
    const now = Date.now();
    for (const [key, session] of this.sessions) {
      if (this.sessions.size <= this.max && now - session.acceptedAt < this.ttlMs) break;
      this.forget(key);
    }
  }
}

function endpointOf(session: AuthenticatedSession, options: NasDasOptions): { host: string; port: number; secret: RadiusSecret } {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be { nasSecret, nasPort?, nasHost? }');
  return { host: options.nasHost ?? session.nasIpAddress ?? session.client, port: options.nasPort ?? DYNAMIC_AUTHORIZATION_PORT,
    secret: options.nasSecret };
}

/** What a relayed request is matched by: the session attributes a session remembers. */
const RELAY_KEYS = ['userName', 'acctSessionId', 'callingStationId'] as const;

/** The request's session identification as das/client.ts types it. */
const RELAYED_SESSION: readonly [keyof DynamicAuthorizationSession & keyof DasRequest['session'], number][] = [
  ['userName', T.UserName], ['acctSessionId', T.AcctSessionId], ['acctMultiSessionId', T.AcctMultiSessionId],
  ['callingStationId', T.CallingStationId], ['calledStationId', T.CalledStationId], ['framedIpAddress', T.FramedIpAddress],
  ['nasPort', T.NasPort], ['chargeableUserIdentity', T.ChargeableUserIdentity],
];

/** A relayed request as das/client.ts sends it on: its session identification typed, every other
 *  attribute as it came (NAS-Identifier, Operator-Name, Proxy-State, a CoA's changes), but the
 *  Message-Authenticator and Event-Timestamp, which are made again for the NAS's hop. */
function forwarded(request: DasRequest): { session: DynamicAuthorizationSession; attributes: RadiusAttribute[] } {
  const session: DynamicAuthorizationSession = {};
  const typed = new Set<number>();
  for (const [key, type] of RELAYED_SESSION) {
    if (request.session[key] === undefined) continue;
    (session as Record<string, unknown>)[key] = request.session[key];
    typed.add(type);
  }
  const attributes = request.attributes.filter(({ type }) =>
    !typed.has(type) && type !== T.MessageAuthenticator && type !== T.EventTimestamp);
  return { session, attributes };
}

/** The session as the NAS named it: the attributes its Access-Request carried, and the NAS's own. */
function identification(session: AuthenticatedSession): DynamicAuthorizationSession {
  return {
    ...(session.userName !== '' ? { userName: session.userName } : {}),
    ...(session.callingStationId !== undefined ? { callingStationId: session.callingStationId } : {}),
    ...(session.acctSessionId !== undefined ? { acctSessionId: session.acctSessionId } : {}),
    ...(session.nasIdentifier !== undefined ? { nasIdentifier: session.nasIdentifier } : {}),
    ...(session.nasIpAddress !== undefined ? { nasIpAddress: session.nasIpAddress } : {}),
  };
}
