/**
 * The contract between lib/ and the addon: every native function, its arguments and its
 * result. The addon's export table (native/addon/bindings.h) lists the same names; a test
 * checks that the loaded addon exports exactly these. Handles are opaque numbers naming the
 * addon's resources (native/addon/addon_state.h).
 * Results are raw shapes of this layer (raw-types.ts), which the facade's public types mirror;
 * raw results carry numbers where the facade shows names (actions), and the facade maps them.
 */
import type { EapAttribute } from '../core/attributes';
import type { EapError, EapMethodTypeInfo } from '../core/errors';
import type { KnownAnswer, KnownAnswerRule } from '../core/users';
import type {
  RawAuthenticatorMethodResult as AuthenticatorMethodResult, RawConfigInputField as EapConfigInputField,
  RawCredentialField as CredentialField, RawEapHostResult as EapHostResult,
  RawInteractiveUiData as EapInteractiveUiData, RawMethodInfo as EapMethodInfo,
  RawMethodProperty as EapMethodProperty, RawPeerMethodResult as PeerMethodResult,
} from './raw-types';
import type { ResultShapes } from './result-shapes';

/** EapHostPeerGetIdentity / EapPeerGetIdentity. */
interface NativeIdentity {
  invokeUI: boolean;
  userData: Buffer;
  identity: string;
}

/** A well-formed EAPOL frame, validated by the addon before it calls this: the body is cut to the
 *  EAPOL body length (for EAP-Packet, to the EAP length). Called on the event loop. */
export type NativeEapolFrameSink = (source: Buffer, destination: Buffer, version: number, type: number, body: Buffer) => void;

/** An open EAPOL port: errors thrown carry `code` (ERR_EAPOL_*). */
/** A WLAN interface as Native Wifi lists it (WLAN_INTERFACE_INFO). */
export interface NativeWlanInterface {
  /** "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" */
  guid: string;
  description: string;
  state: string;
}

export interface NativeEapolPort {
  readonly interfaceName: string;
  /** The interface's MAC address. */
  readonly address: Buffer;
  readonly mtu: number;
  send(destination: Buffer, version: number, type: number, body: Buffer): void;
  close(): void;
  stats(): { received: number; malformed: number; ignored: number; sent: number; overflow: number; kernelDrops: number };
}

declare const nativeHandle: unique symbol;
/** An opaque native handle (a number the addon keeps its resource under): only the addon can read it. */
export type NativeHandle = { readonly [nativeHandle]: true };

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

export interface NativePeerBeginOptions {
  flags: number;
  attributes: EapAttribute[];
  connectionData?: Buffer;
  userData?: Buffer;
  maxSendPacketSize: number;
}

export interface NativeAuthenticatorBeginOptions {
  flags: number;
  identity: string;
  attributes: EapAttribute[];
  connectionData?: Buffer;
  maxSendPacketSize: number;
}


/** One step of the embedded authenticator: what to do next. */
export interface ConversationStep {
  kind: 'send' | 'respond' | 'success' | 'failure' | 'discard';
  /** The packet to send: absent when there is none (RESPOND, Discard, a failure without one). */
  packet?: Buffer;
  timeoutMs: number;
  identity: string;
  attributes: EapAttribute[];
  failureReason: number;
  methodType: number;
  error?: EapError;
}
export type NativeAuthenticatorStep = ConversationStep;

/** One in-process round trip (eapHostConverse): the peer's exchange, and when it answered,
 *  the authenticator's step (or its error); when that step is the outcome, the peer's
 *  processing of it (its error, or its result when the action was Result). */
export interface NativeConverseOut {
  /** Rounds the hop went through before this one: the peer's response and the authenticator's
   *  next request, which the peer took in the same hop; only their count when the packets were
   *  not asked for (keepPackets false). */
  passed?: { response: Buffer; request: Buffer }[] | number;
  /** The peer's failure on the last passed round's request. */
  exchangeError?: EapError;
  action: number;
  /** The peer's last response; absent when the authenticator took it and the packets were not
   *  asked for. */
  packet?: Buffer;
  step?: NativeAuthenticatorStep;
  stepError?: EapError;
  final?: NativeConcludeOut;
  finalError?: EapError;
}

/** eapHostAnswer's first part: the authenticator's step with the user store's answer, and when
 *  that is the outcome, the peer's processing of it. */
