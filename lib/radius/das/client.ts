import { isIP } from 'node:net';
import { RADIUS_MAX_ATTRIBUTE_VALUE, RadiusAttributeType, RadiusCode, radiusCodeName } from '../constants';
import { RadiusEndpoint } from '../endpoint';
import { encodeAttributes, TypedAttribute } from '../attribute-codec';
import { RadiusAttribute, RadiusPacket } from '../attributes';
import { udpExchange, UdpExchangeOptions } from '../udp-exchange';
import type { RadSecClient } from '../radsec/client';
import { errorCausesOf, ErrorCauseValue } from '../error-cause';

export { ErrorCause, errorCauseName } from '../error-cause';
export type { ErrorCauseValue } from '../error-cause';

/**
 * Dynamic Authorization (RFC 5176): a Disconnect-Request ends a session on a NAS, a CoA-Request
 * changes its authorization, sent to the NAS's Dynamic Authorization Server. Like an
 * Accounting-Request, the Request Authenticator is computed (MD5 over the packet with a zero
 * authenticator, then the secret; §3), so the NAS can check the request itself; the
 * Message-Authenticator (§3.3) is taken before it, with the authenticator still zero. The same
 * bytes go out on every try (RFC 5080 §2.2.1), Event-Timestamp included: it says when the request
 * was first sent (§3.5). A NAK is an answer, not a failure of the exchange: it resolves, with its
 * Error-Cause by name; only no answer, a wrong secret or an unparseable answer reject.
 */

/** The NAS's Dynamic Authorization Server port (RFC 5176 §3). */
export const DYNAMIC_AUTHORIZATION_PORT = 3799;

/** Service-Type Authorize Only (RFC 5176 §3.2): the NAS asks the RADIUS server again, carrying State. */
const AUTHORIZE_ONLY = 17;

/**
 * Which session the request is about (RFC 5176 §3 "session identification"), and on which NAS.
 * At least one of the session attributes must be given; the NAS ones are optional, but a NAS
 * refuses a request naming another NAS (Error-Cause 403).
 */
export interface DynamicAuthorizationSession {
  /** User-Name. */
  userName?: string;
  /** Acct-Session-Id, as the NAS sent it in accounting (hostapd: 16 hex digits). */
  acctSessionId?: string;
  acctMultiSessionId?: string;
  /** Calling-Station-Id: the station's MAC address, as the NAS writes it. */
  callingStationId?: string;
  calledStationId?: string;
  /** Framed-IP-Address (IPv4). */
  framedIpAddress?: string;
  nasPort?: number;
  chargeableUserIdentity?: Buffer;
  /** NAS-IP-Address, or NAS-IPv6-Address for an IPv6 address. */
  nasIpAddress?: string;
  nasIdentifier?: string;
}

/** What a CoA-Request changes (RFC 5176 §3.2). */
export interface CoaChanges {
  sessionTimeout?: number;
  idleTimeout?: number;
  filterId?: string;
  /** Service-Type Authorize Only with this State: the NAS re-authorizes the session with the RADIUS server. */
  authorizeOnlyState?: Buffer;
}

export interface DisconnectMessage {
  session: DynamicAuthorizationSession;
  /** Further attributes, in order (Vendor-Specific ones, say). Message-Authenticator and Event-Timestamp are the options'. */
  attributes?: RadiusAttribute[];
}

export interface CoaMessage extends DisconnectMessage {
  changes?: CoaChanges;
}

export interface DynamicAuthorizationOptions {
  /** Total time over all tries. Default 6000 ms. */
  timeoutMs?: number;
  /** Transmissions at most, the same bytes each time. Default 3; 1 over RadSec. */
  tries?: number;
  /** A RadSecClient: the request goes over its TLS (RFC 6614) or DTLS (RFC 7360) connection to the
   *  endpoint, sent once (never again on a connection, RFC 6613 §2.6.1), the endpoint's secret
   *  "radsec" (or "radius/dtls") as the client's peer expects. Unanswered in time on a connection
   *  that stays up, a Status-Server on the same connection tells what the peer does (RadSecUnansweredError,
   *  ERR_RADIUS_TIMEOUT). By default UDP. */
  client?: RadSecClient;
  signal?: AbortSignal;
  /** Event-Timestamp (RFC 5176 §3.5): true (the default) for now, a Date, or false for none. */
  eventTimestamp?: boolean | Date;
  /** Send a Message-Authenticator (RFC 5176 §3.3). Default true. */
  messageAuthenticator?: boolean;
  /** Drop replies without a Message-Authenticator. Default false: RFC 5176 makes it optional in replies. */
  requireMessageAuthenticator?: boolean;
}

