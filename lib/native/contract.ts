/**
 * The contract between lib/ and the addon: every native function, its arguments (the argument
 * objects generated from seam/seam_args.js into arg-types.ts, re-exported here) and its
 * result. The addon's export table (native/addon/runtime/bindings.h) lists the same names; a test
 * checks that the loaded addon exports exactly these. Handles are opaque numbers naming the
 * addon's resources (native/addon/runtime/addon_state.h).
 * Results are raw shapes of this layer (raw-types.ts), which the facade's public types mirror;
 * raw results carry numbers where the facade shows names (actions), and the facade maps them.
 */
import type { EapAttribute } from '../core/attributes';
import type { EapError, EapMethodTypeInfo } from '../core/errors';
import type {
  RawAuthenticatorMethodResult as AuthenticatorMethodResult, EapConfigInputField,
  RawCredentialField as CredentialField, RawEapHostResult as EapHostResult,
  EapInteractiveUiData, RawMethodInfo as EapMethodInfo,
  EapMethodProperty, RawPeerMethodResult as PeerMethodResult,
} from './raw-types';
import type { NativeHandle, NativeKnownAnswer, NativeRegistryValue, RadiusDecodedAttribute } from './raw-types';
// The values argument objects carry (raw-types.ts), here beside the calls that take them.
export type {
  NativeEapolFrameSink, NativeHandle, NativeKnownAnswer, NativeRegistryValue, NativeRegistryWrite, NativeWlanNotice,
  RadiusClientEvents, RadiusClientOutcome, RadiusEngineEvents, RadiusEngineQuestion, RadiusEngineRecord, RadiusEngineReply,
  RadiusEngineAuthorization, RadiusDecodedAttribute, RadiusValueFormat,
} from './raw-types';
import type {
  ConfigureArgs, ConversationBeginArgs, ConversationEndArgs, ConversationRunArgs, DynamicAuthorizationDatagramArgs,
  DynamicAuthorizationOpenArgs, DynamicAuthorizationVerdictArgs, EapHostOpenArgs, EapHostPeerBeginSessionArgs,
  EapHostPeerClearConnectionArgs, EapHostPeerConfigBlob2XmlArgs, EapHostPeerConfigXml2BlobArgs,
  EapHostPeerCredentialsXml2BlobArgs, EapHostPeerEndSessionArgs, EapHostPeerGetAuthStatusArgs,
  EapHostPeerGetIdentityArgs, EapHostPeerGetMethodPropertiesArgs, EapHostPeerGetMethodsArgs,
  EapHostPeerGetResponseAttributesArgs, EapHostPeerGetResultArgs, EapHostPeerGetSendPacketArgs,
  EapHostPeerGetUIContextArgs, EapHostPeerInvokeConfigUIArgs, EapHostPeerInvokeIdentityUIArgs,
  EapHostPeerInvokeInteractiveUIArgs, EapHostPeerProcessReceivedPacketArgs,
  EapHostPeerQueryCredentialInputFieldsArgs, EapHostPeerQueryInteractiveUIInputFieldsArgs,
  EapHostPeerQueryUIBlobFromInteractiveUIInputFieldsArgs, EapHostPeerQueryUserBlobFromCredentialInputFieldsArgs,
  EapHostPeerSetResponseAttributesArgs, EapHostPeerSetUIContextArgs, EapHostSessionReceiveArgs,
  EapMethodAuthenticatorBeginSessionArgs, EapMethodAuthenticatorEndSessionArgs,
  EapMethodAuthenticatorGetAttributesArgs, EapMethodAuthenticatorGetResultArgs,
  EapMethodAuthenticatorReceivePacketArgs, EapMethodAuthenticatorSendPacketArgs,
  EapMethodAuthenticatorSetAttributesArgs, EapPeerBeginSessionArgs, EapPeerEndSessionArgs, EapPeerGetIdentityArgs,
  EapPeerGetResponseAttributesArgs, EapPeerGetResponsePacketArgs, EapPeerGetResultArgs, EapPeerGetUIContextArgs,
  EapPeerProcessRequestPacketArgs, EapPeerQueryCredentialInputFieldsArgs,
  EapPeerQueryUserBlobFromCredentialInputFieldsArgs, EapPeerSetResponseAttributesArgs, EapPeerSetUIContextArgs,
  EapolOpenArgs, EapolSendArgs, EventLogQueryArgs, FileSecurityArgs, MethodLoadArgs, RadiusAttributesDecodeArgs,
  RadiusAttributesEncodeArgs, RadiusClientCancelArgs,
  RadiusClientLoadArgs, RadiusClientOpenArgs, RadiusClientSendArgs, RadiusClientStreamArgs, RadiusClientTargetArgs,
  RadiusEngineAnswerArgs, RadiusEngineAuthorizedArgs, RadiusEngineOpenArgs, RadiusEngineStreamArgs, RadiusPolicyEncodeArgs, RadiusPolicyOpenArgs, RadiusPolicyRequestArgs, RadiusLinkArgs, RegistryDeleteArgs,
  RegistryReadArgs, RegistryWriteArgs, ReleaseArgs, RootStoreFindArgs, RootStoreInstallArgs, RootStoreRemoveArgs,
  SetFileSecurityArgs, ServiceControlArgs, DeleteAtRebootArgs, UserStoreFindArgs, UserStoreImportPkcs12Args, WlanConnectArgs, WlanSetProfileArgs,
} from './generated/arg-types';
import { NATIVE_FUNCTION_NAMES } from './generated/export-names';
import type { RadiusEngineStats } from './generated/export-names';
export type { RadiusEngineStats, RadiusServerStats } from './generated/export-names';
// Every argument object, generated from seam/seam_args.js (seam/generate.js).
export type * from './generated/arg-types';

