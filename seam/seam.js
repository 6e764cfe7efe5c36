// The addon's seam, declared once: every export and every method of the objects the exports
// return (seam_exports.js, as { name, args, returns }), every argument object a call takes
// (seam_args.js and seam_args_radius.js, required here as `args`) and every result the addon
// builds through a registered JS builder (a "shape"), field by field. seam/generate.js
// generates from this file, and test/seam.test.ts fails when what it generated is stale:
//   native/addon/generated/exports.h         every export's and method's C++ prototype (seam::<Name>,
//                                  seam::<Object>::<Method>) and each object's AddMethods
//   native/addon/generated/seam_registration.cc  the export table and the shapes' names, registered with the runtime
//   lib/native/generated/native-binding.ts   NativeBinding and each returned object's interface
//   native/addon/generated/result_shapes.h   the shape list, each shape's slots by name, a typed writer per
//                                  shape and part
//   native/addon/generated/result_shape_probe.h  (test builds) the probe that fills them all
//   lib/native/generated/result-shapes.ts    the builders that read those slots into named objects
//   lib/native/generated/export-names.ts     the export names lib/ and the tests hold the addon to
//   lib/native/generated/result-types.ts     every result's TS type (declareType, and `types` below)
//   lib/native/generated/zero-counts.ts      each counters result's zero value (`counts`)
//   native/addon/generated/arg_structs.h     every argument object as a struct of real C++ types, and its
//                                  reader Read<Struct>(Napi::Object), which the bindings call
//   lib/native/generated/arg-types.ts        the same objects as TS interfaces (contract.ts re-exports them)
//   native/common/generated/constants.h      the bounds both sides hold (`constants` below), as constexpr
//   lib/native/generated/constants.ts        the same bounds as TS constants (contract.ts re-exports them)
//
// To add an export (or a method of a returned object): declare it in seam_exports.js, its
// argument object (if it takes one) in seam_args.js, run `npm run generate`, then define
// `Napi::Value seam::<Name>(…)` (the prototype exports.h gives) in its binding group; the
// export table, NativeBinding and the object's registration follow. Nothing else names it: a
// definition not declared does not compile, a declaration not defined does not link. To add an
// argument field: declare it in seam_args.js and regenerate; the struct, its reader and the TS
// interface follow, and the binding uses it.
// To add a result field: add it to its shape or part below, run the generator, then set it in
// the C++ writer (the generated setter of the same name); its TS type follows, and nobody keeps a
// slot order by hand. A new shape names its TS type in `returns` and declares it (declareType),
// or returns an expression of declared types (`Pick<…>`, `X[]`); it needs a ResultShape caller
// (MakeShaped through the generated writer's Make()). lib/native/raw-types.ts holds no result.
//
// Field types: number, boolean, string, buffer (empty: undefined reads as the shared empty
// Buffer), handle (a NativeHandle), error (an EapError), buffers (Buffer[]), list (an array made
// natively; `ts` names its element type), value (any JS value the addon made; `ts` its type), attributes (an EapAttribute[] read from the shape's
// packed slab: two slots, where it starts and how many), questions (the RADIUS engine's store
// questions, packed the same way), part (a nested object, present when its first field is).
// A shape that is one part throughout names it (`part`) and is written through the part's writer.
// optional: the member is left out of the object when its value is undefined (for questions:
// when there are none). ts: the member's TS type where it is narrower than the type's own.
// union: the shape's TS type is a union discriminated by its first field (`kind`), which the
// builder's object is asserted to be (the addon sets the members each kind carries).
// declareType: the shape's (or part's) TS type is generated (result-types.ts), with this for its
// comment and each field's `doc` for its members; publicPart: its first `fields` members are a
// public type of that name, which the generated type extends; variants (with union): the TS type
// is a union told apart by field `by`, each member (`is`: its value) with the `members` it carries.
// facade: a member of the TS type that lib/ sets, not the addon (no slot). counts: a counters
// shape, all numbers: its zero value is generated (zero-counts.ts), and its writer's
// CountsFrom(struct) reads every count by name from the struct the engine keeps them in.
'use strict';

const eapHostMethod = [
  { name: 'type', type: 'number' },
  { name: 'vendorId', type: 'number' },
  { name: 'vendorType', type: 'number' },
  { name: 'authorId', type: 'number' },
  { name: 'friendlyName', type: 'string' },
  { name: 'authorName', type: 'string' },
];

// The fields a peer method's result and EAPHost's share (EapPeerMethodResult, EapHostPeerMethodResult).
const methodResult = [
      { name: 'success', type: 'boolean' },
      { name: 'failureReasonCode', type: 'number' },
      { name: 'saveConnectionData', type: 'boolean' },
      { name: 'connectionData', type: 'buffer', empty: true },
      { name: 'saveUserData', type: 'boolean' },
      { name: 'userData', type: 'buffer', empty: true },
];

const parts = {
  // ---- records the addon builds for JS on every platform (declared types: result-types.ts) ----
  // A WLAN notification's ONEX_EAP_ERROR
  wlanEapError: {
    returns: 'NativeWlanEapError',
    declareType: 'ONEX_EAP_ERROR, when a WLAN notification carried one.',
    fields: [
      { name: 'winError', type: 'number' },
      { name: 'reasonCode', type: 'number', doc: 'EAP_E_*' },
      { name: 'type', type: 'number' },
      { name: 'authorId', type: 'number' },
      { name: 'rootCause', type: 'string', optional: true, doc: 'Its RootCauseString, when it carried one.' },
      { name: 'repair', type: 'string', optional: true },
    ],
  },
  // What WlanQueryInterface(current_connection) said at a wlanConnect timeout
  wlanCurrentConnection: {
    returns: 'NativeWlanCurrentConnection',
    declareType: 'WlanQueryInterface(wlan_intf_opcode_current_connection) at a wlanConnect timeout: its Win32 answer (5023 ERROR_INVALID_STATE: not connected) and the connection it gave.',
    fields: [
      { name: 'win32Error', type: 'number' },
      { name: 'state', type: 'number', optional: true, doc: 'WLAN_INTERFACE_STATE.' },
      { name: 'stateName', type: 'string', optional: true, doc: 'The state in words.' },
      { name: 'profileName', type: 'string', optional: true },
    ],
  },
  // EapHostPeerGetResult's result (RawEapHostResult)
  eapHostResult: {
    returns: 'RawEapHostResult',
    declareType: 'EapHostPeerGetResult\'s result: the method\'s, with the isolation state and the method.',
    fields: [
      ...methodResult,
      { name: 'attributes', type: 'attributes' },
      { name: 'isolationState', type: 'number' },
      { name: 'error', type: 'error', optional: true },
      { name: 'method', type: 'part', part: 'eapHostMethod', optional: true },
      { name: 'tls', type: 'part', part: 'eapHostTls', optional: true },
    ],
  },
  eapHostMethod: {
    returns: 'RawEapHostMethod',
    declareType: 'The method EapHostPeerGetResult names (EAP_METHOD_TYPE, its friendly name and its author\'s).',
    fields: eapHostMethod,
  },
  // What a TLS-based method of this package reported of its handshake (common/tls_outcome.h)
  eapHostTls: {
    returns: 'EapTlsOutcome',
    declareType: 'What the handshake of one of this package\'s TLS-based peer methods established, read from its result (never from its words): a public type, declared here once.',
    fields: [
      { name: 'version', type: 'number', doc: 'The negotiated TLS version\'s wire value (0x0303 TLS 1.2, 0x0304 TLS 1.3); 0 when the handshake did not complete.' },
      { name: 'ocspStaple', type: 'buffer', optional: true, doc: 'The OCSP response the server stapled (DER), when the peer asked for one (ocsp) and it stapled one.' },
      { name: 'serverCertificates', type: 'buffers', optional: true, doc: 'The certificates the server sent (DER, leaf first, as sent, TLS 1.3 included); absent when it sent none.' },
    ],
  },
  // What a TLS-based authenticator method of this package reported of its conversation, when its
  // configuration asked (common/conversation_facts.h)
  authenticatorFacts: {
    returns: 'AuthenticatorConversationFacts',
    declareType: 'What the conversation of one of this package\'s TLS-based authenticator methods established, read from its result when its configuration set privateAttributes.',
    fields: [
      { name: 'tlsVersion', type: 'number', doc: 'The negotiated TLS version\'s wire value (0x0303 TLS 1.2, 0x0304 TLS 1.3); 0 when no handshake completed.' },
      { name: 'resumed', type: 'boolean', doc: 'The handshake resumed an earlier session.' },
      { name: 'innerKind', type: 'number', doc: 'What ran inside the tunnel: 0 nothing, 1 an EAP method, 2 EAP-TTLS\'s AVP phase 2.' },
      { name: 'innerCode', type: 'number', doc: 'The inner EAP type (innerKind 1), or the phase-2 AVP method (innerKind 2: 1 PAP, 2 CHAP, 3 MS-CHAP, 4 MS-CHAP-V2); 0 with innerKind 0.' },
    ],
  },
  // One step of the embedded authenticator (AuthenticatorStep)
  authenticatorStep: {
    returns: 'ConversationStep',
    declareType: 'One step of the embedded authenticator: what to do next.',
    fields: [
      { name: 'kind', type: 'string', ts: '\'send\' | \'respond\' | \'success\' | \'failure\' | \'discard\'' },
      { name: 'packet', type: 'buffer', doc: 'The packet to send: absent when there is none (RESPOND, Discard, a failure without one).' },
      { name: 'timeoutMs', type: 'number' },
      { name: 'identity', type: 'string' },
      {
        name: 'askedIdentity',
        type: 'string',
        doc: 'The user a RESPOND step asks the store about (the method\'s User-Name attribute: for PEAP and\n' +
          'EAP-TTLS the inner identity, proven inside the tunnel; else the EAP identity), read natively\n' +
          'as the RADIUS server\'s store questions read it (native/hosts/known_answer.h).',
      },
      { name: 'attributes', type: 'attributes' },
      { name: 'failureReason', type: 'number' },
      { name: 'methodType', type: 'number' },
      { name: 'error', type: 'error', optional: true },
    ],
  },
  // The peer's act on one packet: in a driver job, or on its own (eapHostSessionReceive)
  peerAct: {
    returns: 'PeerAct',
    declareType: 'The peer\'s act on one packet: its action and, on a request, (send) its response; on the\n' +
      'outcome, (result) EapHostPeerGetResult\'s result.',
    fields: [
      { name: 'action', type: 'number' },
      { name: 'packet', type: 'buffer', optional: true },
      { name: 'result', type: 'part', part: 'eapHostResult', optional: true },
    ],
  },
  // A session a driver job began; its handle absent when the job ended it
  begunSession: {
    returns: 'NativeBegunSession',
    declareType: 'A session a driver job began: its handle absent when the job ended it.',
    fields: [
      { name: 'sessionId', type: 'number' },
      { name: 'notificationToken', type: 'number' },
      { name: 'connectionId', type: 'string', ts: 'string | undefined' },
      { name: 'handle', type: 'handle', optional: true },
    ],
  },
};

