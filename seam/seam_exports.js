// Every export of the addon and every method of the objects it returns, declared once:
// { name, args, returns, doc? }. `args` names the argument object (seam_args.js) the call takes,
// or is left out when it takes none; `argsTs` widens it in TS where the object alone does not say
// everything (`ConversationRunArgs & ConversationInput`); `signatures` lists overloads as
// { argsTs, returns }. `returns` is the TS result type, Promise or not. seam/generate.js writes
// from this list NativeBinding and each object's interface (lib/native/generated/native-binding.ts),
// the C++ prototypes every binding group defines and each object's method registration
// (native/addon/generated/exports.h), the export table (native/addon/generated/seam_registration.cc)
// and each argument object's `calls`. A binding defines `seam::<Name>` (the export's name,
// capitalized), or `seam::<Object>::<Method>`: with an argument object, it takes
// (const Napi::CallbackInfo&, Napi::Object), the object already checked to be one (a TypeError
// naming the call otherwise); without one, (const Napi::CallbackInfo&).
'use strict';

/** An export (or a method) taking `args`, returning `returns`. */
const call = (name, args, returns, doc) => ({ name, ...(args ? { args } : {}), returns, ...(doc ? { doc } : {}) });

const exportsList = [
  // The module itself (module.cc)
  call('configure', 'ConfigureArgs', 'void'),
  call('release', 'ReleaseArgs', 'void', 'Closes the resource behind a handle (on the host thread) and forgets it.'),
  call('hostThreadStats', null, 'HostThreadStatsResult', 'For the bench and tests.'),
  call('trimHeap', null, 'void', 'Hands freed native memory back to the system, on the host thread after every job already\n' +
    'posted (the releases of ended conversations among them).'),

  // EAPHost (native/addon/eaphost/eaphost_instance_binding.cc)
  call('eapHostOpen', 'EapHostOpenArgs', 'Promise<NativeHandle>'),
  call('eapHostBeginSession', 'EapHostPeerBeginSessionArgs', 'Promise<NativeEapHostSession>'),
  call('eapHostClearConnection', 'EapHostPeerClearConnectionArgs', 'Promise<void>'),
  call('eapHostGetIdentity', 'EapHostPeerGetIdentityArgs', 'Promise<NativeIdentity>'),
  call('eapHostGetMethods', 'EapHostPeerGetMethodsArgs', 'Promise<RawMethodInfo[]>'),

  // EAPHost's configuration API (eap_config_binding.cc, eap_config_ui_binding.cc)
  call('eapHostConfigXml2Blob', 'EapHostPeerConfigXml2BlobArgs', 'Promise<NativeConfigBlob>'),
  call('eapHostConfigBlob2Xml', 'EapHostPeerConfigBlob2XmlArgs', 'Promise<string>'),
  call('eapHostCredentialsXml2Blob', 'EapHostPeerCredentialsXml2BlobArgs', 'Promise<NativeCredentialsBlob>'),
  call('eapHostQueryCredentialInputFields', 'EapHostPeerQueryCredentialInputFieldsArgs', 'Promise<EapConfigInputField[]>'),
  call('eapHostQueryUserBlobFromCredentialInputFields', 'EapHostPeerQueryUserBlobFromCredentialInputFieldsArgs', 'Promise<Buffer>'),
  call('eapHostGetMethodProperties', 'EapHostPeerGetMethodPropertiesArgs', 'Promise<EapMethodProperty[]>'),
  call('eapHostQueryInteractiveUIInputFields', 'EapHostPeerQueryInteractiveUIInputFieldsArgs', 'Promise<EapInteractiveUiData>'),
  call('eapHostQueryUIBlobFromInteractiveUIInputFields', 'EapHostPeerQueryUIBlobFromInteractiveUIInputFieldsArgs', 'Promise<Buffer>'),
  call('eapHostInvokeConfigUI', 'EapHostPeerInvokeConfigUIArgs', 'Promise<Buffer>'),
  call('eapHostInvokeIdentityUI', 'EapHostPeerInvokeIdentityUIArgs', 'Promise<NativeUiIdentity>'),
  call('eapHostInvokeInteractiveUI', 'EapHostPeerInvokeInteractiveUIArgs', 'Promise<Buffer>'),

  // EAPHost session (eaphost_session_binding.cc, eaphost_result_binding.cc)
  call('eapHostProcessReceivedPacket', 'EapHostPeerProcessReceivedPacketArgs', 'Promise<number>'),
  call('eapHostGetSendPacket', 'EapHostPeerGetSendPacketArgs', 'Promise<Buffer>'),
  call('eapHostGetResult', 'EapHostPeerGetResultArgs', 'Promise<RawEapHostResult>'),
  call('eapHostGetUIContext', 'EapHostPeerGetUIContextArgs', 'Promise<Buffer>'),
  call('eapHostSetUIContext', 'EapHostPeerSetUIContextArgs', 'Promise<number>'),
  call('eapHostGetResponseAttributes', 'EapHostPeerGetResponseAttributesArgs', 'Promise<EapAttribute[]>'),
  call('eapHostSetResponseAttributes', 'EapHostPeerSetResponseAttributesArgs', 'Promise<number>'),
  {
    name: 'eapHostGetAuthStatus',
    args: 'EapHostPeerGetAuthStatusArgs',
    signatures: [
      { argsTs: 'EapHostPeerGetAuthStatusArgs & { authParam: 1 }', returns: 'Promise<NativeAuthStatus>' },
      { argsTs: 'EapHostPeerGetAuthStatusArgs & { authParam: 2 }', returns: 'Promise<string>' },
    ],
  },
  call('eapHostEndSession', 'EapHostPeerEndSessionArgs', 'Promise<void>'),

  // Peer method module (peer_method_binding.cc)
  call('peerMethodLoad', 'MethodLoadArgs', 'Promise<NativeLoadedMethod>'),
  call('peerMethodQueryCredentialInputFields', 'EapPeerQueryCredentialInputFieldsArgs', 'Promise<RawCredentialField[]>'),
  call('peerMethodQueryUserBlobFromCredentialInputFields', 'EapPeerQueryUserBlobFromCredentialInputFieldsArgs', 'Promise<Buffer>'),
  call('peerMethodGetIdentity', 'EapPeerGetIdentityArgs', 'Promise<NativeIdentity>'),
  call('peerMethodBeginSession', 'EapPeerBeginSessionArgs', 'Promise<NativeHandle>'),

  // Peer method session (peer_session_binding.cc)
  call('peerMethodProcessRequestPacket', 'EapPeerProcessRequestPacketArgs', 'Promise<NativePeerOutput>'),
  call('peerMethodGetResponsePacket', 'EapPeerGetResponsePacketArgs', 'Promise<Buffer>'),
  call('peerMethodGetResult', 'EapPeerGetResultArgs', 'Promise<RawPeerMethodResult>'),
  call('peerMethodGetUIContext', 'EapPeerGetUIContextArgs', 'Promise<Buffer>'),
  call('peerMethodSetUIContext', 'EapPeerSetUIContextArgs', 'Promise<NativePeerOutput>'),
  call('peerMethodGetResponseAttributes', 'EapPeerGetResponseAttributesArgs', 'Promise<EapAttribute[]>'),
  call('peerMethodSetResponseAttributes', 'EapPeerSetResponseAttributesArgs', 'Promise<NativePeerOutput>'),
  call('peerMethodEndSession', 'EapPeerEndSessionArgs', 'Promise<void>'),

  // Authenticator method module and its sessions (authenticator_method_binding.cc,
  // authenticator_session_binding.cc)
  call('authenticatorMethodLoad', 'MethodLoadArgs', 'Promise<NativeLoadedMethod & { authorId: number }>'),
  call('authenticatorMethodBeginSession', 'EapMethodAuthenticatorBeginSessionArgs', 'Promise<NativeHandle>'),
  call('authenticatorMethodSendPacket', 'EapMethodAuthenticatorSendPacketArgs', 'Promise<NativeAuthenticatorPacket>'),
  call('authenticatorMethodReceivePacket', 'EapMethodAuthenticatorReceivePacketArgs', 'Promise<number>'),
  call('authenticatorMethodGetAttributes', 'EapMethodAuthenticatorGetAttributesArgs', 'Promise<EapAttribute[]>'),
  call('authenticatorMethodSetAttributes', 'EapMethodAuthenticatorSetAttributesArgs', 'Promise<number>'),
  call('authenticatorMethodGetResult', 'EapMethodAuthenticatorGetResultArgs', 'Promise<RawAuthenticatorMethodResult>'),
  call('authenticatorMethodEndSession', 'EapMethodAuthenticatorEndSessionArgs', 'Promise<void>'),

  // The conversation driver (conversation_binding.cc): one host-thread job per call.
  call('conversationBegin', 'ConversationBeginArgs', 'Promise<ConversationResult>'),
  { ...call('conversationRun', 'ConversationRunArgs', 'Promise<ConversationResult>'), argsTs: 'ConversationRunArgs & ConversationInput' },
  call('conversationEnd', 'ConversationEndArgs', 'Promise<void>'),
  call('eapHostSessionReceive', 'EapHostSessionReceiveArgs', 'Promise<PeerAct>'),

  // Windows' Root certificate stores (root_store_binding.cc); elsewhere they reject (not supported)
  call('rootStoreFind', 'RootStoreFindArgs', 'Promise<Array<\'LocalMachine\' | \'CurrentUser\'>>'),
  call('rootStoreInstall', 'RootStoreInstallArgs', 'Promise<void>'),
  call('rootStoreRemove', 'RootStoreRemoveArgs', 'Promise<boolean>', 'Whether the store held the certificate (and so removed it).'),

  // Installing a profile on Windows (profile_install_binding.cc); elsewhere they reject (not supported).
  call('wlanInterfaces', null, 'Promise<NativeWlanInterface[]>'),
  call('wlanSetProfile', 'WlanSetProfileArgs', 'Promise<NativeWlanInterface[]>'),
  call('userStoreImportPkcs12', 'UserStoreImportPkcs12Args', 'Promise<string[]>'),
  call('userStoreFind', 'UserStoreFindArgs', 'Promise<NativeStoreKey | null>'),
  call('wlanConnect', 'WlanConnectArgs', 'NativeWlanConnect',
    'Connecting through Native Wifi (wlan_connect_binding.cc); elsewhere the outcome says not supported.'),
  call('eventLogQuery', 'EventLogQueryArgs', 'Promise<string[]>',
    'A Windows event log channel\'s records, each the event\'s XML (event_log_binding.cc); elsewhere it rejects (not supported).'),

  // Registering a method with EAPHost (method_registration_binding.cc): synchronous, Windows
  // only; elsewhere they throw (not supported).
  call('registryRead', 'RegistryReadArgs', 'NativeRegistryKey | null'),
  call('registryWrite', 'RegistryWriteArgs', 'void'),
  call('registryDelete', 'RegistryDeleteArgs', 'void'),
  call('fileSecurity', 'FileSecurityArgs', 'NativeFileSecurity'),
  call('setFileSecurity', 'SetFileSecurityArgs', 'void'),
  call('windowsPlatform', null, 'NativeWindowsPlatform'),
  call('serviceControl', 'ServiceControlArgs', 'NativeServiceState',
    'A Windows service through the SCM (native/platform/service_control_win32.cc): its state and its\n' +
    'dependents\' after the action, as SERVICE_* state numbers (1 stopped, 4 running).'),
  call('deleteAtReboot', 'DeleteAtRebootArgs', 'void', 'MoveFileExW(path, NULL, MOVEFILE_DELAY_UNTIL_REBOOT).'),
  call('pendingRenamesRead', 'PendingRenamesReadArgs', 'Buffer | null',
    'Session Manager\'s PendingFileRenameOperations (or ...2) as its REG_MULTI_SZ bytes; null when absent\n' +
    '(lib/register/pending-renames.ts reads them).'),
  call('pendingRenamesWrite', 'PendingRenamesWriteArgs', 'void', 'Sets the value to these REG_MULTI_SZ bytes, or deletes it when they are empty.'),
  call('networkAdapters', null, 'NativeNetworkAdapter[]',
    'GetAdaptersAddresses (native/platform/network_adapters_win32.cc): every adapter\'s UTF-16 friendly name,\n' +
    'GUID and IF_TYPE; elsewhere it throws (not supported).'),

  // A PKCS#12 bundle read with the addon's GnuTLS (radius_dtls_binding.cc): for the strong-mapping check.
  call('pkcs12Chain', 'Pkcs12ChainArgs', 'Buffer[]',
    'A PKCS#12 bundle\'s certificates, leaf first, each one\'s DER (radius_dtls_binding.cc over\n' +
    'native/radius/dtls/pkcs12_chain.h), read as EAP-TLS reads the bundle; every platform the addon has GnuTLS on.\n' +
    'Throws an Error coded ERR_PKCS12_PASSWORD for a wrong password, a RangeError (ERR_PKCS12_MALFORMED) for an\n' +
    'empty, oversize or unreadable bundle, an Error coded ENOTSUP (or ENOENT) where the addon has no GnuTLS.'),

  call('eapolOpen', 'EapolOpenArgs', 'NativeEapolPort',
    'EAPOL ports on the wire (eapol_port_binding.cc): Linux only; elsewhere it throws ERR_EAPOL_LINUX_ONLY.'),

  call('radiusEngineOpen', 'RadiusEngineOpenArgs', 'Promise<NativeRadiusEngine>', 'The RADIUS engine (radius_engine_binding.cc), every platform.'),
  call('radiusClientOpen', 'RadiusClientOpenArgs', 'NativeRadiusClient',
    'The RADIUS client engine (radius_client_binding.cc), every platform: its socket bound, its thread started.'),
  call('radsecAdmissionOpen', 'RadsecAdmissionOpenArgs', 'NativeRadsecAdmission',
    'The admission RadSec over TCP and RADIUS/DTLS share (radsec_admission_binding.cc over\n' +
    'native/radius/io/radius_admission.h), every platform: who may hold one of a listener\'s slots.'),
  call('radsecBudgetOpen', 'RadsecBudgetOpenArgs', 'NativeRadsecBudget',
    'The handshake budget RadSec over TCP and RADIUS/DTLS share (radsec_admission_binding.cc over\n' +
    'native/radius/io/radius_admission.h), every platform: when a slot of a prefix never authenticated starts its handshake.'),
  call('dynamicAuthorizationOpen', 'DynamicAuthorizationOpenArgs', 'NativeDynamicAuthorization',
    'The Dynamic Authorization Server\'s engine (dynamic_authorization_binding.cc), every platform.'),
  call('radiusPolicyOpen', 'RadiusPolicyOpenArgs', 'NativeRadiusPolicy', 'What an Accept carries, compiled (radius_policy_binding.cc), every platform.'),
  call('radiusAttributesEncode', 'RadiusAttributesEncodeArgs', '{ type: number; value: Buffer }[]',
    'RADIUS attribute values, typed, to and from their bytes (radius_policy_binding.cc over\n' +
    'native/radius/wire/radius_attribute_codec.h), every platform.'),
  call('radiusAttributesDecode', 'RadiusAttributesDecodeArgs', 'RadiusDecodedAttribute[]'),
];

