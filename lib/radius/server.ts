/**
 * The authenticator behind RADIUS (RFC 3579 server side), over UDP or RadSec, on one engine
 * (native/radius/): a thread of the addon's own answers every datagram — client and secret,
 * decode, Message-Authenticator, reply cache, the conversation found by State, the embedded
 * authenticator's step, the signed reply — with no turn of the event loop per packet. A user store
 * that is a plain table answers there too; any other store (a lookup of the caller's, sync or
 * returning a promise) is asked here, when the method asks, and its answer handed back. RadSec's
 * listener hands the engine each connection's bytes as it reads them and writes back what the
 * engine replies; the engine cuts them into packets.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { isTlsMethodType } from '../core/method-facts';
import { bounded } from '../core/abortable';
import type { EmbeddedAuthenticator } from '../core/transport';
import { EapError, thrownText } from '../core/errors';
import {
  KnownAnswer, USER_STORE_CALL, UserRecord, UserStore, askUserStore, checkUserRecord, recordAnswer, tableAnswers,
  wipeKnownAnswer,
} from '../core/users';
import {
  binding, ConversationSettings, NativeHandle, NativeRadiusEngine, RadiusEngineAuthorization, RadiusEngineEvents,
  RadiusEngineQuestion, RadiusEngineRecord, RadiusEngineStats, RadiusPolicy as NativePolicy,
  RadiusPolicyReply as NativeReply, RadiusClientTally, RadiusDtlsServerCounters, RadiusEngineVerdicts,
  RadiusProxyHomeTally, MAX_STEP_THREADS, zeroRadiusEngineStats,
} from '../native';
import {
  Authorize, AuthorizeRequest, MabAllowList, PAP_METHOD, RadiusPolicy, checkAuthorizeResult, checkPolicy, methodName,
} from './policy';
import { compilePolicyRules } from './policy-decision';
import { RadiusClientEntry, networkOf } from './client-networks';
import { RADSEC_SECRET } from './radsec/client';
import { RadSecListener, RadSecListenOptions, radsecLimitsOf } from './radsec/listener';
import { RadSecServerCredentials } from './radsec/credentials';
import { RadSecDtlsListener } from './radsec/dtls-listener';
import { RADSEC_DTLS_SECRET } from './radsec/dtls';
import { KnownPrefixesFile } from './radsec/known-prefixes';
import type { RadiusConversationRecord, RadiusServerStats } from './server-records';
import { RadiusSecret, secretBytes } from './secret';
import { bindError } from './endpoint';
import { ProxyHomeLinks, RadiusProxyRealm, checkProxyRealms, proxyRoutesOf } from './server-proxy';
import { DiscoveredHomes, checkProxyDiscovery, discoveryRoutes } from './server-proxy-discovery';
import type { RadiusProxyDiscovery } from './server-proxy-discovery';
import type { RadiusHomeServer } from './server-proxy';
import type { CoaChanges, DynamicAuthorizationOptions, DynamicAuthorizationReply } from './das/client';
import { recordAccounting } from './server-accounting';
import type { RadiusAttribute } from './attributes';
import { AuthenticatedSession, NasDasOptions, SessionMemory, SessionMemoryOptions, SessionSelector } from './server-sessions';
import type { ProxyNasDas, ReverseWay } from './server-sessions';
import { ReverseCoaLinks } from './server-reverse-coa';
import type { RadSecClient } from './radsec/client';

export type { RadiusConversationRecord, RadiusServerStats } from './server-records';
export type { RadiusClientTally, RadiusEngineVerdicts };

export const DEFAULT_MAX_TLS_CONVERSATIONS = 2048;

/** What the engine needs of an embedded authenticator beyond its public API: the session layer
 *  registers it for each Authenticator it makes (registerEngineParts). */
export interface EngineAuthenticatorParts {
  readonly store: UserStore;
  readonly settings: ConversationSettings & { lookupTimeoutMs?: number; laneStepTypes?: readonly number[] };
  methodHandles(): readonly NativeHandle[];
  /** createAuthenticator's authorize, when it was given one. */
  readonly authorize?: Authorize;
}
const engineParts = new WeakMap<EmbeddedAuthenticator, EngineAuthenticatorParts>();
export function registerEngineParts(authenticator: EmbeddedAuthenticator, parts: EngineAuthenticatorParts): void {
  engineParts.set(authenticator, parts);
}
export function enginePartsOf(authenticator: EmbeddedAuthenticator): EngineAuthenticatorParts | undefined {
  return engineParts.get(authenticator);
}