/** EapHostPeerGetIdentity / EapPeerGetIdentity. */
interface NativeIdentity {
  invokeUI: boolean;
  userData: Buffer;
  identity: string;
}

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
  send(frame: EapolSendArgs): void;
  close(): void;
  stats(): { received: number; malformed: number; ignored: number; sent: number; overflow: number; kernelDrops: number };
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

/** The host thread's counters since the addon loaded: jobs run, the batches (wake-ups) they ran
 *  in, and the drains of completions on the JS thread; housekeeping: the jobs among `jobs` that
 *  belong to no call (releases, heap trims); aside: the parts of in-process pairings run on the
 *  aside thread (not counted among `jobs`); heapInUse: the bytes the C allocator holds for the
 *  program (glibc, or AddressSanitizer's), for leak checks, absent where the allocator does not say. */
export interface HostThreadStatsResult {
  jobs: number;
  batches: number;
  drains: number;
  housekeeping: number;
  aside: number;
  heapInUse?: number;
}

export interface NativeWlanConnectOutcome {
  interfaceGuid?: string;
  interfaceDescription?: string;
  /** ACM connection_complete came. */
  completed: boolean;
  /** connection_complete's wlanReasonCode (0: connected). */
  wlanReasonCode?: number;
  timedOut: boolean;
  cancelled: boolean;
  /** A call that failed before any notification could answer. */
  win32Error?: number;
  call?: string;
  message?: string;
  noInterface: boolean;
  /** WlanConnect refused with 87 and the profile is a per-user one. */
  perUserProfile: boolean;
  /** This process's session (0: a service, no interactive user). */
  session?: number;
  malformed: number;
  /** Notifications of another profile's attempt on the interface (an auto-connect in flight): not ours, not sent. */
  ignored: number;
  dropped: number;
  /** At the timeout: WlanQueryInterface(wlan_intf_opcode_current_connection), its Win32 answer
   *  (5023 ERROR_INVALID_STATE: not connected) and the connection it gave (WLAN_INTERFACE_STATE
   *  raw and in words, the profile's name). */
  currentConnection?: { win32Error: number; state?: number; stateName?: string; profileName?: string };
  /** The query found the interface connected to our profile: our success, with no connection_complete. */
  alreadyConnected: boolean;
}