export interface DynamicAuthorizationReply {
  /** Disconnect-ACK / CoA-ACK: the NAS did it. */
  acknowledged: boolean;
  code: number;
  /** Disconnect-ACK, Disconnect-NAK, CoA-ACK or CoA-NAK. */
  codeName: string;
  /** Every Error-Cause of the reply, in order (a NAK usually carries one; an ACK may carry a 2xx one). */
  errorCauses: ErrorCauseValue[];
  latencyMs: number;
  tries: number;
  reply: RadiusPacket;
}

/** Attributes that a request must not carry as given: computed here, or forbidden by RFC 5176 §3.6. */
const NOT_GIVEN = new Map<number, string>([
  [RadiusAttributeType.MessageAuthenticator, 'Message-Authenticator is computed (the messageAuthenticator option)'],
  [RadiusAttributeType.EventTimestamp, 'Event-Timestamp is the eventTimestamp option'],
  [RadiusAttributeType.UserPassword, 'User-Password never travels in a CoA or Disconnect request (RFC 5176 §3.6)'],
  [3, 'CHAP-Password never travels in a CoA or Disconnect request (RFC 5176 §3.6)'],
]);

/** A value checked and typed as attribute `type`: native/radius's codec writes it (attribute-codec.ts).
 *  Each request's typed attributes are encoded in one call. */
function text(type: number, value: unknown, name: string): TypedAttribute {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, not ${typeof value}`);
  const length = Buffer.byteLength(value, 'utf8');
  // Never cut: a shortened User-Name or Acct-Session-Id would name another session.
  if (length === 0 || length > RADIUS_MAX_ATTRIBUTE_VALUE) {
    throw new RangeError(`${name} must hold 1 to ${RADIUS_MAX_ATTRIBUTE_VALUE} bytes, not ${length}`);
  }
  return { type, format: 'string', value };
}

function integer(type: number, value: unknown, name: string): TypedAttribute {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, not ${typeof value}`);
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`${name} must be an integer from 0 to 4294967295, not ${value}`);
  }
  return { type, format: 'integer', value };
}

function octets(type: number, value: unknown, name: string): TypedAttribute {
  if (!Buffer.isBuffer(value)) throw new TypeError(`${name} must be a Buffer`);
  if (value.length === 0 || value.length > RADIUS_MAX_ATTRIBUTE_VALUE) {
    throw new RangeError(`${name} must hold 1 to ${RADIUS_MAX_ATTRIBUTE_VALUE} bytes, not ${value.length}`);
  }
  return { type, format: 'octets', value: value.toString('hex') };
}