export interface RadiusServerOptions {
  /** Address to bind. Default 127.0.0.1. */
  host?: string;
  /** UDP port (TCP for RadSec); 0 picks a free one (see address()). Default 1812 (RadSec 2083). */
  port?: number;
  /** The shared secret of every client (required unless `clients` gives each its own). RadSec's
   *  unless given: "radsec" over TLS (RFC 6614 §2.3), "radius/dtls" over DTLS (the RadSec
   *  revision's); given, it is both transports'. */
  secret?: RadiusSecret;
  /** The embedded authenticator (createAuthenticator()) serving every conversation. Its user store
   *  is read when listen() is called if it is a plain table; any other store is asked each time a
   *  method asks, within the authenticator's lookupTimeoutMs. */
  authenticator: EmbeddedAuthenticator;
  /** A conversation with no request for this long is closed. Default 60 s. */
  idleTimeoutMs?: number;
  /** How long a reply is kept for retransmitted requests. Default 30 s (longer than any client's retry span). */
  replyCacheMs?: number;
  /** When set, requests from other source addresses are dropped. At most 65,536 addresses. */
  allowedClients?: string[];
  /** NAS clients by address or CIDR network, each with its own secret (as clients.conf); when
   *  set, `secret` is not used and a request from outside every network is dropped. At most
   *  65,536 entries. */
  clients?: RadiusClientEntry[];
  /** Called once per conversation that ends with a verdict, for a server's log, after its verdict
   *  went out: a slow log or a busy event loop never holds an Access-Accept or Reject back. */
  onConversationEnd?: (record: RadiusConversationRecord) => void;
  /** Live conversations at most. At the cap a new one evicts an idle one: its own client's
   *  oldest when that client holds its fair share (the cap over the active clients, never
   *  below 32), else the oldest of the client holding the most, so one flooding client cannot
   *  evict everyone's conversations. Default 20000 (a NAS retries what is evicted). Memory: a
   *  conversation that holds no TLS session costs a few hundred bytes; see maxTlsConversations. */
  maxConversations?: number;
  /** Live conversations of a TLS method (EAP-TLS, PEAP, TTLS) at most, counted from the peer's
   *  first TLS message (its ClientHello) on, with the same fair shares and eviction as
   *  maxConversations. Default 2048 (DEFAULT_MAX_TLS_CONVERSATIONS). Each holds a TLS session: a
   *  PEAP conversation abandoned after its ClientHello ≈ 26 KB, ≈ 17 KB of it GnuTLS's handshake
   *  state (bench/half-open-flood.ts), so the default bounds a half-open flood's share of memory
   *  near 70 MB, given back once they end. 2,048 TLS conversations in progress is far more than
   *  one process completes per second (PEAP: hundreds of handshakes a second). */
  maxTlsConversations?: number;
  /** Threads that run the TLS methods' handshake steps (the server's signature, the key exchange,
   *  a client certificate's checks) beside the engine's thread, which reads every datagram and
   *  answers the rest: 0 to 64. Default: one per CPU `os.availableParallelism()` counts (on
   *  Linux the CPUs this process's affinity allows), at most 8, and none on one CPU. 0 runs every
   *  step on the engine's thread: no hand-over between threads, so the least CPU an
   *  authentication, but one core's worth of handshakes a second (docs/operator.md). */
  stepThreads?: number;
  /** Percent of one core, 0 to 100: while the engine's thread, and the step threads' work on PEAP's,
   *  EAP-TTLS's and TEAP's handshake steps, use less over a quarter second, the engine runs those
   *  steps itself rather than hand them to a step thread (each hand-over wakes a sleeping thread
   *  twice); above it, plus 15, it hands them over, so a busy server still spreads its signatures
   *  over every core. EAP-TLS's steps, which may wait on an OCSP responder, always go to a step
   *  thread. Nothing is kept before the engine's first quarter second has been measured. Default 70; 0 hands
   *  every such step over (docs/operator.md). */
  keepStepsBelow?: number;
  /**
   * Drop every request without a Message-Authenticator (BlastRADIUS, CVE-2024-3596), counted in
   * droppedNoMessageAuthenticator. Default true. When false, a bare Access-Request (neither
   * Message-Authenticator nor EAP-Message) gets a signed Access-Reject, which lets a client tell
   * a wrong shared secret from silence.
   */
  requireMessageAuthenticator?: boolean;
  /** Listen for RadSec (RADIUS over TLS, RFC 6614) on TCP instead of UDP, with its connection
   *  limits (connections in total and per address, handshake deadline, idle timeout, unread replies). */
  radsec?: RadSecListenOptions;
  /**
   * Remember each accepted session as its NAS named it (User-Name, Calling-Station-Id,
   * Acct-Session-Id, NAS-Identifier, NAS-IP-Address, the NAS's address), so that disconnect() and
   * changeAuthorization() can reach it (RFC 5176). Off by default. A session is remembered on the
   * event loop's turn after its Access-Accept went out, as onConversationEnd hears of it.
   */
  sessions?: SessionMemoryOptions | true;
  /**
   * What an Access-Accept carries (dynamic VLAN, Session-Timeout, Filter-Id, Class, Reply-Message,
   * any attribute) or a Reject, by rules matched on the engine's thread, first match wins; a rule
   * whose method names `pap` turns PAP on (see `pap`). Checked here: a TypeError or RangeError names
   * the rule and the key, and so is a reply that cannot fit in an Access-Accept beside EAP's share.
   * Not with `authorize`.
   */
  policy?: RadiusPolicy;
  /**
   * Answer MAB requests (MAC authentication bypass): the devices let in, each with its VLAN. A MAB
   * request proves nothing but a claimed MAC: it is Service-Type Call-Check, or carries the MAC as
   * User-Name and User-Password; either way it needs a User-Password and a User-Name that is the
   * MAC its Calling-Station-Id names.
   */
  mab?: MabAllowList;
  /**
   * Answer PAP requests (User-Password, checked against the user store). Default: only when the
   * policy has a rule whose `method` names `pap`; otherwise a PAP request gets an Access-Reject
   * with its password unchecked. Wrong passwords are counted per User-Name and per NAS: 5 in a
   * row for one user, or 100 from one NAS, and the next is checked only one a second (a user) or
   * 20 a second (a NAS); the others are refused unchecked (`stats.papSlowed`).
   */
  pap?: boolean;
  /**
   * Asked after every authentication that succeeded (EAP, PAP, MAB) what the Accept carries, or
   * `{ reject: true }`; its answer is checked as a policy's reply. One that throws, rejects, gives
   * what is not a reply or takes longer than the authenticator's lookupTimeoutMs rejects that
   * request alone. Default: the authenticator's (createAuthenticator's authorize). Not with `policy`.
   */
  authorize?: Authorize;
  /**
   * Answer Accounting-Requests (RFC 2866) on the same port: each one whose Request Authenticator is
   * right is handed to this recorder, and its Accounting-Response goes out once the recorder returns
   * or its promise resolves; one that throws or rejects gets none (the NAS retries). Without it,
   * Accounting-Requests are dropped (droppedUnexpected); one without Acct-Status-Type, or a Start,
   * Stop or Interim-Update without Acct-Session-Id (RFC 2866 §5.13), too (droppedMalformed). At
   * most maxConversations wait for the recorder: past it the oldest is forgotten, unanswered
   * (accountingUnrecorded), and the NAS retries it. `realm` is given when a `proxy` route sends the
   * request's realm to a home server, with `home`, the URL of the home its pool picks now (serve
   * spools it for that home).
   */
  accounting?: (request: { client: string; attributes: RadiusAttribute[]; realm?: string; home?: string }) => void | Promise<void>;
  /** Told why the recorder failed, each time it does (the request was not answered). */
  onAccountingFailure?: (message: string) => void;
  /**
   * The accounting spool (serve's, lib/accounting/spool.ts): told how to send a spooled request
   * through this server's proxy once it listens (undefined once it closes), and whether each one's
   * home acknowledged it.
   * @internal
   */
  accountingSpool?: {
    started(send: ((id: number, attributes: readonly RadiusAttribute[], waitedSeconds: number, home: string) => void) | undefined): void;
    answered(id: number, acknowledged: boolean): void;
  };
  /**
   * Realms forwarded to home servers (RADIUS over UDP, RadSec over TLS or DTLS), as a proxy does (docs/proxy.md): an
   * Access-Request whose User-Name realm an entry names goes to that entry's home server with a
   * fresh Identifier, and its reply comes back signed for the NAS, MS-MPPE keys hidden again with
   * the NAS's secret; a realm no entry names (and no '*') is rejected with a Reply-Message saying
   * so, and so is a request the home server does not answer. A User-Name without a realm, or a
   * realm whose home is 'local', is answered here. `realm`: what follows the last '@', in any
   * case, or '*' for every realm no other entry names; `home`: the home server (RadiusHomeServer:
   * host, port, transport, the secret shared with it, and RadSec's credentials) or 'local'. A
   * home server's reply over UDP without Message-Authenticator is refused (the NAS gets an
   * Access-Reject) unless its `allowUnsignedReplies` is true. A list of home servers is a pool, the
   * first preferred: `poolMode` 'failover' (default) sends new requests to the first one alive,
   * 'balance' spreads them over those alive; each EAP conversation stays on the home that began it,
   * and a home is judged alive, zombie or dead from its answers, losses and Status-Server.
   */
  proxy?: { realm: string; home: RadiusHomeServer | RadiusHomeServer[] | 'local'; poolMode?: 'failover' | 'balance' }[];
  /**
   * Dynamic discovery (RFC 7585, docs/proxy.md): a realm no `proxy` entry names (a '*' entry wins)
   * is looked up in the DNS and forwarded to the RadSec homes found (TLS or DTLS), the first few in RFC 7585's
   * order as the realm's pool (failover), each certificate naming the SRV target or carrying the
   * realm as its NAIRealm; when none is found the request is refused at once, saying why. @internal
   */
  proxyDiscovery?: RadiusProxyDiscovery;
  /**
   * Nothing is answered here (a serve without users): an Access-Request no route sends to a home
   * server (no realm: no route takes one, not even '*') gets an Access-Reject whose Reply-Message says
   * so. Needs `proxy` or `proxyDiscovery`, and no 'local' entry. @internal
   */
  proxyOnly?: boolean;
  /**
   * Experimental: reverse CoA through the proxy (draft-ietf-radext-reverse-coa, docs/radsec.md).
   * The connections to the `proxy` routes' RadSec homes (TLS or DTLS; RADIUS/1.0 on them) take the
   * Disconnect-Requests and CoA-Requests a home sends down them, checked as a Dynamic
   * Authorization Server checks them under the connection's secret, and send each on to the NAS
   * of a session proxied to that home (by Operator-Name, else by User-Name, Acct-Session-Id and
   * Calling-Station-Id): down the NAS's own RadSec connection to this server while it is open, or
   * over UDP to its Dynamic Authorization Server when `nasDas` says where. The NAS's ACK or NAK
   * goes back up, signed for the home's hop; a request no NAS is found for is NAK'd 502 Request
   * Not Routable. Needs `proxy` and `sessions`.
   */
  proxyReverseCoa?: true | { nasDas?: { port?: number; secret: RadiusSecret } };
}

