// The addon's seam, declared once: every export's name, every argument object a call takes
// (seam_args.js and seam_args_radius.js, required here as `args`) and every result the addon
// builds through a registered JS builder (a "shape"), field by field. seam/generate.js
// generates from this file, and test/seam.test.ts fails when what it generated is stale:
//   native/addon/generated/result_shapes.h   the shape list, each shape's slots by name, a typed writer per
//                                  shape and part, and (test builds) the probe that fills them all
//   lib/native/generated/result-shapes.ts    the builders that read those slots into named objects
//   lib/native/generated/export-names.ts     the export names lib/ and the tests hold the addon to
//   native/addon/generated/arg_structs.h     every argument object as a struct of real C++ types, and its
//                                  reader Read<Struct>(Napi::Object), which the bindings call
//   lib/native/generated/arg-types.ts        the same objects as TS interfaces (contract.ts re-exports them)
//
// To add an export: write its binding (an ExportList entry in its binding file, bindings.h),
// add its name to `exports` below (the addon refuses to load with an undeclared export), declare
// its argument object in seam_args.js (its `calls` naming the export; the binding reads it with
// the generated Read<Struct>), declare it in NativeBinding (lib/native/contract.ts), then run
// `node seam/generate.js`. To add an argument field: declare it in seam_args.js and
// regenerate; the struct, its reader and the TS interface follow, and the binding uses it.
// To add a result field: add it to its shape or part below, run the generator, then set it in
// the C++ writer (the generated setter of the same name) and add it to the TS type the shape
// returns; nobody keeps a slot order by hand. A new shape also needs its builder's TS type named
// in `returns`, and a ResultShape caller (MakeShaped through the generated writer's Make()).
//
// Field types: number, boolean, string, buffer (empty: undefined reads as the shared empty
// Buffer), handle (a NativeHandle), error (an EapError), buffers (Buffer[]), list (an array made
// natively; `ts` names its element type), attributes (an EapAttribute[] read from the shape's
// packed slab: two slots, where it starts and how many), questions (the RADIUS engine's store
// questions, packed the same way), part (a nested object, present when its first field is).
// A shape that is one part throughout names it (`part`) and is written through the part's writer.
// optional: the member is left out of the object when its value is undefined (for questions:
// when there are none). ts: the member's TS type where it is narrower than the type's own.
// union: the shape's TS type is a union discriminated by its first field (`kind`), which the
// builder's object is asserted to be (the addon sets the members each kind carries).
// declareType: a shape of numbers alone whose TS type is generated too (export-names.ts), with
// this for its comment and each field's `doc` for its members; publicPart: its first `fields`
// members are a public type of that name, which the generated type extends.
'use strict';

const eapHostMethod = [
  { name: 'type', type: 'number' },
  { name: 'vendorId', type: 'number' },
  { name: 'vendorType', type: 'number' },
  { name: 'authorId', type: 'number' },
  { name: 'friendlyName', type: 'string' },
  { name: 'authorName', type: 'string' },
];

const parts = {
  // EapHostPeerGetResult's result (RawEapHostResult)
  eapHostResult: {
    returns: 'RawEapHostResult',
    fields: [
      { name: 'success', type: 'boolean' },
      { name: 'failureReasonCode', type: 'number' },
      { name: 'saveConnectionData', type: 'boolean' },
      { name: 'connectionData', type: 'buffer', empty: true },
      { name: 'saveUserData', type: 'boolean' },
      { name: 'userData', type: 'buffer', empty: true },
      { name: 'attributes', type: 'attributes' },
      { name: 'isolationState', type: 'number' },
      { name: 'error', type: 'error', optional: true },
      { name: 'method', type: 'part', part: 'eapHostMethod', optional: true },
    ],
  },
  eapHostMethod: { returns: 'NonNullable<RawEapHostResult[\'method\']>', fields: eapHostMethod },
  // One step of the embedded authenticator (AuthenticatorStep)
  authenticatorStep: {
    returns: 'ConversationStep',
    fields: [
      { name: 'kind', type: 'string', ts: 'ConversationStep[\'kind\']' },
      { name: 'packet', type: 'buffer' },
      { name: 'timeoutMs', type: 'number' },
      { name: 'identity', type: 'string' },
      { name: 'askedIdentity', type: 'string' },
      { name: 'attributes', type: 'attributes' },
      { name: 'failureReason', type: 'number' },
      { name: 'methodType', type: 'number' },
      { name: 'error', type: 'error', optional: true },
    ],
  },
  // The peer's act on one packet: in a driver job, or on its own (eapHostSessionReceive)
  peerAct: {
    returns: 'PeerAct',
    fields: [
      { name: 'action', type: 'number' },
      { name: 'packet', type: 'buffer', optional: true },
      { name: 'result', type: 'part', part: 'eapHostResult', optional: true },
    ],
  },
  // A session a driver job began; its handle absent when the job ended it
  begunSession: {
    returns: 'NonNullable<ConversationResult[\'session\']>',
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
    fields: [
      { name: 'handle', type: 'handle', ts: 'NativeHandle' },
      { name: 'sessionId', type: 'number' },
      { name: 'notificationToken', type: 'number' },
      { name: 'connectionId', type: 'string', ts: 'string | undefined' },
    ],
  },
  // What every driver call (conversation_binding.cc) settles: one kind per place it stopped.
  conversation: {
    returns: 'ConversationResult',
    union: true,
    packed: true,
    fields: [
      { name: 'kind', type: 'string', ts: 'ConversationStopped' },
      { name: 'conversation', type: 'handle', optional: true },
      { name: 'rounds', type: 'number' },
      { name: 'packets', type: 'buffers', optional: true },
      { name: 'error', type: 'error', optional: true },
      { name: 'step', type: 'part', part: 'authenticatorStep', optional: true },
      { name: 'peer', type: 'part', part: 'peerAct', optional: true },
      { name: 'session', type: 'part', part: 'begunSession', optional: true },
      { name: 'endError', type: 'error', optional: true },
    ],
  },
  // eapHostSessionReceive's: the peer's act on a request or an outcome.
  peerAct: { returns: 'PeerAct', packed: true, part: 'peerAct' },
  // The RADIUS engine's batch for JS (radius_engine_binding.cc)
  engineEvents: {
    returns: 'RadiusEngineEvents',
    packed: true,
    fields: [
      { name: 'records', type: 'list', ts: 'RadiusEngineRecord', optional: true },
      { name: 'questions', type: 'questions', optional: true },
      { name: 'authorizations', type: 'list', ts: 'RadiusEngineAuthorization', optional: true },
      { name: 'replies', type: 'list', ts: 'RadiusEngineReply', optional: true },
      { name: 'broken', type: 'list', ts: 'number', optional: true },
    ],
  },
  // The RADIUS engine's counters, a snapshot: the server's stats (a public type, declared here
  // once) and the conversations open now.
  engineStats: {
    returns: 'RadiusEngineStats',
    declareType: 'The RADIUS engine\'s counters: the server\'s stats and the conversations open now.',
    publicPart: {
      name: 'RadiusServerStats',
      doc: 'What a RadiusServer has counted since it started listening (its `stats`, a snapshot).',
      fields: 13,
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
      { name: 'active', doc: 'Conversations open now.' },
      { name: 'activeTls', doc: 'Of those, the conversations of a TLS method (counted under maxTlsConversations).' },
    ].map((field) => ({ ...field, type: 'number' })),
  },
};

