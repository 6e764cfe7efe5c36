// The argument objects of the RADIUS roles' bindings (radius_engine_binding.cc,
// radius_client_binding.cc, dynamic_authorization_binding.cc), declared as seam_args.js declares
// the rest (its comment says how); seam_args.js takes them in.
'use strict';

const dword = (name, extra = {}) => ({ name, type: 'dword', ...extra });
const bytes = (name, extra = {}) => ({ name, type: 'bytes', ...extra });

// Every list's real maximum (`max`, checked against the array's length before anything is read
// or allocated), here and in seam_args.js.
const MAX = {
  methods: 256, // one per EAP type, the expanded one included
  eapTypes: 256, // EAP types, or RADIUS codes: one byte
  users: 16777216, // a plain table's identities: far past what one process holds in memory
  networks: 65536, // NAS clients or allowed addresses of one server
  discoveredHomes: 16, // the homes of one discovered realm (its pool)
  radiusAttributes: 2048, // a 4,096-byte packet holds at most 2,038 (2 bytes each, after its header)
  eapAttributes: 4096, // EAP attributes, each one a RADIUS attribute at least
  inputFields: 64, // an EAP_CONFIG_INPUT_FIELD_ARRAY's fields (eap_config_convert.cc's bound)
  registryValues: 256, // values of one method's registration key
  patterns: 4096, // one policy rule's patterns of one kind (identities, SSIDs, MACs)
  policyRules: 65536, // rules of one policy (lib/radius/policy.ts)
  macs: 16777216, // a MAB allow-list's MACs: as many as a plain table's users
  portTypes: 4096, // NAS-Port-Type values one rule names
  knownPrefixes: 4096, // prefixes a RadSec listener remembers (radius_admission.h's kRememberedPrefixes)
};

const strings = (name, doc, max = MAX.patterns) => ({ name, type: 'strings', empty: true, max, doc });