/** The most step threads a server runs (stepThreads), declared in the seam for both sides. */
export { MAX_STEP_THREADS };

/** Every EAP type the method table marks as TLS-based, counted under maxTlsConversations. */
const TLS_TYPES = Array.from({ length: 256 }, (_, type) => type).filter((type) => isTlsMethodType(type));

/** An option that is a whole number from 0 to `most`, as given; `fallback` when absent. */
function wholeOption(name: string, value: number | undefined, most: number, fallback: () => number): number {
  if (value === undefined) return fallback();
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`${name} must be a whole number`);
  if (value < 0 || value > most) throw new RangeError(`${name} must be from 0 to ${most}, not ${value}`);
  return value;
}

/** stepThreads as given, or one per CPU this process may run on, at most 8: a handshake's steps
 *  on another core while the engine's thread answers, and on one CPU nothing to gain by it. */
function stepThreadsOf(value: number | undefined): number {
  return wholeOption('stepThreads', value, MAX_STEP_THREADS, () => {
    const cpus = availableParallelism();
    return cpus >= 2 ? Math.min(cpus, 8) : 0;
  });
}


function positiveCap(value: number | undefined, fallback: number, name: string): number {
  const cap = value ?? fallback;
  if (typeof cap !== 'number' || !Number.isInteger(cap) || cap < 1) throw new TypeError(`${name} must be a positive integer`);
  return cap;
}

