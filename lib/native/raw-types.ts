/**
 * The shapes the addon reads and writes, as the contract (contract.ts) declares them. The
 * facade's public types mirror them field for field and the compiler checks each use, so the
 * native seam needs nothing of the facade; the facade documents, checks and maps.
 */
import type { EapAttribute } from '../core/attributes';
import type { EapError, EapMethodTypeInfo } from '../core/errors';
import type { KnownAnswer } from '../core/users';
import type { EapTlsOutcome } from './generated/export-names';

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
  tls?: EapTlsOutcome;
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


export type { NativeRegistryValue, NativeRegistryWrite } from './registry-value';

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

// ---- The results lib/ reads of the addon (contract.ts re-exports them; the generated
// NativeBinding names them)

/** EapHostPeerGetIdentity / EapPeerGetIdentity. */
export interface NativeIdentity {
  invokeUI: boolean;
  userData: Buffer;
  identity: string;
}

/** A WLAN interface as Native Wifi lists it (WLAN_INTERFACE_INFO). */
export interface NativeWlanInterface {
  /** "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" */
  guid: string;
  description: string;
  state: string;
}

export interface NativeEapHostSession {
  handle: NativeHandle;
  sessionId: number;
  notificationToken: number;
  /** The connection ID the call made, when it was given none. */
  connectionId: string | undefined;
}

export interface NativePeerOutput {
  action: number;
  allowNotifications: boolean;
}

export interface NativeLoadedMethod {
  handle: NativeHandle;
  type: number;
  vendorId: number;
  vendorType: number;
}

/** One step of the embedded authenticator: what to do next. */
export interface ConversationStep {
  kind: 'send' | 'respond' | 'success' | 'failure' | 'discard';
  /** The packet to send: absent when there is none (RESPOND, Discard, a failure without one). */
  packet?: Buffer;
  timeoutMs: number;
  identity: string;
  /** The user a RESPOND step asks the store about (the method's User-Name attribute: for PEAP and
   *  EAP-TTLS the inner identity, proven inside the tunnel; else the EAP identity), read natively
   *  as the RADIUS server's store questions read it (native/hosts/known_answer.h). */
  askedIdentity: string;
  attributes: EapAttribute[];
  failureReason: number;
  methodType: number;
  error?: EapError;
}

/** Where a conversation stopped, needing JavaScript (a ConversationResult's kind): a request for
 *  the transport to deliver (or the round budget spent), a question for the user store, a
 *  response the authenticator ignored (its retransmission timer is JS's), the peer's action that
 *  is not a response, the outcome (the conversation closed natively; a peer in the job processed
 *  it), or a failure after the call's first part (`error`). */
export type ConversationStopped = 'transport' | 'answer' | 'discard' | 'peer' | 'outcome' | 'error';

export type ConversationInput = { kind: 'response'; response: Buffer } | { kind: 'timeout' } |
  { kind: 'knownAnswer'; knownAnswer: NativeKnownAnswer };

/** The peer's act on one packet: its action and, on a request, (send) its response; on the
 *  outcome, (result) EapHostPeerGetResult's result. */
export interface PeerAct {
  action: number;
  packet?: Buffer;
  result?: RawEapHostResult;
}

/** What every driver call settles, by where it stopped (`kind`): each kind carries what it
 *  stopped with. */
interface ConversationResultFields {
  /** conversationBegin's new conversation, unless the job reached its outcome (and closed it). */
  conversation?: NativeHandle;
  /** The authenticator's step where the job stopped; its packet left out when a peer took it and
   *  keepPackets is off. */
  step?: ConversationStep;
  /** The peer's responses the job handed to the authenticator. */
  rounds: number;
  /** With keepPackets and a peer: every packet passed, in order, the authenticator's first. */
  packets?: Buffer[];
  /** The in-process peer's last act in the job. */
  peer?: PeerAct;
  error?: EapError;
  /** The session the job began: its handle absent when the job ended it. */
  session?: Omit<NativeEapHostSession, 'handle'> & { handle?: NativeHandle };
  /** EapHostPeerEndSession's failure, when the job ended the session it began. */
  endError?: EapError;
}
export type ConversationResult = ConversationResultFields & (
  { kind: 'transport' | 'answer' | 'discard' | 'outcome'; step: ConversationStep } |
  { kind: 'peer'; peer: PeerAct } | { kind: 'error'; error: EapError });

// ---- results the addon builds field by field (the argument objects are arg-types.ts's) ----


// ---- RADIUS engine (radius_engine_binding.cc; native/radius/)

/** What stream() did with a connection's bytes. */
export interface RadiusEngineStreamCut {
  /** Whole packets answered (as the engine answers a UDP datagram). */
  packets: number;
  /** Whole packets wait past this turn's share: read no more of the connection, and call
   *  stream() with no bytes a turn later. */
  backlog: boolean;
}

// ---- RADIUS client engine (radius_client_binding.cc; native/radius/radius_client.h)

/** A load run so far: answered requests by verdict, and their latencies since the last take. */
export interface RadiusClientLoadProgress {
  started: number;
  inFlight: number;
  /** Access-Accepts. */
  successes: number;
  /** Any other answer. */
  failures: number;
  latenciesMs: Float64Array;
}


export interface RadiusClientCounters {
  requests: number;
  retransmissions: number;
  repliesAccepted: number;
  /** Datagrams that do not parse as RADIUS. */
  repliesMalformed: number;
  /** Replies under an outstanding request's Identifier that failed Response/Message-Authenticator
   *  verification against that request (the one check a reply gets). */
  repliesUnauthenticated: number;
  /** Replies dropped because they carried no Message-Authenticator (BlastRADIUS, CVE-2024-3596). */
  repliesWithoutMessageAuthenticator: number;
  /** Datagrams from an address no request went to, or too short to name an Identifier. */
  repliesUnexpected: number;
  /** Replies from a server's address that answered no request: nothing out under their
   *  Identifier, a code the request there does not take, or from another port (RFC 2865 §3 drops
   *  them). Counted, not verified; never evidence of a wrong secret. */
  repliesStray: number;
  timeouts: number;
  /** Unauthenticated probes sent to tell a wrong shared secret from a silent server. */
  secretProbes: number;
  /** Requests that waited because all 256 identifiers towards their server were outstanding. */
  identifierWaits: number;
}

// ---- The Dynamic Authorization Server's engine (dynamic_authorization_binding.cc; native/radius/radius_das_engine.h)

/** What a DynamicAuthorizationServer has counted (its `stats`): the lane's own counts. */
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
