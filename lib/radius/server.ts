import { createSocket, RemoteInfo, Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { abortError } from '../core/errors';
import { EapCode, EapType } from '../core/constants';
import { isTlsMethodType } from '../core/method-facts';
import { parseClearMppeKey } from '../core/mppe-key';
import { decodeEapPacket, eapCodeOf, eapTypeOf, isIdentityResponse, verdictPacket } from '../core/packet';
import { EapTransport, TransportReply } from '../core/transport';
import { RadiusAttributeType, RadiusCode } from './constants';
import { RadiusClientEntry, RadiusClientList } from './client-networks';
import { ConversationTable } from './conversation-table';
import { canonicalAddress } from './endpoint';
import { eapMessageAttributes, reassembleEapMessage } from './eap-message';
import { encryptMppeKeyAttribute } from './mppe';
import { decodeRadiusPacket, DecodedRadiusPacket, findAttribute, RadiusAttribute } from './packet';
import { RadSecListener, RadSecListenOptions } from './radsec-listener';
import { publicRandomBytes } from './random-pool';
import { LaneAuthenticator, NativeLane } from './native-lane';
import type { RadiusConversationRecord, RadiusServerStats } from './server-records';
import { ReplyCache } from './reply-cache';
import { RadiusSecret, secretBytes, signResponse, verifyAccessRequest } from './signing';

export type { RadiusConversationRecord, RadiusServerStats } from './server-records';

/** Both lanes' defaults (the options' documented ones). */
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
const DEFAULT_REPLY_CACHE_MS = 30_000;

export interface RadiusServerOptions {
  /** Address to bind. Default 127.0.0.1. */
  host?: string;
  /** UDP port; 0 picks a free one (see address()). Default 1812. */
  port?: number;
  /** The shared secret of every client (required unless `clients` gives each its own). */
  secret?: RadiusSecret;
  /** Makes the authenticator side of one EAP conversation, e.g. () => authenticator.createConversation().
   *  Required unless `authenticator` is given. */
  conversationFactory?: () => EapTransport | Promise<EapTransport>;
  /**
   * The embedded authenticator (createAuthenticator()) serving every conversation. Over UDP,
   * with a plain table of users, the server then runs on its native lane: a thread of the
   * addon's own answers every datagram, with no turn of the event loop per packet (Linux and
   * macOS; the users are read when listen() is called). Otherwise its conversations run as
   * `conversationFactory` would make them.
   */
  authenticator?: LaneAuthenticator;
  /** Set false to keep the JS lane with `authenticator` (a comparison, a debugging session). Default true. */
  nativeLane?: boolean;
  /** A conversation with no request for this long is closed. Default 60 s. */
  idleTimeoutMs?: number;
  /** How long a reply is kept for retransmitted requests. Default 30 s (longer than any client's retry span). */
  replyCacheMs?: number;
  /** When set, requests from other source addresses are dropped. */
  allowedClients?: string[];
  /** NAS clients by address or CIDR network, each with its own secret (as clients.conf); when
   *  set, `secret` is not used and a request from outside every network is dropped. */
  clients?: RadiusClientEntry[];
  /** Called once per conversation that ends with a verdict, for a server's log. */
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
  /**
   * Drop every request without a Message-Authenticator (BlastRADIUS, CVE-2024-3596), counted in
   * droppedNoMessageAuthenticator. Default true. When false, a bare Access-Request (neither
   * Message-Authenticator nor EAP-Message) gets a signed Access-Reject, which lets a client tell
   * a wrong shared secret from silence.
   */
  requireMessageAuthenticator?: boolean;
  /** Listen for RadSec (RADIUS over TLS, RFC 6614) on TCP instead of UDP; the secret is then
   *  usually "radsec" (§2.3). */
  radsec?: RadSecListenOptions;
}

interface Conversation {
  key: string;
  transport: EapTransport;
  state: Buffer;
  lastActivity: number;
  busy: boolean;
  /** Aborts the step in progress (an authenticator stuck on its user store, say); one for the
   *  whole conversation, as only the sweep that ends it aborts it. */
  abort: AbortController;
  /** Ends the step in progress at once, whatever the transport does with the signal. */
  endStep?: () => void;
  /** For onConversationEnd. */
  client: string;
  identity: string;
  started: number;
  roundTrips: number;
  eapType: number;
}

/** An Access-Request with neither Message-Authenticator nor EAP-Message. */
function isBareRequest(request: DecodedRadiusPacket): boolean {
  return request.attributes.every((attribute) => attribute.type !== RadiusAttributeType.MessageAuthenticator
    && attribute.type !== RadiusAttributeType.EapMessage);
}

export const DEFAULT_MAX_TLS_CONVERSATIONS = 2048;

/** What one request is answered with: the reply's attributes, and the MPPE keys the method
 *  released (in clear: only reply() knows the Request Authenticator that hides them). */
interface Outcome {
  code: number;
  attributes: RadiusAttribute[];
  keys?: { vendorType: number; key: Buffer }[];
}

/** The Identifier a verdict of our own answers: the last EAP-Response's, 0 without one. */
function idOf(eap: Buffer | undefined): number {
  return (eap && decodeEapPacket(eap)?.id) ?? 0;
}

/** The MPPE keys a method released with its verdict, each parsed once. */
function clearKeys(reply: TransportReply): Outcome['keys'] {
  const keys: NonNullable<Outcome['keys']> = [];
  for (const attribute of reply.attributes ?? []) {
    const clear = attribute.type === RadiusAttributeType.VendorSpecific ? parseClearMppeKey(attribute.value) : undefined;
    if (clear) keys.push(clear);
  }
  return keys;
}

function positiveCap(value: number | undefined, fallback: number, name: string): number {
  const cap = value ?? fallback;
  if (typeof cap !== 'number' || !Number.isInteger(cap) || cap < 1) throw new TypeError(`${name} must be a positive integer`);
  return cap;
}

/**
 * The authenticator behind RADIUS (RFC 3579 server side): every EAP conversation a NAS relays
 * is driven through one EapTransport from the factory, found again by the State we hand out.
 */
export class RadiusServer {
  private readonly counts: RadiusServerStats = {
    requests: 0, challenges: 0, accepts: 0, rejects: 0, duplicates: 0, droppedMalformed: 0,
    droppedUnauthenticated: 0, droppedNoMessageAuthenticator: 0, droppedUnexpected: 0, conversationsExpired: 0,
    conversationErrors: 0, conversationsEvicted: 0,
  };
  private readonly secret: Buffer | undefined;
  private readonly clients: RadiusClientList | undefined;
  private readonly conversationFactory: () => EapTransport | Promise<EapTransport>;
  private lane: NativeLane | undefined;
  private readonly caps: { all: number; tls: number };
  private readonly options: RadiusServerOptions;
  private readonly cache: ReplyCache;
  private readonly conversations: ConversationTable<Conversation>;
  private readonly allowed: Set<string> | undefined;
  private socket: Socket | undefined;
  private radsec: RadSecListener | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  /** The last source address and its canonical form: a NAS sends from one address, and
   *  canonicalAddress parses it on every datagram otherwise. */
  private lastAddress = { raw: '', canonical: '' };

  constructor(options: RadiusServerOptions) {
    this.options = options;
    const { authenticator, conversationFactory } = options;
    if (conversationFactory === undefined && authenticator === undefined) {
      throw new TypeError('RadiusServer needs a conversationFactory or an authenticator');
    }
    this.conversationFactory = conversationFactory ?? (() => authenticator!.createConversation());
    this.clients = options.clients ? new RadiusClientList(options.clients) : undefined;
    this.secret = this.clients ? undefined : secretBytes(options.secret as RadiusSecret);
    this.cache = new ReplyCache(options.replyCacheMs ?? DEFAULT_REPLY_CACHE_MS);
    this.allowed = options.allowedClients ? new Set(options.allowedClients.map(canonicalAddress)) : undefined;
    this.caps = {
      all: positiveCap(options.maxConversations, 20_000, 'maxConversations'),
      tls: positiveCap(options.maxTlsConversations, DEFAULT_MAX_TLS_CONVERSATIONS, 'maxTlsConversations'),
    };
    this.conversations = new ConversationTable<Conversation>(this.caps.all, this.caps.tls);
  }

  /** What the server has counted so far (a snapshot on the native lane). */
  get stats(): RadiusServerStats {
    return this.lane ? this.lane.stats().counts : this.counts;
  }

  async listen(): Promise<{ address: string; port: number }> {
    const host = this.options.host ?? '127.0.0.1';
    const { authenticator } = this.options;
    if (!this.options.radsec && authenticator && this.options.nativeLane !== false) {
      this.lane = await NativeLane.open(authenticator, {
        host, port: this.options.port ?? 1812, secret: this.secret, clients: this.options.clients,
        allowedClients: this.options.allowedClients, idleTimeoutMs: this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
        replyCacheMs: this.options.replyCacheMs ?? DEFAULT_REPLY_CACHE_MS, maxConversations: this.caps.all,
        maxTlsConversations: this.caps.tls,
        requireMessageAuthenticator: this.options.requireMessageAuthenticator !== false,
        onConversationEnd: this.options.onConversationEnd,
      });
      if (this.lane) return this.lane.address;
    }
    if (this.options.radsec) {
      const listener = new RadSecListener(this.options.radsec, (message, remote) => this.onMessage(message, remote));
      await listener.listen(this.options.port ?? 2083, host);
      this.radsec = listener;
      this.startSweeper();
      return this.address();
    }
    const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.options.port ?? 1812, host, () => {
        socket.removeListener('error', reject);
        resolve();
      });
    });
    socket.on('error', () => undefined);
    socket.on('message', (message, remote) => this.onMessage(message, remote));
    this.socket = socket;
    this.startSweeper();
    return this.address();
  }

  private startSweeper(): void {
    const idle = this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.sweeper = setInterval(() => this.sweep(idle), Math.min(Math.max(idle / 2, 50), 5000));
    this.sweeper.unref();
  }

  address(): { address: string; port: number } {
    if (this.lane) return { ...this.lane.address };
    if (this.radsec) return this.radsec.address();
    if (!this.socket) throw new Error('RadiusServer is not listening');
    const { address, port } = this.socket.address();
    return { address, port };
  }

  get activeConversations(): number {
    return this.lane ? this.lane.stats().active : this.conversations.size;
  }

  /** Of those, the conversations of a TLS method (counted under maxTlsConversations). */
  get activeTlsConversations(): number {
    return this.lane ? this.lane.stats().activeTls : this.conversations.tlsSize;
  }

  /** Whether the server answers on its native lane (see `authenticator`). */
  get onNativeLane(): boolean {
    return this.lane !== undefined;
  }

  async close(): Promise<void> {
    const lane = this.lane;
    if (lane) {
      // Its counts stay readable: the last ones are kept as the JS lane keeps its own.
      Object.assign(this.counts, lane.stats().counts);
      this.lane = undefined;
      lane.close();
    }
    if (this.sweeper) clearInterval(this.sweeper);
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
    const radsec = this.radsec;
    this.radsec = undefined;
    await radsec?.close();
    const open = this.conversations.drain();
    await Promise.allSettled(open.map((conversation) => conversation.transport.close()));
  }

  private onMessage(message: Buffer, remote: RemoteInfo): void {
    if (remote.address !== this.lastAddress.raw) this.lastAddress = { raw: remote.address, canonical: canonicalAddress(remote.address) };
    const clientAddress = this.lastAddress.canonical;
    const secret = this.clients ? this.clients.secretFor(clientAddress) : this.secret;
    if ((this.allowed && !this.allowed.has(clientAddress)) || secret === undefined) {
      this.counts.droppedUnexpected++;
      return;
    }
    let request: DecodedRadiusPacket;
    try {
      // The datagram is this request's alone (RadSec's listener copies each one out of its stream).
      request = decodeRadiusPacket(message, true);
    } catch {
      this.counts.droppedMalformed++;
      return;
    }
    if (request.code !== RadiusCode.AccessRequest && request.code !== RadiusCode.StatusServer) {
      this.counts.droppedUnexpected++;
      return;
    }
    // Verified before the reply cache is consulted, so forged packets cannot occupy cache slots.
    const cacheKey = `${clientAddress}|${remote.port}|${request.identifier}`;
    if (this.options.requireMessageAuthenticator !== false
      && request.attributes.every((attribute) => attribute.type !== RadiusAttributeType.MessageAuthenticator)) {
      this.counts.droppedNoMessageAuthenticator++;
      return;
    }
    if (!verifyAccessRequest(request, secret)) {
      if (request.code === RadiusCode.AccessRequest && isBareRequest(request)) {
        // Nothing to authenticate, nothing to grant: a Reject signed with our secret lets a client
        // whose EAP requests we drop find out that its shared secret is wrong (RadiusClient's probe).
        this.counts.rejects++;
        this.reply(cacheKey, request, remote, RadiusCode.AccessReject, [], secret);
        return;
      }
      this.counts.droppedUnauthenticated++;
      return;
    }
    const verdict = this.cache.check(cacheKey, request.authenticator);
    if (verdict.kind !== 'new') {
      this.counts.duplicates++;
      if (verdict.kind === 'replay') this.send(verdict.reply, remote);
      return;
    }
    this.counts.requests++;
    if (request.code === RadiusCode.StatusServer) {
      // RFC 5997: an Access-Accept says "alive" to a Status-Server sent to the authentication port.
      this.reply(cacheKey, request, remote, RadiusCode.AccessAccept, [], secret);
      return;
    }
    this.process(request, clientAddress).then(
      (outcome) => {
        if (outcome) this.reply(cacheKey, request, remote, outcome.code, outcome.attributes, secret, outcome.keys);
        else this.cache.forget(cacheKey, request.authenticator);
      },
      () => {
        this.counts.conversationErrors++;
        this.cache.forget(cacheKey, request.authenticator);
      });
  }

  /** Runs the EAP step for one request; undefined means drop without answering. */
  private async process(request: DecodedRadiusPacket, clientAddress: string)
    : Promise<Outcome | undefined> {
    let eap: Buffer | undefined;
    const eapStart = request.attributes.some((a) => a.type === RadiusAttributeType.EapMessage && a.value.length === 0)
      && request.attributes.every((a) => a.type !== RadiusAttributeType.EapMessage || a.value.length === 0);
    if (!eapStart) {
      try {
        eap = reassembleEapMessage(request);
      } catch {
        this.counts.droppedMalformed++;
        return undefined;
      }
      if (!eap) return this.rejectWithoutConversation(undefined, 'this server authenticates with EAP only');
      if (eapCodeOf(eap) !== EapCode.Response) return this.rejectWithoutConversation(eap, 'not an EAP-Response');
    }

    const state = findAttribute(request, RadiusAttributeType.State);
    let conversation: Conversation | undefined;
    let reply: TransportReply;
    if (state !== undefined) {
      conversation = this.conversations.get(`${clientAddress}|${state.toString('hex')}`);
      if (!conversation) return this.rejectWithoutConversation(eap, 'unknown or expired State');
      if (conversation.busy || !eap) {
        this.counts.droppedUnexpected++;
        return undefined;
      }
      conversation.busy = true;
      conversation.roundTrips++;
      conversation.eapType = eapTypeOf(eap) ?? conversation.eapType;
      if (isTlsMethodType(conversation.eapType) && !this.startTls(conversation)) {
        conversation.busy = false;
        this.counts.droppedUnexpected++;
        return undefined;
      }
      // Its place in the eviction order moves once the step is over: busy, it cannot be evicted.
      conversation.lastActivity = Date.now();
      reply = await this.step(conversation, (signal) => conversation!.transport.respond(eap!, { signal }));
    } else {
      if (eap && !isIdentityResponse(eap)) {
        return this.rejectWithoutConversation(eap, 'a conversation starts with EAP-Response/Identity');
      }
      if (!this.makeRoom(clientAddress)) {
        this.counts.droppedUnexpected++;
        return undefined;
      }
      const transport = await this.conversationFactory();
      const stateValue = publicRandomBytes(16);
      conversation = {
        key: `${clientAddress}|${stateValue.toString('hex')}`, transport, state: stateValue, abort: new AbortController(),
        lastActivity: Date.now(), busy: true, client: clientAddress, started: Date.now(), roundTrips: 1, eapType: EapType.Identity,
        identity: findAttribute(request, RadiusAttributeType.UserName)?.toString('utf8') ?? '',
      };
      this.conversations.add(conversation);
      reply = await this.step(conversation,
        (signal) => transport.begin(eap ? { identityResponse: eap, signal } : { signal }));
    }
    conversation.busy = false;
    this.touch(conversation);
    return this.outcome(conversation, reply, eap);
  }

  /** Runs one conversation step; a throwing authenticator becomes a failure, never a silent hang. */
  private step(conversation: Conversation, action: (signal: AbortSignal) => Promise<TransportReply>)
    : Promise<TransportReply> {
    let work: Promise<TransportReply>;
    try {
      work = action(conversation.abort.signal);
    } catch (error) {
      work = Promise.reject(error);
    }
    // Raced against the sweep as well, which ends a step whose transport ignores the signal: it
    // calls endStep (no listener on the signal per step, only this one closure).
    return new Promise<TransportReply>((resolve, reject) => {
      conversation.endStep = () => reject(abortError('RadiusServer'));
      work.then(resolve, reject);
    }).then((reply) => {
      conversation.endStep = undefined;
      return reply;
    }, (error: unknown) => {
      conversation.endStep = undefined;
      this.counts.conversationErrors++;
      return { kind: 'failure', reason: `authenticator error: ${(error as Error).message}` };
    });
  }

  /** Marks activity and moves the conversation to the end of the map: iteration order is then
   *  least recently active first, which makes eviction O(1) in the common case. */
  private touch(conversation: Conversation): void {
    conversation.lastActivity = Date.now();
    this.conversations.touch(conversation);
  }

  /** Room for one more conversation of this client, evicting within the fair shares; false when
   *  every conversation that could give way is busy. */
  private makeRoom(client: string): boolean {
    return this.closeEvicted(this.conversations.makeRoomFor(client));
  }

  /** Counts a conversation under maxTlsConversations from its first TLS message on, evicting
   *  within the fair shares; false when every TLS conversation that could give way is busy. */
  private startTls(conversation: Conversation): boolean {
    return this.closeEvicted(this.conversations.startTls(conversation));
  }

  private closeEvicted(evicted: Conversation[] | undefined): boolean {
    if (!evicted) return false;
    for (const conversation of evicted) {
      this.counts.conversationsEvicted++;
      conversation.transport.close().catch(() => undefined);
    }
    return true;
  }

  /** A challenge at once; a verdict once the conversation is closed (not an async function: most
   *  replies are challenges, and they need no promise of their own). */
  private outcome(conversation: Conversation, reply: TransportReply, eap: Buffer | undefined): Outcome | Promise<Outcome> {
    if (reply.kind === 'request' && reply.packet) {
      this.counts.challenges++;
      const attributes = eapMessageAttributes(reply.packet);
      attributes.push({ type: RadiusAttributeType.State, value: conversation.state });
      return { code: RadiusCode.AccessChallenge, attributes };
    }
    return this.verdict(conversation, reply, eap);
  }

  private async verdict(conversation: Conversation, reply: TransportReply, eap: Buffer | undefined): Promise<Outcome> {
    this.conversations.delete(conversation);
    await conversation.transport.close().catch(() => undefined);
    this.options.onConversationEnd?.({
      client: conversation.client, identity: conversation.identity, eapType: conversation.eapType,
      outcome: reply.kind === 'success' ? 'accept' : 'reject', roundTrips: conversation.roundTrips,
      durationMs: Date.now() - conversation.started, ...(reply.resumed !== undefined ? { resumed: reply.resumed } : {}),
      ...(reply.kind !== 'success' ? { reason: reply.reason ?? 'EAP-Failure' } : {}),
    });
    if (reply.kind === 'success') {
      this.counts.accepts++;
      const attributes = eapMessageAttributes(reply.packet ?? verdictPacket(EapCode.Success, idOf(eap)));
      return { code: RadiusCode.AccessAccept, attributes, keys: clearKeys(reply) };
    }
    if (reply.packet) {
      this.counts.rejects++;
      return { code: RadiusCode.AccessReject, attributes: eapMessageAttributes(reply.packet) };
    }
    return this.rejectWithoutConversation(eap, reply.reason ?? 'failure');
  }

  private rejectWithoutConversation(eap: Buffer | undefined, _why: string): Outcome {
    this.counts.rejects++;
    return { code: RadiusCode.AccessReject, attributes: eapMessageAttributes(verdictPacket(EapCode.Failure, idOf(eap))) };
  }

  private reply(cacheKey: string, request: DecodedRadiusPacket, remote: RemoteInfo, code: number,
    attributes: RadiusAttribute[], secret: Buffer, keys: Outcome['keys'] = []): void {
    const salts = new Set<number>();
    const wire = [...attributes,
      ...keys.map((clear) => encryptMppeKeyAttribute(clear.vendorType, clear.key, secret, request.authenticator, salts))];
    // RFC 2865 §5.33: Proxy-State comes back unmodified and in order.
    wire.push(...request.attributes.filter((attribute) => attribute.type === RadiusAttributeType.ProxyState));
    const datagram = signResponse(code, request.identifier, wire, request.authenticator, secret);
    this.cache.store(cacheKey, request.authenticator, datagram);
    this.send(datagram, remote);
  }

  private send(datagram: Buffer, remote: RemoteInfo): void {
    if (this.radsec) this.radsec.send(datagram, remote);
    else this.socket?.send(datagram, remote.port, remote.address);
  }

  private sweep(idleMs: number): void {
    const now = Date.now();
    this.cache.sweep(now);
    for (const conversation of [...this.conversations.values()]) {
      // A busy conversation is one whose step has not finished: past the idle window it is
      // stuck (a user store that never answers), and is aborted and expired like an idle one.
      if (now - conversation.lastActivity >= idleMs) {
        this.conversations.delete(conversation);
        this.counts.conversationsExpired++;
        conversation.abort.abort();
        conversation.endStep?.();
        conversation.transport.close().catch(() => undefined);
      }
    }
  }
}