export interface NativeAnswerOut {
  step: NativeAuthenticatorStep;
  final?: NativeConcludeOut;
  finalError?: EapError;
}

/** A hop that began with the authenticator's own call (its start, or the user store's answer):
 *  that call's part, and when it made a request, the peer's rounds from it on as
 *  eapHostConverse reports them (`ahead`), when rounds were given and the session could. */
/** The user store's answer, known before a conversation's hop: [the identity it is for (compared
 *  in UTF-8), rules in order of preference: [question's attribute type, its value's prefix, its
 *  least length, the answering attribute's value (bytes, or text read as UTF-8)]]. A question no
 *  rule matches is answered with nothing. The answers are secrets: the caller wipes the bytes
 *  among them once the call has copied them. */
export type NativeKnownAnswer = KnownAnswer;

export type NativeAheadOf<T> = [T, NativeConverseOut | undefined];

/** The peer's processing of an outcome: the action, and the result when it was Result. */
export interface NativeConcludeOut {
  action: number;
  result?: EapHostResult;
}

/** A session's beginning, eapHostBeginSession's argument after the EAPHost's handle: positional
 *  (every session begins here), the method type as its four numbers, the user blob as `userData`
 *  or made from identity and password by `credentialMethod` (a loaded peer method) on the host
 *  thread, in the same job that begins the session: the blob never reaches JS. `connectionId`
 *  undefined: a new one, made natively and named in the session's settling (a session that
 *  never reaches JS costs no string of it). One array, so that the calls that begin a session and go on
 *  (eapHostAuthenticate) take it as it is, with no copy spread into their arguments. */
export type NativeBeginArgs = [type: number, vendorId: number, vendorType: number, authorId: number, flags: number,
  maxSendPacketSize: number, attributes: EapAttribute[] | undefined, connectionData: Buffer | undefined,
  userData: Buffer | undefined, connectionId: string | undefined, credentialMethod: NativeHandle | undefined,
  identity: string | undefined, password: string | undefined];

/** What a conversation starts from: the authenticator's method handles. */
export type NativeConversationMethods = readonly NativeHandle[];

/** eapHostAuthenticate's arguments after the EAPHost's handle: eapHostBeginSession's beginning,
 *  then the conversation's start (eapHostBeginConverse's after its session), then whether to end
 *  the session once the peer has the outcome's result. */
export type NativeAuthenticateArgs = [begin: NativeBeginArgs, methods: NativeConversationMethods,
  settings: NativeAuthenticatorSettings, identityResponse: Buffer | undefined, rounds: number, keepPackets: boolean,
  knownAnswer: NativeKnownAnswer | undefined, endWhenConcluded: boolean];

/** eapHostAuthenticate's settling: [the session (its handle undefined when the job ended it), the
 *  conversation's first step, its handle, the rounds ahead, EndSession's error]. */
export type NativeAuthenticateOut = [Omit<NativeEapHostSession, 'handle'> & { handle: NativeHandle | undefined },
  NativeAuthenticatorStep, NativeHandle, NativeConverseOut | undefined, EapError | undefined];

/** eapHostBeginConverse's settling: [the conversation's first step, its handle, the rounds ahead]. */
export type NativeBeginConverseOut = [NativeAuthenticatorStep, NativeHandle, NativeConverseOut | undefined];

/** eapHostAuthenticateWhole's settling when the job concluded the authentication and ended its
 *  session (eapHostConverseWhole's when the peer concluded it, the session going on, EndSession's
 *  error undefined): [outcome (2 Success, 3 Failure), the authenticator's result attributes, its error,
 *  the EAP type it settled on, the identity it named last, round trips, the peer's result,
 *  EndSession's error]. */
export type NativeWholeAuthentication = [2 | 3, EapAttribute[], EapError | undefined, number, string, number,
  EapHostResult, EapError | undefined];

/** The embedded authenticator's settings, for every conversation it starts. */
export interface ConversationSettings {
  maxSendPacketSize: number;
  retransmitTimeoutMs: number;
  maxRetransmits: number;
  /** Per method, parallel to the method handles. */
  connectionData: (Buffer | undefined)[];
  /** An in-process pairing runs the conversation's steps on the addon's aside thread, beside the
   *  host thread that runs the peer's: set when a method is TLS-based, whose handshakes are
   *  worth a second core. */
  stepsAside?: boolean;
}
export type NativeAuthenticatorSettings = ConversationSettings;

