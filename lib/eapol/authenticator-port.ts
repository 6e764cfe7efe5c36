/**
 * The authenticator side of IEEE 802.1X on one EAPOL port, one conversation per supplicant MAC:
 * a Request/Identity to the PAE group when the port starts and to a supplicant on its
 * EAPOL-Start, the request retransmitted while the supplicant is silent, EAP-Success or
 * EAP-Failure at the end, re-authentication when Session-Timeout says so. The conversations
 * themselves come from a backend (the embedded authenticator, or a RADIUS server as a NAS).
 * Each verdict is an event. The port holds at most maxSupplicants stations and maxHalfOpen
 * conversations in progress, and a hostile link cannot make it work without bound: a station's
 * EAPOL-Starts restart its conversation at most once per minRestartIntervalMs (the rest are
 * ignored and counted), conversations begin at most maxStartsPerSecond across the port, and when
 * every half-open slot is taken a new station evicts the one that has waited longest for its
 * supplicant's answer, so stations that answer nothing past the identity request (spoofed MACs)
 * cannot keep a real supplicant out.
 *
 * The conversation budget is spent only on stations that answer: an EAPOL-Start from a MAC the
 * port does not know costs no conversation, no station and no backend call, only a
 * Request/Identity sent back (at most maxIdentityRequestsPerSecond across the port, one per MAC
 * per minRestartIntervalMs). Its Response/Identity is what begins the conversation. A flood of
 * Starts from random MACs, which answer nothing, so never reaches the budget a real supplicant
 * needs.
 *
 * A Response/Identity begins a conversation from one of two budgets. An answer (under the
 * Identifier of the Request/Identity the port sent that MAC, or from a station it knows) spends
 * maxStartsPerSecond. One from a stranger (a MAC the port never asked: an answer to the group
 * request, or a flood of spoofed ones) spends a budget of its own, a tenth of that, and at most
 * one per MAC per minRestartIntervalMs: strangers never spend what a real supplicant's answer
 * needs.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { EapCode, EapType } from '../core/constants';
import { decodeEapPacket } from '../core/packet';
import { EapTransport, TransportReply } from '../core/transport';
import { EapolBackend } from './backends';
import { EapolFrame, EapolPort, integerOption, portOf } from './port';
import { EapolPacketType, isGroupAddress, macText, PAE_GROUP_ADDRESS } from './frame';
import { SwitchAttributes, switchAttributesOf } from './switch-attributes';
import { EapolDasOptions, EapolSession, listenAsDas, PortDas } from './das';
import type { DynamicAuthorizationServerStats } from '../native';

export type { EapolSession } from './das';

/** How long a half-open conversation must have waited for its supplicant's answer before a new
 *  station may evict it: far longer than a supplicant on a link takes to answer, far shorter
 *  than the slot a spoofed station would otherwise hold (retransmissions, ~15 s). */
const EVICTABLE_WAIT_MS = 100;

/** MACs whose Start was answered with a Request/Identity, remembered (oldest forgotten first) so
 *  one MAC's Starts are answered at most once per minRestartIntervalMs; strangers whose
 *  Response/Identity began a conversation, remembered the same way. */
const REMEMBERED_REQUESTED = 4096;

export interface EapolAuthenticatorOptions {
  backend: EapolBackend;
  /** A port opened already (left open by close()), or */
  port?: EapolPort;
  /** the interface to open one on (closed with the authenticator). */
  interfaceName?: string;
  /** Resend a request the supplicant has not answered after this long. Default 3000 ms. */
  retransmitMs?: number;
  /** Retransmissions before the conversation fails. Default 4. */
  maxRetransmissions?: number;
  /** After a failure, EAPOL-Starts from that supplicant are ignored this long. Default 60000 ms (802.1X quietPeriod). */
  quietPeriodMs?: number;
  /** Stations tracked at once. Default 256. */
  maxSupplicants?: number;
  /** Conversations in progress at once. Default 32. */
  maxHalfOpen?: number;
  /** A station's EAPOL-Starts restart its conversation at most once per this long. Default 1000 ms. */
  minRestartIntervalMs?: number;
  /** Conversations begun per second across the port, at most (bursts of maxHalfOpen). Default 100. */
  maxStartsPerSecond?: number;
  /** Request/Identity frames sent per second in answer to EAPOL-Starts from MACs the port does not
   *  know yet, at most (bursts of a tenth of it). Default 20000. */
  maxIdentityRequestsPerSecond?: number;
  /** Send a Request/Identity to the PAE group when the port starts. Default true. */
  identityAtStart?: boolean;
  /** Listen as a Dynamic Authorization Server (RFC 5176) for Disconnect and CoA requests. Off by default. */
  das?: EapolDasOptions;
}


