/**
 * The shapes the addon reads and writes, as the contract (contract.ts) declares them. The
 * facade's public types mirror them field for field and the compiler checks each use, so the
 * native seam needs nothing of the facade; the facade documents, checks and maps.
 */
import type { EapAttribute } from '../core/attributes';
import type { EapError, EapMethodTypeInfo } from '../core/errors';
import type { KnownAnswer } from '../core/users';

/** EapPeerGetResult's result, as a peer method module's session reports it. */
export interface RawPeerMethodResult {
  success: boolean;
  failureReasonCode: number;
  saveConnectionData: boolean;
  connectionData: Buffer;
  saveUserData: boolean;
  userData: Buffer;
  attributes: EapAttribute[];
  error?: EapError;
}

/** EapHostPeerGetResult's result: the method's, with the isolation state and the method. */
export interface RawEapHostResult extends RawPeerMethodResult {
  isolationState: number;
  method?: EapMethodTypeInfo & { friendlyName: string; authorName: string };
}

/** One entry of EapHostPeerGetMethods. */
export interface RawMethodInfo extends EapMethodTypeInfo {
  friendlyName: string;
  authorName: string;
  properties: number;
}

/** EapMethodAuthenticatorGetResult's result. */
export interface RawAuthenticatorMethodResult {
  success: boolean;
  failureReason: number;
  attributes: EapAttribute[];
  error?: EapError;
}

/** One field of EapPeerQueryCredentialInputFields (a method module's own query). */
export interface RawCredentialField {
  type: number;
  flags: number;
  label: string;
  minLength: number;
  maxLength: number;
}

// The configuration API's shapes, public under these names (lib/session/configuration-api.ts
// re-exports them): declared once, here, where the contract that returns them can reach them.

/** One credential field (EAP_CONFIG_INPUT_FIELD_DATA). */
export interface EapConfigInputField {
  type: number;
  flags: number;
  label: string;
  data: string;
  minLength: number;
  maxLength: number;
}

/** EAP_INTERACTIVE_UI_DATA: credential requests carry `fields`; expiry requests the current and new credentials. */
export interface EapInteractiveUiData {
  type: number;
  fields?: EapConfigInputField[];
  currentFields?: EapConfigInputField[];
  newFields?: EapConfigInputField[];
}

/** EAP_METHOD_PROPERTY. */
export interface EapMethodProperty {
  /** EAP_METHOD_PROPERTY_TYPE. */
  type: number;
  name?: string;
  valueType: number;
  value: boolean | number | Buffer;
}

// ---- what argument objects carry, and what the addon's callbacks are called with ----

/** A well-formed EAPOL frame, validated by the addon before it calls this: the body is cut to the
 *  EAPOL body length (for EAP-Packet, to the EAP length). Called on the event loop. */
export type NativeEapolFrameSink = (source: Buffer, destination: Buffer, version: number, type: number, body: Buffer) => void;

declare const nativeHandle: unique symbol;
/** An opaque native handle (a number the addon keeps its resource under): only the addon can read it. */
export type NativeHandle = { readonly [nativeHandle]: true };

/** The user store's answer about one identity, packed in one Buffer as lib/core/users.ts lays it
 *  out (KnownAnswer) and native/addon/methods/known_answer.cc reads it. */
export type NativeKnownAnswer = KnownAnswer;

// One ACM or ONEX notification, copied (and bounded) inside Native Wifi's callback: a shape
// declared in seam/seam.js.
export type { NativeWlanNotice } from './generated/export-names';

/** A value of the Methods key as EAPHost reads it; an empty name is the key's default value. */
export type NativeRegistryValue = { name: string; type: 'sz' | 'expandSz'; data: string } |
  { name: string; type: 'dword'; data: number } | { name: string; type: 'other' };

export type NativeRegistryWrite = Exclude<NativeRegistryValue, { type: 'other' }>;

/** What the engine has for JS, in one call on the event loop (a list with nothing in it is absent). */
export interface RadiusEngineEvents {
  records?: RadiusEngineRecord[];
  questions?: RadiusEngineQuestion[];
  /** Verdicts that succeeded, for authorize(): answer each with authorized(). */
  authorizations?: RadiusEngineAuthorization[];
  /** For RadSec connections: JS writes them before it reads the records (a verdict before its log line). */
  replies?: RadiusEngineReply[];
  /** RadSec connections whose framing broke (a Length out of range, RFC 6614 §2.5): close them. */
  broken?: number[];
}