/** Where a conversation stopped, needing JavaScript: a request for the transport to deliver, a
 *  question for the user store, a response the authenticator ignored (its retransmission timer
 *  is JS's), or the outcome (the conversation closed natively). */
export type ConversationStopped = 'transport' | 'answer' | 'discard' | 'outcome';

/** conversationBegin: the embedded authenticator's conversation, created and begun. */
export interface ConversationBeginArgs {
  methods: readonly NativeHandle[];
  settings: ConversationSettings;
  /** An EAP-Response/Identity a NAS already obtained. */
  identityResponse?: Buffer;
  /** The user store's answer about the peer (known_answer.h): kept by the conversation, which
   *  answers the questions it covers in the same job as the step that asks them. */
  knownAnswer?: NativeKnownAnswer;
}

export interface ConversationBeginResult {
  conversation: NativeHandle;
  stopped: ConversationStopped;
  step: ConversationStep;
}

/** conversationRun: exactly one of the peer's response, the user store's answer, or the
 *  retransmission timer's firing. */
export interface ConversationRunArgs {
  conversation: NativeHandle;
  response?: Buffer;
  /** Wiped natively once the authenticator has it. */
  answer?: EapAttribute[];
  timeout?: boolean;
  /** Kept for this step and the rest, as conversationBegin's. */
  knownAnswer?: NativeKnownAnswer;
}

export interface ConversationRunResult {
  stopped: ConversationStopped;
  step: ConversationStep;
}

/** conversationEnd: the conversation ended before its outcome; JS releases the handle after. */
export interface ConversationEndArgs {
  conversation: NativeHandle;
}

export interface NativeBinding {
  setEapErrorClass(errorClass: typeof EapError): void;
  setNotificationDispatcher(dispatch: (token: number, connectionId: string) => void): void;
  /** Whether any session listens for notifications: while none does, the addon drops them. */
  setNotificationsHeard(heard: boolean): void;
  /** The builders of the hottest result objects (result-shapes.ts). */
  setResultShapes(shapes: ResultShapes): void;
  /** Closes the resource behind a handle (on the host thread) and forgets it. */
  release(handle: NativeHandle): void;
  /** The host thread's counters since the addon loaded: jobs run, the batches (wake-ups) they
   *  ran in, and the drains of completions on the JS thread. For the bench and tests. */
  /** housekeeping: the jobs among `jobs` that belong to no call (releases, heap trims). aside:
   *  the parts of in-process pairings run on the aside thread (not counted among `jobs`). */
  hostThreadStats(): { jobs: number; batches: number; drains: number; housekeeping: number; aside: number };
  /** Hands freed native memory back to the system, on the host thread after every job already
   *  posted (the releases of ended conversations among them). */
  trimHeap(): void;
  /** Bytes the C allocator holds for the program (glibc, or AddressSanitizer's), for leak checks;
   *  undefined where the allocator does not say. */
  nativeHeapInUse(): number | undefined;

  // EAPHost (native/addon/eaphost_instance_binding.cc)
  eapHostOpen(backend: 'system'): Promise<NativeHandle>;
  eapHostOpen(backend: 'portable', libraryPath: string): Promise<NativeHandle>;
  eapHostBeginSession(host: NativeHandle, begin: NativeBeginArgs): Promise<NativeEapHostSession>;
  /** The same with the beginning's parts as arguments, which the addon reads for nothing where
   *  each element of an array costs a call into the engine. */
  eapHostBeginSession(host: NativeHandle, ...begin: NativeBeginArgs): Promise<NativeEapHostSession>;
  eapHostClearConnection(host: NativeHandle, connectionId: string): Promise<void>;
  eapHostGetIdentity(host: NativeHandle, methodType: EapMethodTypeInfo, flags: number, connectionData?: Buffer,
    userData?: Buffer): Promise<NativeIdentity>;
  eapHostGetMethods(host: NativeHandle): Promise<EapMethodInfo[]>;

  // Windows' Root certificate stores (root_store_binding.cc); elsewhere they reject (not supported)
  rootStoreFind(sha1: Buffer): Promise<Array<'LocalMachine' | 'CurrentUser'>>;
  rootStoreInstall(certificate: Buffer, store: 'LocalMachine' | 'CurrentUser'): Promise<void>;