export interface EapolOutcome extends SwitchAttributes {
  authorized: boolean;
  /** The supplicant's MAC, aa:bb:cc:dd:ee:ff. */
  supplicant: string;
  identity?: string;
  /** The EAP type the supplicant answered with last (the method that ran). */
  method?: number;
  /** Why the port is unauthorized (EAP-Failure, logoff, no answer, backend error, a Disconnect-Request). */
  reason?: string;
  /** Acct-Session-Id of the conversation (also sent to a RADIUS server). */
  sessionId?: string;
}

export interface EapolAuthenticatorStats {
  supplicants: number;
  halfOpen: number;
  authorized: number;
  /** EAPOL-Starts and Identity responses refused because a bound was reached. */
  refusedSupplicants: number;
  refusedHalfOpen: number;
  /** Refused because conversations were begun faster than maxStartsPerSecond. */
  refusedStartRate: number;
  /** Responses/Identity from MACs the port never asked refused: past the strangers' budget (a
   *  tenth of maxStartsPerSecond), or sooner than minRestartIntervalMs after that MAC's last. */
  refusedStrangers: number;
  /** EAPOL-Starts from unknown MACs answered with a Request/Identity (no conversation until it is answered). */
  identityRequests: number;
  /** EAPOL-Starts from unknown MACs left unanswered because maxIdentityRequestsPerSecond was reached. */
  refusedIdentityRate: number;
  /** EAPOL-Starts that came sooner than minRestartIntervalMs after the station's last (re)start. */
  ignoredStarts: number;
  /** Half-open conversations ended to make room for a new station. */
  evictedHalfOpen: number;
  /** Responses that answered no outstanding request (stale, duplicate or from the wrong id). */
  strayResponses: number;
  /** Frames the port could not send (the interface went down): the conversation waits or times out. */
  sendFailures: number;
}

interface Station {
  mac: Buffer;
  key: string;
  transport?: EapTransport;
  /** The request the supplicant owes an answer to, its frame body. */
  outstanding?: Buffer;
  busy: boolean;
  retransmissions: number;
  timer?: NodeJS.Timeout;
  reauthTimer?: NodeJS.Timeout;
  /** Session-Timeout in force, seconds (0: none). */
  sessionTimeout: number;
  sessionId?: string;
  authorized: boolean;
  quietUntil: number;
  identity?: string;
  method?: number;
  /** Bumped with each new conversation, so a late backend answer for an old one is dropped. */
  generation: number;
  /** When its current (or last) conversation began, by Date.now(). */
  startedAt: number;
  /** When the outstanding request was first sent, by Date.now(). */
  askedAt: number;
  /** The Identifier of the last request sent (what a verdict packet carries, RFC 3748 §4.2). */
  lastId: number;
}