// Results built through a registered builder (configure's resultShapes), one JS call each.
const shapes = {
  // hostThreadStats() (module.cc)
  hostThreadStats: {
    returns: 'HostThreadStatsResult',
    declareType: 'The host thread\'s counters since the addon loaded, for the bench and tests.',
    fields: [
      { name: 'jobs', type: 'number', doc: 'Jobs run.' },
      { name: 'batches', type: 'number', doc: 'The batches (wake-ups) they ran in.' },
      { name: 'drains', type: 'number', doc: 'Drains of completions on the JS thread.' },
      { name: 'housekeeping', type: 'number', doc: 'The jobs among `jobs` that belong to no call (releases, heap trims).' },
      { name: 'aside', type: 'number', doc: 'The parts of in-process pairings run on the aside thread (not counted among `jobs`).' },
      { name: 'heapInUse', type: 'number', optional: true, doc: 'The bytes the C allocator holds for the program (glibc, or AddressSanitizer\'s), for leak checks; absent where the allocator does not say.' },
    ],
  },
  // An EAPOL port's stats() (eapol_port_binding.cc)
  eapolPortStats: {
    returns: 'EapolPortStats',
    declareType: 'What an EAPOL port has counted since it opened (its stats()): a public type, declared here once.',
    fields: [
      { name: 'received', doc: 'Well-formed frames for this station or the PAE group.' },
      { name: 'malformed', doc: 'Frames that failed validation (dropped).' },
      { name: 'ignored', doc: 'Our own frames looped back, or frames for another station.' },
      { name: 'sent' },
      { name: 'overflow', doc: 'Frames dropped because the event loop fell behind (the addon\'s queue is bounded).' },
      { name: 'kernelDrops', doc: 'Frames the kernel dropped before we read them (the socket\'s receive queue was full).' },
    ].map((field) => ({ ...field, type: 'number' })),
  },
  // ---- what `eaphost register` reads from Windows (method_registration_binding.cc) ----
  // A value's data: a text, a number, or undefined (a type not read).
  registryValue: {
    returns: 'NativeRegistryValue',
    union: true,
    declareType: 'A value of the Methods key as EAPHost reads it; an empty name is the key\'s default value.',
    // Its TS type: one member per value type, told apart by `type`.
    variants: {
      by: 'type',
      of: [
        { is: '\'sz\' | \'expandSz\'', members: { data: 'string' } },
        { is: '\'dword\'', members: { data: 'number' } },
        { is: '\'other\'' },
      ],
    },
    fields: [
      { name: 'name', type: 'string' },
      { name: 'type', type: 'string', ts: 'NativeRegistryValue[\'type\']' },
      { name: 'data', type: 'value', ts: 'string | number | undefined' },
    ],
  },
  registryKey: {
    returns: 'NativeRegistryKey',
    declareType: 'A key below EAPHost\'s Methods key: its values and the names of its subkeys.',
    fields: [
      { name: 'values', type: 'list', ts: 'NativeRegistryValue' },
      { name: 'subkeys', type: 'list', ts: 'string' },
    ],
  },
  securityAce: {
    returns: 'NativeSecurityAce',
    declareType: 'An ACCESS_ALLOWED or ACCESS_DENIED ACE, its generic rights mapped to the file\'s own.',
    fields: [
      { name: 'allow', type: 'boolean' }, { name: 'sid', type: 'string' },
      { name: 'mask', type: 'number' }, { name: 'flags', type: 'number' },
    ],
  },
  fileSecurity: {
    returns: 'NativeFileSecurity',
    declareType: 'A file\'s owner and DACL (fileSecurity()).',
    fields: [
      { name: 'owner', type: 'string' },
      { name: 'nullDacl', type: 'boolean', doc: 'No DACL at all: everyone may do anything.' },
      { name: 'aces', type: 'list', ts: 'NativeSecurityAce' },
      { name: 'otherAces', type: 'number', doc: 'ACEs of other types (object, callback), not read.' },
    ],
  },
  windowsPlatform: {
    returns: 'NativeWindowsPlatform',
    declareType: 'IMAGE_FILE_MACHINE_* of the OS (IsWow64Process2) and of this process under WOW64 (else 0), whether Wine runs it, Program Files, and the code page console programs write in.',
    fields: [
      { name: 'nativeMachine', type: 'number' }, { name: 'processMachine', type: 'number' },
      { name: 'wine', type: 'boolean' }, { name: 'programFiles', type: 'string' },
      { name: 'consoleCodePage', type: 'number', doc: 'GetConsoleOutputCP (chcp), or GetOEMCP without a console: 932, 936, 949, 437...' },
    ],
  },
  networkAdapter: {
    returns: 'NativeNetworkAdapter',
    declareType: 'A network adapter as GetAdaptersAddresses lists it: its friendly name, its interface GUID ("{…}") and its IF_TYPE (6 Ethernet, 71 Wi-Fi).',
    fields: [{ name: 'friendlyName', type: 'string' }, { name: 'guid', type: 'string' }, { name: 'ifType', type: 'number' }],
  },
  serviceDependent: {
    returns: 'NativeServiceDependent',
    declareType: 'A service that depends on the one serviceControl() acted on, and its state.',
    fields: [{ name: 'name', type: 'string' }, { name: 'state', type: 'number' }],
  },
  serviceState: {
    returns: 'NativeServiceState',
    declareType: 'A Windows service\'s state after serviceControl()\'s action, and its dependents\', as SERVICE_* state numbers (1 stopped, 4 running).',
    fields: [{ name: 'state', type: 'number' }, { name: 'dependents', type: 'list', ts: 'NativeServiceDependent' }],
  },
  // ---- EAPHost's configuration API (eap_config_binding.cc, eap_config_ui_binding.cc) ----
  eapConfigInputField: {
    returns: 'EapConfigInputField',
    declareType: 'One credential field (EAP_CONFIG_INPUT_FIELD_DATA).',
    fields: [
      { name: 'type', type: 'number' }, { name: 'flags', type: 'number' },
      { name: 'label', type: 'string' }, { name: 'data', type: 'string' },
      { name: 'minLength', type: 'number' }, { name: 'maxLength', type: 'number' },
    ],
  },
  eapInteractiveUiData: {
    returns: 'EapInteractiveUiData',
    declareType: 'EAP_INTERACTIVE_UI_DATA: credential requests carry `fields`; expiry requests the current and new credentials.',
    fields: [
      { name: 'type', type: 'number' },
      { name: 'fields', type: 'list', ts: 'EapConfigInputField', optional: true },
      { name: 'currentFields', type: 'list', ts: 'EapConfigInputField', optional: true },
      { name: 'newFields', type: 'list', ts: 'EapConfigInputField', optional: true },
    ],
  },
  eapMethodProperty: {
    returns: 'EapMethodProperty',
    declareType: 'EAP_METHOD_PROPERTY.',
    fields: [
      { name: 'type', type: 'number', doc: 'EAP_METHOD_PROPERTY_TYPE.' },
      { name: 'name', type: 'string', facade: true, optional: true },
      { name: 'valueType', type: 'number' },
      { name: 'value', type: 'value', ts: 'boolean | number | Buffer' },
    ],
  },
  eapConfigBlob: {
    returns: 'NativeConfigBlob',
    declareType: 'eapHostConfigXml2Blob()\'s result: the method the configuration is for, and its blob.',
    fields: [{ name: 'methodType', type: 'value', ts: 'EapMethodTypeInfo' }, { name: 'config', type: 'buffer', empty: true, ts: 'Buffer' }],
  },
  eapCredentialsBlob: {
    returns: 'NativeCredentialsBlob',
    declareType: 'eapHostCredentialsXml2Blob()\'s result: the method the credentials are for, and their blob.',
    fields: [{ name: 'methodType', type: 'value', ts: 'EapMethodTypeInfo' }, { name: 'credentials', type: 'buffer', empty: true, ts: 'Buffer' }],
  },
  eapUiIdentity: {
    returns: 'NativeUiIdentity',
    declareType: 'eapHostInvokeIdentityUI()\'s result: the identity the user gave, and the user data.',
    fields: [{ name: 'identity', type: 'string' }, { name: 'userData', type: 'buffer', empty: true, ts: 'Buffer' }],
  },
  // A WLAN notification wlanConnect passes on (wlan_connect_binding.cc)
  wlanNotice: {
    returns: 'NativeWlanNotice',
    declareType: 'A WLAN notification wlanConnect passes on (ACM or 802.1X), decoded.',
    fields: [
      { name: 'source', type: 'string', ts: '\'acm\' | \'onex\'' },
      { name: 'code', type: 'number', doc: 'WLAN_NOTIFICATION_DATA.NotificationCode.' },
      { name: 'name', type: 'string', doc: 'e.g. \'connection_start\', \'connection_complete\', \'result_update\', \'auth_restarted\'.' },
      { name: 'profileName', type: 'string', optional: true },
      { name: 'wlanReasonCode', type: 'number', optional: true, doc: 'WLAN_CONNECTION_NOTIFICATION_DATA.wlanReasonCode.' },
      { name: 'authStatus', type: 'number', optional: true, doc: 'ONEX_RESULT_UPDATE_DATA.oneXStatus: ONEX_AUTH_STATUS, ONEX_REASON_CODE, Win32 error.' },
      { name: 'onexReason', type: 'number', optional: true },
      { name: 'onexError', type: 'number', optional: true },
      { name: 'backendEngaged', type: 'boolean', optional: true },
      { name: 'eapError', type: 'part', part: 'wlanEapError', optional: true },
      { name: 'restartReason', type: 'number', optional: true, doc: 'ONEX_AUTH_RESTART_REASON.' },
      { name: 'problem', type: 'string', optional: true, doc: 'A notification whose sizes did not hold together: what was wrong (nothing past it was read).' },
    ],
  },
  // wlanConnect's outcome (wlan_connect_binding.cc)
  wlanConnectOutcome: {
    returns: 'NativeWlanConnectOutcome',
    declareType: 'How a wlanConnect attempt ended.',
    fields: [
      { name: 'interfaceGuid', type: 'string', optional: true },
      { name: 'interfaceDescription', type: 'string', optional: true },
      { name: 'completed', type: 'boolean', doc: 'ACM connection_complete came.' },
      { name: 'wlanReasonCode', type: 'number', optional: true, doc: 'connection_complete\'s wlanReasonCode (0: connected).' },
      { name: 'timedOut', type: 'boolean' },
      { name: 'cancelled', type: 'boolean' },
      { name: 'win32Error', type: 'number', optional: true, doc: 'A call that failed before any notification could answer.' },
      { name: 'call', type: 'string', optional: true },
      { name: 'message', type: 'string', optional: true },
      { name: 'noInterface', type: 'boolean' },
      { name: 'perUserProfile', type: 'boolean', doc: 'WlanConnect refused with 87 and the profile is a per-user one.' },
      { name: 'session', type: 'number', optional: true, doc: 'This process\'s session (0: a service, no interactive user).' },
      { name: 'malformed', type: 'number' },
      { name: 'ignored', type: 'number', doc: 'Notifications of another profile\'s attempt on the interface (an auto-connect in flight): not ours, not sent.' },
      { name: 'dropped', type: 'number' },
      { name: 'currentConnection', type: 'part', part: 'wlanCurrentConnection', optional: true },
      { name: 'alreadyConnected', type: 'boolean', doc: 'The query found the interface connected to our profile: our success, with no connection_complete.' },
    ],
  },
  // A list of attributes alone: the builder returns the list itself.
  attributes: {
    returns: 'EapAttribute[]',
    packed: true,
    fields: [{ name: 'list', type: 'attributes' }],
    unwrap: 'list',
  },
  result: { returns: 'RawEapHostResult', packed: true, part: 'eapHostResult' },
  session: {
    returns: 'NativeEapHostSession',
    declareType: 'A session EapHostPeerBeginSession began.',
    fields: [
      { name: 'handle', type: 'handle', ts: 'NativeHandle' },
      { name: 'sessionId', type: 'number' },
      { name: 'notificationToken', type: 'number' },
      { name: 'connectionId', type: 'string', ts: 'string | undefined', doc: 'The connection ID the call made, when it was given none.' },
    ],
  },
  // What every driver call (conversation_binding.cc) settles: one kind per place it stopped.
  conversation: {
    returns: 'ConversationResult',
    union: true,
    packed: true,
    declareType: 'What every driver call settles, by where it stopped (`kind`): each kind carries what it\n' +
      'stopped with.',
    variants: {
      by: 'kind',
      of: [
        { is: '\'transport\' | \'answer\' | \'discard\' | \'outcome\'', members: { step: 'ConversationStep' } },
        { is: '\'peer\'', members: { peer: 'PeerAct' } },
        { is: '\'error\'', members: { error: 'EapError' } },
      ],
    },
    fields: [
      { name: 'kind', type: 'string', ts: 'ConversationStopped' },
      { name: 'conversation', type: 'handle', optional: true, doc: 'conversationBegin\'s new conversation, unless the job reached its outcome (and closed it).' },
      { name: 'rounds', type: 'number', doc: 'The peer\'s responses the job handed to the authenticator.' },
      { name: 'packets', type: 'buffers', optional: true, doc: 'With keepPackets and a peer: every packet passed, in order, the authenticator\'s first.' },
      { name: 'error', type: 'error', optional: true },
      {
        name: 'step',
        type: 'part',
        part: 'authenticatorStep',
        optional: true,
        doc: 'The authenticator\'s step where the job stopped; its packet left out when a peer took it and\n' +
          'keepPackets is off.',
      },
      { name: 'peer', type: 'part', part: 'peerAct', optional: true, doc: 'The in-process peer\'s last act in the job.' },
      { name: 'session', type: 'part', part: 'begunSession', optional: true, doc: 'The session the job began: its handle absent when the job ended it.' },
      { name: 'endError', type: 'error', optional: true, doc: 'EapHostPeerEndSession\'s failure, when the job ended the session it began.' },
    ],
  },
  // eapHostSessionReceive's: the peer's act on a request or an outcome.
  peerAct: { returns: 'PeerAct', packed: true, part: 'peerAct' },
  // The RADIUS engine's batch for JS (radius_engine_binding.cc)
  engineEvents: {
    returns: 'RadiusEngineEvents',
    packed: true,
    declareType: 'What the engine has for JS, in one call on the event loop (a list with nothing in it is absent).',
    fields: [
      { name: 'records', type: 'list', ts: 'RadiusEngineRecord', optional: true },
      { name: 'questions', type: 'questions', optional: true },
      { name: 'authorizations', type: 'list', ts: 'RadiusEngineAuthorization', optional: true, doc: 'Verdicts that succeeded, for authorize(): answer each with authorized().' },
      { name: 'replies', type: 'list', ts: 'RadiusEngineReply', optional: true, doc: 'For RadSec connections: JS writes them before it reads the records (a verdict before its log line).' },
      { name: 'broken', type: 'list', ts: 'number', optional: true, doc: 'RadSec connections whose framing broke (a Length out of range, RFC 6614 §2.5): close them.' },
      { name: 'accounting', type: 'list', ts: 'RadiusEngineAccounting', optional: true, doc: 'Accounting-Requests to record: answer each with accounted().' },
      { name: 'proxyConnects', type: 'list', ts: 'number', optional: true, doc: 'Routes (by index) whose RadSec home needs a connection: open it, then say how it went with proxyHome().' },
      { name: 'proxyDiscovers', type: 'list', ts: 'string', optional: true, doc: 'Realms no route names whose home RFC 7585 discovery must find (discovery routes given): answer each with proxyDiscovered().' },
      { name: 'answers', type: 'list', ts: 'RadiusEngineReply', optional: true, doc: 'Disconnect- and CoA-ACKs and NAKs RadSec connections brought (reverse CoA), whole and unchecked.' },
      { name: 'spoolAcknowledged', type: 'list', ts: 'number', optional: true, doc: 'Spooled Accounting-Requests (spool()\'s ids) their home acknowledged: delete them from the spool.' },
      { name: 'spoolUnanswered', type: 'list', ts: 'number', optional: true, doc: 'Spooled Accounting-Requests no home acknowledged in time: kept, sent again later.' },
    ],
  },
  // ---- method modules and EAPHost (methods/, eaphost/) ----
  // EapHostPeerGetIdentity / EapPeerGetIdentity
  identity: {
    returns: 'NativeIdentity',
    declareType: 'EapHostPeerGetIdentity / EapPeerGetIdentity.',
    fields: [
      { name: 'invokeUI', type: 'boolean' }, { name: 'userData', type: 'buffer', empty: true, ts: 'Buffer' },
      { name: 'identity', type: 'string' },
    ],
  },
  eapHostMethodInfo: {
    returns: 'RawMethodInfo',
    declareType: 'One entry of EapHostPeerGetMethods.',
    fields: [{ name: 'type', type: 'number' }, { name: 'vendorId', type: 'number' }, { name: 'vendorType', type: 'number' }, { name: 'authorId', type: 'number' }, { name: 'friendlyName', type: 'string' }, { name: 'authorName', type: 'string' }, { name: 'properties', type: 'number' }],
  },
  authStatus: {
    returns: 'NativeAuthStatus',
    declareType: 'EapHostPeerGetAuthStatus(EapHostPeerAuthStatus)\'s EAPHOST_AUTH_INFO.',
    fields: [{ name: 'status', type: 'number' }, { name: 'errorCode', type: 'number' }, { name: 'reasonCode', type: 'number' }],
  },
  loadedPeerMethod: {
    returns: 'NativeLoadedMethod',
    declareType: 'A method module loaded: its handle and the EAP type it serves.',
    fields: [{ name: 'handle', type: 'handle', ts: 'NativeHandle' }, { name: 'type', type: 'number' }, { name: 'vendorId', type: 'number' }, { name: 'vendorType', type: 'number' }],
  },
  loadedAuthenticatorMethod: {
    returns: 'NativeLoadedMethod & { authorId: number }',
    fields: [{ name: 'handle', type: 'handle', ts: 'NativeHandle' }, { name: 'type', type: 'number' }, { name: 'vendorId', type: 'number' }, { name: 'vendorType', type: 'number' }, { name: 'authorId', type: 'number' }],
  },
  credentialField: {
    returns: 'RawCredentialField',
    declareType: 'One field of EapPeerQueryCredentialInputFields (a method module\'s own query).',
    fields: [{ name: 'type', type: 'number' }, { name: 'flags', type: 'number' }, { name: 'label', type: 'string' }, { name: 'minLength', type: 'number' }, { name: 'maxLength', type: 'number' }],
  },
  // EapPeerGetResult's (peer_session_binding.cc)
  peerMethodResult: {
    returns: 'RawPeerMethodResult',
    declareType: 'EapPeerGetResult\'s result, as a peer method module\'s session reports it.',
    fields: [
      ...methodResult,
      { name: 'attributes', type: 'value', ts: 'EapAttribute[]' },
      { name: 'error', type: 'error', optional: true },
    ],
  },
  peerOutput: {
    returns: 'NativePeerOutput',
    declareType: 'EapPeerProcessRequestPacket\'s (and the UI and attribute calls\') output: the action and whether notifications are allowed.',
    fields: [{ name: 'action', type: 'number' }, { name: 'allowNotifications', type: 'boolean' }],
  },
  authenticatorPacket: {
    returns: 'NativeAuthenticatorPacket',
    declareType: 'EapMethodAuthenticatorSendPacket\'s packet and its timeout.',
    fields: [{ name: 'packet', type: 'buffer', empty: true, ts: 'Buffer' }, { name: 'timeout', type: 'number' }],
  },
  authenticatorResult: {
    returns: 'RawAuthenticatorMethodResult',
    declareType: 'EapMethodAuthenticatorGetResult\'s result.',
    fields: [
      { name: 'success', type: 'boolean' }, { name: 'failureReason', type: 'number' },
      { name: 'attributes', type: 'value', ts: 'EapAttribute[]' }, { name: 'error', type: 'error', optional: true },
      { name: 'established', type: 'part', part: 'authenticatorFacts', optional: true },
    ],
  },
  // ---- Windows' profile installation and the user's store (profile_install_binding.cc) ----
  wlanInterface: {
    returns: 'NativeWlanInterface',
    declareType: 'A WLAN interface as Native Wifi lists it (WLAN_INTERFACE_INFO).',
    fields: [{ name: 'guid', type: 'string' }, { name: 'description', type: 'string' }, { name: 'state', type: 'string' }],
  },
  userStoreKey: {
    returns: 'NativeStoreKey',
    declareType: 'A certificate the user\'s store holds: whether its private key is there too.',
    fields: [{ name: 'hasKey', type: 'boolean' }],
  },
  // ---- the objects the exports return: their data members (the methods join them) ----
  eapolPort: {
    returns: 'Pick<NativeEapolPort, \'interfaceName\' | \'address\' | \'mtu\'>',
    fields: [{ name: 'interfaceName', type: 'string' }, { name: 'address', type: 'buffer', empty: true, ts: 'Buffer' }, { name: 'mtu', type: 'number' }],
  },
  radiusPort: { returns: 'Pick<NativeRadiusEngine, \'port\'>', fields: [{ name: 'port', type: 'number' }] },
  wlanAttempt: {
    returns: 'Pick<NativeWlanConnect, \'outcome\'>',
    fields: [{ name: 'outcome', type: 'value', ts: 'Promise<NativeWlanConnectOutcome>' }],
  },
  policyVerdict: {
    returns: 'NativePolicyVerdict',
    declareType: 'What a compiled policy says of a request: the first rule that matches (-1: none), whether it rejects, and the attributes its reply makes.',
    packed: true,
    fields: [
      { name: 'rule', type: 'number' }, { name: 'reject', type: 'boolean' },
      { name: 'attributes', type: 'attributes', ts: '{ type: number; value: Buffer }[]' },
    ],
  },
  // ---- the RADIUS engine's records for JS (radius_engine_binding.cc) ----
  radiusEngineRecord: {
    returns: 'RadiusEngineRecord',
    declareType: 'A conversation that ended with a verdict.',
    packed: true,
    fields: [
      { name: 'client', type: 'string' },
      { name: 'identity', type: 'buffer', empty: true, ts: 'Buffer', doc: 'The first Access-Request\'s User-Name.' },
      { name: 'eapType', type: 'number' }, { name: 'accept', type: 'boolean' }, { name: 'roundTrips', type: 'number' },
      { name: 'durationMs', type: 'number' }, { name: 'resumed', type: 'number', doc: '-1: the method did not say.' },
      { name: 'stepFailed', type: 'boolean' },
      {
        name: 'nasAttributes',
        type: 'attributes',
        ts: '{ type: number; value: Buffer }[]',
        doc: 'What names the session at its NAS, from the first Access-Request: NAS-IP-Address,\n' +
          'Calling-Station-Id, NAS-Identifier, Acct-Session-Id, NAS-IPv6-Address (RFC 5176 §3), and Operator-Name\n' +
          '(RFC 5580), which reverse CoA routes by.',
      },
      { name: 'error', type: 'error', optional: true },
      { name: 'home', type: 'string', doc: 'The home server that gave a proxied verdict (its URL); empty when answered here.' },
      { name: 'link', type: 'number', doc: 'The RadSec connection the first Access-Request came on (reverse CoA goes down it); 0: over UDP.' },
    ],
  },
  // An Accounting-Request to record (radius_handler_accounting.cc), answered by accounted().
  radiusEngineAccounting: {
    returns: 'RadiusEngineAccounting',
    declareType: 'An Accounting-Request whose Request Authenticator is right (RFC 2866 §3), to record.',
    packed: true,
    fields: [
      { name: 'id', type: 'number' }, { name: 'client', type: 'string', doc: 'The NAS: the request\'s source address.' },
      { name: 'realm', type: 'string', doc: 'Its realm when a route sends that realm to a home server: spool it (spool()); else empty.' },
      { name: 'home', type: 'string', doc: 'With a realm: the URL of the home its realm\'s pool picks now, which the spooled request is sent to (spool()).' },
      {
        name: 'attributes', type: 'attributes', ts: '{ type: number; value: Buffer }[]',
        doc: 'As the request carried them, Proxy-State and Message-Authenticator left out.',
      },
    ],
  },
  radiusEngineAuthorization: {
    returns: 'RadiusEngineAuthorization',
    declareType: 'A request that authenticated, as the policy sees it (\'\' / -1: the request had none).',
    fields: [
      { name: 'question', type: 'number' }, { name: 'client', type: 'string' }, { name: 'user', type: 'string' },
      { name: 'userName', type: 'string' }, { name: 'method', type: 'number', doc: 'The EAP type; 256 PAP, 257 MAB.' },
      { name: 'nasIdentifier', type: 'string' },
      { name: 'nasAddress', type: 'string' }, { name: 'calledStationId', type: 'string' },
      { name: 'callingStationId', type: 'string' }, { name: 'ssid', type: 'string' }, { name: 'nasPortType', type: 'number' },
    ],
  },
  // A datagram for a stream (a RadSec connection) to write: the engine's replies, the client's requests.
  radiusStreamWrite: {
    returns: 'RadiusEngineReply',
    declareType: 'A datagram for a stream (a RadSec connection) to write: the engine\'s replies, the client\'s requests.',
    fields: [{ name: 'link', type: 'number' }, { name: 'datagram', type: 'buffer', empty: true, ts: 'Buffer' }],
  },
  radiusDtlsPeer: {
    returns: 'RadiusDtlsPeer',
    declareType: 'A RADIUS/DTLS association\'s peer (dtlsPeer()).',
    fields: [
      { name: 'address', type: 'string', doc: 'A literal; empty when no association holds the link.' },
      { name: 'port', type: 'number' },
    ],
  },
  radiusEngineStreamCut: {
    returns: 'RadiusEngineStreamCut',
    declareType: 'What stream() did with a connection\'s bytes.',
    fields: [
      { name: 'packets', type: 'number', doc: 'Whole packets answered (as the engine answers a UDP datagram).' },
      {
        name: 'backlog',
        type: 'boolean',
        doc: 'Whole packets wait past this turn\'s share: read no more of the connection, and call\n' +
          'stream() with no bytes a turn later.',
      },
    ],
  },
  dasStreamCut: {
    returns: 'DynamicAuthorizationStreamCut',
    declareType: 'What the Dynamic Authorization Server\'s stream() did with a RadSec connection\'s bytes.',
    fields: [
      { name: 'packets', type: 'number', doc: 'Whole packets handled.' },
      { name: 'backlog', type: 'boolean', doc: 'Whole packets wait past this turn\'s share: read no more of the connection, and call\nstream() with no bytes a turn later.' },
      { name: 'broke', type: 'boolean', doc: 'Its framing broke (a Length out of range, RFC 6614 §2.5): close it.' },
      { name: 'replies', type: 'list', ts: 'Buffer', doc: 'What was answered at once (NAKs, replays, Protocol-Errors), to write to it in order.' },
    ],
  },
  // One attribute as native/radius's dictionary reads it (radiusAttributesDecode, radius_policy_binding.cc)
  // Each RADIUS client's tally (radius_lane_clients.h), for serve --metrics.
  radiusClientTally: {
    returns: 'RadiusClientTally',
    declareType: 'What one RADIUS client (a NAS, by source address; "other" past 4096 of them) sent and was sent, and how it\n' +
      'signs its requests: Message-Authenticator valid, invalid or absent, Proxy-State without one (BlastRADIUS).',
    fields: [
      { name: 'client', type: 'string' },
      { name: 'accessRequests', type: 'number' }, { name: 'accountingRequests', type: 'number' },
      { name: 'statusServer', type: 'number' }, { name: 'accepts', type: 'number' }, { name: 'rejects', type: 'number' },
      { name: 'challenges', type: 'number' }, { name: 'accountingResponses', type: 'number' },
      { name: 'valid', type: 'number', doc: 'Requests whose Message-Authenticator was right.' },
      { name: 'invalid', type: 'number', doc: 'Requests whose Message-Authenticator was wrong.' },
      { name: 'absent', type: 'number', doc: 'Requests without Message-Authenticator.' },
      { name: 'proxyStateWithout', type: 'number', doc: 'Requests with Proxy-State and no Message-Authenticator.' },
      { name: 'lastValidMs', type: 'number', doc: 'When each was last seen, ms since 1970; 0: never.' },
      { name: 'lastInvalidMs', type: 'number' }, { name: 'lastAbsentMs', type: 'number' },
      { name: 'lastProxyStateWithoutMs', type: 'number' },
    ],
  },
  // Each home server's counts (radius_proxy_tally.h) and a pooled one's state (radius_proxy_health.h),
  // read at each scrape (serve --metrics).
  radiusProxyHomeTally: {
    returns: 'RadiusProxyHomeTally',
    declareType: 'A home server of the proxy (its URL): what was sent to it and what it answered, counted, and a pooled\n' +
      'one\'s state now.',
    fields: [
      { name: 'url', type: 'string' },
      { name: 'pooled', type: 'boolean', doc: 'In a pool of several: its state is judged.' },
      { name: 'state', type: 'number', doc: 'A pooled home\'s state now: 0 alive, 1 zombie, 2 dead.' },
      { name: 'accessRequests', type: 'number', doc: 'Requests sent to it (each once, however often it was sent again).' },
      { name: 'accountingRequests', type: 'number' },
      { name: 'accepts', type: 'number', doc: 'Its answers, by code.' },
      { name: 'rejects', type: 'number' }, { name: 'challenges', type: 'number' }, { name: 'accountingResponses', type: 'number' },
      { name: 'timeouts', type: 'number', doc: 'Requests it left unanswered through every try.' },
      { name: 'failovers', type: 'number', doc: 'Requests sent past it, moved off it, or refused because it is dead (pools).' },
      { name: 'bounds', type: 'list', ts: 'number', doc: 'Each latency bucket\'s upper bound, in seconds.' },
      { name: 'buckets', type: 'list', ts: 'number', doc: 'Answers at most each bound after their request was sent (cumulative).' },
      { name: 'answers', type: 'number', doc: 'The latency\'s count: every answer.' },
      { name: 'sumSeconds', type: 'number' },
    ],
  },
  // Each verdict counted by the engine (radius_lane_verdicts.h), read at each scrape (serve --metrics).
  radiusVerdictTally: {
    returns: 'RadiusVerdictTally',
    declareType: 'Verdicts of one client (its source address; "other" past 4096), method, inner method, outcome and reason, counted.',
    fields: [
      { name: 'client', type: 'string' },
      { name: 'method', type: 'number', doc: 'The EAP type that decided (1: only Identity was seen); 256 PAP, 257 MAB.' },
      {
        name: 'inner',
        type: 'number',
        doc: 'A tunnel\'s inner method: its EAP type, or EAP-TTLS\'s AVP phase 2 (257 PAP, 258 CHAP, 259\n' +
          'MS-CHAP, 260 MS-CHAP-V2); 0 for none.',
      },
      { name: 'accept', type: 'boolean' },
      { name: 'reason', type: 'string', doc: 'Why a reject (radius_lane_verdicts.h\'s names); \'\' for an accept.' },
      { name: 'count', type: 'number' },
    ],
  },
  radiusDurationTally: {
    returns: 'RadiusDurationTally',
    declareType: 'One method\'s times from first request to verdict, in fixed buckets.',
    fields: [
      { name: 'method', type: 'number' },
      { name: 'bounds', type: 'list', ts: 'number', doc: 'Each bucket\'s upper bound, in seconds.' },
      { name: 'buckets', type: 'list', ts: 'number', doc: 'Verdicts at most each bound (cumulative).' },
      { name: 'count', type: 'number' }, { name: 'sumSeconds', type: 'number' },
    ],
  },
  radiusTlsTally: {
    returns: 'RadiusTlsTally',
    declareType: 'Verdicts of a TLS method whose handshake completed, by its version and whether it resumed a session.',
    fields: [
      { name: 'method', type: 'number' }, { name: 'version', type: 'number', doc: 'The wire value, 0x0303 for TLS 1.2.' },
      { name: 'resumed', type: 'boolean' }, { name: 'count', type: 'number' },
    ],
  },
  radiusEngineVerdicts: {
    returns: 'RadiusEngineVerdicts',
    declareType: 'What the engine counted of its verdicts: outcomes, times and TLS handshakes.',
    fields: [
      { name: 'outcomes', type: 'list', ts: 'RadiusVerdictTally' },
      { name: 'durations', type: 'list', ts: 'RadiusDurationTally' },
      { name: 'tls', type: 'list', ts: 'RadiusTlsTally' },
      { name: 'ruleHits', type: 'list', ts: 'number', doc: 'The verdicts each rule of the policy decided, by the rule\'s index.' },
    ],
  },
  radiusDecodedAttribute: {
    returns: 'RadiusDecodedAttribute',
    declareType: 'One attribute as native/radius\'s dictionary reads it (radiusAttributesDecode).',
    fields: [
      { name: 'type', type: 'number' }, { name: 'name', type: 'string', doc: 'The dictionary\'s name, Attr-N when it has none.' },
      { name: 'format', type: 'string', ts: 'RadiusValueFormat' },
      { name: 'value', type: 'value', ts: 'string | number', doc: 'integer: a number; string: the text; an address or a prefix as text; octets: hex.' },
      { name: 'tag', type: 'number', optional: true, doc: 'The RFC 2868 tag ahead of the value, when it has one.' },
      {
        name: 'vendor',
        type: 'number',
        optional: true,
        doc: 'Vendor-Specific: the vendor, and its attribute type when the value holds one vendor attribute.',
      },
      { name: 'vendorType', type: 'number', optional: true },
      { name: 'error', type: 'string', optional: true, doc: 'Why the value does not decode under its type (it is then octets).' },
    ],
  },
  // ---- the Dynamic Authorization Server's lane (dynamic_authorization_binding.cc) ----
  dasSession: {
    returns: 'DasSessionIdentification',
    declareType: 'A Disconnect- or CoA-Request\'s session identification (RFC 5176 §3), decoded: text attributes\\n' +
      'as UTF-8, Framed-IP-Address as a dotted quad. The DAS\'s policy (DasRequest) gets it as it is.',
    fields: [
      { name: 'userName', type: 'string', optional: true },
      { name: 'callingStationId', type: 'string', optional: true },
      { name: 'calledStationId', type: 'string', optional: true },
      { name: 'acctSessionId', type: 'string', optional: true },
      { name: 'acctMultiSessionId', type: 'string', optional: true },
      { name: 'nasPort', type: 'number', optional: true },
      { name: 'nasPortId', type: 'string', optional: true },
      { name: 'framedIpAddress', type: 'string', optional: true },
      { name: 'chargeableUserIdentity', type: 'buffer', optional: true },
    ],
  },
  dasRequest: {
    returns: 'NativeDasRequest',
    declareType: 'A request that passed every check, decoded, for the policy.',
    packed: true,
    fields: [
      { name: 'id', type: 'number', doc: 'What verdict() names it by.' },
      { name: 'client', type: 'string', doc: 'The address it came from, as the socket saw it.' },
      { name: 'link', type: 'number', doc: 'The RadSec connection (or RADIUS/DTLS association) it came over; 0: a UDP datagram.' },
      { name: 'disconnect', type: 'boolean' },
      { name: 'session', type: 'value', ts: 'DasSessionIdentification' },
      { name: 'sessionTimeout', type: 'number', optional: true },
      { name: 'authorizeOnlyState', type: 'buffer', optional: true, doc: 'CoA Authorize Only, with its State.' },
      { name: 'attributes', type: 'attributes', ts: '{ type: number; value: Buffer }[]' },
    ],
  },
  dasStats: {
    returns: 'DynamicAuthorizationServerStats',
    declareType: 'What a DynamicAuthorizationServer has counted (its `stats`): the lane\'s own counts.',
    counts: true,
    fields: [
      { name: 'requests' }, { name: 'acks' }, { name: 'naks' },
      { name: 'duplicates', doc: 'Retransmissions and replays answered from the cache, not carried out again.' },
      { name: 'droppedUnknownClient' }, { name: 'droppedMalformed' },
      { name: 'droppedUnauthenticated', doc: 'A wrong Request Authenticator or Message-Authenticator: a wrong secret, or forged.' },
      { name: 'droppedNoMessageAuthenticator' },
      { name: 'droppedStale', doc: 'Event-Timestamp missing (when required) or outside the window.' },
      { name: 'protocolErrors', doc: 'RadSec requests refused with a Protocol-Error: from a client no entry contains, or of another kind.' },
    ].map((field) => ({ ...field, type: 'number' })),
  },
  // ---- the RADIUS client engine's (radius_client_binding.cc) ----
  radiusClientOutcome: {
    returns: 'RadiusClientOutcome',
    declareType: 'One request\'s outcome: a verified reply, or why there is none.',
    packed: true,
    fields: [
      { name: 'id', type: 'number' }, { name: 'kind', type: 'number', doc: 'RadiusClientOutcomeKind.' },
      { name: 'sent', type: 'number', doc: 'Transmissions made.' },
      { name: 'elapsedMs', type: 'number', doc: 'From the first transmission to the outcome.' },
      { name: 'code', type: 'number', optional: true, doc: 'A reply (kind Reply), verified and decoded.' },
      { name: 'identifier', type: 'number', optional: true },
      { name: 'authenticator', type: 'buffer', optional: true },
      { name: 'attributes', type: 'attributes', ts: '{ type: number; value: Buffer }[]', doc: 'The reply\'s; none without one.' },
      { name: 'keys', type: 'buffers', optional: true, doc: 'The reply\'s MPPE keys revealed, in the clear layout.' },
      { name: 'eap', type: 'buffer', optional: true, doc: 'The reply\'s EAP-Message attributes joined, or why they make no EAP packet.' },
      { name: 'eapMalformed', type: 'string', optional: true },
      { name: 'unauthenticated', type: 'number', optional: true, doc: 'No reply: the replies dropped, by why.' },
      ...['messageAuthenticatorInvalid', 'messageAuthenticatorMissing', 'malformed', 'stray', 'misaddressed']
        .map((name) => ({ name, type: 'number', optional: true })),
    ],
  },
  radiusClientEvents: {
    returns: 'RadiusClientEvents',
    declareType: 'What the client engine has for JS (a list with nothing in it is absent).',
    fields: [
      { name: 'outcomes', type: 'list', ts: 'RadiusClientOutcome', optional: true },
      { name: 'writes', type: 'list', ts: 'RadiusEngineReply', optional: true, doc: 'Datagrams for stream targets, to write in order.' },
      { name: 'broken', type: 'list', ts: 'number', optional: true, doc: 'Streams whose framing broke (a Length out of range): the connection cannot go on.' },
      {
        name: 'resumed',
        type: 'list',
        ts: 'number',
        optional: true,
        doc: 'Streams stream() asked to stop reading (it returned true) whose bytes the engine has taken:\n' +
          'read them again.',
      },
      {
        name: 'requests',
        type: 'list',
        ts: 'RadiusEngineReply',
        optional: true,
        doc: 'Disconnect-Requests and CoA-Requests a stream brought (reverse CoA), each a whole packet, unchecked.',
      },
      { name: 'loadDone', type: 'boolean', optional: true, doc: 'The load run is over (after its last outcome).' },
    ],
  },
  radiusDtlsEvents: {
    returns: 'RadiusDtlsEvents',
    declareType: 'What a RADIUS/DTLS association has for JS since the last batch (a list with nothing in it is absent).',
    fields: [
      { name: 'connected', type: 'boolean', optional: true, doc: 'The handshake has ended and the server\'s chain reached the CA.' },
      { name: 'certificates', type: 'buffers', optional: true, doc: 'With connected: the server\'s chain, DER, the leaf first.' },
      { name: 'alpn', type: 'string', optional: true, doc: 'With connected: the protocol the server chose.' },
      { name: 'code', type: 'string', optional: true, doc: 'The association is over: ETIMEDOUT, ECONNRESET, EPROTO or ECERT.' },
      { name: 'error', type: 'string', optional: true, doc: 'With code: why.' },
    ],
  },
  radiusDtlsServerCounters: {
    returns: 'RadiusDtlsServerCounters',
    declareType: 'What the RADIUS/DTLS listener has done since it opened.',
    counts: true,
    fields: [
      { name: 'cookieDatagramsIn', doc: 'Datagrams from addresses with no association.' }, { name: 'cookieBytesIn' },
      { name: 'cookiesSent', doc: 'HelloVerifyRequests, each no larger than the datagram it answers.' }, { name: 'cookieBytesOut' },
      { name: 'associations', doc: 'Made after a cookie came back.' }, { name: 'refused' }, { name: 'evicted' },
      { name: 'handshakeTimeouts' }, { name: 'idleTimeouts' }, { name: 'failed', doc: 'Handshakes ended by an error (a refused certificate).' },
      { name: 'budgetWaits', doc: 'Handshakes of prefixes never authenticated that waited for the handshake budget (handshake-budget.ts).' },
    ].map((field) => ({ ...field, type: 'number' })),
  },
  radiusClientLoadProgress: {
    returns: 'RadiusClientLoadProgress',
    declareType: 'A load run so far: answered requests by verdict, and their latencies since the last take.',
    fields: [
      { name: 'started', type: 'number' }, { name: 'inFlight', type: 'number' },
      { name: 'successes', type: 'number', doc: 'Access-Accepts.' }, { name: 'failures', type: 'number', doc: 'Any other answer.' },
      { name: 'latenciesMs', type: 'value', ts: 'Float64Array' },
    ],
  },
  radiusClientCounters: {
    returns: 'RadiusClientCounters',
    declareType: 'What a RADIUS client engine has counted since it opened.',
    counts: true,
    fields: [
      { name: 'requests' }, { name: 'retransmissions' }, { name: 'repliesAccepted' },
      { name: 'repliesMalformed', doc: 'Datagrams that do not parse as RADIUS.' },
      {
        name: 'repliesUnauthenticated',
        doc: 'Replies under an outstanding request\'s Identifier that failed Response/Message-Authenticator\n' +
          'verification against that request (the one check a reply gets).',
      },
      { name: 'repliesWithoutMessageAuthenticator', doc: 'Replies dropped because they carried no Message-Authenticator (BlastRADIUS, CVE-2024-3596).' },
      { name: 'repliesUnexpected', doc: 'Datagrams from an address no request went to, or too short to name an Identifier.' },
      {
        name: 'repliesStray',
        doc: 'Replies from a server\'s address that answered no request: nothing out under their\n' +
          'Identifier, a code the request there does not take, or from another port (RFC 2865 §3 drops\n' +
          'them). Counted, not verified; never evidence of a wrong secret.',
      },
      { name: 'timeouts' },
      { name: 'secretProbes', doc: 'Unauthenticated probes sent to tell a wrong shared secret from a silent server.' },
      { name: 'identifierWaits', doc: 'Requests that waited because all 256 identifiers towards their server were outstanding.' },
      {
        name: 'streamHandOffs',
        doc: 'A stream\'s packets through JS: a request handed to JS to write, bytes JS handed in (stream()), one\n' +
          'each. A RADIUS/DTLS association, joined to the engine natively (dtlsConnect), counts none.',
      },
      {
        name: 'streamRecordsDropped',
        doc: 'RADIUS/DTLS records that came while the engine held 256 KiB of their stream unread: dropped, as a\n' +
          'full socket buffer drops a datagram.',
      },
    ].map((field) => ({ ...field, type: 'number' })),
  },
  // The RADIUS engine's counters, a snapshot: the server's stats (a public type, declared here
  // once) and the conversations open now.
  engineStats: {
    returns: 'RadiusEngineStats',
    declareType: 'The RADIUS engine\'s counters: the server\'s stats and the conversations open now.',
    counts: true,
    publicPart: {
      name: 'RadiusServerStats',
      doc: 'What a RadiusServer has counted since it started listening (its `stats`, a snapshot).',
      fields: 31,
    },
    fields: [
      { name: 'requests', doc: 'New requests (not retransmissions) that passed every check: Access-Requests and Status-Server.' },
      { name: 'challenges', doc: 'Access-Challenges sent.' },
      { name: 'accepts', doc: 'Access-Accepts sent.' },
      { name: 'rejects', doc: 'Access-Rejects sent.' },
      { name: 'duplicates', doc: 'Retransmissions answered from the reply cache, or dropped while the original was in progress.' },
      { name: 'droppedMalformed', doc: 'Requests that are not RADIUS, and RadSec connections closed for a Length out of 20..4096.' },
      { name: 'droppedUnauthenticated', doc: 'Requests without a valid Message-Authenticator (wrong secret or forged).' },
      { name: 'droppedNoMessageAuthenticator', doc: 'Requests without any Message-Authenticator, dropped under requireMessageAuthenticator.' },
      { name: 'droppedUnexpected', doc: 'Unknown client address, unsupported code, or a request for a conversation that is busy.' },
      { name: 'conversationsExpired', doc: 'Conversations closed after their idle timeout.' },
      { name: 'conversationErrors', doc: 'Conversations the authenticator\'s step failed, or whose reply would not fit in a RADIUS packet.' },
      { name: 'conversationsEvicted', doc: 'Idle conversations closed early to stay under maxConversations.' },
      { name: 'ocspStapleFailures', doc: 'TLS conversations refused because the OCSP response file to staple (ocspResponse) could not be used: unreadable, no OCSP response, unsuccessful, or about another certificate.' },
      { name: 'papSlowed', doc: 'PAP requests refused with their password unchecked: their user or NAS had just had too many wrong ones.' },
      { name: 'accountingRequests', doc: 'New Accounting-Requests (not retransmissions) whose Request Authenticator is right, handed to the accounting store.' },
      { name: 'accountingResponses', doc: 'Accounting-Responses sent: each after the store said the request was recorded, or its home server acknowledged it.' },
      { name: 'accountingUnrecorded', doc: 'Accounting-Requests the store could not record: not answered, so the NAS retries.' },
      { name: 'droppedBadAuthenticator', doc: 'Accounting-Requests dropped for a wrong Request Authenticator or Message-Authenticator (wrong secret or forged).' },
      { name: 'proxyLoops', doc: 'Access-Requests that came back to this proxy carrying its own Proxy-State (a proxy loop): refused, not forwarded.' },
      { name: 'proxyBusy', doc: 'Access-Requests refused at once because their home server had 256 requests out and 1024 waiting (home server busy).' },
      { name: 'proxyRepliesUnsigned', doc: 'Home servers\' replies without Message-Authenticator: refused (an Access-Reject for the NAS) unless the home server allows them.' },
      { name: 'proxyRepliesTooLarge', doc: 'Home servers\' replies that would pass 4096 bytes with the NAS\'s Proxy-States added back: an Access-Reject instead (reply-too-large).' },
      { name: 'proxyRepliesUnverified', doc: 'Home servers\' replies dropped for a wrong Response Authenticator or Message-Authenticator; the request waits on for a good one, and others on the same connection go on.' },
      { name: 'proxyFailovers', doc: 'Access-Requests of a pool sent to another home than they would have gone to (the first, or their conversation\'s) because it was not alive, or refused because their conversation\'s home is dead.' },
      { name: 'proxyHomesZombie', doc: 'Times a pool\'s home server was judged zombie: nothing heard from it for 2 s while a request was out to it.' },
      { name: 'proxyHomesDead', doc: 'Times a pool\'s home server was judged dead: 3 requests in a row lost, or nothing heard for 10 s once zombie.' },
      { name: 'proxyHomesRevived', doc: 'Times a zombie or dead home server of a pool was judged alive again: it answered a request or a Status-Server.' },
      { name: 'proxyDiscoveryRefused', doc: 'Access-Requests refused because RFC 7585 discovery found no home server for their realm (or its certificate was refused): an Access-Reject, or over RadSec a Protocol-Error with Error-Cause 502.' },
      { name: 'proxyAccountingForwarded', doc: 'Accounting-Requests forwarded to the home server their realm is routed to.' },
      { name: 'proxyAccountingAcknowledged', doc: 'Proxied Accounting-Requests the home server acknowledged: each NAS\'s Accounting-Response went out then.' },
      { name: 'proxyAccountingUnanswered', doc: 'Proxied Accounting-Requests no home server acknowledged in time: no Accounting-Response, so the NAS retries.' },
      { name: 'active', doc: 'Conversations open now.' },
      { name: 'activeTls', doc: 'Of those, the conversations of a TLS method (counted under maxTlsConversations).' },
      { name: 'stepsQueued', doc: 'TLS steps waiting for a step thread now (as of the engine thread\'s last turn).' },
      { name: 'stepThreadsLent', doc: 'Step threads lent now in place of ones whose steps wait (as of the engine thread\'s last turn).' },
      { name: 'stepsHandedOver', doc: 'TLS steps handed to a step thread so far; the others ran on the engine\'s thread (laneStepTypes).' },
      { name: 'stepsKept', doc: 'Handshake steps of laneStepTypes the engine ran on its own thread so far, while it had room (keepStepsBelow), instead of handing them over.' },
      { name: 'heapReturns', doc: 'Times a step thread was asked to hand the heap\'s free pages back to the OS (glibc\'s malloc_trim; elsewhere never: 0), after enough conversations ended whose TLS state lay in a thread\'s heap where no handshake step runs now.' },
    ].map((field) => ({ ...field, type: 'number' })),
  },
};