function recordOf(raw: RadiusEngineRecord): RadiusConversationRecord {
  const record: RadiusConversationRecord = {
    client: raw.client, identity: raw.identity.toString('utf8'), eapType: raw.eapType,
    outcome: raw.accept ? 'accept' : 'reject', roundTrips: raw.roundTrips, durationMs: raw.durationMs,
  };
  if (raw.resumed >= 0) record.resumed = raw.resumed === 1;
  if (raw.home !== '') record.home = raw.home;
  if (!raw.accept) {
    const message = raw.error?.message ?? 'EAP-Failure';
    record.reason = raw.stepFailed ? `authenticator error: ${message}` : message;
  }
  return record;
}

/** `proxyReverseCoa` checked: a TypeError naming what is wrong. */
function proxyReverseCoaOf({ proxyReverseCoa: given, proxy, sessions }: RadiusServerOptions): { nasDas?: ProxyNasDas } | undefined {
  if (given === undefined) return undefined;
  if (given !== true && (typeof given !== 'object' || given === null)) throw new TypeError('proxyReverseCoa must be true or { nasDas? }');
  if (proxy === undefined || sessions === undefined) throw new TypeError('proxyReverseCoa needs proxy and sessions');
  const nasDas = given === true ? undefined : given.nasDas;
  if (nasDas === undefined) return {};
  if (typeof nasDas !== 'object' || nasDas === null) throw new TypeError('proxyReverseCoa.nasDas must be { port?, secret }');
  if (nasDas.port !== undefined && (!Number.isInteger(nasDas.port) || nasDas.port < 1 || nasDas.port > 65535)) {
    throw new RangeError('proxyReverseCoa.nasDas.port must be an integer from 1 to 65535');
  }
  if (typeof nasDas.secret !== 'string' && !Buffer.isBuffer(nasDas.secret)) throw new TypeError('proxyReverseCoa.nasDas.secret must be a string or a Buffer');
  secretBytes(nasDas.secret).fill(0);
  return { nasDas: { ...nasDas } };
}

/** The most NAS networks (clients) or allowed addresses a server takes: the engine's bound
 *  (seam/seam_args_radius.js). */
const MAX_NETWORKS = 65536;

/**
 * The authenticator behind RADIUS: every EAP conversation a NAS relays is driven by the engine,
 * found again by the State it hands out.
 */
export class RadiusServer {
  private readonly options: RadiusServerOptions;
  /** The first number the engine gives a RadSec connection or a RADIUS/DTLS association (1): a
   *  test starts them near a boundary. Read by listen(). @internal */
  firstLink = 1;
  private readonly secret: Buffer | undefined;
  /** RADIUS/DTLS's own default secret, when no secret was given. */
  private readonly dtlsSecret: Buffer | undefined;
  private readonly caps: { all: number; tls: number };
  private readonly stepThreads: number;
  private readonly keepStepsBelow: number;
  private engine: NativeRadiusEngine | undefined;
  private radsec: RadSecListener | undefined;
  private radsecDtls: RadSecDtlsListener | undefined;
  /** The RadSec certificate, key, CA and PSK clients, read once for TLS and DTLS alike. */
  private radsecCredentials: RadSecServerCredentials | undefined;
  /** Why RADIUS/DTLS was asked for and not served (this addon has no DTLS), once listen() has said so. */
  private dtlsRefusal: string | undefined;
  private bound: { address: string; port: number } | undefined;
  /** The counts at close(), which stay readable. */
  private lastCounts: RadiusEngineStats = zeroRadiusEngineStats();
  private lastClients: RadiusClientTally[] = [];
  private lastVerdicts: RadiusEngineVerdicts = { outcomes: [], durations: [], tls: [], ruleHits: [] };
  private lastHomes: RadiusProxyHomeTally[] = [];
  /** Aborted at close(): a question the store has not answered yet stops waiting (and its timer goes). */
  private closing: AbortController | undefined;
  private readonly authenticator: EngineAuthenticatorParts;
  private readonly memory: SessionMemory | undefined;
  private readonly policy: NativePolicy | undefined;
  private readonly authorize: Authorize | undefined;
  private readonly pap: boolean;
  private readonly proxy: RadiusProxyRealm[] | undefined;
  private proxyLinks: ProxyHomeLinks | undefined;
  private readonly proxyDiscovery: RadiusProxyDiscovery | undefined;
  private discoveredHomes: DiscoveredHomes | undefined;
  /** Reverse CoA's requests down the NASes' RadSec connections (with `radsec` and `sessions`). */
  private reverseLinks: ReverseCoaLinks | undefined;
  /** proxyReverseCoa, checked. */
  private readonly nasDas: { nasDas?: ProxyNasDas } | undefined;

