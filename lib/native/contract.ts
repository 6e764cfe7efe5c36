/**
 * The contract between lib/ and the addon: NativeBinding and the objects its calls return
 * (generated from seam/seam_exports.js into native-binding.ts), their arguments (generated from
 * seam/seam_args.js into arg-types.ts), both re-exported here, and the results they name. The
 * addon's export table is generated from the same declaration; a test checks that the loaded
 * addon exports exactly these. Handles are opaque numbers naming the addon's resources
 * (native/addon/runtime/addon_state.h).
 * Results are raw shapes of this layer (raw-types.ts), which the facade's public types mirror;
 * raw results carry numbers where the facade shows names (actions), and the facade maps them.
 */
import type { EapAttribute } from '../core/attributes';
import type { EapError } from '../core/errors';
import type { RawEapHostResult as EapHostResult } from './raw-types';
import type { NativeHandle, NativeKnownAnswer } from './raw-types';
// The values argument objects carry (raw-types.ts), here beside the calls that take them.
export type {
  NativeEapolFrameSink, NativeHandle, NativeKnownAnswer, NativeRegistryValue, NativeRegistryWrite,
  RadiusClientEvents, RadiusClientOutcome, RadiusEngineEvents, RadiusEngineQuestion, RadiusEngineRecord, RadiusEngineReply,
  RadiusEngineAuthorization, RadiusDecodedAttribute, RadiusValueFormat, DasSessionIdentification, NativeDasRequest,
} from './raw-types';
export { NATIVE_FUNCTION_NAMES } from './generated/export-names';
// The results' types seam/seam.js declares (declareType), and RadiusEngineStats.
export type * from './generated/export-names';
// Every argument object, generated from seam/seam_args.js (seam/generate.js).
export type * from './generated/arg-types';
// NativeBinding and the objects its calls return, generated from seam/seam_exports.js.
export type * from './generated/native-binding';

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
  result?: EapHostResult;
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

/** RadiusClientOutcome.kind. */
export const RadiusClientOutcomeKind = { Reply: 0, Timeout: 1, SecretMismatch: 2 } as const;

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