export class EapolAuthenticator extends EventEmitter {
  readonly port: EapolPort;
  private readonly ownsPort: boolean;
  private readonly backend: EapolBackend;
  private readonly retransmitMs: number;
  private readonly maxRetransmissions: number;
  private readonly quietPeriodMs: number;
  private readonly maxSupplicants: number;
  private readonly maxHalfOpen: number;
  private readonly minRestartIntervalMs: number;
  private readonly maxStartsPerSecond: number;
  /** Conversations that may begin now (a token bucket: maxStartsPerSecond, bursts of maxHalfOpen). */
  private startTokens: number;
  private tokensAt = Date.now();
  private readonly maxIdentityRequestsPerSecond: number;
  /** Request/Identity frames that may answer Starts now (maxIdentityRequestsPerSecond, bursts of a tenth). */
  private identityTokens: number;
  private identityTokensAt = Date.now();
  /** MAC → when its Start was last answered with a Request/Identity and that request's
   *  Identifier, in insertion order. */
  private readonly requested = new Map<string, { at: number; id: number }>();
  /** Conversations strangers may begin now (a tenth of maxStartsPerSecond, the same in a burst). */
  private strangerTokens: number;
  private strangerTokensAt = Date.now();
  /** Stranger MAC → when its Response/Identity last began a conversation, in insertion order. */
  private readonly strangers = new Map<string, number>();
  private readonly stations = new Map<string, Station>();
  private readonly stopListening: () => void;
  private readonly counts = {
    refusedSupplicants: 0, refusedHalfOpen: 0, refusedStartRate: 0, refusedStrangers: 0, identityRequests: 0, refusedIdentityRate: 0,
    ignoredStarts: 0,
    evictedHalfOpen: 0, strayResponses: 0, sendFailures: 0,
  };
  private closed = false;
  private readonly das: PortDas | undefined;

  constructor(options: EapolAuthenticatorOptions) {
    super();
    if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
    if (typeof options.backend?.conversation !== 'function') throw new TypeError('backend must be an EapolBackend');
    this.backend = options.backend;
    this.retransmitMs = integerOption(options.retransmitMs, 3000, 'retransmitMs');
    this.maxRetransmissions = integerOption(options.maxRetransmissions, 4, 'maxRetransmissions', 0);
    this.quietPeriodMs = integerOption(options.quietPeriodMs, 60000, 'quietPeriodMs', 0);
    this.maxSupplicants = integerOption(options.maxSupplicants, 256, 'maxSupplicants');
    this.maxHalfOpen = integerOption(options.maxHalfOpen, 32, 'maxHalfOpen');
    this.minRestartIntervalMs = integerOption(options.minRestartIntervalMs, 1000, 'minRestartIntervalMs', 0);
    this.maxStartsPerSecond = integerOption(options.maxStartsPerSecond, 100, 'maxStartsPerSecond');
    this.startTokens = this.maxHalfOpen;
    this.strangerTokens = this.strangerRate();
    this.maxIdentityRequestsPerSecond = integerOption(options.maxIdentityRequestsPerSecond, 20000, 'maxIdentityRequestsPerSecond');
    this.identityTokens = this.identityBurst();
    ({ port: this.port, owned: this.ownsPort } = portOf(options));
    this.stopListening = this.port.onFrame((frame) => this.receive(frame));
    this.das = options.das === undefined ? undefined : listenAsDas(this, options.das);
    if (options.identityAtStart ?? true) {
      // Stations already waiting on the link answer this; their Response/Identity starts their conversation.
      const identityId = Math.floor(Math.random() * 256);
      try {
        this.port.send(PAE_GROUP_ADDRESS, EapolPacketType.EapPacket,
          Buffer.from([EapCode.Request, identityId, 0, 5, EapType.Identity]));
      } catch {
        // Stations that start later send EAPOL-Start; this request only spares them the wait.
        ++this.counts.sendFailures;
      }
    }
  }

  stats(): EapolAuthenticatorStats {
    let halfOpen = 0;
    let authorized = 0;
    for (const station of this.stations.values()) {
      if (station.transport) ++halfOpen;
      if (station.authorized) ++authorized;
    }
    return { supplicants: this.stations.size, halfOpen, authorized, ...this.counts };
  }

  /** Where the Dynamic Authorization Server listens, once it does (rejects when it could not bind). */
  async dasAddress(): Promise<{ address: string; port: number }> {
    if (!this.das) throw new Error('this port was not asked to listen as a Dynamic Authorization Server (the das option)');
    return this.das.listening();
  }

  /** Its counters, when it listens. */
  dasStats(): DynamicAuthorizationServerStats | undefined {
    return this.das?.stats();
  }