// The test builds' probes (EAPHOST_BUILD_CONTRACT_PROBE): exported only with EAPHOST_CONTRACT_PROBE=1.
const probeExports = [
  call('eapHostContractProbe', 'EapHostContractProbeArgs', 'Promise<unknown>'),
  call('resultShapeProbe', 'ResultShapeProbeArgs', 'unknown'),
  call('radiusMd5Probe', 'RadiusMd5ProbeArgs', 'Buffer'),
  call('radiusHmacMd5Probe', 'RadiusHmacMd5ProbeArgs', 'Buffer'),
  call('radiusMd5CountProbe', null, 'number', 'The MD5 and HMAC-MD5 computations the RADIUS engine made in this process so far.'),
  call('timedWaitProbe', 'TimedWaitProbeArgs', 'unknown'),
  call('stepPoolProbe', 'StepPoolProbeArgs', 'unknown'),
  call('laneHeadroomProbe', 'LaneHeadroomProbeArgs', 'boolean[]', 'Whether the lane keeps handshake steps after each window fed to it.'),
];

// The objects exports return, each an interface of the same name: its data members
// (`properties`, set by the binding that makes it) and its methods, declared as exports are.
// A binding registers the methods with seam::<Object>::AddMethods(env, object, owner), each
// holding `owner` (OwnerOf<Owner>(info) finds it).
const objects = {
  NativeRadiusEngine: {
    properties: [{ name: 'port', ts: 'number' }],
    methods: [
      call('stats', null, 'RadiusEngineStats'),
      call('clients', null, 'RadiusClientTally[]', 'Each client\'s requests, replies and Message-Authenticator posture.'),
      call('proxyHomes', null, 'RadiusProxyHomeTally[]', 'Each home server of the proxy: its counts, and a pooled one\'s state now (serve --metrics).'),
      call('verdicts', null, 'RadiusEngineVerdicts', 'Each verdict\'s outcome, reason and time, counted (serve --metrics).'),
      call('link', null, 'number', 'A new RadSec connection\'s number, from the one counter RADIUS/DTLS\'s associations take\n' +
        'theirs from too (radius_reply_paths.h): its replies come back through stream()\'s caller; a RangeError when none is free.'),
      call('stream', 'RadiusEngineStreamArgs', 'RadiusEngineStreamCut'),
      call('drop', 'RadiusLinkArgs', 'void', 'The connection is gone: what it held unframed is dropped, its number free again.'),
      call('answer', 'RadiusEngineAnswerArgs', 'void'),
      call('authorized', 'RadiusEngineAuthorizedArgs', 'void', 'authorize()\'s word on one verdict.'),
      call('accounted', 'RadiusEngineAccountedArgs', 'void', 'An Accounting-Request recorded, or not.'),
      call('spool', 'RadiusEngineSpoolArgs', 'void', 'A spooled Accounting-Request sent to its realm\'s home, no NAS to answer.'),
      call('drain', null, 'number', 'A reload\'s first half: no request from a NAS is taken from now on, while those out to\n' +
        'home servers still get their replies; how many of them are still to be answered.'),
      call('dtlsListen', 'RadiusDtlsListenArgs', 'NativeRadiusDtlsServer',
        'The RADIUS/DTLS listener (radius_dtls_binding.cc): its socket bound, its records this engine\'s and its\n' +
        'replies straight back, none through JS; an Error with code ENOTSUP where the addon links no GnuTLS.'),
      call('dtlsPeer', 'RadiusLinkArgs', 'RadiusDtlsPeer', 'Reverse CoA: the peer of the RADIUS/DTLS association `link` names.'),
      call('dtlsSend', 'RadiusClientStreamArgs', 'boolean', 'Reverse CoA: a request down RADIUS/DTLS association `link`, as its\n' +
        'replies go (its answers come in RadiusEngineEvents.answers); false when no association holds the link.'),
      call('proxyClient', 'RadiusEngineProxyClientArgs', 'NativeRadiusClient',
        'The client engine (no socket: every target a stream JS holds) a RadSec home is reached through: JS\'s\n' +
        'requests\' outcomes come to onEvents, the proxy\'s forwards\' to the engine (radius_exchange.h).'),
      call('proxyHome', 'RadiusEngineProxyHomeArgs', 'void', 'How the connection RadiusEngineEvents.proxyConnects asked for went.'),
      call('proxyDiscovered', 'RadiusEngineProxyDiscoveredArgs', 'void', 'What discovery found for a realm RadiusEngineEvents.proxyDiscovers named.'),
      call('close', null, 'void', 'Ends every conversation and stops the thread; what it left goes to onEvents.'),
    ],
  },
  NativeRadiusClient: {
    properties: [{ name: 'port', ts: 'number' }],
    methods: [
      call('target', 'RadiusClientTargetArgs', 'number'),
      call('send', 'RadiusClientSendArgs', 'void', 'Held until flush(). A RangeError when the request cannot be one RADIUS packet.'),
      call('flush', null, 'void', 'Hands every request sent so far to the engine\'s thread in one wake.'),
      call('cancel', 'RadiusClientCancelArgs', 'void', 'Withdraws a request: no outcome follows.'),
      call('load', 'RadiusClientLoadArgs', 'void', 'Starts a load run; an Error while one is on.'),
      call('loadStop', null, 'void', 'Withdraws the load run\'s requests (no outcome follows) and ends it.'),
      call('loadTake', null, 'RadiusClientLoadProgress'),
      call('stream', 'RadiusClientStreamArgs', 'boolean',
        'What a stream target\'s connection brought, in order; framed by the engine. True: stop\n' +
        'reading the stream until RadiusClientEvents.resumed names it (the engine holds its bound).'),
      call('dtlsConnect', 'RadiusDtlsConnectArgs', 'NativeRadiusDtls',
        'A RADIUS/DTLS association for a stream link (radius_dtls_binding.cc over native/radius/dtls/radius_dtls.h):\n' +
        'its socket bound, its handshake started, joined to this engine natively (the link\'s requests go into it,\n' +
        'its records come to the engine, none through JS); an Error with code ENOTSUP where the addon links no GnuTLS.'),
      call('drop', 'RadiusLinkArgs', 'void', 'The stream is gone.'),
      call('stats', null, 'RadiusClientCounters'),
      call('ref', null, 'void', 'Hold the process open while requests are out, and let it go.'),
      call('unref', null, 'void'),
      call('close', null, 'void'),
    ],
  },
  NativeRadiusDtls: {
    properties: [{ name: 'port', ts: 'number' }],
    methods: [
      call('write', 'RadiusDtlsWriteArgs', 'void'),
      call('quietMs', null, 'number', 'Milliseconds since the server last sent anything (the RadSec watchdog asks before a Status-Server).'),
      call('ref', null, 'void', 'Hold the process open while requests are out, and let it go.'),
      call('unref', null, 'void'),
      call('close', null, 'void', 'close_notify when connected; the thread stopped, the socket closed, the keys wiped.'),
    ],
  },
  NativeRadiusDtlsServer: {
    properties: [{ name: 'port', ts: 'number' }],
    methods: [
      call('stats', null, 'RadiusDtlsServerCounters'),
      call('close', null, 'void'),
    ],
  },
  NativeRadsecAdmission: {
    properties: [],
    methods: [
      call('admit', 'RadsecAdmissionAdmitArgs', 'number',
        'Takes the slot in: the slot it displaced (already forgotten), 0 for none, or -1: refused, nothing changed.'),
      call('progress', 'RadsecAdmissionProgressArgs', 'void', 'What the slot\'s peer sent and the server wrote so far.'),
      call('authenticated', 'RadsecAdmissionSlotArgs', 'string',
        'Its handshake finished: never displaced from now on. The prefix it made known, or \'\' when known before.'),
      call('forget', 'RadsecAdmissionSlotArgs', 'void', 'It closed (or was displaced); idempotent.'),
      call('isKnown', 'RadsecAdmissionAddressArgs', 'boolean', 'Whether the address\'s prefix authenticated before or is configured.'),
      call('knownPrefixes', null, 'string[]', 'The prefixes that authenticated, the oldest first (what a saved list holds).'),
    ],
  },
  NativeRadsecBudget: {
    properties: [],
    methods: [
      call('offer', 'RadsecBudgetOfferArgs', 'void', 'The slot waits for its turn.'),
      call('withdraw', 'RadsecAdmissionSlotArgs', 'void', 'It closed (or was displaced) while waiting; idempotent.'),
      call('due', 'RadsecBudgetDueArgs', 'number[]', 'The slots whose turn has come, in the order to start them; each leaves the queue.'),
      call('nextMs', null, 'number', 'When (on due()\'s clock) the next waiting slot\'s turn comes; -1 when none waits.'),
      call('clear', null, 'void', 'Nothing waits any more.'),
    ],
  },
  NativeDynamicAuthorization: {
    properties: [{ name: 'port', ts: 'number', doc: 'The bound port (the system\'s choice when asked for 0).' }],
    methods: [
      call('verdict', 'DynamicAuthorizationVerdictArgs', 'Buffer | null',
        'The ACK or NAK, signed and sent natively; for a request that came over a RadSec connection still open,\n' +
        'returned instead, for the connection its link names; null when sent, or no request waits under that ID.'),
      call('link', null, 'number', 'A new RadSec connection\'s number, never one given before (radsec only).'),
      call('stream', 'DynamicAuthorizationStreamArgs', 'DynamicAuthorizationStreamCut'),
      call('drop', 'RadiusLinkArgs', 'void', 'The connection is gone: what it held unframed is dropped.'),
      call('dtlsListen', 'RadiusDtlsListenArgs', 'NativeRadiusDtlsServer',
        'RADIUS/DTLS beside RadSec over TCP (radius_dtls_binding.cc; radsec only): its records this engine\'s, under\n' +
        '"radius/dtls", and the replies straight back, none through JS; an Error with code ENOTSUP where the addon links no GnuTLS.'),
      call('clock', 'DynamicAuthorizationClockArgs', 'void'),
      call('stats', null, 'DynamicAuthorizationServerStats', 'The counts; after close(), those it had then.'),
      call('close', null, 'void', 'Stops the thread, closes the socket, forgets every request and wipes the secrets.'),
    ],
  },
  NativeRadiusPolicy: {
    doc: 'radiusPolicyOpen()\'s object: a policy compiled, for a path with no RADIUS reply of its own.',
    methods: [
      call('evaluate', 'RadiusPolicyRequestArgs', 'NativePolicyVerdict',
        'The first rule that matches (-1: none), whether it rejects, and the attributes its reply makes.'),
      call('encode', 'RadiusPolicyEncodeArgs', '{ type: number; value: Buffer }[]', 'The attributes a reply makes (an authorize() result).'),
    ],
  },
  NativeEapolPort: {
    doc: 'An open EAPOL port: errors thrown carry `code` (ERR_EAPOL_*).',
    properties: [
      { name: 'interfaceName', ts: 'string', readonly: true },
      { name: 'address', ts: 'Buffer', readonly: true, doc: 'The interface\'s MAC address.' },
      { name: 'mtu', ts: 'number', readonly: true },
    ],
    methods: [
      call('send', 'EapolSendArgs', 'void'),
      call('close', null, 'void'),
      call('stats', null, 'EapolPortStats'),
    ],
  },
  NativeWlanConnect: {
    doc: 'wlanConnect()\'s attempt: its outcome, and cancel() to end it early.',
    properties: [{ name: 'outcome', ts: 'Promise<NativeWlanConnectOutcome>' }],
    methods: [call('cancel', null, 'void')],
  },
};

// Where the TS types the signatures and the result shapes name come from (besides the argument
// objects, arg-types.ts, the types seam.js declares, result-types.ts, and the objects above): each
// generated file imports the ones it uses.
const tsTypes = {
  '../../core/attributes': ['EapAttribute'],
  '../../core/errors': ['EapError', 'EapMethodTypeInfo'],
  '../raw-types': ['ConversationInput'],
};

module.exports = { exports: exportsList, probeExports, objects, tsTypes };