  constructor(options: RadiusServerOptions) {
    this.options = options;
    this.memory = options.sessions === undefined ? undefined : new SessionMemory(options.sessions === true ? {} : options.sessions);
    if (this.memory) this.memory.reverseWay = this.reverseWay;
    this.nasDas = proxyReverseCoaOf(options);
    const parts = typeof options.authenticator === 'object' && options.authenticator !== null
      ? enginePartsOf(options.authenticator) : undefined;
    if (parts === undefined) throw new TypeError('RadiusServer needs an authenticator (createAuthenticator())');
    this.authenticator = parts;
    // Lengths first: a sparse array's may be 2^32 - 1, which a walk over it would take minutes on.
    if (options.clients !== undefined && (!Array.isArray(options.clients) || options.clients.length === 0)) {
      throw new TypeError('clients must be a non-empty array');
    }
    if (options.allowedClients !== undefined && !Array.isArray(options.allowedClients)) throw new TypeError('allowedClients must be an array');
    for (const [name, list] of [['clients', options.clients], ['allowedClients', options.allowedClients]] as const) {
      if (list !== undefined && list.length > MAX_NETWORKS) throw new RangeError(`${name} holds more than ${MAX_NETWORKS} entries`);
    }
    options.clients?.forEach((entry, i) => networkOf(entry, i));
    const secret = options.secret ?? (options.radsec ? RADSEC_SECRET : undefined);
    if (options.clients === undefined && secret === undefined) throw new TypeError('RadiusServer needs a secret or clients');
    this.secret = options.clients ? undefined : secretBytes(secret as RadiusSecret);
    this.dtlsSecret = options.radsec && options.secret === undefined && options.clients === undefined
      ? secretBytes(RADSEC_DTLS_SECRET) : undefined;
    if (options.radsec) {
      radsecLimitsOf(options.radsec);
      this.radsecCredentials = new RadSecServerCredentials(options.radsec);
      // A saved list that cannot be read, or is no such list, is refused now (RangeError), not at listen().
      if (options.radsec.knownPrefixesFile !== undefined) new KnownPrefixesFile(options.radsec.knownPrefixesFile).read();
    }
    if (options.authorize !== undefined && typeof options.authorize !== 'function') {
      throw new TypeError('authorize must be a function (request) => reply | { reject: true } | undefined');
    }
    this.authorize = options.authorize ?? parts.authorize;
    if (options.policy !== undefined && this.authorize !== undefined) {
      throw new TypeError('give policy or authorize, not both');
    }
    this.policy = options.policy !== undefined || options.mab !== undefined ? checkPolicy(options.policy, options.mab) : undefined;
    if (this.policy !== undefined) compilePolicyRules(this.policy);
    if (options.pap !== undefined && typeof options.pap !== 'boolean') throw new TypeError('pap must be true or false');
    this.pap = options.pap ?? (this.policy?.rules?.some((rule) => rule.methods?.includes(PAP_METHOD)) ?? false);
    this.proxy = checkProxyRealms(options.proxy);
    this.proxyDiscovery = checkProxyDiscovery(options.proxyDiscovery);
    if (options.proxyOnly !== undefined && typeof options.proxyOnly !== 'boolean') throw new TypeError('proxyOnly must be true or false');
    if (options.proxyOnly === true && this.proxy === undefined && this.proxyDiscovery === undefined) {
      throw new TypeError('proxyOnly needs proxy or proxyDiscovery (nothing else answers a request)');
    }
    const local = options.proxyOnly === true ? this.proxy?.find(({ home }) => home === 'local') : undefined;
    if (local !== undefined) throw new TypeError(`proxyOnly: realm ${JSON.stringify(local.realm)} is 'local', and nothing is answered here`);
    this.caps = {
      all: positiveCap(options.maxConversations, 20_000, 'maxConversations'),
      tls: positiveCap(options.maxTlsConversations, DEFAULT_MAX_TLS_CONVERSATIONS, 'maxTlsConversations'),
    };
    this.stepThreads = stepThreadsOf(options.stepThreads);
    this.keepStepsBelow = wholeOption('keepStepsBelow', options.keepStepsBelow, 100, () => 70);
  }

  /** What the server has counted so far (a snapshot). */
  get stats(): RadiusServerStats {
    const { active, activeTls, stepsQueued, stepThreadsLent, stepsHandedOver, stepsKept, heapReturns, ...counts } = this.counts();
    return counts;
  }

  /** Its RadSec connections now by state (none without `radsec`): handshaking, open, paused. @internal */
  get radsecConnections(): RadSecListener['connectionStates'] {
    return this.radsec?.connectionStates ?? { handshaking: 0, open: 0, paused: 0 };
  }

  /** Each home server of its proxy by URL (a discovered one while discovery binds it): what was sent to it and
   *  what it answered, as the engine counted them, and a pooled one's state now: alive, zombie or dead
   *  (docs/proxy.md); what was counted stays readable after close(). @internal */
  get proxyHomes(): (Omit<RadiusProxyHomeTally, 'state'> & { state: 'alive' | 'zombie' | 'dead' })[] {
    return (this.engine?.proxyHomes() ?? this.lastHomes)
      .map((home) => ({ ...home, state: (['alive', 'zombie', 'dead'] as const)[home.state] ?? 'dead' }));
  }

  /** Its RADIUS/DTLS listener's counts (undefined when it serves none): the cookie exchange's
   *  datagrams and bytes each way, associations made, refused, evicted, timed out. @internal */
  get radsecDtlsCounters(): RadiusDtlsServerCounters | undefined {
    return this.radsecDtls?.stats();
  }

  /** The TLS step threads: how many run (stepThreads), and, as of the engine thread's last turn,
   *  steps waiting for a thread and threads lent in place of ones whose steps wait (serve --metrics);
   *  the steps handed over so far, the handshake steps the engine kept (keepStepsBelow), and the times a step
   *  thread handed the heap's free pages back after the keeping changed (radius_handler_eap.h). @internal */
  get stepPool(): { threads: number; queued: number; lent: number; handedOver: number; kept: number; heapReturns: number } {
    const { stepsQueued, stepThreadsLent, stepsHandedOver, stepsKept, heapReturns } = this.counts();
    return { threads: this.stepThreads, queued: stepsQueued, lent: stepThreadsLent, handedOver: stepsHandedOver, kept: stepsKept,
      heapReturns };
  }

  get activeConversations(): number {
    return this.counts().active;
  }

  /** Of those, the conversations of a TLS method (counted under maxTlsConversations). */
  get activeTlsConversations(): number {
    return this.counts().activeTls;
  }

  /**
   * Each client's requests and replies by code, and its Message-Authenticator posture (valid,
   * invalid, absent, Proxy-State without it, each with when it was last seen): a snapshot.
   */
  get clientCounts(): RadiusClientTally[] {
    return this.engine ? this.engine.clients() : this.lastClients;
  }

  /** Each verdict's outcome and reason by client, method and inner method, the times to verdict
   *  and TLS handshakes, as the engine counted them: a snapshot (serve --metrics). @internal */
  get verdictCounts(): RadiusEngineVerdicts {
    return this.engine ? this.engine.verdicts() : this.lastVerdicts;
  }

