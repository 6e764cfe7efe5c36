/**
 * The embedded EAP authenticator: the native authenticator host (Identity, method proposal,
 * Nak, Success/Failure framing, retransmission) over authenticator method modules, with a
 * user store in JS. Each conversation (authenticator-conversation.ts) is an EapTransport, so
 * `authenticate()` can run a peer against it in-process, and the RADIUS server mode can put it
 * behind RADIUS.
 */
import { BuiltinMethodName, TlsMethodName, isTlsMethodName, resolveMethod } from './builtin';
import { Pem, Phase2Name, TeapInnerMethod, TlsVersion, authenticatorConnectionData, innerMethodList } from '../core/connection-data';
import { processEphemeralCa } from '../core/ephemeral-ca';
import { stateError } from '../core/errors';
import { methodTypeOfName } from '../core/method-facts';
import { AuthenticatorMethod, loadAuthenticatorMethod } from './authenticator-method';
import { methodHandle } from './internal';
import { AuthenticatorConversation, ConversationOwner, createConversation } from './authenticator-conversation';
import { CallGate } from '../native';
import { registerEngineParts } from '../radius/server';
import type { Authorize } from '../radius/policy';
import type { ConversationAuthenticator, ConversationSettings, NativeHandle } from '../native/contract';
import { UserRecord, UserStore, tableAnswers, toUserStore, wipeKnownAnswer } from '../core/users';
import type { EmbeddedAuthenticator } from '../core/transport';

export type { UserRecord, UserStore } from '../core/users';
export { AuthenticatorConversation } from './authenticator-conversation';