// Every export of the addon, by name. The test builds' probes (EAPHOST_BUILD_CONTRACT_PROBE)
// are listed apart: they are exported only with EAPHOST_CONTRACT_PROBE=1.
const addonExports = [
  'configure', 'release', 'hostThreadStats', 'trimHeap',
  'eapHostOpen', 'eapHostBeginSession', 'eapHostClearConnection', 'eapHostGetIdentity', 'eapHostGetMethods',
  'eapHostConfigXml2Blob', 'eapHostConfigBlob2Xml', 'eapHostCredentialsXml2Blob', 'eapHostQueryCredentialInputFields',
  'eapHostQueryUserBlobFromCredentialInputFields', 'eapHostGetMethodProperties', 'eapHostQueryInteractiveUIInputFields',
  'eapHostQueryUIBlobFromInteractiveUIInputFields', 'eapHostInvokeConfigUI', 'eapHostInvokeIdentityUI',
  'eapHostInvokeInteractiveUI',
  'eapHostProcessReceivedPacket', 'eapHostGetSendPacket', 'eapHostGetResult', 'eapHostGetUIContext', 'eapHostSetUIContext',
  'eapHostGetResponseAttributes', 'eapHostSetResponseAttributes', 'eapHostGetAuthStatus', 'eapHostEndSession',
  'peerMethodLoad', 'peerMethodQueryCredentialInputFields', 'peerMethodQueryUserBlobFromCredentialInputFields',
  'peerMethodGetIdentity', 'peerMethodBeginSession',
  'peerMethodProcessRequestPacket', 'peerMethodGetResponsePacket', 'peerMethodGetResult', 'peerMethodGetUIContext',
  'peerMethodSetUIContext', 'peerMethodGetResponseAttributes', 'peerMethodSetResponseAttributes', 'peerMethodEndSession',
  'authenticatorMethodLoad', 'authenticatorMethodBeginSession',
  'authenticatorMethodSendPacket', 'authenticatorMethodReceivePacket', 'authenticatorMethodGetAttributes',
  'authenticatorMethodSetAttributes', 'authenticatorMethodGetResult', 'authenticatorMethodEndSession',
  'conversationBegin', 'conversationRun', 'conversationEnd', 'eapHostSessionReceive',
  'rootStoreFind', 'rootStoreInstall', 'rootStoreRemove',
  'wlanInterfaces', 'wlanSetProfile', 'userStoreImportPkcs12', 'userStoreFind',
  'registryRead', 'registryWrite', 'registryDelete', 'fileSecurity', 'setFileSecurity', 'windowsPlatform',
  'serviceControl', 'deleteAtReboot',
  'wlanConnect', 'eventLogQuery',
  'eapolOpen',
  'radiusEngineOpen', 'radiusClientOpen', 'dynamicAuthorizationOpen', 'radiusPolicyOpen',
  'radiusAttributesEncode', 'radiusAttributesDecode',
];
const probeExports = ['eapHostContractProbe', 'resultShapeProbe', 'radiusMd5Probe', 'radiusHmacMd5Probe',
  'timedWaitProbe'];

// Every argument object, field by field (seam_args.js).
const { args } = require('./seam_args.js');

module.exports = { parts, shapes, exports: addonExports, probeExports, args };