  private counts(): RadiusEngineStats {
    return this.engine ? this.engine.stats() : this.lastCounts;
  }

  async listen(): Promise<{ address: string; port: number }> {
    if (this.engine) throw new Error('RadiusServer is listening already');
    const { radsec } = this.options;
    const authenticator = this.authenticator;
    const host = this.options.host ?? '127.0.0.1';
    const port = this.options.port ?? (radsec ? 2083 : 1812);
    const literal = isIP(host) !== 0 ? host : (await lookup(host, { family: 4 })).address;
    const configured = this.proxy === undefined ? [] : await proxyRoutesOf(this.proxy);
    const proxyRoutes = this.proxy === undefined && this.proxyDiscovery === undefined ? undefined
      : [...configured, ...(this.proxyDiscovery ? discoveryRoutes(this.proxyDiscovery) : [])];
    const users = tableAnswers(authenticator.store);
    this.closing = new AbortController();
    try {
      this.engine = await binding.radiusEngineOpen({
        methods: authenticator.methodHandles(), settings: authenticator.settings,
        host: radsec ? undefined : literal, port, secret: this.secret, ...(this.dtlsSecret ? { dtlsSecret: this.dtlsSecret } : {}),
        clients: this.options.clients?.flatMap((entry, i) => {
          const { networks, secret } = networkOf(entry, i);
          return networks.map(({ address: network, prefix }) => ({ network, prefix, secret }));
        }),
        allowed: this.options.allowedClients,
        idleTimeoutMs: this.options.idleTimeoutMs ?? 60_000, replyCacheMs: this.options.replyCacheMs ?? 30_000,
        maxConversations: this.caps.all, maxTlsConversations: this.caps.tls, stepThreads: this.stepThreads,
        keepStepsBelow: this.keepStepsBelow,
        requireMessageAuthenticator: this.options.requireMessageAuthenticator !== false, tlsTypes: TLS_TYPES,
        laneStepTypes: [...authenticator.settings.laneStepTypes ?? []], users,
        records: this.options.onConversationEnd !== undefined || this.memory !== undefined, onEvents: (events) => this.onEvents(events),
        ...(this.policy ? { policy: this.policy } : {}), authorize: this.authorize !== undefined, pap: this.pap,
        accounting: this.options.accounting !== undefined, ...(proxyRoutes ? { proxyRoutes } : {}), proxyOnly: this.options.proxyOnly === true,
        firstLink: this.firstLink,
      });
    } catch (error) {
      throw bindError(error, literal, port);
    } finally {
      for (const known of users ?? []) wipeKnownAnswer(known);
      for (const route of proxyRoutes ?? []) route.secret?.fill(0);
    }
    const opened = this.engine;
    this.options.accountingSpool?.started((id, attributes, waitedSeconds, home) => opened.spool({ id, attributes, waitedSeconds, home }));
    const memory = this.memory;
    const reverse = this.nasDas;
    if (this.proxy !== undefined) {
      this.proxyLinks = new ProxyHomeLinks(this.engine, this.proxy, configured,
        reverse === undefined || memory === undefined ? undefined : async (home, request) => memory.relay(home, request, reverse.nasDas));
    }
    if (this.proxyDiscovery !== undefined) this.discoveredHomes = new DiscoveredHomes(this.engine, this.proxyDiscovery, configured.length);
    if (!radsec) {
      this.bound = { address: literal, port: this.engine.port };
      return this.address();
    }
    const engine = this.engine;
    const sink = {
      open: () => engine.link(),
      stream: (link: number, data: Buffer, { address, port: from, radius11 }: { address: string; port: number; radius11?: boolean }) =>
        engine.stream({ link, data, address, port: from, radius11 }),
      drop: (link: number) => {
        engine.drop({ link });
        this.reverseLinks?.dropped(link);
      },
    };
    // Reverse CoA under the connections' one secret: per-client secrets are not carried that far yet.
    // Down a RadSec connection through the listener, down a RADIUS/DTLS association through the engine.
    if (this.memory && this.options.clients === undefined) {
      this.reverseLinks = new ReverseCoaLinks((link, datagram) =>
        (this.radsec?.send(link, datagram) ?? false) || (this.radsecDtls !== undefined && engine.dtlsSend({ link, data: datagram })));
    }
    // Read once, for both transports; again only after a close() wiped them.
    this.radsecCredentials ??= new RadSecServerCredentials(radsec);
    const listener = new RadSecListener(radsec, this.radsecCredentials, sink,
      [...(this.options.clients ?? []).map((client) => client.network), ...(this.options.allowedClients ?? [])]);
    // RADIUS/DTLS on the same port number over UDP (RFC 7360), with certificates, where asked:
    // the engine's own, natively.
    let dtls = radsec.dtls === true ? new RadSecDtlsListener(listener, engine) : undefined;
    try {
      await listener.listen(port, host);
      try {
        dtls?.listen(listener.address().port, literal);
      } catch (error) {
        // An addon built without GnuTLS (Windows on Arm, a Windows source build given none): RadSec over TLS alone.
        if ((error as NodeJS.ErrnoException).code !== 'ENOTSUP') throw error;
        this.dtlsRefusal = (error as Error).message;
        dtls = undefined;
      }
    } catch (error) {
      this.lastCounts = engine.stats();
      this.lastClients = engine.clients();
      this.lastVerdicts = engine.verdicts();
      this.lastHomes = engine.proxyHomes();
      this.engine = undefined;
      engine.close();
      await listener.close().catch(() => undefined);
      this.radsecCredentials.wipe();
      this.radsecCredentials = undefined;
      await Promise.all([this.proxyLinks?.close(), this.discoveredHomes?.close()]);
      this.proxyLinks = undefined;
      this.discoveredHomes = undefined;
      throw error;
    }
    this.radsec = listener;
    this.radsecDtls = dtls;
    return this.address();
  }

