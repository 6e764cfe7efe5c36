// The argument side of the addon's seam (seam.js holds the results, seam_exports.js the exports): every
// argument object an addon call or a method of an object it returns takes, field by field.
// seam/generate.js generates from it native/addon/generated/arg_structs.h (a struct per object with
// real C++ types and an inline Read<Struct>(Napi::Object) through named_args.h's readers) and
// lib/native/generated/arg-types.ts (the same objects as TS interfaces, which contract.ts re-exports).
//
// An object: `doc` (its comment on both sides) and `fields` (the calls that take it are named
// in seam_exports.js, which gives each object its `calls`). A field: `name`, `type`, and
//   optional: true        absent (undefined) is allowed: std::optional<T> in C++, `name?:` in TS
//   empty: true           absent reads as the type's empty value, which the call reads as none
//                         (bytes, attributes, string, a list); `name?:` in TS
//   default: <value>      absent reads as this value (dword, bool); `name?:` in TS, the default
//                         written in both comments
//   unless: '<field>'     (with optional, empty or default) not read at all when that field, optional
//                         and declared before it, was given: a read of an absent property is a
//                         lookup up the prototype chain, on the path of every call that takes it
//   doc                   the field's comment, on both sides
//   ts                    the TS type where it is narrower than the type's own
//   wipe: true            the struct wipes it when it goes (SecureZeroContents), moved out or not
//   struct                the object a struct, structs, lazy or list field holds
//   max                   a list's real maximum (every list type has one): a longer array is a
//                         RangeError before anything of it is read or allocated
//   reason                why the field stays a JS value (type `value` or `object`): the
//                         generator refuses one without
// Types (C++ / TS):
//   handle: NativeHandleArg (a handle's number, addon_state.h) / NativeHandle; handles: a list
//   dword: eap::DWORD / number; u16: uint16_t (a port) / number; wholeMs: uint64_t, a whole
//   number below 2^53 / number; bool / boolean
//   string: std::string (UTF-8); u16string: std::u16string; strings, u16strings, numbers
//   (std::vector<eap::DWORD>): lists of them; numberList: ArgList<eap::DWORD> (below)
//   number: double; uint32Array: std::vector<uint32_t> from a Uint32Array / Uint32Array
//   bytes: Bytes / Buffer; bytesList: std::vector<Bytes>, an undefined element an empty one
//   attributes: Attributes / EapAttribute[]; methodType: eap::EAP_METHOD_TYPE / EapMethodTypeInfo
//   window: uintptr_t, an HWND / Buffer | bigint
//   struct: the nested object read at once; structs: a std::vector of them; lazy: ArgObject<T>,
//   the object kept and read when the call needs it (Read()); list: ArgList<T>, an array whose
//   elements are read one by one as the call walks it (no vector between the JS array and the
//   call's own)
//   function: Napi::Function (`ts`: its signature)
//   secretText, secretBuffer, secretList, secretObject: SecretText, SecretBuffer, SecretList,
//   SecretObject (named_args.h): a JS value holding secrets, its kind checked here, which the
//   call itself reads into wiped storage (`ts`: its TS type where not string / Buffer)
//   value, object: Napi::Value, Napi::Object, with a `reason`
'use strict';

const { radiusArgs, MAX } = require('./seam_args_radius.js');

const handle = (name, doc) => ({ name, type: 'handle', ...(doc ? { doc } : {}) });
const dword = (name, extra = {}) => ({ name, type: 'dword', ...extra });
const bytes = (name, extra = {}) => ({ name, type: 'bytes', ...extra });
const flags = dword('flags');
const methodType = { name: 'methodType', type: 'methodType' };
const attributes = (extra = {}) => ({ name: 'attributes', type: 'attributes', max: MAX.eapAttributes, ...extra });
const none = 'absent: none';
const wiped = 'wiped once used';
const connectionData = bytes('connectionData', { empty: true, doc: none });
const userData = bytes('userData', { empty: true, doc: `${none}; ${wiped}` });
const config = (optional) => bytes('config', optional ? { empty: true, doc: `${none}; ${wiped}` } : { doc: wiped });
const window = { name: 'parentWindow', type: 'window', doc: 'an HWND: getNativeWindowHandle()\'s Buffer, or a bigint' };
const storeName = { name: 'store', type: 'string', ts: '\'LocalMachine\' | \'CurrentUser\'' };
const wide = (name, extra = {}) => ({ name, type: 'u16string', ...extra });
/** An object of one handle, for a call that takes nothing else. */
const only = (field, doc) => ({ ...(doc ? { doc } : {}), fields: [handle(field)] });