/** An address; `type` as `types` names it for the address's family. */
function address(types: { 4: number; 6: number }, value: unknown, name: string, family?: 4): TypedAttribute {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, not ${typeof value}`);
  const found = isIP(value);
  if (found === 0 || (family !== undefined && found !== family)) {
    throw new RangeError(`${name} "${value}" is not an ${family === 4 ? 'IPv4' : 'IP'} address`);
  }
  return found === 4 ? { type: types[4], format: 'ipaddr', value } : { type: types[6], format: 'ipv6addr', value };
}

function sessionAttributes(session: DynamicAuthorizationSession): TypedAttribute[] {
  if (typeof session !== 'object' || session === null) throw new TypeError('session must be an object naming the session');
  const T = RadiusAttributeType;
  const out: TypedAttribute[] = [];
  const add = <K extends keyof DynamicAuthorizationSession>(key: K, type: number,
    check: (type: number, value: unknown, name: string) => TypedAttribute): void => {
    if (session[key] !== undefined) out.push(check(type, session[key], `session.${key}`));
  };
  add('userName', T.UserName, text);
  add('acctSessionId', T.AcctSessionId, text);
  add('acctMultiSessionId', T.AcctMultiSessionId, text);
  add('callingStationId', T.CallingStationId, text);
  add('calledStationId', T.CalledStationId, text);
  add('framedIpAddress', T.FramedIpAddress, (type, value, name) => address({ 4: type, 6: type }, value, name, 4));
  add('nasPort', T.NasPort, integer);
  add('chargeableUserIdentity', T.ChargeableUserIdentity, octets);
  if (out.length === 0) {
    throw new RangeError('a Disconnect-Request or CoA-Request needs a session identification attribute (RFC 5176 §3): ' +
      'userName, acctSessionId, acctMultiSessionId, callingStationId, calledStationId, framedIpAddress, nasPort or ' +
      'chargeableUserIdentity');
  }
  if (session.nasIpAddress !== undefined) {
    out.push(address({ 4: T.NasIpAddress, 6: T.NasIpv6Address }, session.nasIpAddress, 'session.nasIpAddress'));
  }
  add('nasIdentifier', T.NasIdentifier, text);
  return out;
}

function changeAttributes(changes: CoaChanges | undefined): TypedAttribute[] {
  if (changes === undefined) return [];
  if (typeof changes !== 'object' || changes === null) throw new TypeError('changes must be an object');
  const T = RadiusAttributeType;
  const out: TypedAttribute[] = [];
  if (changes.sessionTimeout !== undefined) out.push(integer(T.SessionTimeout, changes.sessionTimeout, 'changes.sessionTimeout'));
  if (changes.idleTimeout !== undefined) out.push(integer(T.IdleTimeout, changes.idleTimeout, 'changes.idleTimeout'));
  if (changes.filterId !== undefined) out.push(text(T.FilterId, changes.filterId, 'changes.filterId'));
  if (changes.authorizeOnlyState !== undefined) {
    out.push({ type: T.ServiceType, format: 'integer', value: AUTHORIZE_ONLY },
      octets(T.State, changes.authorizeOnlyState, 'changes.authorizeOnlyState'));
  }
  return out;
}

function extraAttributes(attributes: RadiusAttribute[] | undefined): RadiusAttribute[] {
  if (attributes === undefined) return [];
  if (!Array.isArray(attributes)) throw new TypeError('attributes must be an array of { type, value }');
  return attributes.map((attribute, i) => {
    const where = `attributes[${i}]`;
    if (typeof attribute !== 'object' || attribute === null) throw new TypeError(`${where} must be { type, value }`);
    const { type, value } = attribute;
    if (typeof type !== 'number' || !Number.isInteger(type) || type < 1 || type > 255) {
      throw new RangeError(`${where}.type must be an attribute number from 1 to 255`);
    }
    const refused = NOT_GIVEN.get(type);
    if (refused !== undefined) throw new RangeError(`${where}: ${refused}`);
    if (!Buffer.isBuffer(value)) throw new TypeError(`${where}.value must be a Buffer`);
    if (value.length > RADIUS_MAX_ATTRIBUTE_VALUE) {
      throw new RangeError(`${where}.value holds ${value.length} bytes; an attribute holds at most ${RADIUS_MAX_ATTRIBUTE_VALUE}`);
    }
    return { type, value: Buffer.from(value) };
  });
}

function timestamp(option: boolean | Date | undefined): TypedAttribute[] {
  if (option === false) return [];
  if (option !== undefined && option !== true && !(option instanceof Date && Number.isFinite(option.getTime()))) {
    throw new TypeError('eventTimestamp must be true, false or a valid Date');
  }
  const seconds = Math.floor((option instanceof Date ? option.getTime() : Date.now()) / 1000);
  return [integer(RadiusAttributeType.EventTimestamp, seconds, 'eventTimestamp')];
}

/** `typed` (encoded here), then `extra` as given, then the Event-Timestamp. */
async function dynamicAuthorization(endpoint: RadiusEndpoint, code: number, typed: TypedAttribute[],
  extra: RadiusAttribute[], options: DynamicAuthorizationOptions): Promise<DynamicAuthorizationReply> {
  if (typeof endpoint !== 'object' || endpoint === null || typeof endpoint.host !== 'string' || endpoint.host === '') {
    throw new TypeError('the endpoint must be { host, port, secret }');
  }
  if (!Number.isInteger(endpoint.port) || endpoint.port < 1 || endpoint.port > 65535) {
    throw new RangeError(`port ${String(endpoint.port)} is not from 1 to 65535 (a NAS listens on ${DYNAMIC_AUTHORIZATION_PORT})`);
  }
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const timeoutMs = options.timeoutMs ?? 6000;
  const tries = options.tries ?? (options.client ? 1 : 3);
  if (!(timeoutMs > 0) || !Number.isInteger(tries) || tries < 1) {
    throw new RangeError(`${radiusCodeName(code)} needs timeoutMs > 0 and tries >= 1`);
  }
  if (options.client && tries !== 1) {
    throw new RangeError(`over RadSec a ${radiusCodeName(code)} is sent once (RFC 6613 §2.6.1): tries must be 1, not ${tries}`);
  }
  const ack = code === RadiusCode.DisconnectRequest ? RadiusCode.DisconnectAck : RadiusCode.CoaAck;
  const nak = ack + 1;
  // One call into the codec for the request's typed attributes, the timestamp among them.
  const encoded = encodeAttributes([...typed, ...timestamp(options.eventTimestamp)]);
  const attributes = extra.length === 0 ? encoded : [...encoded.slice(0, typed.length), ...extra, ...encoded.slice(typed.length)];
  const exchange: UdpExchangeOptions = {
    timeoutMs, tries, signal: options.signal, code, attributes,
    messageAuthenticator: options.messageAuthenticator ?? true, answerCodes: [ack, nak],
    requireMessageAuthenticator: options.requireMessageAuthenticator ?? false, peer: 'NAS',
  };
  const answer = options.client ? await radsecExchange(options.client, endpoint, exchange) : await udpExchange(endpoint, exchange);
  const { reply } = answer;
  const errorCauses = errorCausesOf(reply.code, reply.attributes);
  return {
    acknowledged: reply.code === ack, code: reply.code, codeName: radiusCodeName(reply.code), errorCauses,
    latencyMs: Math.round(answer.elapsedMs * 100) / 100, tries: answer.sent, reply,
  };
}

/** The request once over RadSec (the RadSecClient asks a Status-Server when it goes unanswered). */
async function radsecExchange(client: RadSecClient, endpoint: RadiusEndpoint, exchange: UdpExchangeOptions):
    Promise<{ reply: RadiusPacket; sent: number; elapsedMs: number }> {
  const started = performance.now();
  const { reply } = await client.dynamicAuthorizationRequest(endpoint, {
    code: exchange.code, attributes: exchange.attributes, messageAuthenticator: exchange.messageAuthenticator,
    requireMessageAuthenticator: exchange.requireMessageAuthenticator ?? false, answerCodes: exchange.answerCodes,
  }, { timeoutMs: exchange.timeoutMs, signal: exchange.signal });
  return { reply, sent: 1, elapsedMs: performance.now() - started };
}

/** Sends a Disconnect-Request (RFC 5176 §3.1) and resolves with the NAS's Disconnect-ACK or -NAK. */
export async function disconnectRequest(endpoint: RadiusEndpoint, message: DisconnectMessage,
  options: DynamicAuthorizationOptions = {}): Promise<DynamicAuthorizationReply> {
  if (typeof message !== 'object' || message === null) throw new TypeError('disconnectRequest needs { session, attributes? }');
  return dynamicAuthorization(endpoint, RadiusCode.DisconnectRequest, sessionAttributes(message.session),
    extraAttributes(message.attributes), options);
}

/** Sends a CoA-Request (RFC 5176 §3.2) and resolves with the NAS's CoA-ACK or -NAK. */
export async function coaRequest(endpoint: RadiusEndpoint, message: CoaMessage,
  options: DynamicAuthorizationOptions = {}): Promise<DynamicAuthorizationReply> {
  if (typeof message !== 'object' || message === null) throw new TypeError('coaRequest needs { session, changes?, attributes? }');
  const typed = [...sessionAttributes(message.session), ...changeAttributes(message.changes)];
  return dynamicAuthorization(endpoint, RadiusCode.CoaRequest, typed, extraAttributes(message.attributes), options);
}