  // Installing a profile on Windows (profile_install_binding.cc); elsewhere they reject (not supported).
  // '' for eapUserDataXml: none; '' for interfaceName: every WLAN interface.
  wlanInterfaces(): Promise<NativeWlanInterface[]>;
  wlanSetProfile(profileXml: string, profileName: string, eapUserDataXml: string, interfaceName: string):
    Promise<NativeWlanInterface[]>;
  userStoreImportPkcs12(pkcs12: Buffer, password: string): Promise<string[]>;
  userStoreFind(sha1: Buffer): Promise<{ hasKey: boolean } | null>;

  // EAPOL ports on the wire (eapol_port_binding.cc): Linux only; elsewhere it throws ERR_EAPOL_LINUX_ONLY.
  eapolOpen(interfaceName: string, onFrame: NativeEapolFrameSink): NativeEapolPort;

  // EAPHost's configuration API (eap_config_binding.cc, eap_config_ui_binding.cc)
  eapHostConfigXml2Blob(host: NativeHandle, xml: string, flags: number):
    Promise<{ methodType: EapMethodTypeInfo; config: Buffer }>;
  eapHostConfigBlob2Xml(host: NativeHandle, methodType: EapMethodTypeInfo, config: Buffer, flags: number): Promise<string>;
  eapHostCredentialsXml2Blob(host: NativeHandle, xml: string, config: Buffer, flags: number):
    Promise<{ methodType: EapMethodTypeInfo; credentials: Buffer }>;
  eapHostQueryCredentialInputFields(host: NativeHandle, methodType: EapMethodTypeInfo, config: Buffer, flags: number):
    Promise<EapConfigInputField[]>;
  eapHostQueryUserBlobFromCredentialInputFields(host: NativeHandle, methodType: EapMethodTypeInfo, config: Buffer,
    fields: EapConfigInputField[], flags: number): Promise<Buffer>;
  eapHostGetMethodProperties(host: NativeHandle, methodType: EapMethodTypeInfo, config: Buffer | undefined,
    userData: Buffer | undefined, flags: number): Promise<EapMethodProperty[]>;
  eapHostQueryInteractiveUIInputFields(host: NativeHandle, uiContext: Buffer, flags: number): Promise<EapInteractiveUiData>;
  eapHostQueryUIBlobFromInteractiveUIInputFields(host: NativeHandle, uiContext: Buffer, data: EapInteractiveUiData,
    flags: number): Promise<Buffer>;
  eapHostInvokeConfigUI(host: NativeHandle, parentWindow: Buffer | bigint, methodType: EapMethodTypeInfo,
    config: Buffer | undefined, flags: number): Promise<Buffer>;
  eapHostInvokeIdentityUI(host: NativeHandle, parentWindow: Buffer | bigint, methodType: EapMethodTypeInfo,
    config: Buffer | undefined, userData: Buffer | undefined, flags: number): Promise<{ identity: string; userData: Buffer }>;
  eapHostInvokeInteractiveUI(host: NativeHandle, parentWindow: Buffer | bigint, uiContext: Buffer): Promise<Buffer>;

