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
   *  connection it came on (0: UDP). */
  accepted(client: string, userName: string, nasAttributes: readonly { type: number; value: Buffer }[], link = 0): void {
    const session: AuthenticatedSession = { client, userName, acceptedAt: Date.now() };
    for (const { type, value, error } of decodeAttributes(nasAttributes)) {
      if (error !== undefined || typeof value !== 'string') continue;
      if (type === T.CallingStationId) session.callingStationId ??= value;
      else if (type === T.AcctSessionId) session.acctSessionId ??= value;
      else if (type === T.NasIdentifier) session.nasIdentifier ??= value;
      else if (type === T.NasIpAddress || type === T.NasIpv6Address) session.nasIpAddress ??= value;
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