  /** The stations authorized or authenticating, each with what identifies its session. */
  sessions(): EapolSession[] {
    return [...this.stations.values()].filter((station) => station.authorized || station.transport).map((station) => ({
      supplicant: station.key, authorized: station.authorized, authenticating: station.transport !== undefined,
      ...(station.identity !== undefined ? { identity: station.identity } : {}),
      ...(station.sessionId !== undefined ? { sessionId: station.sessionId } : {}),
      ...(station.sessionTimeout > 0 ? { sessionTimeout: station.sessionTimeout } : {}),
    }));
  }

  /**
   * Ends a station's session (a Disconnect-Request, or the caller's own): the conversation in
   * progress is dropped, the port unauthorized for it, an EAP-Failure sent with the last
   * request's Identifier, then a Request/Identity that asks it to authenticate again, as a
   * re-authentication would. What a supplicant makes of the Failure depends on it: an RFC 4137
   * peer (wpa_supplicant) restarts its EAP state on any frame after success, so it discards a
   * Failure no request of its new state asked for, and what it reports is a new authentication
   * (EAP-STARTED, then SUCCESS or FAILURE); the port stays unauthorized until that one succeeds.
   * No quiet period: the failure was not the supplicant's. False for an unknown station.
   */
  endSession(supplicant: string, reason: string): boolean {
    const station = this.stations.get(supplicant);
    if (!station || this.closed || (!station.authorized && !station.transport)) return false;
    const id = station.lastId;
    void this.endConversation(station);
    clearTimeout(station.reauthTimer);
    station.sessionTimeout = 0;
    station.authorized = false;
    this.sendEap(station, Buffer.from([EapCode.Failure, id, 0, 4]));
    this.emitOutcome(station, false, reason);
    // At the half-open bound the supplicant comes back by itself (EAPOL-Start after its heldPeriod).
    if (this.halfOpen() < this.maxHalfOpen) void this.startConversation(station);
    return true;
  }