  // EAPHost session (eaphost_session_binding.cc, eaphost_result_binding.cc)
  eapHostProcessReceivedPacket(session: NativeHandle, packet: Buffer): Promise<number>;
  eapHostGetSendPacket(session: NativeHandle): Promise<Buffer>;
  eapHostExchange(session: NativeHandle, packet: Buffer): Promise<{ action: number; packet?: Buffer }>;
  eapHostGetResult(session: NativeHandle, reason: number): Promise<EapHostResult>;
  eapHostGetUIContext(session: NativeHandle): Promise<Buffer>;
  eapHostSetUIContext(session: NativeHandle, context: Buffer): Promise<number>;
  eapHostGetResponseAttributes(session: NativeHandle): Promise<EapAttribute[]>;
  eapHostSetResponseAttributes(session: NativeHandle, attributes: EapAttribute[]): Promise<number>;
  eapHostGetAuthStatus(session: NativeHandle, param: 1): Promise<{ status: number; errorCode: number; reasonCode: number }>;
  eapHostGetAuthStatus(session: NativeHandle, param: 2): Promise<string>;
  /** EapHostPeerEndSession, and the handle's release in the same host-thread job, whatever it answered. */
  eapHostEndSession(session: NativeHandle): Promise<void>;
  // One in-process round trip (eaphost_conversation_binding.cc; knownAnswer: known_answer.h)
  eapHostConverse(session: NativeHandle, conversation: NativeHandle, packet: Buffer, rounds?: number,
    keepPackets?: boolean, knownAnswer?: NativeKnownAnswer): Promise<NativeConverseOut>;
  eapHostConclude(session: NativeHandle, packet: Buffer): Promise<NativeConcludeOut>;
  eapHostAnswer(conversation: NativeHandle, session: NativeHandle, attributes: EapAttribute[], rounds?: number,
    keepPackets?: boolean): Promise<NativeAheadOf<NativeAnswerOut>>;
  /** [the conversation's first step, its handle, the rounds ahead]. */
  eapHostBeginConverse(session: NativeHandle, methods: NativeConversationMethods, settings: NativeAuthenticatorSettings,
    identityResponse: Buffer | undefined, rounds: number, keepPackets?: boolean, knownAnswer?: NativeKnownAnswer):
    Promise<[NativeAuthenticatorStep, NativeHandle, NativeConverseOut | undefined]>;
  /** eapHostBeginConverse, settling as NativeWholeAuthentication once the peer processed the
   *  outcome into its result in the job (the conversation closed in it, the session going on);
   *  otherwise as eapHostBeginConverse does. */
  eapHostConverseWhole(session: NativeHandle, methods: NativeConversationMethods, settings: NativeAuthenticatorSettings,
    identityResponse: undefined, rounds: number, keepPackets: false, knownAnswer: NativeKnownAnswer):
    Promise<NativeBeginConverseOut | NativeWholeAuthentication>;
  /** The same with the known answer's parts as its last arguments: the identity, then each rule's
   *  four (two rules at most here; the rest undefined), which the addon reads for nothing. */
  eapHostConverseWhole(session: NativeHandle, methods: NativeConversationMethods, settings: NativeAuthenticatorSettings,
    identityResponse: undefined, rounds: number, keepPackets: false, identity: string,
    ...rules: (KnownAnswerRule[number] | undefined)[]):
    Promise<NativeBeginConverseOut | NativeWholeAuthentication>;
  /** eapHostBeginSession's arguments, then eapHostBeginConverse's after its session: both in one
   *  job, and (`endWhenConcluded`) EapHostPeerEndSession too once the peer has the outcome's result: [the session
   *  (its handle undefined when the job ended it), the conversation's first step, its handle, the
   *  rounds ahead, EndSession's error]. */
  eapHostAuthenticate(host: NativeHandle, ...args: NativeAuthenticateArgs): Promise<NativeAuthenticateOut>;
  /** eapHostAuthenticate, settling as NativeWholeAuthentication once the job concluded and ended
   *  the authentication (otherwise as eapHostAuthenticate does). */
  eapHostAuthenticateWhole(host: NativeHandle, ...args: NativeAuthenticateArgs):
    Promise<NativeAuthenticateOut | NativeWholeAuthentication>;

  // Peer method module (peer_method_binding.cc)
  peerMethodLoad(path: string, methodType?: EapMethodTypeInfo): Promise<NativeLoadedMethod>;
  peerMethodQueryCredentialInputFields(method: NativeHandle, flags: number, connectionData?: Buffer):
    Promise<CredentialField[]>;
  peerMethodQueryUserBlob(method: NativeHandle, flags: number, connectionData: Buffer | undefined,
    fields: { type: number; data: string }[]): Promise<Buffer>;
  peerMethodGetIdentity(method: NativeHandle, flags: number, connectionData?: Buffer, userData?: Buffer):
    Promise<NativeIdentity>;
  peerMethodBeginSession(method: NativeHandle, options: NativePeerBeginOptions): Promise<NativeHandle>;

