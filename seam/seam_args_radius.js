// The argument objects of the RADIUS roles' bindings (radius_engine_binding.cc,
// radius_client_binding.cc, dynamic_authorization_binding.cc), declared as seam_args.js declares
// the rest (its comment says how); seam_args.js takes them in.
'use strict';

const dword = (name, extra = {}) => ({ name, type: 'dword', ...extra });
const bytes = (name, extra = {}) => ({ name, type: 'bytes', ...extra });

const radiusArgs = {
  // ---- the RADIUS engine (radius_engine_binding.cc) ----
  RadiusEngineClient: {
    doc: 'A NAS client by network (a literal address and a prefix length), with its secret; the first entry holding the source decides.',
    fields: [{ name: 'network', type: 'string' }, dword('prefix'), { name: 'secret', type: 'secretBuffer', doc: 'read into a SharedSecret (wiped)' }],
  },
  RadiusEngineOpenArgs: {
    calls: ['radiusEngineOpen'],
    doc: 'radiusEngineOpen: the engine, its thread started.',
    fields: [
      { name: 'methods', type: 'handles', doc: 'authenticator method handles' },
      { name: 'settings', type: 'struct', struct: 'ConversationSettings' },
      { name: 'host', type: 'string', optional: true, doc: 'The UDP socket\'s address, a literal; absent: no socket, every datagram comes through stream() (RadSec).' },
      { name: 'port', type: 'u16' },
      { name: 'secret', type: 'secretBuffer', optional: true, doc: 'Every client\'s secret, unless `clients` gives each its own; read into the engine\'s SharedSecret (wiped).' },
      { name: 'clients', type: 'list', struct: 'RadiusEngineClient', optional: true },
      { name: 'allowed', type: 'strings', optional: true, doc: 'When given, requests from other addresses (literals) are dropped.' },
      dword('idleTimeoutMs'), dword('replyCacheMs'), dword('maxConversations'), dword('maxTlsConversations'),
      { name: 'requireMessageAuthenticator', type: 'bool' },
      { name: 'tlsTypes', type: 'numbers', doc: 'EAP types counted under maxTlsConversations.' },
      { name: 'users', type: 'secretList', ts: 'NativeKnownAnswer[]', optional: true, doc: 'A plain table\'s answers, one per identity (secrets: the caller wipes its copies), read into wiped storage; absent: the store is JS\'s, and each of the method\'s questions is asked of it through onEvents.' },
      { name: 'records', type: 'bool', doc: 'Keep a record per verdict.' },
      { name: 'onEvents', type: 'function', ts: '(events: RadiusEngineEvents) => void' },
    ],
  },
  RadiusEngineStreamArgs: {
    calls: ['NativeRadiusEngine.stream'],
    doc: 'stream(): the bytes a RadSec connection brought, as they came off its TLS socket.',
    fields: [
      dword('link', { doc: 'The connection (not 0), which replies and RadiusEngineEvents.broken name.' }),
      bytes('data', { doc: 'Empty: the connection\'s next turn of the event loop, its packets held back answered now.' }),
      { name: 'address', type: 'string', doc: 'The connection\'s remote address, a literal.' }, { name: 'port', type: 'u16' },
    ],
  },
  RadiusEngineAnswerArgs: {
    calls: ['NativeRadiusEngine.answer'],
    doc: 'answer(): the user store\'s answer to one question, as its record\'s known answer (the rules a plain table\'s follow; secrets: the caller wipes it once the call has copied it), or its failure, which fails that authentication (read only when there is no known answer).',
    fields: [
      dword('question'),
      { name: 'known', type: 'secretBuffer', ts: 'NativeKnownAnswer', optional: true, doc: 'read into wiped storage (KnownAnswerOf)' },
      { name: 'failure', type: 'string', optional: true },
    ],
  },

  // ---- the RADIUS client engine (radius_client_binding.cc); send() reads into radius::ClientRequest ----
  RadiusClientOpenArgs: {
    calls: ['radiusClientOpen'],
    fields: [
      { name: 'host', type: 'string', optional: true, doc: 'The local address to bind, a literal (0.0.0.0, ::); the port is the system\'s choice. Absent: no socket, every target a stream JS holds (RadSec).' },
      { name: 'onEvents', type: 'function', ts: '(events: RadiusClientEvents) => void', doc: 'What the engine has for JS, many requests\' worth per call on the event loop.' },
    ],
  },
  RadiusClientTargetArgs: {
    calls: ['NativeRadiusClient.target'],
    doc: 'A server by literal address, and the secret shared with it (the engine keeps a copy).',
    fields: [
      { name: 'address', type: 'string', doc: 'a literal' }, dword('port'), bytes('secret', { doc: 'wiped once the engine has its copy' }),
      dword('link', { default: 0, doc: 'A stream JS holds (RadSec), its own 256 Identifiers; 0: UDP.' }),
    ],
  },
  RadiusClientAttribute: { doc: 'One attribute of a request, as written.', fields: [dword('type', { doc: '1..255' }), bytes('value')] },
  RadiusClientSendArgs: {
    calls: ['NativeRadiusClient.send'],
    fields: [
      dword('id', { doc: 'The caller\'s name for the request, in its outcome.' }), dword('target', { doc: 'target()\'s number.' }), dword('code'),
      { name: 'attributes', type: 'list', struct: 'RadiusClientAttribute', ts: 'ReadonlyArray<RadiusClientAttribute>', doc: 'Written in order, after the Message-Authenticator (when there is one).' },
      bytes('eapMessage', { empty: true, doc: 'One EAP packet, split over EAP-Message attributes after `attributes`.' }),
      { name: 'userPassword', type: 'secretBuffer', optional: true, doc: 'PAP: hidden as User-Password (RFC 2865 §5.2), at most 128 bytes; read into the request (wiped with it).' },
      { name: 'messageAuthenticator', type: 'bool' }, { name: 'requireMessageAuthenticator', type: 'bool' },
      { name: 'secretProbe', type: 'bool', doc: 'After an unanswered first try, one Access-Request with User-Name alone tests the secret.' },
      bytes('probeUserName', { empty: true }),
      { name: 'answerCodes', type: 'numberList', ts: 'readonly number[]', doc: 'Reply codes that answer the request.' },
      dword('tries'), dword('timeoutMs'),
    ],
  },
  RadiusClientStreamArgs: { calls: ['NativeRadiusClient.stream'], fields: [dword('link'), bytes('data')] },
  RadiusLinkArgs: {
    calls: ['NativeRadiusClient.drop', 'NativeRadiusEngine.drop'],
    doc: 'drop(): the stream (a RadSec connection) is gone; what it held unframed is dropped.',
    fields: [dword('link')],
  },
  RadiusClientLoadColumn: {
    doc: 'One attribute per request of a load run: entry n is values[ends[n - 1], ends[n]); type 2 (User-Password) is hidden.',
    fields: [dword('type', { doc: '1..255' }), bytes('values'), { name: 'ends', type: 'uint32Array' }],
  },
  RadiusClientLoadArgs: {
    calls: ['NativeRadiusClient.load'],
    doc: 'A load run: Access-Requests made by the engine\'s thread, request n with entry n (modulo their length) of each column as its own attributes, then `attributes`; at most `concurrency` out, no faster than `rate` per second, until `count` have started or `durationMs` is over. Answered ones are counted (loadTake); an unanswered one is an outcome of id 0; `loadDone` in the events says the run is over.',
    fields: [
      dword('target'),
      { name: 'attributes', type: 'list', struct: 'RadiusClientAttribute', ts: 'ReadonlyArray<RadiusClientAttribute>', doc: 'Every request\'s, after its own.' },
      { name: 'columns', type: 'structs', struct: 'RadiusClientLoadColumn', ts: 'ReadonlyArray<RadiusClientLoadColumn>', doc: 'Each request\'s own attributes: not empty, every column of one length.' },
      { name: 'requireMessageAuthenticator', type: 'bool' }, dword('tries'), dword('timeoutMs'), dword('concurrency', { doc: 'At least 1.' }),
      dword('count', { default: 0, doc: '0: no count.' }), dword('durationMs', { default: 0, doc: '0: no duration.' }),
      { name: 'rate', type: 'number', default: 0, doc: 'Starts per second, 0..1e9; 0: unpaced.' },
    ],
  },
  RadiusClientCancelArgs: { calls: ['NativeRadiusClient.cancel'], fields: [dword('id')] },

  // ---- the Dynamic Authorization Server's lane (dynamic_authorization_binding.cc) ----
  DynamicAuthorizationOpenArgs: {
    calls: ['dynamicAuthorizationOpen'],
    doc: 'dynamicAuthorizationOpen: the lane that checks, remembers, decodes and answers CoA and Disconnect requests (RFC 5176); JS\'s socket hands it datagrams and sends its replies.',
    fields: [
      { name: 'clients', type: 'list', struct: 'RadiusEngineClient' },
      { name: 'nasIdentifier', type: 'string', optional: true, doc: 'Ours: a request naming another is NAK\'d 403; absent, any NAS-Identifier is.' },
      { name: 'nasAddress', type: 'string', optional: true, doc: 'Our NAS-IP-Address or NAS-IPv6-Address, a literal; absent, any is NAK\'d 403.' },
      { name: 'requireMessageAuthenticator', type: 'bool' }, { name: 'requireEventTimestamp', type: 'bool' },
      dword('windowSeconds'), dword('replayCacheSize'),
    ],
  },
  DynamicAuthorizationDatagramArgs: {
    calls: ['NativeDynamicAuthorization.receive'],
    doc: 'receive(): one datagram from `address`, at `nowMs` by the server\'s clock (ms since the epoch).',
    fields: [bytes('datagram'), { name: 'address', type: 'string' }, { name: 'nowMs', type: 'wholeMs' }],
  },
  DynamicAuthorizationVerdictArgs: {
    calls: ['NativeDynamicAuthorization.verdict'],
    doc: 'verdict(): the policy\'s word on request `id`: carried out, or refused with `errorCause`.',
    fields: [dword('id'), { name: 'done', type: 'bool' }, dword('errorCause'), { name: 'nowMs', type: 'wholeMs' }],
  },
};

module.exports = { radiusArgs };