/** The calls on a peer session both families have, EapHostPeer* (on an EAPHost session) and
 *  EapPeer* (on a method module's), one export each, in their order: the family's own two
 *  first, `own` (its calls of its own) before EndSession. */
function sessionCalls(family, [receive, send], own = {}, endDoc = undefined) {
  const object = (call, fields, doc) => ({ [`${family}${call}Args`]: { ...(doc ? { doc } : {}), fields } });
  return {
    ...object(receive, [handle('session'), bytes('packet')]),
    ...object(send, [handle('session')]),
    ...object('GetResult', [handle('session'), dword('reason', { doc: `${family}MethodResultReason` })]),
    ...object('GetUIContext', [handle('session')]),
    ...object('SetUIContext', [handle('session'), bytes('context')]),
    ...object('GetResponseAttributes', [handle('session')]),
    ...object('SetResponseAttributes', [handle('session'), attributes()]),
    ...own,
    ...object('EndSession', [handle('session')], endDoc),
  };
}

const args = {
  // ---- the conversation driver (conversation_binding.cc) ----
  ConversationSettings: {
    doc: 'The embedded authenticator\'s settings, for every conversation it starts.',
    fields: [
      dword('maxSendPacketSize'), dword('retransmitTimeoutMs'), dword('maxRetransmits'),
      { name: 'connectionData', type: 'bytesList', max: MAX.methods, ts: '(Buffer | undefined)[]', doc: 'Per method, parallel to the method handles; an empty one: none.' },
      { name: 'stepsAside', type: 'bool', default: false, doc: 'An in-process pairing may run the conversation\'s steps on the addon\'s aside thread while other work waits for the host thread (a lone conversation\'s run on the host thread): set when a method is TLS-based, whose handshakes are worth a second core.' },
    ],
  },
  ConversationPeer: {
    doc: 'A conversation\'s peer in this process: an EAPHost session the caller has, or one begun in the job (`begin`: eapHostBeginSession\'s arguments) and, with `endWhenConcluded`, ended in it once it has the outcome\'s result. With `session` given, nothing else is read.',
    fields: [
      { ...handle('session'), optional: true },
      { name: 'begin', type: 'struct', struct: 'EapHostPeerBeginSessionArgs', optional: true, unless: 'session' },
      { name: 'endWhenConcluded', type: 'bool', default: false, unless: 'session' },
    ],
  },
  ConversationAuthenticator: {
    doc: 'The authenticator a conversation starts from: one object per Authenticator, always the same one. The addon reads it at its first conversation and keeps what it read with the object, so each later start reads one field; `settings.connectionData` (which may hold a private key) is never kept, but read again at each start of an authenticator that has any.',
    fields: [
      { name: 'methods', type: 'handles', max: MAX.methods, doc: 'authenticator method handles' },
      { name: 'settings', type: 'struct', struct: 'ConversationSettings' },
      { name: 'users', type: 'secretList', ts: 'NativeKnownAnswer[]', max: MAX.users, optional: true, doc: 'A plain table\'s answers, one per identity (lib/core/users.ts tableAnswers), kept natively from the first conversation on and wiped when this object is collected: every question of a method is answered from it in the job that asks. Absent: the store is JS\'s, and each question stops the job (\'answer\').' },
    ],
  },
  ConversationBeginArgs: {
    doc: 'conversationBegin: the embedded authenticator\'s conversation, created and begun.',
    fields: [
      { name: 'authenticator', type: 'lazy', struct: 'ConversationAuthenticator', doc: 'read at its first conversation only (ConversationStartFrom)' },
      bytes('identityResponse', { empty: true, doc: 'An EAP-Response/Identity a NAS already obtained.' }),
      { name: 'peer', type: 'struct', struct: 'ConversationPeer', optional: true, doc: 'The peer the driver hands each request to itself; without one, requests go to the caller.' },
      dword('budget', { default: 0, doc: 'How many of the peer\'s responses the job may hand to the authenticator.' }),
      { name: 'keepPackets', type: 'bool', default: false, doc: 'Every packet passed between the two sides comes back in `packets`.' },
    ],
  },
  ConversationRunArgs: {
    doc: 'conversationRun: one input to the conversation, by `kind`: the peer\'s `response`, the retransmission timer\'s firing, or `knownAnswer`, the user store\'s answer to the question the conversation stopped at. The binding takes it with its input (ConversationInput).',
    fields: [
      handle('conversation'),
      { name: 'kind', type: 'string', ts: '\'response\' | \'timeout\' | \'knownAnswer\'' },
      bytes('response', { optional: true, doc: 'with \'response\': the peer\'s' }),
      { name: 'knownAnswer', type: 'secretBuffer', ts: 'NativeKnownAnswer', optional: true, doc: 'with \'knownAnswer\': the user store\'s answer. Secrets: the caller wipes its copy once the call returns.' },
      { name: 'peer', type: 'struct', struct: 'ConversationPeer', optional: true, doc: 'Its session only: a run begins none.' },
      dword('budget', { default: 0 }),
      { name: 'keepPackets', type: 'bool', default: false },
    ],
  },
  EapHostSessionReceiveArgs: {
    doc: 'eapHostSessionReceive: a packet a remote authenticator sent, for an EAPHost session, in one host-thread job: a request (ProcessReceivedPacket, then GetSendPacket on Send) or the outcome (ProcessReceivedPacket, then GetResult on Result).',
    fields: [handle('session'), { name: 'kind', type: 'string', ts: '\'request\' | \'outcome\'' }, bytes('packet')],
  },
  ConversationEndArgs: only('conversation', 'conversationEnd: the conversation ended before its outcome; JS releases the handle after.'),

  // ---- module.cc ----
  ConfigureArgs: {
    doc: 'configure: each setting given replaces its own; the rest stay.',
    fields: [
      { name: 'eapErrorClass', type: 'function', optional: true, ts: 'typeof EapError', doc: 'The class every EAP error is made as.' },
      { name: 'notificationDispatcher', type: 'function', optional: true, ts: '(token: number, connectionId: string) => void', doc: 'Called with a session\'s notification token and connection ID.' },
      { name: 'notificationsHeard', type: 'bool', optional: true, doc: 'Whether any session listens for notifications: while none does, the addon drops them.' },
      { name: 'resultShapes', type: 'object', optional: true, ts: 'ResultShapes', reason: 'a table of JS functions by shape name, which SetResultShapes keeps by reference', doc: 'The builders of the hottest result objects (result-shapes.ts).' },
    ],
  },
  ReleaseArgs: only('handle'),

  // ---- eaphost_instance_binding.cc, eaphost_session_begin.cc ----
  EapHostOpenArgs: {
    fields: [
      { name: 'backend', type: 'string', ts: '\'system\' | \'portable\'' },
      { name: 'libraryPath', type: 'string', optional: true, doc: 'The portable EAPHost\'s library: required with \'portable\'.' },
    ],
  },
  EapHostPeerBeginSessionArgs: {
    doc: 'The user blob is `userData`, or made from identity and password by `credentialMethod` (a loaded peer method) on the host thread, in the same job that begins the session: the blob never reaches JS. What stays the same from session to session is in `base`, read once; what a session seldom has is in `extras`, absent when it has none of it: each field read by name costs the JS thread a string lookup, and every session begins here.',
    fields: [
      { name: 'base', type: 'lazy', struct: 'SessionBase', doc: 'read at its first beginning only (SessionBeginOf)' },
      { name: 'extras', type: 'struct', struct: 'SessionExtras', optional: true, doc: 'absent: none of them' },
      { ...handle('credentialMethod', 'a peer method handle: the user blob made from the two below'), optional: true },
      { name: 'identity', type: 'secretText', optional: true },
      { name: 'password', type: 'secretText', optional: true },
      { ...userData, wipe: true, unless: 'credentialMethod' },
    ],
  },
  SessionBase: {
    doc: 'What a session begins with that holds no secret and stays the same from session to session (lib/session/eaphost.ts keeps one per EAPHost, method type, flags and packet size). The addon reads it at the first beginning that gives it and keeps what it read with the object (tagged as a session base, so another object is never taken for one), so each later beginning reads one field. Never changed once given.',
    fields: [handle('host'), methodType, flags, dword('maxSendPacketSize')],
  },
  SessionExtras: {
    doc: 'What a session seldom begins with.',
    fields: [
      attributes({ empty: true, doc: none }),
      bytes('connectionData', { empty: true, wipe: true, doc: `${none}; ${wiped}` }),
      { name: 'connectionId', type: 'string', optional: true, doc: 'absent: a new one, named in the settling' },
    ],
  },
  EapHostPeerClearConnectionArgs: { fields: [handle('host'), { name: 'connectionId', type: 'string' }] },
  EapHostPeerGetIdentityArgs: { fields: [handle('host'), methodType, flags, connectionData, userData] },
  EapHostPeerGetMethodsArgs: only('host'),

  // ---- eap_config_binding.cc, eap_config_ui_binding.cc ----
  EapHostPeerConfigXml2BlobArgs: { fields: [handle('host'), flags, { name: 'xml', type: 'string' }] },
  EapHostPeerConfigBlob2XmlArgs: { fields: [handle('host'), flags, methodType, config(false)] },
  EapHostPeerCredentialsXml2BlobArgs: {
    fields: [handle('host'), flags, { name: 'xml', type: 'secretText', doc: 'holds credentials' }, config(false)],
  },
  EapHostPeerQueryCredentialInputFieldsArgs: { fields: [handle('host'), flags, methodType, config(false)] },
  EapHostPeerQueryUserBlobFromCredentialInputFieldsArgs: {
    fields: [handle('host'), flags, methodType, config(false), { name: 'fields', type: 'secretList', max: MAX.inputFields, ts: 'EapConfigInputField[]', doc: 'input fields holding credentials' }],
  },
  EapHostPeerGetMethodPropertiesArgs: { fields: [handle('host'), flags, methodType, config(true), userData] },
  EapHostPeerQueryInteractiveUIInputFieldsArgs: { fields: [handle('host'), flags, bytes('uiContext')] },
  EapHostPeerQueryUIBlobFromInteractiveUIInputFieldsArgs: {
    fields: [handle('host'), flags, bytes('uiContext'), { name: 'data', type: 'secretObject', ts: 'EapInteractiveUiData', doc: 'EapInteractiveUiData holding credentials' }],
  },
  EapHostPeerInvokeConfigUIArgs: {
    doc: 'The three UI calls take the parent window as BrowserWindow.getNativeWindowHandle() gives it, or as a bigint.',
    fields: [handle('host'), flags, window, methodType, config(true)],
  },
  EapHostPeerInvokeIdentityUIArgs: { fields: [handle('host'), flags, window, methodType, config(true), userData] },
  EapHostPeerInvokeInteractiveUIArgs: { fields: [handle('host'), window, bytes('uiContext')] },

  // ---- eaphost_session_binding.cc, eaphost_result_binding.cc ----
  ...sessionCalls('EapHostPeer', ['ProcessReceivedPacket', 'GetSendPacket'], {
    EapHostPeerGetAuthStatusArgs: {
      doc: 'EapHostPeerAuthParams: 1 the status, 2 the identity.',
      fields: [handle('session'), dword('authParam', { ts: '1 | 2' })],
    },
  }, 'EapHostPeerEndSession, and the handle\'s release in the same host-thread job, whatever it answered.'),

  // ---- peer_method_binding.cc, peer_session_binding.cc, authenticator_*_binding.cc ----
  MethodLoadArgs: {
    doc: 'peerMethodLoad / authenticatorMethodLoad: with a method type, GetInfo is asked for exactly it (one module may serve several types); without one, the module says what it serves.',
    fields: [{ name: 'path', type: 'string' }, { ...methodType, optional: true }],
  },
  EapPeerQueryCredentialInputFieldsArgs: { fields: [handle('method'), flags, connectionData] },
  EapPeerQueryUserBlobFromCredentialInputFieldsArgs: {
    fields: [handle('method'), flags, connectionData, { name: 'fields', type: 'secretList', max: MAX.inputFields, ts: '{ type: number; data: string }[]', doc: 'holding credentials' }],
  },
  EapPeerGetIdentityArgs: { fields: [handle('method'), flags, connectionData, userData] },
  EapPeerBeginSessionArgs: {
    fields: [handle('method'), flags, attributes({ empty: true, doc: none }), connectionData, userData, dword('maxSendPacketSize')],
  },
  ...sessionCalls('EapPeer', ['ProcessRequestPacket', 'GetResponsePacket']),
  EapMethodAuthenticatorBeginSessionArgs: {
    fields: [handle('method'), flags, wide('identity'), attributes({ empty: true, doc: none }), connectionData, dword('maxSendPacketSize')],
  },
  EapMethodAuthenticatorSendPacketArgs: { fields: [handle('session'), dword('packetId', { doc: '0..255' })] },
  EapMethodAuthenticatorReceivePacketArgs: { fields: [handle('session'), bytes('packet')] },
  EapMethodAuthenticatorGetAttributesArgs: only('session'),
  EapMethodAuthenticatorSetAttributesArgs: {
    doc: 'The attributes\' values are wiped natively once the method has them (the user store\'s answer: passwords).',
    fields: [handle('session'), attributes()],
  },
  EapMethodAuthenticatorGetResultArgs: only('session'),
  EapMethodAuthenticatorEndSessionArgs: only('session'),

  // ---- Windows' certificate stores, Native Wifi, event log, registry (elsewhere: not supported) ----
  RootStoreFindArgs: { fields: [bytes('sha1', { doc: 'The certificate\'s SHA-1 thumbprint.' })] },
  RootStoreInstallArgs: { fields: [bytes('certificate', { doc: 'DER' }), storeName] },
  RootStoreRemoveArgs: { fields: [bytes('sha1', { doc: 'The certificate\'s SHA-1 thumbprint.' }), storeName] },
  WlanSetProfileArgs: {
    fields: [
      { name: 'profileXml', type: 'string', doc: 'a WLANProfile document' },
      { name: 'profileName', type: 'string', doc: 'its WLANProfile/name, for the EAP user data' },
      { name: 'eapUserDataXml', type: 'string', empty: true, wipe: true, doc: 'An EapHostUserCredentials document, wiped once used; absent: none.' },
      { name: 'interfaceName', type: 'string', empty: true, doc: 'Absent: every WLAN interface.' },
    ],
  },
  WlanConnectArgs: {
    doc: 'Connecting through Native Wifi (wlan_connect_binding.cc): one of profileName and profileXml.',
    fields: [
      { name: 'profileName', type: 'string', empty: true, doc: 'An installed WLAN profile; absent: profileXml.' },
      { name: 'profileXml', type: 'string', empty: true, doc: 'A WLANProfile document, tried as a temporary profile (saved nowhere); absent: profileName.' },
      { name: 'interfaceName', type: 'string', empty: true, doc: 'A GUID or description; absent: the first WLAN interface.' },
      dword('timeoutMs'),
      { name: 'onNotification', type: 'function', ts: '(notice: NativeWlanNotice) => void', doc: 'for each notification as it comes' },
    ],
  },
  UserStoreImportPkcs12Args: { fields: [bytes('pkcs12'), { name: 'password', type: 'secretText' }] },
  Pkcs12ChainArgs: {
    doc: 'A PKCS#12 bundle to read the certificates of (pkcs12_chain.h): never its key.',
    fields: [
      bytes('pkcs12', { doc: 'DER, at most 1 MiB (kMaxPkcs12Bytes)' }),
      { name: 'password', type: 'secretText', doc: 'the bundle\'s password (\'\': none), wiped natively once used' },
    ],
  },
  UserStoreFindArgs: { fields: [bytes('sha1')] },
  EventLogQueryArgs: {
    doc: 'Reading a Windows event log channel (event_log_binding.cc): Windows only; elsewhere it rejects (not supported).',
    fields: [
      { name: 'channel', type: 'string', doc: 'e.g. \'Microsoft-Windows-Wired-AutoConfig/Operational\'' },
      { name: 'query', type: 'string', doc: 'An XPath event query on that channel (\'*\' for every record).' },
      { name: 'reverse', type: 'bool', doc: 'Newest first.' },
      dword('maxEvents', { doc: '1..1024 (kMaxEventLogRecords, event_log.h)' }),
    ],
  },
  RegistryReadArgs: { fields: [wide('key')] },
  RegistryWriteValue: {
    doc: 'A value of the Methods key to write; an empty name is the key\'s default value.',
    fields: [
      wide('name'),
      { name: 'type', type: 'string', ts: '\'sz\' | \'expandSz\' | \'dword\'' },
      { name: 'data', type: 'value', ts: 'string | number', reason: 'a text or a number by `type`, read by the binding as its type says' },
    ],
  },
  RegistryWriteArgs: { fields: [wide('key'), { name: 'values', type: 'structs', struct: 'RegistryWriteValue', max: MAX.registryValues, ts: 'NativeRegistryWrite[]' }] },
  RegistryDeleteArgs: {
    fields: [wide('key'), { name: 'values', type: 'u16strings', max: MAX.registryValues, optional: true, doc: 'Absent: the key itself, which must have no subkeys.' }],
  },
  FileSecurityArgs: { fields: [wide('path')] },
  SetFileSecurityArgs: {
    fields: [wide('path'), wide('sddl', { doc: 'The owner (optional) and the DACL, set protected from inheritance.' })],
  },
  ServiceControlArgs: {
    doc: 'A Windows service through the SCM: its state and its dependents\' after the action (query does none).',
    fields: [wide('service'), { name: 'action', type: 'string', ts: '\'query\' | \'stop\' | \'start\'' },
      dword('timeoutMs', { doc: 'How long stop or start waits for STOPPED or RUNNING.' })],
  },
  DeleteAtRebootArgs: { fields: [wide('path')] },
  PendingRenamesReadArgs: { fields: [wide('value', { doc: 'PendingFileRenameOperations or PendingFileRenameOperations2.' })] },
  PendingRenamesWriteArgs: {
    fields: [wide('value', { doc: 'PendingFileRenameOperations or PendingFileRenameOperations2.' }),
      bytes('data', { empty: true, doc: 'REG_MULTI_SZ: UTF-16LE strings each ending in NUL, then one more NUL; empty deletes the value.' })],
  },

  // ---- eapol_port_binding.cc ----
  EapolOpenArgs: {
    doc: 'EAPOL ports on the wire: Linux only; elsewhere eapolOpen throws ERR_EAPOL_LINUX_ONLY.',
    fields: [{ name: 'interfaceName', type: 'string' }, { name: 'onFrame', type: 'function', ts: 'NativeEapolFrameSink' }],
  },
  EapolSendArgs: {
    doc: 'An open port\'s send(): the destination MAC address, the EAPOL version and packet type, the body.',
    fields: [bytes('destination', { doc: 'a MAC address' }), dword('version'), dword('type'), bytes('body')],
  },

  // The RADIUS engine's, the RADIUS client engine's and the DAS lane's: seam_args_radius.js.
  ...radiusArgs,

  // ---- the test builds' probes ----
  EapHostContractProbeArgs: { fields: [handle('host'), { name: 'scenario', type: 'string' }] },
  ResultShapeProbeArgs: { fields: [{ name: 'shape', type: 'string' }, dword('round', { doc: '0..30' })] },
  RadiusMd5ProbeArgs: { fields: [bytes('data'), dword('cut')] },
  RadiusHmacMd5ProbeArgs: { fields: [bytes('key'), bytes('data'), dword('cut')] },
  TimedWaitProbeArgs: { fields: [dword('ms')] },
  StepPoolProbeArgs: { fields: [dword('threads'), dword('waiting'), dword('deadlineMs'), dword('oneByOne', { doc: '0 or 1' })] },
  LaneHeadroomProbeArgs: {
    fields: [dword('keepBelow'), { name: 'windows', type: 'numbers', max: 3 * 256, doc: 'Per window of the lane, three numbers: the lane thread\'s CPU percent of it, the step threads\' on keepable steps, and the wall ms of the longest step kept in it (0: none).' }],
  },
};

module.exports = { args };