// Registering a method with EAPHost (method_registration_binding.cc): Windows only; elsewhere
// they throw (not supported). Keys are below HKLM\SYSTEM\CurrentControlSet\Services\EapHost\Methods.

/** An ACCESS_ALLOWED or ACCESS_DENIED ACE, its generic rights mapped to the file's own. */
export interface NativeSecurityAce {
  allow: boolean;
  sid: string;
  mask: number;
  flags: number;
}

export interface NativeFileSecurity {
  owner: string;
  /** No DACL at all: everyone may do anything. */
  nullDacl: boolean;
  aces: NativeSecurityAce[];
  /** ACEs of other types (object, callback), not read. */
  otherAces: number;
}

export interface NativeBinding {
  configure(args: ConfigureArgs): void;
  /** Closes the resource behind a handle (on the host thread) and forgets it. */
  release(args: ReleaseArgs): void;
  /** For the bench and tests. */
  hostThreadStats(): HostThreadStatsResult;
  /** Hands freed native memory back to the system, on the host thread after every job already
   *  posted (the releases of ended conversations among them). */
  trimHeap(): void;

  // EAPHost (native/addon/eaphost/eaphost_instance_binding.cc)
  eapHostOpen(args: EapHostOpenArgs): Promise<NativeHandle>;
  eapHostBeginSession(args: EapHostPeerBeginSessionArgs): Promise<NativeEapHostSession>;
  eapHostClearConnection(args: EapHostPeerClearConnectionArgs): Promise<void>;
  eapHostGetIdentity(args: EapHostPeerGetIdentityArgs): Promise<NativeIdentity>;
  eapHostGetMethods(args: EapHostPeerGetMethodsArgs): Promise<EapMethodInfo[]>;

  // Windows' Root certificate stores (root_store_binding.cc); elsewhere they reject (not supported)
  rootStoreFind(args: RootStoreFindArgs): Promise<Array<'LocalMachine' | 'CurrentUser'>>;
  rootStoreInstall(args: RootStoreInstallArgs): Promise<void>;
  /** Whether the store held the certificate (and so removed it). */
  rootStoreRemove(args: RootStoreRemoveArgs): Promise<boolean>;

  // Installing a profile on Windows (profile_install_binding.cc); elsewhere they reject (not supported).
  wlanInterfaces(): Promise<NativeWlanInterface[]>;
  wlanSetProfile(args: WlanSetProfileArgs): Promise<NativeWlanInterface[]>;
  userStoreImportPkcs12(args: UserStoreImportPkcs12Args): Promise<string[]>;
  userStoreFind(args: UserStoreFindArgs): Promise<{ hasKey: boolean } | null>;
  /** Connecting through Native Wifi (wlan_connect_binding.cc); elsewhere the outcome says not supported. */
  wlanConnect(args: WlanConnectArgs): { outcome: Promise<NativeWlanConnectOutcome>; cancel(): void };

  // A Windows event log channel's records, each the event's XML (event_log_binding.cc); elsewhere it rejects (not supported).
  eventLogQuery(args: EventLogQueryArgs): Promise<string[]>;

  // Registering a method with EAPHost (method_registration_binding.cc): synchronous, Windows
  // only; elsewhere they throw (not supported).
  registryRead(args: RegistryReadArgs): { values: NativeRegistryValue[]; subkeys: string[] } | null;
  registryWrite(args: RegistryWriteArgs): void;
  registryDelete(args: RegistryDeleteArgs): void;
  fileSecurity(args: FileSecurityArgs): NativeFileSecurity;
  setFileSecurity(args: SetFileSecurityArgs): void;
  /** IMAGE_FILE_MACHINE_* of the OS (IsWow64Process2) and of this process under WOW64 (else 0). */
  windowsPlatform(): { nativeMachine: number; processMachine: number; wine: boolean; programFiles: string };
  /** A Windows service through the SCM (native/platform/service_control_win32.cc): its state and its
   *  dependents' after the action, as SERVICE_* state numbers (1 stopped, 4 running). */
  serviceControl(args: ServiceControlArgs): { state: number; dependents: Array<{ name: string; state: number }> };
  /** MoveFileExW(path, NULL, MOVEFILE_DELAY_UNTIL_REBOOT). */
  deleteAtReboot(args: DeleteAtRebootArgs): void;