/** A conversation that ended with a verdict. */
export interface RadiusEngineRecord {
  client: string;
  /** The first Access-Request's User-Name. */
  identity: Buffer;
  eapType: number;
  accept: boolean;
  roundTrips: number;
  durationMs: number;
  /** -1: the method did not say. */
  resumed: number;
  stepFailed: boolean;
  error?: EapError;
  /** What names the session at its NAS, from the first Access-Request: NAS-IP-Address,
   *  Calling-Station-Id, NAS-Identifier, Acct-Session-Id, NAS-IPv6-Address (RFC 5176 §3). */
  nasAttributes: { type: number; value: Buffer }[];
}

/** A method's question (RESPOND) about `identity` for the user store JS holds: answer() it. */
export interface RadiusEngineQuestion {
  question: number;
  identity: string;
}

/** A request that authenticated, as the policy sees it ('' / -1: the request had none). */
export interface RadiusEngineAuthorization {
  question: number;
  client: string;
  user: string;
  userName: string;
  /** The EAP type; 256 PAP, 257 MAB. */
  method: number;
  nasIdentifier: string;
  nasAddress: string;
  calledStationId: string;
  callingStationId: string;
  ssid: string;
  nasPortType: number;
}

/** A RADIUS value's type, by FreeRADIUS's dictionary names (RFC 8044's text, integer, ipv4addr,
 *  ipv6addr, ipv6prefix, string). */
export type RadiusValueFormat = 'string' | 'integer' | 'ipaddr' | 'ipv6addr' | 'ipv6prefix' | 'octets';

/** One attribute as native/radius's dictionary reads it (radiusAttributesDecode). */
export interface RadiusDecodedAttribute {
  type: number;
  /** The dictionary's name, Attr-N when it has none. */
  name: string;
  format: RadiusValueFormat;
  /** integer: a number; string: the text; an address or a prefix as text; octets: hex. */
  value: string | number;
  /** The RFC 2868 tag ahead of the value, when it has one. */
  tag?: number;
  /** Vendor-Specific: the vendor, and its attribute type when the value holds one vendor attribute. */
  vendor?: number;
  vendorType?: number;
  /** Why the value does not decode under its type (it is then octets). */
  error?: string;
}

export interface RadiusEngineReply {
  link: number;
  datagram: Buffer;
}

/** A list with nothing in it is absent. */
export interface RadiusClientEvents {
  outcomes?: RadiusClientOutcome[];
  /** Datagrams for stream targets, to write in order. */
  writes?: Array<{ link: number; datagram: Buffer }>;
  /** Streams whose framing broke (a Length out of range): the connection cannot go on. */
  broken?: number[];
  /** Streams stream() asked to stop reading (it returned true) whose bytes the engine has taken:
   *  read them again. */
  resumed?: number[];
  /** The load run is over (after its last outcome). */
  loadDone?: boolean;
}

export interface RadiusClientOutcome {
  id: number;
  kind: number;
  /** Transmissions made. */
  sent: number;
  /** From the first transmission to the outcome. */
  elapsedMs: number;
  /** A reply (kind Reply), verified and decoded; `keys` are its MPPE keys revealed, in the clear layout. */
  code?: number;
  identifier?: number;
  authenticator?: Buffer;
  attributes?: Array<{ type: number; value: Buffer }>;
  keys?: Buffer[];
  /** The reply's EAP-Message attributes joined, or why they make no EAP packet. */
  eap?: Buffer;
  eapMalformed?: string;
  /** No reply: the replies dropped, by why. */
  unauthenticated?: number;
  messageAuthenticatorInvalid?: number;
  messageAuthenticatorMissing?: number;
  malformed?: number;
  stray?: number;
}

/** A Disconnect- or CoA-Request's session identification (RFC 5176 §3), decoded: text attributes
 *  as UTF-8, Framed-IP-Address as a dotted quad. The DAS's policy (DasRequest) gets it as it is. */
export interface DasSessionIdentification {
  userName?: string;
  callingStationId?: string;
  calledStationId?: string;
  acctSessionId?: string;
  acctMultiSessionId?: string;
  nasPort?: number;
  nasPortId?: string;
  framedIpAddress?: string;
  chargeableUserIdentity?: Buffer;
}

/** A request that passed every check, decoded, for the policy. */
export interface NativeDasRequest {
  /** What verdict() names it by. */
  id: number;
  /** The address it came from, as the socket saw it. */
  client: string;
  disconnect: boolean;
  session: DasSessionIdentification;
  sessionTimeout?: number;
  /** CoA Authorize Only, with its State. */
  authorizeOnlyState?: Buffer;
  attributes: { type: number; value: Buffer }[];
}