export interface CreateAuthenticatorOptions {
  /** Methods to propose, most preferred first: shipped names or module paths. The first is
   *  proposed; a peer's Nak may choose any other in the list. Default ['md5']. */
  methods?: (BuiltinMethodName | { path: string })[];
  /** A UserStore, or a plain object { "<identity>": { password } | { ntHash } }. */
  users: UserStore | Record<string, UserRecord>;
  maxSendPacketSize?: number;
  /** How long to wait for a response before retransmitting (RFC 3748 §4.3). Default 3000. */
  retransmitTimeoutMs?: number;
  /** Retransmissions before giving up (RFC 4137 MaxRetrans). Default 4. */
  maxRetransmits?: number;
  /** TLS methods: the server certificate chain (PEM). Without cert and key the authenticator
   *  makes an ephemeral CA and server certificate for this process (see `trust`). */
  cert?: Pem;
  key?: Pem;
  keyPassword?: string;
  /** TLS methods: certificate and key as DER PKCS#12 (keyPassword is its password). */
  pkcs12?: Buffer;
  /** EAP-TLS, and TEAP's inner EAP-TLS: the CAs that issue client certificates (default with
   *  the ephemeral CA: that CA). */
  ca?: Pem;
  tls?: { min?: TlsVersion; max?: TlsVersion };
  /** PEAP, TTLS with phase2 'eap', and TEAP: the inner EAP method. Default 'mschapv2'. 'tls'
   *  is TEAP's alone (PEAP and TTLS keep their default): an inner EAP-TLS with this
   *  authenticator's certificate, the client CA `ca` and the EAP-TLS options (allowWeakRsa,
   *  crl, ocspResponder, …). An array offers several (at most 4): the first is proposed, and a
   *  peer's Nak asking for another of them is followed (a Windows TEAP peer set up for inner
   *  EAP-TLS Naks EAP-MSCHAPv2 asking for it); a Nak for one not offered fails the peer. */
  innerMethod?: TeapInnerMethod | readonly TeapInnerMethod[];
  /** EAP-TTLS phase 2. */
  phase2?: Phase2Name;
  /** PEAP: require the peer's cryptobinding. */
  requireCryptoBinding?: boolean;
  /** TEAP: the order of an inner EAP-MSCHAPv2's keys in the key chain, 'hostap' (default) or
   *  'windows' (docs/teap.md). */
  teapMsChapV2KeyOrder?: 'hostap' | 'windows';
  /** TEAP: Basic-Password-Auth instead of an inner EAP method (clear-text passwords only). */
  teapBasicPassword?: boolean;
  /** TEAP: EAP chaining, a machine then a user, each in an inner method of its own. */
  teapChaining?: boolean;
  /** TEAP: EAP chaining (implies teapChaining) with this inner method proposed for the user's,
   *  after innerMethod's first for the machine's, as Windows sets up TEAP; offered too. */
  teapSecondaryInnerMethod?: TeapInnerMethod;
  /** EAP-TLS: accept client certificates with an RSA key under 2048 bits (refused by default). */
  allowWeakRsa?: boolean;
  /** EAP-TLS: CRL files (PEM or DER) client certificates are checked against. A certificate a
   *  CRL of its issuer revokes is refused, and so is one whose issuer has no CRL among them
   *  (fail closed). A file replaced on disk is read again at the next handshake. */
  crl?: string | string[];
  /** EAP-TLS: check the client's whole chain against the CRLs, not only its certificate. */
  crlChain?: boolean;
  /** EAP-TLS: accept a CRL past its nextUpdate (refused by default). */
  allowStaleCrl?: boolean;
  /** A DER OCSP response for the server's own certificate (`cert`), stapled to it for peers
   *  that ask (TLS 1.2 status_request, TLS 1.3); read again when the file changes on disk. */
  ocspResponse?: string;
  /** EAP-TLS: an OCSP responder (http://HOST[:PORT][/PATH]) asked about each client certificate;
   *  its answers are kept until their nextUpdate. A client is refused when it cannot be reached. */
  ocspResponder?: string;
  /** EAP-TLS: let a client in when the OCSP responder cannot answer (refused by default). */
  ocspResponderFailOpen?: boolean;
  /** TLS methods: seconds a TLS session stays resumable by the peer that made it (session
   *  cache and tickets, TLS 1.2 and 1.3; PEAP may then skip phase 2, see fastReconnect); 0 turns
   *  resumption off. Default 3600, at most 604800. */
  tlsSessionLifetime?: number;
  /** EAP-TLS, PEAP and TEAP: the session tickets' master key, 64 random bytes (GnuTLS's
   *  format). Authenticators in other processes given the same
   *  key and tlsSessionLifetime resume each other's TLS 1.3 sessions; TLS 1.2 (and EAP-TTLS)
   *  resume by Session ID, within this process. Default: a random key per configuration. A
   *  secret: createAuthenticator copies it, wipe yours once it resolves. */
  tlsTicketKey?: Buffer;
  /** PEAP (MS-PEAP fast reconnect) and EAP-TTLS: a peer resuming a TLS 1.2 session whose phase 2
   *  succeeded skips phase 2, once the user store still answers for the identity phase 2
   *  authenticated with the same secret (a session whose phase 2 failed or never ended runs it
   *  in full; TLS 1.3 sessions always do). Default true, as Microsoft's profiles; false runs
   *  phase 2 on every resumption. */
  fastReconnect?: boolean;
  /** How long the user store may take to answer lookup() before the conversation fails. Default 30000. */
  lookupTimeoutMs?: number;
  /**
   * Asked after every authentication that succeeded what its Accept carries (a VLAN, Session-Timeout,
   * Filter-Id, Class, Reply-Message, any RADIUS attribute) or whether to reject it: a RadiusServer
   * over this authenticator asks it (unless given its own policy or authorize), and so does an
   * EAPOL port's embedded backend. Bounded by lookupTimeoutMs; one that throws rejects.
   */
  authorize?: Authorize;
}

/** What a peer must trust to accept this authenticator's ephemeral server certificate. */
export interface AuthenticatorTrust {
  /** The ephemeral CA certificate, PEM. */
  ca: string;
  /** The name in the server certificate's SAN dNSName. */
  serverName: string;
}

export interface AuthenticatorSettings extends ConversationSettings {
  lookupTimeoutMs: number;
  /** The TLS-based types whose steps past the handshake the RADIUS engine runs on its thread. */
  laneStepTypes: readonly number[];
}

const TLS_OPTION_NAMES = ['cert', 'key', 'keyPassword', 'pkcs12', 'ca', 'tls', 'innerMethod', 'phase2',
  'requireCryptoBinding', 'tlsSessionLifetime', 'tlsTicketKey', 'allowWeakRsa', 'fastReconnect', 'crl', 'crlChain', 'allowStaleCrl',
  'ocspResponse', 'ocspResponder', 'ocspResponderFailOpen',
  'teapMsChapV2KeyOrder', 'teapBasicPassword', 'teapChaining', 'teapSecondaryInnerMethod'] as const;