  // Peer method session (peer_session_binding.cc)
  peerSessionProcessRequestPacket(session: NativeHandle, packet: Buffer): Promise<NativePeerOutput>;
  peerSessionGetResponsePacket(session: NativeHandle): Promise<Buffer>;
  peerSessionGetResult(session: NativeHandle, reason: number): Promise<PeerMethodResult>;
  peerSessionGetUIContext(session: NativeHandle): Promise<Buffer>;
  peerSessionSetUIContext(session: NativeHandle, context: Buffer): Promise<NativePeerOutput>;
  peerSessionGetResponseAttributes(session: NativeHandle): Promise<EapAttribute[]>;
  peerSessionSetResponseAttributes(session: NativeHandle, attributes: EapAttribute[]): Promise<NativePeerOutput>;
  peerSessionSetCredentials(session: NativeHandle, identity: string, password: string): Promise<void>;
  peerSessionEndSession(session: NativeHandle): Promise<void>;

  // Authenticator method module and its sessions (authenticator_method_binding.cc,
  // authenticator_session_binding.cc)
  authenticatorMethodLoad(path: string, methodType?: EapMethodTypeInfo):
    Promise<NativeLoadedMethod & { authorId: number }>;
  authenticatorMethodBeginSession(method: NativeHandle, options: NativeAuthenticatorBeginOptions): Promise<NativeHandle>;
  authenticatorSessionSendPacket(session: NativeHandle, packetId: number): Promise<{ packet: Buffer; timeout: number }>;
  authenticatorSessionReceivePacket(session: NativeHandle, packet: Buffer): Promise<number>;
  authenticatorSessionGetAttributes(session: NativeHandle): Promise<EapAttribute[]>;
  authenticatorSessionSetAttributes(session: NativeHandle, attributes: EapAttribute[]): Promise<number>;
  authenticatorSessionGetResult(session: NativeHandle): Promise<AuthenticatorMethodResult>;
  authenticatorSessionEndSession(session: NativeHandle): Promise<void>;

  // The conversation driver (conversation_binding.cc): one host-thread job per call.
  conversationBegin(args: ConversationBeginArgs): Promise<ConversationBeginResult>;
  conversationRun(args: ConversationRunArgs): Promise<ConversationRunResult>;
  conversationEnd(args: ConversationEndArgs): Promise<void>;

  // The RADIUS engine (radius_engine_binding.cc), every platform.
  radiusEngineOpen(args: RadiusEngineOpenArgs): Promise<NativeRadiusEngine>;
}

// Every name NativeBinding declares, and no other (the compiler checks both ways).
const declared: Record<keyof NativeBinding, true> = {
  setEapErrorClass: true,
  setNotificationDispatcher: true,
  setNotificationsHeard: true,
  setResultShapes: true,
  release: true,
  hostThreadStats: true,
  trimHeap: true,
  nativeHeapInUse: true,
  eapHostOpen: true,
  eapHostBeginSession: true,
  eapHostClearConnection: true,
  eapHostGetIdentity: true,
  eapHostGetMethods: true,
  rootStoreFind: true,
  rootStoreInstall: true,
  wlanInterfaces: true,
  wlanSetProfile: true,
  userStoreImportPkcs12: true,
  userStoreFind: true,
  eapolOpen: true,
  eapHostConfigXml2Blob: true,
  eapHostConfigBlob2Xml: true,
  eapHostCredentialsXml2Blob: true,
  eapHostQueryCredentialInputFields: true,
  eapHostQueryUserBlobFromCredentialInputFields: true,
  eapHostGetMethodProperties: true,
  eapHostQueryInteractiveUIInputFields: true,
  eapHostQueryUIBlobFromInteractiveUIInputFields: true,
  eapHostInvokeConfigUI: true,
  eapHostInvokeIdentityUI: true,
  eapHostInvokeInteractiveUI: true,
  eapHostProcessReceivedPacket: true,
  eapHostGetSendPacket: true,
  eapHostExchange: true,
  eapHostGetResult: true,
  eapHostGetUIContext: true,
  eapHostSetUIContext: true,
  eapHostGetResponseAttributes: true,
  eapHostSetResponseAttributes: true,
  eapHostGetAuthStatus: true,
  eapHostEndSession: true,
  eapHostConverse: true,
  eapHostConclude: true,
  eapHostAnswer: true,
  eapHostBeginConverse: true,
  eapHostConverseWhole: true,
  eapHostAuthenticate: true,
  eapHostAuthenticateWhole: true,
  peerMethodLoad: true,
  peerMethodQueryCredentialInputFields: true,
  peerMethodQueryUserBlob: true,
  peerMethodGetIdentity: true,
  peerMethodBeginSession: true,
  peerSessionProcessRequestPacket: true,
  peerSessionGetResponsePacket: true,
  peerSessionGetResult: true,
  peerSessionGetUIContext: true,
  peerSessionSetUIContext: true,
  peerSessionGetResponseAttributes: true,
  peerSessionSetResponseAttributes: true,
  peerSessionSetCredentials: true,
  peerSessionEndSession: true,
  authenticatorMethodLoad: true,
  authenticatorMethodBeginSession: true,
  authenticatorSessionSendPacket: true,
  authenticatorSessionReceivePacket: true,
  authenticatorSessionGetAttributes: true,
  authenticatorSessionSetAttributes: true,
  authenticatorSessionGetResult: true,
  authenticatorSessionEndSession: true,
  conversationBegin: true,
  conversationRun: true,
  conversationEnd: true,
  radiusEngineOpen: true,
};