const radiusArgs = {
  // ---- the policy of what an Accept carries (radius_policy_binding.cc, native/radius/server/radius_policy.h) ----
  RadiusPolicyAttribute: {
    doc: 'One attribute, typed: native/radius encodes it (radius_attribute_codec.h), in a reply or a request.',
    fields: [
      dword('type', { default: 0, doc: '1..255; 0 with a vendor (Vendor-Specific).' }),
      dword('vendor', { default: 0 }), dword('vendorType', { default: 0 }),
      { name: 'tag', type: 'dword', optional: true, doc: 'An RFC 2868 tag 0..31 ahead of the value.' },
      { name: 'format', type: 'string', ts: 'RadiusValueFormat' },
      { name: 'value', type: 'string', doc: 'Text, a decimal integer, an address, a prefix (ADDRESS/LENGTH), or hex octets, as format says.' },
    ],
  },
  RadiusAttributesEncodeArgs: {
    doc: 'radiusAttributesEncode: typed attributes as RADIUS carries them, each { type, value } in order; a bad one is a RangeError with its `option` (attributes[i].value, .type, .tag, .vendor) and `detail` apart.',
    fields: [{ name: 'attributes', type: 'structs', struct: 'RadiusPolicyAttribute', max: MAX.radiusAttributes, empty: true }],
  },
  RadiusAttributesDecodeArgs: {
    doc: 'radiusAttributesDecode: attributes typed by the dictionary, from a whole packet (read as the engine reads a request: a RangeError when it is not one) or from a list.',
    fields: [
      bytes('packet', { optional: true, doc: 'One RADIUS packet, header included.' }),
      { name: 'attributes', type: 'list', struct: 'RadiusClientAttribute', max: MAX.radiusAttributes, optional: true, ts: 'ReadonlyArray<RadiusClientAttribute>' },
    ],
  },
  RadiusPolicyReply: {
    doc: 'What an Accept carries beyond EAP\'s own attributes.',
    fields: [
      { name: 'vlan', type: 'string', optional: true, doc: 'Tunnel-Type VLAN, Tunnel-Medium-Type IEEE-802, Tunnel-Private-Group-Id (RFC 3580 §3.31).' },
      dword('vlanTag', { default: 0, doc: 'Their RFC 2868 tag.' }),
      { name: 'sessionTimeout', type: 'dword', optional: true }, { name: 'filterId', type: 'string', optional: true },
      { name: 'classValue', type: 'bytes', optional: true, doc: 'Class (RFC 2865 §5.25).' },
      { name: 'replyMessage', type: 'string', optional: true },
      { name: 'attributes', type: 'structs', struct: 'RadiusPolicyAttribute', max: MAX.radiusAttributes, empty: true },
    ],
  },
  RadiusPolicyNetwork: { doc: 'A NAS address or network a rule matches.', fields: [{ name: 'network', type: 'string' }, dword('prefix')] },
  RadiusPolicyRule: {
    doc: 'One rule: every list empty matches anything; the first rule that matches decides.',
    fields: [
      strings('user', 'The authenticated identity (inner), patterns.'), strings('userName', 'User-Name, patterns.'),
      strings('nasIdentifier', 'NAS-Identifier patterns; a rule with these or nasNetworks matches either.'),
      { name: 'nasNetworks', type: 'structs', struct: 'RadiusPolicyNetwork', max: MAX.networks, empty: true },
      strings('ssid'), strings('calledStationId', 'MAC patterns over 12 lower-case hex digits.'), strings('callingStationId', 'As calledStationId.'),
      { name: 'methods', type: 'numbers', max: 2 * MAX.eapTypes, empty: true, doc: 'EAP types; 256 PAP, 257 MAB.' },
      { name: 'nasPortTypes', type: 'numbers', max: MAX.portTypes, empty: true },
      { name: 'reject', type: 'bool', default: false },
      { name: 'reply', type: 'struct', struct: 'RadiusPolicyReply', optional: true },
    ],
  },
  RadiusPolicy: {
    doc: 'A policy compiled once: its rules, and the MAB allow-list (macs, each with its VLAN or \'\').',
    fields: [
      { name: 'rules', type: 'structs', struct: 'RadiusPolicyRule', max: MAX.policyRules, empty: true },
      { name: 'mab', type: 'bool', default: false, doc: 'An allow-list is in use (MAB requests are answered).' },
      strings('macs', '12 lower-case hex digits each.', MAX.macs), strings('macVlans', 'Parallel to macs; \'\': none.', MAX.macs),
      dword('macVlanTag', { default: 0 }),
    ],
  },
  RadiusPolicyOpenArgs: {
    doc: 'radiusPolicyOpen: a policy compiled, for a path with no RADIUS reply of its own (an EAPOL port\'s embedded authenticator).',
    fields: [{ name: 'policy', type: 'struct', struct: 'RadiusPolicy' }],
  },
  RadiusPolicyEncodeArgs: {
    doc: 'encode(): the attributes a reply (an authorize() result) makes.',
    fields: [{ name: 'reply', type: 'struct', struct: 'RadiusPolicyReply' }],
  },
  RadiusEngineAuthorizedArgs: {
    doc: 'authorized(): authorize()\'s word on one verdict: reject, accept with `reply`, or its failure (which rejects).',
    fields: [
      dword('question'), { name: 'reject', type: 'bool', default: false },
      { name: 'reply', type: 'struct', struct: 'RadiusPolicyReply', optional: true },
      { name: 'failure', type: 'string', optional: true },
    ],
  },
  RadiusPolicyRequestArgs: {
    doc: 'evaluate(): a request as the policy sees it (an EAPOL port\'s conversation), for the reply it would send.',
    fields: [
      { name: 'user', type: 'string', empty: true }, { name: 'userName', type: 'string', empty: true }, dword('method'),
      { name: 'nasIdentifier', type: 'string', empty: true }, { name: 'nasAddress', type: 'string', empty: true },
      { name: 'calledStationId', type: 'string', empty: true }, { name: 'callingStationId', type: 'string', empty: true },
      { name: 'nasPortType', type: 'dword', optional: true },
    ],
  },

  // ---- the RADIUS engine (radius_engine_binding.cc) ----
  RadiusEngineClient: {
    doc: 'A NAS client by network (a literal address and a prefix length), with its secret; the first entry holding the source decides.',
    fields: [{ name: 'network', type: 'string' }, dword('prefix'), { name: 'secret', type: 'secretBuffer', doc: 'read into a SharedSecret (wiped)' }],
  },
  RadiusProxyRoute: {
    doc: 'A User-Name realm forwarded to its home server (serve --proxy-realm), or served here (`local`).',
    fields: [
      { name: 'realm', type: 'string', empty: true, doc: 'lower case; "*": every realm no other route names; empty for a discovery route' },
      { name: 'local', type: 'bool', default: false },
      { name: 'url', type: 'string', empty: true, doc: 'as given, for Reply-Messages and the log' },
      { name: 'address', type: 'string', empty: true, doc: 'the home server, a literal (UDP)' }, { name: 'port', type: 'u16', default: 0 },
      { name: 'secret', type: 'secretBuffer', optional: true, doc: 'shared with the home server; read into a SharedSecret (wiped)' },
      { name: 'allowUnsignedReplies', type: 'bool', default: false, doc: 'take its replies without Message-Authenticator (refused by default)' },
      { name: 'balance', type: 'bool', default: false, doc: 'routes naming one realm are its pool, in order; its first route\'s `balance`: new requests spread over its alive homes (else the first alive takes them)' },
      dword('transport', { default: 0, doc: '0: RADIUS/UDP; 1: RadSec over TLS, 2: over DTLS, on a connection JS holds (proxyClient, proxyHome)' }),
      { name: 'discovery', type: 'bool', default: false, doc: 'a home found by RFC 7585 discovery (RadSec over TLS or DTLS): no realm, no address until proxyDiscovered() binds one; any such route turns discovery on for realms no other route names (RadiusEngineEvents.proxyDiscovers)' },
    ],
  },
  RadiusEngineProxyClientArgs: {
    doc: 'proxyClient(): the client engine of a RadSec home.',
    fields: [
      dword('route', { doc: 'The home\'s first route (its index in proxyRoutes).' }),
      { name: 'onEvents', type: 'function', ts: '(events: RadiusClientEvents) => void' },
    ],
  },
  RadiusEngineProxyHomeArgs: {
    doc: 'proxyHome(): a RadSec home\'s connection, as RadiusEngineEvents.proxyConnects asked.',
    fields: [
      dword('route', { doc: 'The route proxyConnects named.' }),
      { name: 'up', type: 'bool', doc: 'The connection is up (its target below); false: down, or not made (`error` says why).' },
      dword('target', { default: 0, doc: 'The connection\'s target in the home\'s proxyClient() engine.' }),
      { name: 'error', type: 'string', empty: true, doc: 'Why there is none, for the Reply-Messages of the requests refused.' },
    ],
  },
  RadiusDiscoveredHome: {
    doc: 'One home RFC 7585 discovery found for a realm, bound to a discovery route.',
    fields: [
      dword('route', { doc: 'The discovery route it is bound to (any realm or home it held before unbound).' }),
      { name: 'address', type: 'string', doc: 'The home, a literal.' },
      { name: 'port', type: 'u16' },
      { name: 'url', type: 'string', doc: 'The home as Reply-Messages and the log name it.' },
      dword('transport', { default: 1, doc: '1: RadSec over TLS, 2: over DTLS.' }),
    ],
  },
  RadiusEngineProxyDiscoveredArgs: {
    doc: 'proxyDiscovered(): what discovery found for a realm RadiusEngineEvents.proxyDiscovers named: its homes, each bound to a discovery route, in the order to try them (the realm\'s pool: the first alive takes new requests), or why none.',
    fields: [
      { name: 'realm', type: 'string', doc: 'As proxyDiscovers named it.' },
      { name: 'homes', type: 'list', struct: 'RadiusDiscoveredHome', max: MAX.discoveredHomes, optional: true, doc: 'Empty or absent: none was found (`error`).' },
      dword('expiresInMs', { default: 0, doc: 'How long the binding holds: past it, the realm is asked for again.' }),
      { name: 'error', type: 'string', empty: true, doc: 'Why no home was found (reason: detail), for the Reply-Messages of the requests refused.' },
    ],
  },
  RadiusEngineOpenArgs: {
    doc: 'radiusEngineOpen: the engine, its thread started.',
    fields: [
      { name: 'methods', type: 'handles', max: MAX.methods, doc: 'authenticator method handles' },
      { name: 'settings', type: 'struct', struct: 'ConversationSettings' },
      { name: 'host', type: 'string', optional: true, doc: 'The UDP socket\'s address, a literal; absent: no socket, every datagram comes through stream() (RadSec).' },
      { name: 'port', type: 'u16' },
      { name: 'secret', type: 'secretBuffer', optional: true, doc: 'Every client\'s secret, unless `clients` gives each its own; read into the engine\'s SharedSecret (wiped).' },
      { name: 'dtlsSecret', type: 'secretBuffer', optional: true, doc: 'RADIUS/DTLS associations\' secret instead (the links native/radius/server/radius_reply_paths.h has as DTLS\'): the RadSec revision\'s default "radius/dtls" where TLS has "radsec".' },
      { name: 'clients', type: 'list', struct: 'RadiusEngineClient', max: MAX.networks, optional: true },
      { name: 'allowed', type: 'strings', max: MAX.networks, optional: true, doc: 'When given, requests from other addresses (literals) are dropped.' },
      dword('idleTimeoutMs'), dword('replyCacheMs'), dword('maxConversations'), dword('maxTlsConversations'),
      dword('stepThreads', { default: 0, doc: 'Threads that run TLS-based conversations\' steps beside the engine\'s (native/radius/server/radius_step_pool.h), at most 64; 0: every step on the engine\'s thread. RadiusServer gives one per CPU os.availableParallelism() counts, at most 8, none on one CPU.' }),
      dword('keepStepsBelow', { default: 0, doc: 'Percent of one core (0 to 100): while the engine\'s thread and the step threads\' work on laneStepTypes\' handshake steps use less, the engine runs those steps itself, saving each the wakes of a hand-over (native/radius/server/radius_lane_headroom.h); 0: every one goes to a step thread. RadiusServer gives 70.' }),
      { name: 'requireMessageAuthenticator', type: 'bool' },
      { name: 'tlsTypes', type: 'numbers', max: MAX.eapTypes, doc: 'EAP types counted under maxTlsConversations.' },
      { name: 'laneStepTypes', type: 'numbers', max: MAX.eapTypes, optional: true, doc: 'TLS-based EAP types whose authenticator signs nothing and checks no certificate past its handshake: their steps that bring no TLS handshake record in the clear (the tunnel\'s records alone) run on the engine\'s thread, not handed to a step thread (native/radius/wire/eap_tls_records.h).' },
      { name: 'users', type: 'secretList', ts: 'NativeKnownAnswer[]', max: MAX.users, optional: true, doc: 'A plain table\'s answers, one per identity (secrets: the caller wipes its copies), read into wiped storage; absent: the store is JS\'s, and each of the method\'s questions is asked of it through onEvents.' },
      { name: 'records', type: 'bool', doc: 'Keep a record per verdict.' },
      { name: 'policy', type: 'struct', struct: 'RadiusPolicy', optional: true, doc: 'What an Accept carries, decided on the engine\'s thread; MAB answered when it holds an allow-list.' },
      { name: 'authorize', type: 'bool', default: false, doc: 'Ask JS (onEvents\' authorizations) for every verdict that succeeded.' },
      { name: 'pap', type: 'bool', default: false, doc: 'Answer PAP (User-Password) requests; refused unchecked without.' },
      { name: 'accounting', type: 'bool', default: false, doc: 'Answer Accounting-Requests: each goes to JS (onEvents\' accounting) and is answered once accounted() says it is recorded.' },
      { name: 'proxyRoutes', type: 'list', struct: 'RadiusProxyRoute', max: MAX.networks, optional: true, doc: 'Realms forwarded to home servers through a client engine of the engine\'s own; a realm no route names is refused.' },
      { name: 'proxyOnly', type: 'bool', default: false, doc: 'Nothing is answered here (no users): an Access-Request no route sends to a home server (no realm, or a local one) gets an Access-Reject whose Reply-Message says so.' },
      dword('firstLink', { default: 1, doc: 'The first number link() and the DTLS listener\'s associations take (radius_reply_paths.h); a test starts near a boundary.' }),
      { name: 'onEvents', type: 'function', ts: '(events: RadiusEngineEvents) => void' },
    ],
  },
  RadiusEngineAccountedArgs: {
    doc: 'accounted(): an Accounting-Request recorded (its Accounting-Response goes out) or not (nothing goes out; the NAS retries).',
    fields: [dword('id'), { name: 'recorded', type: 'bool' }],
  },
  RadiusEngineSpoolArgs: {
    doc: 'spool(): a spooled Accounting-Request sent to its realm\'s home, no NAS to answer; RadiusEngineEvents says whether the home acknowledged it.',
    fields: [
      dword('id', { doc: 'The spool\'s own number for it, non-zero, which RadiusEngineEvents gives back.' }),
      { name: 'attributes', type: 'list', struct: 'RadiusClientAttribute', max: MAX.radiusAttributes, ts: 'ReadonlyArray<RadiusClientAttribute>', doc: 'Its attributes as the NAS sent them, in order.' },
      dword('waitedSeconds', { doc: 'How long it waited in the spool: added to its Acct-Delay-Time (one added when it has none), RFC 2866 §5.2.' }),
      { name: 'home', type: 'string', empty: true, doc: 'The URL of the home it was spooled for: sent there while its realm\'s route names that home, else to the home its realm\'s pool picks.' },
    ],
  },
  RadiusEngineStreamArgs: {
    doc: 'stream(): the bytes a RadSec connection brought, as they came off its TLS socket.',
    fields: [
      dword('link', { doc: 'The connection\'s number from link(), which replies and RadiusEngineEvents.broken name.' }),
      bytes('data', { doc: 'Empty: the connection\'s next turn of the event loop, its packets held back answered now.' }),
      { name: 'address', type: 'string', doc: 'The connection\'s remote address, a literal.' }, { name: 'port', type: 'u16' },
      { name: 'radius11', type: 'bool', default: false, doc: 'The connection negotiated RADIUS/1.1 (RFC 9765): Token, no MD5, no shared secret.' },
    ],
  },
  RadiusEngineAnswerArgs: {
    doc: 'answer(): the user store\'s answer to one question, as its record\'s known answer (the rules a plain table\'s follow; secrets: the caller wipes it once the call has copied it), or its failure, which fails that authentication (read only when there is no known answer).',
    fields: [
      dword('question'),
      { name: 'known', type: 'secretBuffer', ts: 'NativeKnownAnswer', optional: true, doc: 'read into wiped storage (KnownAnswerOf)' },
      { name: 'failure', type: 'string', optional: true },
    ],
  },

  // ---- the RADIUS client engine (radius_client_binding.cc); send() reads into radius::ClientRequest ----
  RadiusClientOpenArgs: {
    fields: [
      { name: 'host', type: 'string', optional: true, doc: 'The local address to bind, a literal (0.0.0.0, ::); the port is the system\'s choice. Absent: no socket, every target a stream JS holds (RadSec).' },
      { name: 'onEvents', type: 'function', ts: '(events: RadiusClientEvents) => void', doc: 'What the engine has for JS, many requests\' worth per call on the event loop.' },
    ],
  },
  RadiusClientTargetArgs: {
    doc: 'A server by literal address, and the secret shared with it (the engine keeps a copy).',
    fields: [
      { name: 'address', type: 'string', doc: 'a literal' }, dword('port'), bytes('secret', { doc: 'wiped once the engine has its copy' }),
      dword('link', { default: 0, doc: 'A stream JS holds (RadSec), its own 256 Identifiers; 0: UDP.' }),
      { name: 'radius11', type: 'bool', default: false, doc: 'The stream negotiated RADIUS/1.1 (RFC 9765): Tokens, no MD5; `secret` is then unused.' },
    ],
  },
  RadiusClientAttribute: { doc: 'One attribute of a request, as written.', fields: [dword('type', { doc: '1..255' }), bytes('value')] },
  RadiusClientSendArgs: {
    fields: [
      dword('id', { doc: 'The caller\'s name for the request, in its outcome.' }), dword('target', { doc: 'target()\'s number.' }), dword('code'),
      { name: 'attributes', type: 'list', struct: 'RadiusClientAttribute', max: MAX.radiusAttributes, ts: 'ReadonlyArray<RadiusClientAttribute>', doc: 'Written in order, after the Message-Authenticator (when there is one).' },
      bytes('eapMessage', { empty: true, doc: 'One EAP packet, split over EAP-Message attributes after `attributes`.' }),
      { name: 'userPassword', type: 'secretBuffer', optional: true, doc: 'PAP: hidden as User-Password (RFC 2865 §5.2), at most 128 bytes; read into the request (wiped with it).' },
      { name: 'messageAuthenticator', type: 'bool' }, { name: 'requireMessageAuthenticator', type: 'bool' },
      { name: 'secretProbe', type: 'bool', doc: 'After an unanswered first try, one Access-Request with User-Name alone tests the secret.' },
      bytes('probeUserName', { empty: true }),
      { name: 'answerCodes', type: 'numberList', max: MAX.eapTypes, ts: 'readonly number[]', doc: 'Reply codes that answer the request.' },
      dword('tries'), dword('timeoutMs'),
    ],
  },
  RadiusClientStreamArgs: { fields: [dword('link'), bytes('data')] },
  RadiusDtlsConnectArgs: {
    doc: 'dtlsConnect: a RADIUS/DTLS association to a server by literal address, its handshake started; certificates (cert and key, ca for the server\'s chain) or a PSK.',
    fields: [
      dword('link', { doc: 'The client engine\'s stream the association carries: its requests and replies, natively.' }),
      { name: 'address', type: 'string', doc: 'a literal' }, dword('port'),
      { name: 'serverName', type: 'string', empty: true, doc: 'Sent as SNI when a host name.' },
      bytes('cert', { empty: true, doc: 'PEM' }), bytes('key', { empty: true, wipe: true, doc: 'PEM; wiped once loaded' }),
      { name: 'passphrase', type: 'string', empty: true, wipe: true },
      bytes('ca', { empty: true, doc: 'PEM: the CA the server\'s chain must reach; absent: no chain is trusted.' }),
      { name: 'pskIdentity', type: 'string', empty: true, doc: 'TLS-PSK (RFC 9813) instead of certificates.' },
      bytes('pskKey', { empty: true, wipe: true, doc: 'wiped once loaded' }),
      dword('handshakeTimeoutMs', { default: 10000 }),
      { name: 'onEvents', type: 'function', ts: '(events: RadiusDtlsEvents) => void', doc: 'What the association has for JS, a batch a call.' },
    ],
  },
  RadiusDtlsListenArgs: {
    doc: 'dtlsListen: the RADIUS/DTLS listener, with RadSec over TCP\'s limits (lib/radius/radsec/listener.ts says what each bounds).',
    fields: [
      { name: 'host', type: 'string', doc: 'a literal' }, dword('port'),
      bytes('cert', { empty: true, doc: 'PEM; empty with `psk` alone (a PSK-only listener)' }),
      bytes('key', { empty: true, wipe: true, doc: 'PEM; wiped once loaded' }),
      { name: 'passphrase', type: 'string', empty: true, wipe: true },
      bytes('ca', { empty: true, doc: 'PEM: the CA of the clients\' certificates.' }),
      { name: 'psk', type: 'list', struct: 'RadiusDtlsPskClient', max: MAX.networks, optional: true, doc: 'TLS-PSK clients (RFC 9813), beside or instead of certificates.' },
      dword('maxConnections'), dword('maxConnectionsPerAddress'), dword('handshakeTimeoutMs'), dword('idleTimeoutMs'),
      { name: 'clientNetworks', type: 'strings', empty: true, max: MAX.networks,
        doc: 'The configured client networks ("10.1.0.0/22", "192.0.2.7"): their prefixes known for good, their handshakes never budgeted.' },
    ],
  },
  RadiusDtlsPskClient: {
    doc: 'A PSK identity the listener knows, its key, and one network it may present it from; an identity may have several entries, with one key.',
    fields: [
      { name: 'identity', type: 'string' }, bytes('key', { wipe: true, doc: 'wiped once loaded' }),
      { name: 'network', type: 'string', doc: 'a literal' }, dword('prefix'),
    ],
  },
  RadsecAdmissionOpenArgs: {
    doc: 'radsecAdmissionOpen: a listener\'s caps, and what it knows from the start.',
    fields: [
      dword('maxConnections'), dword('maxConnectionsPerAddress'),
      { name: 'knownPrefixes', type: 'strings', empty: true, max: MAX.knownPrefixes,
        doc: 'Prefixes (/24, /56: "192.0.2.0/24", "2001:db8:0:100::/56") that authenticated before (a saved list), the oldest first.' },
      { name: 'clientNetworks', type: 'strings', empty: true, max: MAX.networks,
        doc: 'The configured client networks ("10.1.0.0/22", "192.0.2.7"): their prefixes known for good.' },
    ],
  },
  RadsecAdmissionAdmitArgs: {
    doc: 'admit(): a slot, its number ascending with its arrival (never reused while held), from a literal address.',
    fields: [
      { name: 'slot', type: 'number' }, { name: 'address', type: 'string', doc: 'a literal' },
      { name: 'nowMs', type: 'number', doc: 'Milliseconds, monotonic.' },
    ],
  },
  RadsecAdmissionProgressArgs: {
    doc: 'progress(): bytes the peer sent and the server wrote so far.',
    fields: [{ name: 'slot', type: 'number' }, { name: 'read', type: 'number' }, { name: 'written', type: 'number' }],
  },
  RadsecAdmissionSlotArgs: { doc: 'One slot.', fields: [{ name: 'slot', type: 'number' }] },
  RadsecAdmissionAddressArgs: { doc: 'A literal address.', fields: [{ name: 'address', type: 'string' }] },
  RadsecBudgetOpenArgs: {
    doc: 'radsecBudgetOpen: handshakes started a second at most, and at once after a quiet spell.',
    fields: [dword('perSecond'), dword('burst')],
  },
  RadsecBudgetOfferArgs: {
    doc: 'offer(): a slot, its number ascending with its arrival, from a literal address.',
    fields: [{ name: 'slot', type: 'number' }, { name: 'address', type: 'string', doc: 'a literal' }],
  },
  RadsecBudgetDueArgs: { doc: 'due(): now.', fields: [{ name: 'nowMs', type: 'number', doc: 'Milliseconds, monotonic.' }] },
  RadiusDtlsWriteArgs: { doc: 'One RADIUS packet JS made (a reverse CoA reply), sent in one record once the handshake is done.', fields: [bytes('packet')] },
  RadiusLinkArgs: {
    doc: 'drop(): the stream (a RadSec connection) is gone; what it held unframed is dropped.',
    fields: [dword('link')],
  },
  RadiusClientLoadColumn: {
    doc: 'One attribute per request of a load run: entry n is values[ends[n - 1], ends[n]); type 2 (User-Password) is hidden.',
    fields: [dword('type', { doc: '1..255' }), bytes('values'), { name: 'ends', type: 'uint32Array' }],
  },
  RadiusClientLoadArgs: {
    doc: 'A load run: Access-Requests made by the engine\'s thread, request n with entry n (modulo their length) of each column as its own attributes, then `attributes`; at most `concurrency` out, no faster than `rate` per second, until `count` have started or `durationMs` is over. Answered ones are counted (loadTake); an unanswered one is an outcome of id 0; `loadDone` in the events says the run is over.',
    fields: [
      dword('target'),
      { name: 'attributes', type: 'list', struct: 'RadiusClientAttribute', max: MAX.radiusAttributes, ts: 'ReadonlyArray<RadiusClientAttribute>', doc: 'Every request\'s, after its own.' },
      { name: 'columns', type: 'structs', struct: 'RadiusClientLoadColumn', max: MAX.radiusAttributes, ts: 'ReadonlyArray<RadiusClientLoadColumn>', doc: 'Each request\'s own attributes: not empty, every column of one length.' },
      { name: 'requireMessageAuthenticator', type: 'bool' }, dword('tries'), dword('timeoutMs'), dword('concurrency', { doc: 'At least 1.' }),
      dword('count', { default: 0, doc: '0: no count.' }), dword('durationMs', { default: 0, doc: '0: no duration.' }),
      { name: 'rate', type: 'number', default: 0, doc: 'Starts per second, 0..1e9; 0: unpaced.' },
      dword('code', { default: 1, doc: 'Access-Request (1), answered by Accept, Reject or Challenge; or Accounting-Request (4), by Accounting-Response (a success).' }),
    ],
  },
  RadiusClientCancelArgs: { fields: [dword('id')] },

  // ---- the Dynamic Authorization Server's engine (dynamic_authorization_binding.cc) ----
  DynamicAuthorizationOpenArgs: {
    doc: 'dynamicAuthorizationOpen: binds the socket and starts the thread that checks, remembers, decodes and answers CoA and Disconnect requests (RFC 5176).',
    fields: [
      { name: 'host', type: 'string', doc: 'The local address to bind, a literal.' }, dword('port', { doc: '0: any free one.' }),
      { name: 'clients', type: 'list', struct: 'RadiusEngineClient', max: MAX.networks },
      { name: 'nasIdentifier', type: 'string', optional: true, doc: 'Ours: a request naming another is NAK\'d 403; absent, any NAS-Identifier is.' },
      { name: 'nasAddress', type: 'string', optional: true, doc: 'Our NAS-IP-Address or NAS-IPv6-Address, a literal; absent, any is NAK\'d 403.' },
      { name: 'anyNas', type: 'bool', default: false, doc: 'A proxy\'s lane (reverse CoA toward the NAS side): NAS-Identifier and NAS-IP(v6)-Address pass unchecked, the NAS\'s to check; not with nasIdentifier or nasAddress.' },
      { name: 'requireMessageAuthenticator', type: 'bool' }, { name: 'requireEventTimestamp', type: 'bool' },
      dword('windowSeconds'), dword('replayCacheSize'),
      { name: 'radsec', type: 'bool', default: false, doc: 'Requests come over RadSec connections alone (stream(), dtlsListen()), under RadSec\'s secret "radsec" (RFC 6614 §2.3; over DTLS "radius/dtls"): the socket\'s datagrams are dropped, and a client no entry contains, or a request of another kind, gets a Protocol-Error (RFC 7930 §4) with Error-Cause 406.' },
      { name: 'streamSecret', type: 'secretBuffer', optional: true, doc: 'With radsec: the secret of stream()\'s requests instead of "radsec" (a RadSec client\'s own link carrying reverse CoA); read into the lane\'s SharedSecret (wiped).' },
      { name: 'onRequests', type: 'function', ts: '(requests: NativeDasRequest[]) => void', doc: 'The requests that passed every check, many per call on the event loop.' },
    ],
  },
  DynamicAuthorizationVerdictArgs: {
    doc: 'verdict(): the policy\'s word on request `id`: carried out, or refused with `errorCause`.',
    fields: [dword('id'), { name: 'done', type: 'bool' }, dword('errorCause')],
  },
  DynamicAuthorizationStreamArgs: {
    doc: 'stream(): the bytes a RadSec connection brought, as they came off its TLS socket (radsec only).',
    fields: [
      dword('link', { doc: 'The connection\'s number from link().' }),
      bytes('data', { doc: 'Empty: the connection\'s next turn of the event loop, its packets held back handled now.' }),
      { name: 'address', type: 'string', doc: 'The connection\'s remote address, a literal.' }, { name: 'port', type: 'u16' },
    ],
  },
  DynamicAuthorizationClockArgs: {
    doc: 'clock(): the server\'s clock reads `nowMs` (ms since the epoch) now, and goes on from there.',
    fields: [{ name: 'nowMs', type: 'wholeMs' }],
  },
};

module.exports = { radiusArgs, MAX };