/**
 * Each TLS method's connection data: the given certificate, or the process's ephemeral one
 * (then `trust` says what the in-process peer must trust). Options for no listed TLS method
 * are a TypeError, so a misplaced certificate never goes unnoticed.
 */
function tlsConfiguration(specs: CreateAuthenticatorOptions['methods'] & object, options: CreateAuthenticatorOptions)
  : { connectionData: (Buffer | undefined)[]; trust?: AuthenticatorTrust; laneStepTypes: number[] } {
  const names = specs.map((spec) => (typeof spec === 'string' ? spec.toLowerCase() : ''));
  const tlsNames = names.filter(isTlsMethodName);
  const given = TLS_OPTION_NAMES.filter((name) => options[name] !== undefined);
  if (tlsNames.length === 0) {
    if (given.length > 0) throw new TypeError(`${given.join(', ')}: no TLS method (tls, peap, ttls, teap) in methods`);
    return { connectionData: names.map(() => undefined), laneStepTypes: [] };
  }
  // TEAP's inner EAP-TLS verifies client certificates as EAP-TLS does; PEAP and EAP-TTLS offer
  // the other inner methods named.
  const inner = innerMethodList(options.innerMethod);
  const innerTls = inner.includes('tls') || options.teapSecondaryInnerMethod === 'tls';
  const tunnelInner = inner.filter((name) => name !== 'tls');
  const clientCertificates: TlsMethodName[] = innerTls ? ['tls', 'teap'] : ['tls'];
  if (innerTls && !tlsNames.includes('teap')) throw new TypeError("innerMethod 'tls' applies to TEAP, which methods does not list");
  const needs: [keyof CreateAuthenticatorOptions, TlsMethodName[], string][] = [
    ['ca', clientCertificates, 'EAP-TLS (the CAs of client certificates)'],
    ['phase2', ['ttls'], 'EAP-TTLS'],
    ['innerMethod', ['peap', 'ttls', 'teap'], 'PEAP, EAP-TTLS and TEAP'],
    ['teapMsChapV2KeyOrder', ['teap'], 'TEAP'],
    ['teapBasicPassword', ['teap'], 'TEAP'],
    ['teapChaining', ['teap'], 'TEAP'],
    ['teapSecondaryInnerMethod', ['teap'], 'TEAP'],
    ['requireCryptoBinding', ['peap'], 'PEAP'],
    ['fastReconnect', ['peap', 'ttls'], 'PEAP and EAP-TTLS'],
    ['tlsTicketKey', ['tls', 'peap', 'teap'], 'EAP-TLS, PEAP and TEAP (EAP-TTLS resumes by Session ID, in one process)'],
    ['allowWeakRsa', clientCertificates, 'EAP-TLS (the keys of client certificates)'],
    ['crl', clientCertificates, 'EAP-TLS (the revocation of client certificates)'],
    ['crlChain', clientCertificates, 'EAP-TLS (the revocation of client certificates)'],
    ['allowStaleCrl', clientCertificates, 'EAP-TLS (the revocation of client certificates)'],
    ['ocspResponder', clientCertificates, 'EAP-TLS (the revocation of client certificates)'],
    ['ocspResponderFailOpen', clientCertificates, 'EAP-TLS (the revocation of client certificates)'],
  ];
  for (const [name, methods, what] of needs) {
    if (options[name] !== undefined && !methods.some((method) => tlsNames.includes(method))) {
      throw new TypeError(`${name} applies to ${what}, which methods does not list`);
    }
  }
  let trust: AuthenticatorTrust | undefined;
  let server: { cert?: Pem; key?: Pem; keyPassword?: string; pkcs12?: Buffer } =
    { cert: options.cert, key: options.key, keyPassword: options.keyPassword, pkcs12: options.pkcs12 };
  let clientCa = options.ca;
  if (options.cert === undefined && options.pkcs12 === undefined) {
    if (options.key !== undefined || options.keyPassword !== undefined) throw new TypeError('key needs its certificate: give cert too');
    const ephemeral = processEphemeralCa();
    server = { cert: ephemeral.server.cert, key: ephemeral.server.key };
    trust = { ca: ephemeral.ca, serverName: ephemeral.serverName };
    clientCa ??= ephemeral.ca;
  }
  const connectionData = names.map((name) => {
    if (!isTlsMethodName(name)) return undefined;
    const method: TlsMethodName = name;
    return authenticatorConnectionData(method, {
      ...server,
      // This host takes our private attributes out of each result: the conversation's facts (serve's
      // metrics count by them) and a refusal's words (the step's error).
      privateAttributes: true,
      tls: options.tls,
      tlsSessionLifetime: options.tlsSessionLifetime,
      ...(method !== 'ttls' ? { tlsTicketKey: options.tlsTicketKey } : {}),
      ocspResponse: options.ocspResponse,
      ...(method === 'tls' || (method === 'teap' && innerTls) ? {
        ca: clientCa, allowWeakRsa: options.allowWeakRsa,
        crl: options.crl, crlChain: options.crlChain, allowStaleCrl: options.allowStaleCrl,
        ocspResponder: options.ocspResponder, ocspResponderFailOpen: options.ocspResponderFailOpen,
      } : {}),
      ...(method === 'teap' ? { innerMethod: options.innerMethod, teapSecondaryInnerMethod: options.teapSecondaryInnerMethod } : {}),
      ...((method === 'peap' || method === 'ttls') && tunnelInner.length > 0 ? { innerMethod: tunnelInner } : {}),
      ...(method === 'peap' || method === 'ttls' ? { fastReconnect: options.fastReconnect } : {}),
      ...(method === 'teap' ? { teapMsChapV2KeyOrder: options.teapMsChapV2KeyOrder, teapBasicPassword: options.teapBasicPassword,
        teapChaining: options.teapChaining } : {}),
      ...(method === 'peap' ? { requireCryptoBinding: options.requireCryptoBinding } : {}),
      ...(method === 'ttls' ? { phase2: options.phase2 } : {}),
    });
  });
  // Past its handshake, a tunnel that checks no certificate signs nothing and waits on nothing: the
  // RADIUS engine runs those steps on its own thread (native/radius/wire/eap_tls_records.h), and
  // their handshake steps while it has room (radius_lane_headroom.h). EAP-TLS joins them, for its
  // handshake steps alone (it has no tunnel), when no OCSP responder is asked: checking a client
  // certificate is then the CPU's work against local CAs and CRL files, with nothing to wait
  // on. TEAP with an inner EAP-TLS never does: that inner handshake signs inside the tunnel.
  const asksResponder = options.ocspResponder !== undefined;
  const laneStepTypes = tlsNames.filter((name) => name === 'peap' || name === 'ttls' || (name === 'teap' && !innerTls) ||
    (name === 'tls' && !asksResponder))
    .map((name) => methodTypeOfName(name)).filter((type): type is number => type !== undefined);
  return { connectionData, trust, laneStepTypes };
}