  // EAPOL ports on the wire (eapol_port_binding.cc): Linux only; elsewhere it throws ERR_EAPOL_LINUX_ONLY.
  eapolOpen(args: EapolOpenArgs): NativeEapolPort;

  // EAPHost's configuration API (eap_config_binding.cc, eap_config_ui_binding.cc)
  eapHostConfigXml2Blob(args: EapHostPeerConfigXml2BlobArgs): Promise<{ methodType: EapMethodTypeInfo; config: Buffer }>;
  eapHostConfigBlob2Xml(args: EapHostPeerConfigBlob2XmlArgs): Promise<string>;
  eapHostCredentialsXml2Blob(args: EapHostPeerCredentialsXml2BlobArgs):
    Promise<{ methodType: EapMethodTypeInfo; credentials: Buffer }>;
  eapHostQueryCredentialInputFields(args: EapHostPeerQueryCredentialInputFieldsArgs): Promise<EapConfigInputField[]>;
  eapHostQueryUserBlobFromCredentialInputFields(args: EapHostPeerQueryUserBlobFromCredentialInputFieldsArgs): Promise<Buffer>;
  eapHostGetMethodProperties(args: EapHostPeerGetMethodPropertiesArgs): Promise<EapMethodProperty[]>;
  eapHostQueryInteractiveUIInputFields(args: EapHostPeerQueryInteractiveUIInputFieldsArgs): Promise<EapInteractiveUiData>;
  eapHostQueryUIBlobFromInteractiveUIInputFields(args: EapHostPeerQueryUIBlobFromInteractiveUIInputFieldsArgs): Promise<Buffer>;
  eapHostInvokeConfigUI(args: EapHostPeerInvokeConfigUIArgs): Promise<Buffer>;
  eapHostInvokeIdentityUI(args: EapHostPeerInvokeIdentityUIArgs): Promise<{ identity: string; userData: Buffer }>;
  eapHostInvokeInteractiveUI(args: EapHostPeerInvokeInteractiveUIArgs): Promise<Buffer>;

  // EAPHost session (eaphost_session_binding.cc, eaphost_result_binding.cc)
  eapHostProcessReceivedPacket(args: EapHostPeerProcessReceivedPacketArgs): Promise<number>;
  eapHostGetSendPacket(args: EapHostPeerGetSendPacketArgs): Promise<Buffer>;
  eapHostGetResult(args: EapHostPeerGetResultArgs): Promise<EapHostResult>;
  eapHostGetUIContext(args: EapHostPeerGetUIContextArgs): Promise<Buffer>;
  eapHostSetUIContext(args: EapHostPeerSetUIContextArgs): Promise<number>;
  eapHostGetResponseAttributes(args: EapHostPeerGetResponseAttributesArgs): Promise<EapAttribute[]>;
  eapHostSetResponseAttributes(args: EapHostPeerSetResponseAttributesArgs): Promise<number>;
  eapHostGetAuthStatus(args: EapHostPeerGetAuthStatusArgs & { authParam: 1 }):
    Promise<{ status: number; errorCode: number; reasonCode: number }>;
  eapHostGetAuthStatus(args: EapHostPeerGetAuthStatusArgs & { authParam: 2 }): Promise<string>;
  eapHostEndSession(args: EapHostPeerEndSessionArgs): Promise<void>;

  // Peer method module (peer_method_binding.cc)
  peerMethodLoad(args: MethodLoadArgs): Promise<NativeLoadedMethod>;
  peerMethodQueryCredentialInputFields(args: EapPeerQueryCredentialInputFieldsArgs): Promise<CredentialField[]>;
  peerMethodQueryUserBlobFromCredentialInputFields(args: EapPeerQueryUserBlobFromCredentialInputFieldsArgs): Promise<Buffer>;
  peerMethodGetIdentity(args: EapPeerGetIdentityArgs): Promise<NativeIdentity>;
  peerMethodBeginSession(args: EapPeerBeginSessionArgs): Promise<NativeHandle>;

