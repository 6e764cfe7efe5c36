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
import type { KnownAnswer } from '../core/users';
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
/** The user store's answer about one identity (known_answer.h; lib/core/users.ts makes it). */
export type NativeKnownAnswer = KnownAnswer;

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

/** Where a conversation stopped, needing JavaScript: a request for the transport to deliver (or
 *  the round budget spent), a question for the user store, a response the authenticator ignored
 *  (its retransmission timer is JS's), the peer's action that is not a response, the outcome (the
 *  conversation closed natively; a peer in the job processed it), or a failure after the call's
 *  first part (`error`). */
export type ConversationStopped = 'transport' | 'answer' | 'discard' | 'peer' | 'outcome' | 'error';

/** A loaded peer method that makes the session's user blob from an identity and password, on the
 *  host thread in the job that begins the session: the blob never reaches JS. */
export interface SessionCredentials {
  method: NativeHandle;
  identity: string;
  password: string;
}

/** EapHostPeerBeginSession's arguments. */
export interface SessionBeginning {
  type: number;
  vendorId: number;
  vendorType: number;
  authorId: number;
  flags: number;
  maxSendPacketSize: number;
  attributes?: EapAttribute[];
  /** Wiped natively once EAPHost has it (a TLS peer's may hold its private key). */
  connectionData?: Buffer;
  /** Wiped natively once EAPHost has it. */
  userData?: Buffer;
  /** None: a new one, made natively and named in the result. */
  connectionId?: string;
  credentials?: SessionCredentials;
}

export interface EapHostBeginSessionArgs {
  host: NativeHandle;
  begin: SessionBeginning;
}

/** A conversation's peer in this process: an EAPHost session the caller has, or one begun in the
 *  job (`host`, `begin`) and, with `endWhenConcluded`, ended in it once it has the outcome's result. */
export interface ConversationPeer {
  session?: NativeHandle;
  host?: NativeHandle;
  begin?: SessionBeginning;
  endWhenConcluded?: boolean;
}

/** conversationBegin: the embedded authenticator's conversation, created and begun. */
export interface ConversationBeginArgs {
  methods: readonly NativeHandle[];
  settings: ConversationSettings;
  /** An EAP-Response/Identity a NAS already obtained. */
  identityResponse?: Buffer;
  /** The user store's answer about the peer (known_answer.h): kept by the conversation, which
   *  answers the questions it covers in the same job as the step that asks them. */
  knownAnswer?: NativeKnownAnswer;
  /** The peer the driver hands each request to itself; without one, requests go to the caller. */
  peer?: ConversationPeer;
  /** How many of the peer's responses the job may hand to the authenticator (default 0). */
  budget?: number;
  /** Every packet passed between the two sides comes back in `packets`. */
  keepPackets?: boolean;
}

/** conversationRun: exactly one input. With a conversation: the peer's `response`, the
 *  retransmission timer's firing, or (`knownAnswer` alone) the user store's answer to the question
 *  the conversation stopped at. Without one: a remote authenticator's `request` or `outcome` for
 *  the peer (`peer.session`) alone. */
export interface ConversationRunArgs {
  conversation?: NativeHandle;
  response?: Buffer;
  timeout?: boolean;
  request?: Buffer;
  outcome?: Buffer;
  /** Beside a response: kept for this step and the rest, as conversationBegin's. */
  knownAnswer?: NativeKnownAnswer;
  peer?: ConversationPeer;
  budget?: number;
  keepPackets?: boolean;
}

/** The peer's last act in the job: on a request, its action and (send) its response; on the
 *  outcome, its action and (result) EapHostPeerGetResult's result. */
export interface ConversationPeerAct {
  action: number;
  packet?: Buffer;
  result?: EapHostResult;
}