// The result types no writer builds on its own, which the shapes name: a field's packed entries
// (`fields`), or a TS type the fields' `ts` names (`ts`; `declare`: what it needs declared first).
const types = {
  NativeHandle: {
    doc: 'An opaque native handle (a number the addon keeps its resource under): only the addon can read it.',
    declare: 'declare const nativeHandle: unique symbol;',
    ts: '{ readonly [nativeHandle]: true }',
  },
  RadiusEngineQuestion: {
    doc: 'A method\'s question (RESPOND) about `identity` for the user store JS holds: answer() it (a `questions` field\'s entries).',
    fields: [{ name: 'question', type: 'number' }, { name: 'identity', type: 'string' }],
  },
  ConversationStopped: {
    doc: 'Where a conversation stopped, needing JavaScript (a ConversationResult\'s kind): a request for\n' +
      'the transport to deliver (or the round budget spent), a question for the user store, a\n' +
      'response the authenticator ignored (its retransmission timer is JS\'s), the peer\'s action that\n' +
      'is not a response, the outcome (the conversation closed natively; a peer in the job processed\n' +
      'it), or a failure after the call\'s first part (`error`).',
    ts: '\'transport\' | \'answer\' | \'discard\' | \'peer\' | \'outcome\' | \'error\'',
  },
  RadiusValueFormat: {
    doc: 'A RADIUS value\'s type, by FreeRADIUS\'s dictionary names (RFC 8044\'s text, integer, ipv4addr,\n' +
      'ipv6addr, ipv6prefix, string).',
    ts: '\'string\' | \'integer\' | \'ipaddr\' | \'ipv6addr\' | \'ipv6prefix\' | \'octets\'',
  },
};