  /** Whether RADIUS/DTLS listens beside RadSec over TLS; with false, `dtlsUnavailable` may say why not. */
  get servesDtls(): boolean {
    return this.radsecDtls !== undefined;
  }

  /** The addon's reason RADIUS/DTLS was asked for and is not served (ENOTSUP: built without GnuTLS). */
  get dtlsUnavailable(): string | undefined {
    return this.dtlsRefusal;
  }

  address(): { address: string; port: number } {
    if (this.radsec) return this.radsec.address();
    if (!this.bound || !this.engine) throw new Error('RadiusServer is not listening');
    return { ...this.bound };
  }

  /**
   * A reload's first half (serve's SIGHUP): no request from a NAS is taken from now on, and this
   * resolves once every request out to a home server has had its reply sent to its NAS (each is
   * answered by its 4.5 s deadline; `boundMs` bounds the wait). Then close() loses none of them.
   * `waiting` is told how many there are, once, when there are any.
   * @internal
   */
  async drain(waiting?: (outstanding: number) => void, boundMs = 10_000): Promise<void> {
    const engine = this.engine;
    if (!engine) return;
    const outstanding = engine.drain();
    if (outstanding > 0) waiting?.(outstanding);
    const until = Date.now() + boundMs;
    while (engine.drain() > 0 && Date.now() < until && this.engine === engine) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    this.closing?.abort();
    // RADIUS/DTLS first: its thread hands the engine records until it stops.
    this.radsecDtls?.close();
    this.radsecDtls = undefined;
    const engine = this.engine;
    if (engine) {
      this.engine = undefined;
      // Its last records and verdicts come through onEvents before close() returns (the spool's
      // last answers too: told before the spool forgets what this engine had out).
      engine.close();
      this.options.accountingSpool?.started(undefined);
      this.lastCounts = engine.stats();
      this.lastClients = engine.clients();
      this.lastVerdicts = engine.verdicts();
      this.lastHomes = engine.proxyHomes();
    }
    const radsec = this.radsec;
    this.radsec = undefined;
    const links = this.proxyLinks;
    const discovered = this.discoveredHomes;
    this.proxyLinks = undefined;
    this.discoveredHomes = undefined;
    this.reverseLinks?.close();
    this.reverseLinks = undefined;
    await Promise.all([radsec?.close(), links?.close(), discovered?.close()]);
    this.radsecCredentials?.wipe();
    this.radsecCredentials = undefined;
  }

  /** The accepted sessions it remembers (the sessions option). */
  sessions(): AuthenticatedSession[] {
    return this.sessionMemory().list();
  }

  /**
   * Sends a Disconnect-Request (RFC 5176) for a session this server accepted to its NAS's Dynamic
   * Authorization Server: the session as the NAS named it in its Access-Request. Resolves with the
   * ACK or NAK (an ACK forgets the session); rejects when no session, or more than one, matches.
   */
  /**
   * Experimental, with `{ reverse: true }` (and `radsec`): reverse CoA (draft-ietf-radext-reverse-coa),
   * the request down the RadSec connection (TLS, or a RADIUS/DTLS association) the session's
   * Access-Request came on, which its NAS opened, under that connection's secret; rejects with
   * ERR_SESSION_NO_LINK when that connection is gone (or the session came over UDP), and with the
   * typed timeout when the NAS does not answer (a NAS that did not opt in answers nothing).
   */
  async disconnect(selector: SessionSelector, options: NasDasOptions | (Omit<DynamicAuthorizationOptions, 'client' | 'tries'> &
    { reverse: true })): Promise<DynamicAuthorizationReply> {
    return this.sessionMemory().disconnect(selector, options);
  }

  /** A CoA-Request (RFC 5176) for a session this server accepted, as disconnect() finds it. */
  async changeAuthorization(selector: SessionSelector, changes: CoaChanges, options: NasDasOptions |
    (Omit<DynamicAuthorizationOptions, 'client' | 'tries'> & { reverse: true })): Promise<DynamicAuthorizationReply> {
    return this.sessionMemory().changeAuthorization(selector, changes, options);
  }

  /** Reverse CoA's way down RadSec connection or RADIUS/DTLS association `link`, while it is open
   *  and `client` is on its other end, under that transport's secret. */
  private readonly reverseWay: ReverseWay = (link, client) => {
    const tls = this.radsec?.peer(link);
    const dtls = tls === undefined && this.radsecDtls !== undefined ? this.engine?.dtlsPeer({ link }) : undefined;
    const peer = tls ?? (dtls?.address ? dtls : undefined);
    if (!peer || peer.address !== client || !this.reverseLinks) return undefined;
    const secret = this.options.secret ?? (tls ? RADSEC_SECRET : RADSEC_DTLS_SECRET);
    const way = this.reverseLinks.way({ link, address: peer.address, port: peer.port, secret, ...(tls ? {} : { association: true as const }) });
    // das/client.ts asks only dynamicAuthorizationRequest of its RadSec client.
    return { endpoint: { host: peer.address, port: peer.port, secret }, client: way as RadSecClient };
  };

  private get lookupTimeoutMs(): number {
    return this.authenticator.settings.lookupTimeoutMs ?? 30_000;
  }

  private sessionMemory(): SessionMemory {
    if (!this.memory) throw new Error('this RadiusServer remembers no sessions: give it the sessions option');
    return this.memory;
  }