/** The names NativeBinding declares, for the test that holds the addon to this contract. */
export const NATIVE_FUNCTION_NAMES = Object.keys(declared) as (keyof NativeBinding)[];

// ---- RADIUS engine (radius_engine_binding.cc; native/radius/)

/** A NAS client by network (a literal address and a prefix length), with its secret; the first
 *  entry holding the source decides. */
export interface RadiusEngineClient {
  network: string;
  prefix: number;
  secret: Buffer;
}

/** radiusEngineOpen: the engine, its thread started. */
export interface RadiusEngineOpenArgs {
  methods: readonly NativeHandle[];
  settings: ConversationSettings;
  /** The UDP socket's address, a literal; absent: no socket, every datagram comes through
   *  datagram() (RadSec). */
  host?: string;
  port: number;
  /** Every client's secret, unless `clients` gives each its own. */
  secret?: Buffer;
  clients?: RadiusEngineClient[];
  /** When given, requests from other addresses (literals) are dropped. */
  allowed?: string[];
  idleTimeoutMs: number;
  replyCacheMs: number;
  maxConversations: number;
  maxTlsConversations: number;
  requireMessageAuthenticator: boolean;
  /** EAP types counted under maxTlsConversations. */
  tlsTypes: number[];
  /** A plain table's answers, one per identity (secrets: the caller wipes its copies); absent:
   *  the store is JS's, and each of the method's questions is asked of it through onEvents. */
  users?: NativeKnownAnswer[];
  /** How long a question may wait for its answer before the authentication fails. */
  lookupTimeoutMs: number;
  /** Keep a record per verdict. */
  records: boolean;
  onEvents: (events: RadiusEngineEvents) => void;
}

/** What the engine has for JS, in one call on the event loop (a list with nothing in it is absent). */
export interface RadiusEngineEvents {
  records?: RadiusEngineRecord[];
  questions?: RadiusEngineQuestion[];
  /** For RadSec connections, after the records (a log line before its verdict goes out). */
  replies?: RadiusEngineReply[];
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
}

/** A method's question (RESPOND) about `identity` for the user store JS holds: answer() it. */
export interface RadiusEngineQuestion {
  question: number;
  identity: string;
}

export interface RadiusEngineReply {
  link: number;
  datagram: Buffer;
}

/** datagram(): one RADIUS datagram of a RadSec connection. */
export interface RadiusEngineDatagramArgs {
  datagram: Buffer;
  /** The connection (not 0), which replies name. */
  link: number;
  /** The connection's remote address, a literal. */
  address: string;
  port: number;
}

/** answer(): the user store's answer to one question, as its record's known answer (the rules a
 *  plain table's follow; secrets: the caller wipes the bytes among them once the call has copied
 *  them), or its failure, which fails that authentication. */
export interface RadiusEngineAnswerArgs {
  question: number;
  known?: NativeKnownAnswer;
  failure?: string;
}

export interface NativeRadiusEngine {
  port: number;
  /** requests, challenges, accepts, rejects, duplicates, droppedMalformed, droppedUnauthenticated,
   *  droppedNoMessageAuthenticator, droppedUnexpected, conversationsExpired, conversationErrors,
   *  conversationsEvicted, active, activeTls. */
  stats(): number[];
  datagram(args: RadiusEngineDatagramArgs): void;
  answer(args: RadiusEngineAnswerArgs): void;
  /** Ends every conversation and stops the thread; what it left goes to onEvents. */
  close(): void;
}