let newAuthenticator: (methods: AuthenticatorMethod[], store: UserStore, settings: AuthenticatorSettings,
  trust: AuthenticatorTrust | undefined, authorize: Authorize | undefined) => Authenticator;

export class Authenticator implements EmbeddedAuthenticator, AsyncDisposable {
  // Open or closed, as every native object's gate says (calls on it may overlap).
  readonly #gate = new CallGate('authenticator', false);
  readonly #methods: AuthenticatorMethod[];
  // The modules never change: one array for every conversation, not one made per conversation.
  readonly #handles: readonly NativeHandle[];
  readonly #settings: AuthenticatorSettings;
  readonly #owner: ConversationOwner;
  readonly #native: ConversationAuthenticator;

  static {
    newAuthenticator = (methods, store, settings, trust, authorize) => new Authenticator(methods, store, settings, trust, authorize);
  }

  private constructor(methods: AuthenticatorMethod[], store: UserStore, settings: AuthenticatorSettings,
                      /** Set when the TLS methods serve an ephemeral certificate: what the peer must trust. */
                      readonly trust?: AuthenticatorTrust,
                      /** createAuthenticator's authorize, asked by the RADIUS server and the EAPOL backend. */
                      readonly authorize?: Authorize) {
    this.#methods = methods;
    this.#settings = settings;
    this.#handles = Object.freeze(methods.map((m) => m[methodHandle]()));
    // One object for every conversation: the addon keeps what it read of it at the first. A plain
    // table is read here, once: its answers are handed over whole, every question answered natively.
    this.#native = { methods: this.#handles, settings };
    const users = tableAnswers(store);
    if (users) this.#native.users = users;
    const native = this.#native;
    this.#owner = { store, settings, conversationAuthenticator: () => (this.#methodHandles(), native) };
    registerEngineParts(this, { store, settings, methodHandles: () => this.#methodHandles(), authorize });
  }

  /** The EAP types this authenticator proposes, in order. */
  get methodTypes(): number[] {
    return this.#methods.map((m) => m.type.type);
  }

  /** A new conversation (one authentication), usable as an EapTransport. */
  createConversation(): AuthenticatorConversation {
    if (this.#gate.closed) throw stateError('createConversation', 'Closed', 'the authenticator is closed');
    return createConversation(this.#owner);
  }

  #methodHandles(): readonly NativeHandle[] {
    if (this.#gate.closed) throw stateError('begin', 'Closed', 'the authenticator is closed');
    return this.#handles;
  }

  async close(): Promise<void> {
    if (this.#gate.closed) return;
    this.#gate.markClosed('Closed');
    // The TLS methods' configuration holds the server's private key; the table's answers, its
    // secrets (the addon's copy is wiped once the object that held them is collected).
    for (const data of this.#settings.connectionData) data?.fill(0);
    for (const known of this.#native.users ?? []) wipeKnownAnswer(known);
    await Promise.all(this.#methods.map((m) => m.close()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

export async function createAuthenticator(options: CreateAuthenticatorOptions): Promise<Authenticator> {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const store = toUserStore(options.users);
  if (options.authorize !== undefined && typeof options.authorize !== 'function') {
    throw new TypeError('authorize must be a function (request) => reply | { reject: true } | undefined');
  }
  const specs = options.methods ?? ['md5'];
  if (!Array.isArray(specs) || specs.length === 0) throw new TypeError('methods must be a non-empty array');
  for (const spec of specs) if (typeof spec === 'string') resolveMethod(spec);
  const positive = (value: unknown, name: string, fallback: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
      throw new TypeError(`${name} must be a non-negative integer`);
    }
    return value;
  };
  const { connectionData, trust, laneStepTypes } = tlsConfiguration(specs, options);
  const settings: AuthenticatorSettings = {
    maxSendPacketSize: positive(options.maxSendPacketSize, 'maxSendPacketSize', 1400),
    retransmitTimeoutMs: positive(options.retransmitTimeoutMs, 'retransmitTimeoutMs', 3000),
    maxRetransmits: positive(options.maxRetransmits, 'maxRetransmits', 4),
    lookupTimeoutMs: positive(options.lookupTimeoutMs, 'lookupTimeoutMs', 30_000),
    laneStepTypes,
    connectionData,
    stepsAside: specs.some((spec) => typeof spec === 'string' && isTlsMethodName(spec.toLowerCase())),
  };
  let methods: AuthenticatorMethod[] = [];
  try {
    methods = await Promise.all(specs.map((spec) => loadAuthenticatorMethod(spec)));
    // A TLS configuration no conversation could use (an OCSP response file that holds no
    // response, or one about another certificate; a CRL that cannot be read) is refused now, in
    // the module's own words, not once per conversation after the server said it listens: each
    // TLS method begins one session with it (which makes the credentials its conversations share)
    // and ends it.
    await Promise.all(methods.map(async (method, i) => {
      const data = connectionData[i];
      if (!data) return;
      const session = await method.beginSession({ identity: 'anonymous', connectionData: data,
        maxSendPacketSize: settings.maxSendPacketSize });
      await session.endSession();
    }));
  } catch (error) {
    for (const data of connectionData) data?.fill(0);
    await Promise.allSettled(methods.map((method) => method.close()));
    throw error;
  }
  return newAuthenticator(methods, store, settings, trust, options.authorize);
}