  private onEvents({ records, questions, authorizations, replies, broken, accounting, proxyConnects, proxyDiscovers, answers,
    spoolAcknowledged, spoolUnanswered }: RadiusEngineEvents): void {
    for (const route of proxyConnects ?? []) {
      if (this.discoveredHomes?.owns(route) === true) this.discoveredHomes.connect(route);
      else this.proxyLinks?.connect(route);
    }
    for (const realm of proxyDiscovers ?? []) void this.discoveredHomes?.discover(realm);
    for (const id of spoolAcknowledged ?? []) this.options.accountingSpool?.answered(id, true);
    for (const id of spoolUnanswered ?? []) this.options.accountingSpool?.answered(id, false);
    // RadSec's verdicts out and the questions asked before any record is read: a record comes
    // after its verdict went out (a UDP verdict never waits for this turn at all).
    // (RADIUS/DTLS's go from the engine to its listener natively.)
    for (const reply of replies ?? []) this.radsec?.send(reply.link, reply.datagram);
    for (const link of broken ?? []) this.radsec?.broken(link);
    for (const answer of answers ?? []) this.reverseLinks?.answered(answer.link, answer.datagram);
    const engine = this.engine;
    if (engine) for (const question of questions ?? []) this.ask(engine, question);
    if (engine) for (const question of authorizations ?? []) this.authorizeOne(engine, question);
    const recorder = this.options.accounting;
    const onFailure = this.options.onAccountingFailure ?? (() => undefined);
    if (engine && recorder) for (const request of accounting ?? []) recordAccounting(engine, request, recorder, onFailure);
    const onEnd = this.options.onConversationEnd;
    for (const record of records ?? []) {
      if (record.accept) {
        this.memory?.accepted(record.client, record.identity.toString('utf8'), record.nasAttributes ?? [], record.link, record.home);
      }
      if (!onEnd) continue;
      try {
        onEnd(recordOf(record));
      } catch {
        // A log that throws loses its line, never a verdict: that went out before.
      }
    }
  }

  /** authorize()'s word on one verdict, checked as a policy's reply; whatever it throws, rejects
   *  with or gives that is no reply, and its silence past lookupTimeoutMs, rejects that request
   *  alone (as a user store's failure does). Nothing here throws or leaves a promise rejected. */
  private authorizeOne(engine: NativeRadiusEngine, raw: RadiusEngineAuthorization): void {
    const { question } = raw;
    const send = (answer: { reject: true } | { reply: NativeReply } | { failure: string }): void => {
      try {
        engine.authorized({ question, ...answer });
      } catch (error) {
        // A reply native/radius refused to encode (it checks what this file did), or the engine closed.
        if (!('failure' in answer)) send({ failure: `authorize() gave a reply that cannot be sent: ${thrownText(error)}` });
      }
    };
    const settle = (result: unknown): void => {
      let checked: ReturnType<typeof checkAuthorizeResult>;
      try {
        checked = checkAuthorizeResult(result);
      } catch (error) {
        send({ failure: thrownText(error) });
        return;
      }
      send(checked);
    };
    const fail = (error: unknown): void => send({ failure: `authorize() failed: ${error instanceof EapError ? error.rootCause : thrownText(error)}` });
    let result: unknown;
    try {
      result = this.authorize!(authorizeRequestOf(raw));
    } catch (error) {
      fail(error);
      return;
    }
    if (result instanceof Promise || (typeof result === 'object' && result !== null && typeof (result as PromiseLike<unknown>).then === 'function')) {
      bounded(Promise.resolve(result), 'authorize', this.closing?.signal, { ms: this.lookupTimeoutMs, what: 'authorize()' })
        .then(settle, fail);
    } else {
      settle(result);
    }
  }

  /** The method's question to the user store, answered now or when its promise settles, with the
   *  record's known answer (the rules a plain table's follow), whose bytes are wiped once the
   *  engine has its copy. Whatever the store throws or rejects with, or a record that is not one,
   *  fails that authentication alone and at once; no record answers nothing. Nothing here throws
   *  or leaves a promise rejected: a store cannot end the process. */
  private ask(engine: NativeRadiusEngine, { question, identity }: RadiusEngineQuestion): void {
    const reply = (answer: { known: KnownAnswer } | { failure: string }): void => {
      try {
        engine.answer({ question, ...answer });
      } catch {
        // The engine closed while the store was asked: nobody waits for this answer.
      }
    };
    const answer = (found: UserRecord | undefined | null): void => {
      let known: KnownAnswer;
      try {
        const record = found === undefined || found === null ? undefined
          : checkUserRecord(found, `the user store's record for "${identity}"`);
        known = recordAnswer(identity, record);
      } catch (error) {
        reply({ failure: `the user store failed: ${thrownText(error)}` });
        return;
      }
      reply({ known });
      wipeKnownAnswer(known);
    };
    // The store's typed failure says what happened in its rootCause, which the record's reason keeps.
    const fail = (error: unknown): void => reply({ failure: error instanceof EapError ? error.rootCause : thrownText(error) });
    let found: ReturnType<typeof askUserStore>;
    try {
      found = askUserStore(this.authenticator.store, identity, this.lookupTimeoutMs, USER_STORE_CALL, this.closing?.signal);
    } catch (error) {
      fail(error);
      return;
    }
    if (found instanceof Promise) found.then(answer, fail);
    else answer(found);
  }
}

/** What the engine says a request offered, as authorize() reads it. */
function authorizeRequestOf(raw: RadiusEngineAuthorization): AuthorizeRequest {
  const request: AuthorizeRequest = { user: raw.user, userName: raw.userName, method: methodName(raw.method), client: raw.client };
  if (raw.nasIdentifier !== '') request.nasIdentifier = raw.nasIdentifier;
  if (raw.nasAddress !== '') request.nasAddress = raw.nasAddress;
  if (raw.calledStationId !== '') request.calledStationId = raw.calledStationId;
  if (raw.ssid !== '') request.ssid = raw.ssid;
  if (raw.callingStationId !== '') request.callingStationId = raw.callingStationId;
  if (raw.nasPortType >= 0) request.nasPortType = raw.nasPortType;
  return request;
}