  // Peer method session (peer_session_binding.cc)
  peerMethodProcessRequestPacket(args: EapPeerProcessRequestPacketArgs): Promise<NativePeerOutput>;
  peerMethodGetResponsePacket(args: EapPeerGetResponsePacketArgs): Promise<Buffer>;
  peerMethodGetResult(args: EapPeerGetResultArgs): Promise<PeerMethodResult>;
  peerMethodGetUIContext(args: EapPeerGetUIContextArgs): Promise<Buffer>;
  peerMethodSetUIContext(args: EapPeerSetUIContextArgs): Promise<NativePeerOutput>;
  peerMethodGetResponseAttributes(args: EapPeerGetResponseAttributesArgs): Promise<EapAttribute[]>;
  peerMethodSetResponseAttributes(args: EapPeerSetResponseAttributesArgs): Promise<NativePeerOutput>;
  peerMethodEndSession(args: EapPeerEndSessionArgs): Promise<void>;

  // Authenticator method module and its sessions (authenticator_method_binding.cc,
  // authenticator_session_binding.cc)
  authenticatorMethodLoad(args: MethodLoadArgs): Promise<NativeLoadedMethod & { authorId: number }>;
  authenticatorMethodBeginSession(args: EapMethodAuthenticatorBeginSessionArgs): Promise<NativeHandle>;
  authenticatorMethodSendPacket(args: EapMethodAuthenticatorSendPacketArgs): Promise<{ packet: Buffer; timeout: number }>;
  authenticatorMethodReceivePacket(args: EapMethodAuthenticatorReceivePacketArgs): Promise<number>;
  authenticatorMethodGetAttributes(args: EapMethodAuthenticatorGetAttributesArgs): Promise<EapAttribute[]>;
  authenticatorMethodSetAttributes(args: EapMethodAuthenticatorSetAttributesArgs): Promise<number>;
  authenticatorMethodGetResult(args: EapMethodAuthenticatorGetResultArgs): Promise<AuthenticatorMethodResult>;
  authenticatorMethodEndSession(args: EapMethodAuthenticatorEndSessionArgs): Promise<void>;

  // The conversation driver (conversation_binding.cc): one host-thread job per call.
  conversationBegin(args: ConversationBeginArgs): Promise<ConversationResult>;
  conversationRun(args: ConversationRunArgs & ConversationInput): Promise<ConversationResult>;
  eapHostSessionReceive(args: EapHostSessionReceiveArgs): Promise<PeerAct>;
  conversationEnd(args: ConversationEndArgs): Promise<void>;

  // The RADIUS engine (radius_engine_binding.cc), every platform.
  radiusEngineOpen(args: RadiusEngineOpenArgs): Promise<NativeRadiusEngine>;
  // The RADIUS client engine (radius_client_binding.cc), every platform: its socket bound, its thread started.
  radiusClientOpen(args: RadiusClientOpenArgs): NativeRadiusClient;
  // The Dynamic Authorization Server's lane (dynamic_authorization_binding.cc), every platform.
  dynamicAuthorizationOpen(args: DynamicAuthorizationOpenArgs): NativeDynamicAuthorization;
  // What an Accept carries, compiled (radius_policy_binding.cc), every platform.
  radiusPolicyOpen(args: RadiusPolicyOpenArgs): NativeRadiusPolicy;
  // RADIUS attribute values, typed, to and from their bytes (radius_policy_binding.cc over
  // native/radius/radius_attribute_codec.h), every platform.
  radiusAttributesEncode(args: RadiusAttributesEncodeArgs): { type: number; value: Buffer }[];
  radiusAttributesDecode(args: RadiusAttributesDecodeArgs): RadiusDecodedAttribute[];
}

// NativeBinding declares every export seam/seam.js names (export-names.ts), and no other:
// the compiler checks both ways.
type DeclaredName = typeof NATIVE_FUNCTION_NAMES[number];
const declaredBothWays: [Exclude<keyof NativeBinding, DeclaredName>, Exclude<DeclaredName, keyof NativeBinding>] extends
  [never, never] ? true : never = true;