// Every export of the addon and every method of the objects it returns (seam_exports.js), and
// every argument object, field by field (seam_args.js). Each argument object's `calls` (the
// exports and methods that take it, `Owner.method` for a method) comes from the first.
const { exports: addonExports, probeExports, objects, tsTypes } = require('./seam_exports.js');
const { args } = require('./seam_args.js');

const takers = [
  ...[...addonExports, ...probeExports].map((entry) => [entry.name, entry.args]),
  ...Object.entries(objects).flatMap(([owner, object]) => object.methods.map((method) => [`${owner}.${method.name}`, method.args])),
];
for (const [name, object] of Object.entries(args)) {
  if (object.calls) throw new Error(`${name}: the calls that take it are declared in seam_exports.js, not here`);
}
for (const [name, argsName] of takers) {
  if (!argsName) continue;
  if (!args[argsName]) throw new Error(`${name} takes ${argsName}, which seam_args.js does not declare`);
  args[argsName].calls = [...(args[argsName].calls ?? []), name];
}

// Bounds the native code enforces and the facade enforces the same way where it does the work
// itself (node:tls beside GnuTLS): `name` (C++ k<Pascal>, TS UPPER_SNAKE), `value`, `doc`.
const constants = [
  { name: 'maxVerifiedChainLength', value: 16,
    doc: 'The longest certificate chain a peer may send, leaf included: GnuTLS\'s default verification depth ' +
      '(DEFAULT_MAX_VERIFY_DEPTH), past which it says only "Some constraint limits were reached". A longer chain ' +
      'is refused as "longer than" this, naming the count sent (native/common/tls_chain_length.h says where).' },
  { name: 'maxStepThreads', value: 64,
    doc: 'The most step threads a RADIUS engine starts for TLS-based conversations\' steps (radiusEngineOpen\'s ' +
      'stepThreads): RadiusServer refuses more, and the engine starts no more whatever a raw caller asks.' },
];

module.exports = { parts, shapes, types, exports: addonExports, probeExports, objects, tsTypes, args, constants };