  /** Sets a station's Session-Timeout from now (a CoA-Request's): re-authentication then; 0 cancels it. */
  setSessionTimeout(supplicant: string, seconds: number): boolean {
    const station = this.stations.get(supplicant);
    if (!station?.authorized || this.closed) return false;
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 0xffffffff) throw new RangeError('seconds must be an integer from 0');
    this.armReauthentication(station, seconds);
    return true;
  }

  /** Re-authenticates an authorized station now (a CoA-Request's Authorize Only); it stays authorized meanwhile. */
  reauthenticate(supplicant: string): boolean {
    const station = this.stations.get(supplicant);
    if (!station?.authorized || this.closed) return false;
    clearTimeout(station.reauthTimer);
    void this.startConversation(station);
    return true;
  }

  /** Ends every conversation (no events), then the port if it opened it, then the backend. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopListening();
    await this.das?.close();
    const ending = [...this.stations.values()].map((station) => this.endConversation(station));
    this.stations.clear();
    await Promise.allSettled(ending);
    if (this.ownsPort) this.port.close();
    await this.backend.close?.();
  }

  private receive(frame: EapolFrame): void {
    if (this.closed || isGroupAddress(frame.source) || frame.source.equals(this.port.address)) return;
    const key = macText(frame.source);
    switch (frame.type) {
      case EapolPacketType.Start: {
        const known = this.stations.get(key);
        if (!known) {
          this.requestIdentity(key, frame.source);
          return;
        }
        // A flood of Starts from one MAC: one restart per interval, the rest cost a lookup.
        if (Date.now() - known.startedAt < this.minRestartIntervalMs) {
          ++this.counts.ignoredStarts;
          return;
        }
        if (Date.now() >= known.quietUntil) this.startFromFrame(known);
        return;
      }
      case EapolPacketType.Logoff: {
        const station = this.stations.get(key);
        if (!station) return;
        const wasActive = station.authorized || station.transport !== undefined;
        this.stations.delete(key);
        void this.endConversation(station);
        if (wasActive) this.emitOutcome(station, false, 'EAPOL-Logoff from the supplicant');
        return;
      }
      case EapolPacketType.EapPacket:
        this.receiveEap(key, frame.source, frame.body);
        return;
      default:
        return;
    }
  }

  private receiveEap(key: string, mac: Buffer, packet: Buffer): void {
    const decoded = decodeEapPacket(packet);
    if (!decoded || decoded.code !== EapCode.Response) return;
    let station = this.stations.get(key);
    if (!station?.transport) {
      // A Response/Identity to the group request (or after this station's conversation ended)
      // starts a conversation with it as the answer to the identity request.
      if (decoded.type !== EapType.Identity || (station && Date.now() < station.quietUntil)) {
        ++this.counts.strayResponses;
        return;
      }
      const asked = this.requested.get(key);
      const answer = station !== undefined || (asked !== undefined && asked.id === decoded.id);
      if (!answer && !this.admitStranger(key)) {
        ++this.counts.refusedStrangers;
        return;
      }
      if (asked !== undefined && answer) this.requested.delete(key);
      station = this.station(key, mac);
      if (station) this.startFromFrame(station, packet, !answer);
      return;
    }
    if (station.busy || !station.outstanding || station.outstanding[1] !== decoded.id) {
      ++this.counts.strayResponses;
      return;
    }
    this.note(station, packet);
    void this.step(station, station.transport, (transport) => transport.respond(packet));
  }

  /** The station for `key`, made if the bound allows it (an idle one is evicted first); undefined when refused. */
  private station(key: string, mac: Buffer): Station | undefined {
    const known = this.stations.get(key);
    if (known) return known;
    if (this.stations.size >= this.maxSupplicants) {
      const idle = [...this.stations.values()].find((s) => !s.transport && !s.authorized);
      if (!idle) {
        ++this.counts.refusedSupplicants;
        return undefined;
      }
      this.stations.delete(idle.key);
    }
    const station: Station = {
      mac: Buffer.from(mac), key, busy: false, retransmissions: 0, authorized: false, quietUntil: 0, generation: 0, sessionTimeout: 0,
      startedAt: 0, askedAt: 0, lastId: 0,
    };
    this.stations.set(key, station);
    return station;
  }

  /**
   * Answers an EAPOL-Start from a MAC the port does not know with a Request/Identity and nothing
   * else: no station, no conversation, no backend call, so Starts from MACs that never answer
   * (a flood of random sources) cost a frame each and leave the conversation budget to stations
   * that do. The Response/Identity begins the conversation (receiveEap), as one to the group
   * request does. Per MAC at most once per minRestartIntervalMs, across the port at most
   * maxIdentityRequestsPerSecond.
   */
  private requestIdentity(key: string, mac: Buffer): void {
    const now = Date.now();
    const last = this.requested.get(key)?.at;
    if (last !== undefined && now - last < this.minRestartIntervalMs) {
      ++this.counts.ignoredStarts;
      return;
    }
    const burst = this.identityBurst();
    this.identityTokens = Math.min(burst,
      this.identityTokens + ((now - this.identityTokensAt) * this.maxIdentityRequestsPerSecond) / 1000);
    this.identityTokensAt = now;
    if (this.identityTokens < 1) {
      ++this.counts.refusedIdentityRate;
      return;
    }
    --this.identityTokens;
    const id = Math.floor(Math.random() * 256);
    remember(this.requested, key, { at: now, id });
    ++this.counts.identityRequests;
    try {
      this.port.send(mac, EapolPacketType.EapPacket, Buffer.from([EapCode.Request, id, 0, 5, EapType.Identity]));
    } catch {
      ++this.counts.sendFailures;
    }
  }

  private identityBurst(): number {
    return Math.max(1, Math.floor(this.maxIdentityRequestsPerSecond / 10));
  }

  private strangerRate(): number {
    return Math.max(1, Math.floor(this.maxStartsPerSecond / 10));
  }

  /** Whether a stranger's Response/Identity may begin a conversation: one per MAC per
   *  minRestartIntervalMs, and a token of the strangers' own budget, spent here. */
  private admitStranger(key: string): boolean {
    const now = Date.now();
    const last = this.strangers.get(key);
    if (last !== undefined && now - last < this.minRestartIntervalMs) return false;
    const rate = this.strangerRate();
    this.strangerTokens = Math.min(rate, this.strangerTokens + ((now - this.strangerTokensAt) * rate) / 1000);
    this.strangerTokensAt = now;
    if (this.strangerTokens < 1) return false;
    --this.strangerTokens;
    remember(this.strangers, key, now);
    return true;
  }

  /** A conversation a supplicant's frame asks for (EAPOL-Start, Response/Identity), if the
   *  port's rate and half-open bounds let it begin. A stranger's has spent its own budget
   *  (admitStranger), never the answers'. */
  private startFromFrame(station: Station, identityResponse?: Buffer, stranger = false): void {
    const now = Date.now();
    this.startTokens = Math.min(this.maxHalfOpen, this.startTokens + ((now - this.tokensAt) * this.maxStartsPerSecond) / 1000);
    this.tokensAt = now;
    if (!stranger && this.startTokens < 1) {
      ++this.counts.refusedStartRate;
      if (!station.transport && !station.authorized) this.stations.delete(station.key);
      return;
    }
    if (!station.transport && this.halfOpen() >= this.maxHalfOpen && !this.evictHalfOpen()) {
      ++this.counts.refusedHalfOpen;
      if (!station.authorized) this.stations.delete(station.key);
      return;
    }
    if (!stranger) --this.startTokens;
    void this.startConversation(station, identityResponse);
  }

  /**
   * Makes room for a new station by ending the half-open conversation that has waited longest for
   * its supplicant's answer, if that is at least EVICTABLE_WAIT_MS. A real supplicant answers
   * each request within milliseconds, so it is not the one evicted while stations that answered
   * only the identity request (from spoofed MACs, say) hold slots; one that waits on the backend
   * is not waiting for its supplicant.
   */
  private evictHalfOpen(): boolean {
    let victim: Station | undefined;
    for (const station of this.stations.values()) {
      if (!station.transport || station.busy || !station.outstanding) continue;
      if (!victim || station.askedAt < victim.askedAt) victim = station;
    }
    if (!victim || Date.now() - victim.askedAt < EVICTABLE_WAIT_MS) return false;
    ++this.counts.evictedHalfOpen;
    void this.endConversation(victim);
    if (!victim.authorized) this.stations.delete(victim.key);
    return true;
  }

  private startConversation(station: Station, identityResponse?: Buffer): Promise<void> {
    void this.endConversation(station);
    clearTimeout(station.reauthTimer);
    station.identity = station.method = undefined;
    station.startedAt = Date.now();
    station.sessionId = randomBytes(8).toString('hex').toUpperCase();
    const transport = this.backend.conversation({
      supplicant: station.key, portAddress: macText(this.port.address), interfaceName: this.port.interfaceName,
      sessionId: station.sessionId,
    });
    station.transport = transport;
    if (identityResponse) this.note(station, identityResponse);
    return this.step(station, transport, (t) => t.begin(identityResponse ? { identityResponse } : {}));
  }

  /** Runs one backend call for the station's current conversation and acts on its reply. */
  private async step(station: Station, transport: EapTransport, call: (t: EapTransport) => Promise<TransportReply>):
      Promise<void> {
    const generation = station.generation;
    station.busy = true;
    clearTimeout(station.timer);
    let reply: TransportReply;
    try {
      reply = await call(transport);
    } catch (error) {
      if (station.generation !== generation || this.closed) return;
      station.busy = false;
      return this.finish(station, false, undefined, `the backend failed: ${(error as Error).message}`);
    }
    if (station.generation !== generation || this.closed) return;
    station.busy = false;
    if (reply.kind === 'request' && reply.packet) {
      station.outstanding = reply.packet;
      station.lastId = reply.packet[1];
      station.askedAt = Date.now();
      station.retransmissions = 0;
      this.sendEap(station, reply.packet);
      this.armRetransmission(station, generation);
      return;
    }
    const success = reply.kind === 'success';
    return this.finish(station, success, reply, success ? undefined : reply.reason ?? 'EAP-Failure');
  }

  private armRetransmission(station: Station, generation: number): void {
    station.timer = setTimeout(() => {
      if (station.generation !== generation || !station.outstanding || this.closed) return;
      if (station.retransmissions >= this.maxRetransmissions) {
        void this.finish(station, false, undefined, `the supplicant did not answer ${station.retransmissions + 1} requests`);
        return;
      }
      ++station.retransmissions;
      this.sendEap(station, station.outstanding);
      this.armRetransmission(station, generation);
    }, this.retransmitMs);
  }

  private finish(station: Station, success: boolean, reply: TransportReply | undefined, reason?: string): void {
    const id = station.outstanding?.[1] ?? 0;
    // The verdict packet from the backend, or one of our own with the last request's id (RFC 3748 §4.2).
    const packet = reply?.packet && reply.packet[0] === (success ? EapCode.Success : EapCode.Failure) ? reply.packet
      : Buffer.from([success ? EapCode.Success : EapCode.Failure, id, 0, 4]);
    this.sendEap(station, packet);
    const attributes = switchAttributesOf(reply?.attributes);
    if (station.identity === undefined && station.transport && 'identity' in station.transport) {
      const known = (station.transport as { identity?: unknown }).identity;
      if (typeof known === 'string' && known) station.identity = known;
    }
    void this.endConversation(station);
    station.authorized = success;
    if (!success) station.quietUntil = Date.now() + this.quietPeriodMs;
    this.armReauthentication(station, success ? attributes.sessionTimeout ?? 0 : 0);
    this.emitOutcome(station, success, reason, attributes);
  }

  /** RFC 3580 §3.17: re-authenticate when the session times out (Termination-Action RADIUS-Request); 0: never. */
  private armReauthentication(station: Station, seconds: number): void {
    clearTimeout(station.reauthTimer);
    station.sessionTimeout = seconds > 0 ? seconds : 0;
    if (station.sessionTimeout === 0) return;
    const ms = Math.min(station.sessionTimeout * 1000, 0x7fffffff);
    station.reauthTimer = setTimeout(() => {
      if (this.closed) return;
      if (this.halfOpen() >= this.maxHalfOpen) ++this.counts.refusedHalfOpen;  // still authorized: tried at its next Start
      else void this.startConversation(station);
    }, ms);
    station.reauthTimer.unref?.();
  }

  private emitOutcome(station: Station, authorized: boolean, reason?: string, attributes: SwitchAttributes = {}): void {
    const outcome: EapolOutcome = {
      authorized, supplicant: station.key, ...attributes,
      ...(station.identity !== undefined ? { identity: station.identity } : {}),
      ...(station.method !== undefined ? { method: station.method } : {}),
      ...(reason !== undefined ? { reason } : {}),
      ...(station.sessionId !== undefined ? { sessionId: station.sessionId } : {}),
    };
    this.emit(authorized ? 'authorized' : 'unauthorized', outcome);
  }

  /** Identity and method, read from the supplicant's responses (the same for every backend). */
  private note(station: Station, response: Buffer): void {
    const type = response.length > 4 ? response[4] : undefined;
    if (type === EapType.Identity) station.identity = response.subarray(5).toString('utf8');
    else if (type !== undefined && type !== EapType.Nak && type !== EapType.Notification) station.method = type;
  }

  /** Never throws: it runs from timers and backend callbacks, where a throw would end the process.
   *  A frame that cannot go out (the interface went down) is counted; the retransmission timer,
   *  or the supplicant's own, tries again. */
  private sendEap(station: Station, packet: Buffer): void {
    try {
      this.port.send(station.mac, EapolPacketType.EapPacket, packet);
    } catch {
      ++this.counts.sendFailures;
    }
  }

  /** Stations in a conversation, counted (at most maxSupplicants of them). */
  private halfOpen(): number {
    let count = 0;
    for (const station of this.stations.values()) if (station.transport) ++count;
    return count;
  }

  /** Detaches the station's conversation at once (a late reply for it is dropped) and closes it. */
  private endConversation(station: Station): Promise<void> {
    ++station.generation;
    clearTimeout(station.timer);
    station.outstanding = undefined;
    station.busy = false;
    const transport = station.transport;
    station.transport = undefined;
    return transport ? transport.close().catch(() => undefined) : Promise.resolve();
  }
}

/** `value` under `key` as the newest entry of `map`, the oldest forgotten past REMEMBERED_REQUESTED. */
function remember<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > REMEMBERED_REQUESTED) map.delete(map.keys().next().value as string);
}