/** What every driver call settles. */
export interface ConversationResult {
  /** conversationBegin's new conversation, unless the job reached its outcome (and closed it). */
  conversation?: NativeHandle;
  stopped: ConversationStopped;
  /** The authenticator's step where the job stopped (none for the peer's half alone); its packet
   *  left out when a peer took it and keepPackets is off. */
  step?: ConversationStep;
  /** The peer's responses the job handed to the authenticator. */
  rounds: number;
  /** With keepPackets and a peer: every packet passed, in order, the authenticator's first. */
  packets?: Buffer[];
  peer?: ConversationPeerAct;
  error?: EapError;
  /** The session the job began: its handle absent when the job ended it. */
  session?: Omit<NativeEapHostSession, 'handle'> & { handle?: NativeHandle };
  /** EapHostPeerEndSession's failure, when the job ended the session it began. */
  endError?: EapError;
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
  eapHostBeginSession(args: EapHostBeginSessionArgs): Promise<NativeEapHostSession>;
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
  eapHostGetResult(session: NativeHandle, reason: number): Promise<EapHostResult>;
  eapHostGetUIContext(session: NativeHandle): Promise<Buffer>;
  eapHostSetUIContext(session: NativeHandle, context: Buffer): Promise<number>;
  eapHostGetResponseAttributes(session: NativeHandle): Promise<EapAttribute[]>;
  eapHostSetResponseAttributes(session: NativeHandle, attributes: EapAttribute[]): Promise<number>;
  eapHostGetAuthStatus(session: NativeHandle, param: 1): Promise<{ status: number; errorCode: number; reasonCode: number }>;
  eapHostGetAuthStatus(session: NativeHandle, param: 2): Promise<string>;
  /** EapHostPeerEndSession, and the handle's release in the same host-thread job, whatever it answered. */
  eapHostEndSession(session: NativeHandle): Promise<void>;

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
  conversationBegin(args: ConversationBeginArgs): Promise<ConversationResult>;
  conversationRun(args: ConversationRunArgs): Promise<ConversationResult>;
  conversationEnd(args: ConversationEndArgs): Promise<void>;

  // serve's native RADIUS lane (radius_lane_binding.cc): POSIX; on Windows it rejects with
  // ERR_RADIUS_LANE_UNAVAILABLE and the server keeps its JS lane. The third argument is unused.
  radiusLaneOpen(methods: readonly NativeHandle[], settings: ConversationSettings, unused: undefined,
    options: NativeRadiusLaneOptions, users: NativeKnownAnswer[], onRecords?: (records: NativeRadiusLaneRecord[]) => void):
    Promise<NativeRadiusLane>;
}

/** An address as the lane reads it: family and its 4 or 16 bytes. */
export type NativeLaneAddress = [4 | 6, Buffer];

export interface NativeRadiusLaneOptions {
  family: 4 | 6;
  /** A literal address. */
  host: string;
  port: number;
  /** Every client's secret, unless `clients` gives each its own. */
  secret?: Buffer;
  /** [family, network address, prefix length, secret], first match decides. */
  clients?: [4 | 6, Buffer, number, Buffer][];
  /** When given, requests from other addresses are dropped. */
  allowed?: NativeLaneAddress[];
  idleTimeoutMs: number;
  replyCacheMs: number;
  maxConversations: number;
  maxTlsConversations: number;
  requireMessageAuthenticator: boolean;
  /** EAP types counted under maxTlsConversations. */
  tlsTypes: number[];
  /** Keep a record per verdict for onRecords. */
  records: boolean;
}

/** [client, identity (User-Name bytes), eapType, accept, roundTrips, durationMs, resumed (-1: not
 *  said, 0, 1), stepFailed, error]. */
export type NativeRadiusLaneRecord =
  [string, Buffer, number, boolean, number, number, number, boolean, Error | undefined];

export interface NativeRadiusLane {
  port: number;
  /** requests, challenges, accepts, rejects, duplicates, droppedMalformed, droppedUnauthenticated,
   *  droppedNoMessageAuthenticator, droppedUnexpected, conversationsExpired, conversationErrors,
   *  conversationsEvicted, active, activeTls. */
  stats(): number[];
  /** Ends every conversation and stops the lane's thread; the records it left go to `onRecords`. */
  close(onRecords?: (records: NativeRadiusLaneRecord[]) => void): void;
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
  eapHostGetResult: true,
  eapHostGetUIContext: true,
  eapHostSetUIContext: true,
  eapHostGetResponseAttributes: true,
  eapHostSetResponseAttributes: true,
  eapHostGetAuthStatus: true,
  eapHostEndSession: true,
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
  radiusLaneOpen: true,
};

/** The names NativeBinding declares, for the test that holds the addon to this contract. */
export const NATIVE_FUNCTION_NAMES = Object.keys(declared) as (keyof NativeBinding)[];