void declaredBothWays;

/** The names NativeBinding declares, for the test that holds the addon to this contract. */
export { NATIVE_FUNCTION_NAMES };

// ---- RADIUS engine (radius_engine_binding.cc; native/radius/)

/** radiusPolicyOpen()'s object: a policy compiled, for a path with no RADIUS reply of its own. */
export interface NativeRadiusPolicy {
  /** The first rule that matches (-1: none), whether it rejects, and the attributes its reply makes. */
  evaluate(args: RadiusPolicyRequestArgs): { rule: number; reject: boolean; attributes: { type: number; value: Buffer }[] };
  /** The attributes a reply makes (an authorize() result). */
  encode(args: RadiusPolicyEncodeArgs): { type: number; value: Buffer }[];
}


/** What stream() did with a connection's bytes. */
export interface RadiusEngineStreamCut {
  /** Whole packets answered (as the engine answers a UDP datagram). */
  packets: number;
  /** Whole packets wait past this turn's share: read no more of the connection, and call
   *  stream() with no bytes a turn later. */
  backlog: boolean;
}

export interface NativeRadiusEngine {
  port: number;
  stats(): RadiusEngineStats;
  stream(args: RadiusEngineStreamArgs): RadiusEngineStreamCut;
  /** The connection is gone: what it held unframed is dropped. */
  drop(args: RadiusLinkArgs): void;
  answer(args: RadiusEngineAnswerArgs): void;
  /** authorize()'s word on one verdict. */
  authorized(args: RadiusEngineAuthorizedArgs): void;
  /** Ends every conversation and stops the thread; what it left goes to onEvents. */
  close(): void;
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

export interface NativeRadiusClient {
  port: number;
  target(args: RadiusClientTargetArgs): number;
  /** Held until flush(). A RangeError when the request cannot be one RADIUS packet. */
  send(args: RadiusClientSendArgs): void;
  /** Hands every request sent so far to the engine's thread in one wake. */
  flush(): void;
  /** Withdraws a request: no outcome follows. */
  cancel(args: RadiusClientCancelArgs): void;
  /** Starts a load run; an Error while one is on. */
  load(args: RadiusClientLoadArgs): void;
  /** Withdraws the load run's requests (no outcome follows) and ends it. */
  loadStop(): void;
  loadTake(): RadiusClientLoadProgress;
  /** What a stream target's connection brought, in order; framed by the engine. True: stop
   *  reading the stream until RadiusClientEvents.resumed names it (the engine holds its bound). */
  stream(args: RadiusClientStreamArgs): boolean;
  /** The stream is gone. */
  drop(args: RadiusLinkArgs): void;
  stats(): RadiusClientCounters;
  /** Hold the process open while requests are out, and let it go. */
  ref(): void;
  unref(): void;
  close(): void;
}

// ---- The Dynamic Authorization Server's lane (dynamic_authorization_binding.cc; native/radius/radius_das.h)

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
  disconnect: boolean;
  session: DasSessionIdentification;
  sessionTimeout?: number;
  /** CoA Authorize Only, with its State. */
  authorizeOnlyState?: Buffer;
  attributes: { type: number; value: Buffer }[];
}

/** What one datagram came to: a reply to send back to its source, or a request for the policy
 *  (undefined from receive(): nothing to send). */
export interface DynamicAuthorizationReceived {
  reply?: Buffer;
  request?: NativeDasRequest;
}

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

export interface NativeDynamicAuthorization {
  receive(args: DynamicAuthorizationDatagramArgs): DynamicAuthorizationReceived | undefined;
  /** The signed ACK or NAK to send, or undefined when no request waits under that ID. */
  verdict(args: DynamicAuthorizationVerdictArgs): Buffer | undefined;
  /** The counts; after close(), those it had then. */
  stats(): DynamicAuthorizationServerStats;
  /** Forgets every request and wipes the secrets. */
  close(): void;
}
