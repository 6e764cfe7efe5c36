/**
 * Who may hold one of the RadSec listener's connections. A TCP connection costs a descriptor
 * before it proves anything, so connections are capped in total and per source address, and at a
 * cap the newcomer takes the place of a connection that has not finished its TLS handshake: the
 * oldest of its own address at the address cap; else, at the total cap, one of the lowest rank,
 * the oldest of the wide network prefix (/16, /32) holding the most of that rank.
 *
 * Rank is progress, not what was sent: a ClientHello costs an attacker one packet, so sending one
 * proves nothing. A connection that has had the server's whole flight for STALLED_AFTER_MS (a few
 * round trips of any path) without answering a byte is stalled and goes first; then one that has
 * sent nothing; then one whose handshake is moving (its peer answers what the server writes).
 * Within a rank, connections are counted by wide prefix, so a churn from a thousand /24s, which
 * come from far fewer /16s, displaces its own before a NAS alone in its network. Prefixes whose
 * connections authenticated rank above every other and may use a few reserved slots; they are
 * kept (`knownPrefixes`, `onKnownPrefix`) so a listener started again knows its NASes, and the
 * prefixes of the configured client networks (`clientNetworks`) rank so from the start. A NAS that
 * has authenticated is never displaced (a newcomer finding only authenticated connections is
 * refused instead). Pure bookkeeping: the listener closes what admit() names.
 */
import { isIP } from 'node:net';

/** The defaults of RadSecListenOptions' limits (listener.ts says what each one bounds). */
export const DEFAULT_RADSEC_LIMITS = Object.freeze({
  maxConnections: 256,
  maxConnectionsPerAddress: 16,
  handshakeTimeoutMs: 10_000,
  idleTimeoutMs: 600_000,
  maxBufferedReplyBytes: 65_536,
});

/** Below it a socket's write() still returns true when the bound is passed, so no 'drain' would
 *  come to resume reading (a socket's writableHighWaterMark). */
export const MIN_BUFFERED_REPLY_BYTES = 16_384;

export interface AdmissionLimits {
  maxConnections: number;
  maxConnectionsPerAddress: number;
}

export interface AdmissionOptions {
  /** Prefixes (as prefixOf() writes them) whose connections authenticated before: a saved list. */
  knownPrefixes?: Iterable<string>;
  /** The networks the server is configured to answer (its clients, its allowed addresses, its PSK
   *  clients' networks): the prefixes each covers (prefixesOfNetwork) are known from the first
   *  moment, and for good, so a NAS that never authenticated since the server started still
   *  ranks as known. */
  clientNetworks?: Iterable<string>;
  /** Told of each prefix newly known (one whose connection has just authenticated for the first time). */
  onKnownPrefix?: (prefix: string) => void;
  /** Milliseconds, monotonic (default performance.now). */
  now?: () => number;
}

export interface AdmittedConnection {
  readonly address: string;
  /** Order of arrival: the smallest is the oldest. */
  readonly sequence: number;
  /** The bytes its TCP connection has read from the peer and written to it so far. */
  bytes(): { read: number; written: number };
}

/** The peer has had the server's last bytes this long without answering: its handshake is stalled
 *  (three round trips of 300 ms; a handshake answers each flight within one). */
export const STALLED_AFTER_MS = 1000;

/** How long one ranking of the handshaking connections serves the arrivals at the cap (ranked()). */
const RANKING_REUSED_MS = 25;

interface AddressShare {
  /** Its prefix and wide prefix, worked out once: the ranking reads them for every connection at
   *  every arrival at the cap. */
  prefix: string;
  wide: string;
  count: number;
  /** Its connections still handshaking, oldest first (a Set keeps insertion order). */
  handshaking: Set<AdmittedConnection>;
}

/** Slots a newcomer from a prefix that never authenticated cannot take (at most a sixteenth). */
export const RESERVED_FOR_KNOWN = 8;
/** Prefixes that authenticated, remembered (the oldest forgotten first). */
export const REMEMBERED_PREFIXES = 4096;

/** What was last seen of a connection's bytes, and since when they stand still. */
interface Progress { read: number; written: number; since: number }

/** The network an address shares with its neighbours: /24 of IPv4 (mapped ones too), /56 of IPv6. */
export function prefixOf(address: string): string {
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+)\.\d+$/i.exec(address);
  if (v4) return `${v4[1]}.0/24`;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const front = head === '' ? [] : head.split(':');
  const back = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::') ? [...front, ...Array(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back] : front;
  const bits = groups.slice(0, 4).map((group) => (Number.parseInt(group, 16) || 0).toString(16));
  bits[3] = ((Number.parseInt(bits[3] ?? '0', 16) & 0xff00) >>> 0).toString(16);
  return `${bits.join(':')}::/56`;
}

/** The wider network a churn of hello-only connections is budgeted by: /16 of IPv4, /32 of IPv6. */
export function widePrefixOf(address: string): string {
  const narrow = prefixOf(address);
  if (narrow.endsWith('/24')) return `${narrow.split('.').slice(0, 2).join('.')}.0.0/16`;
  return `${narrow.split(':').slice(0, 2).join(':')}::/32`;
}

/** A configured network wider than this many /24s (/56s) seeds none: "any address" (0.0.0.0/0)
 *  says nothing of where a NAS is, and a /16 would fill the ranks with networks nobody uses. */
export const MAX_SEEDED_PREFIXES_PER_NETWORK = 256;

/** The prefixes (as prefixOf() writes them) a network ("192.0.2.7", "10.1.0.0/22", "2001:db8::/48")
 *  covers: its /24s of IPv4, its /56s of IPv6; none for one wider than
 *  MAX_SEEDED_PREFIXES_PER_NETWORK of them, or for what is no network. */
export function prefixesOfNetwork(network: string): string[] {
  const slash = network.indexOf('/');
  const address = slash === -1 ? network : network.slice(0, slash);
  const family = isIP(address);
  const bits = family === 4 ? 32 : 128;
  const length = slash === -1 ? bits : Number(network.slice(slash + 1));
  if (family === 0 || !Number.isInteger(length) || length < 0 || length > bits) return [];
  const narrow = family === 4 ? 24 : 56;
  if (length >= narrow) return [prefixOf(address)];
  if (narrow - length > Math.log2(MAX_SEEDED_PREFIXES_PER_NETWORK)) return [];
  const count = 2 ** (narrow - length);
  const first = prefixOf(address);
  const prefixes: string[] = [];
  if (family === 4) {
    const [a, b, c] = first.split('.').map(Number);
    const base = ((a << 16) | (b << 8) | c) & ~(count - 1);
    for (let i = 0; i < count; i++) {
      const value = base + i;
      prefixes.push(`${value >>> 16}.${(value >>> 8) & 0xff}.${value & 0xff}.0/24`);
    }
    return prefixes;
  }
  // The /56 is the address's first 56 bits: its fourth group's high byte varies.
  const groups = first.slice(0, -'::/56'.length).split(':');
  const high = (Number.parseInt(groups[3], 16) >>> 8) & ~(count - 1);
  for (let i = 0; i < count; i++) prefixes.push(`${groups.slice(0, 3).join(':')}:${((high + i) << 8).toString(16)}::/56`);
  return prefixes;
}

/** A prefix as prefixOf() writes it (a saved list is read back through this). */
export function isPrefix(text: string): boolean {
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.0\/24$/.test(text)) return text.split('.').slice(0, 3).every((part) => Number(part) <= 255);
  return /^[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){3}::\/56$/.test(text);
}

export type Admission<T extends AdmittedConnection> =
  | { admitted: true; evicted?: T }
  | { admitted: false };

export class RadSecAdmission<T extends AdmittedConnection> {
  private readonly byAddress = new Map<string, AddressShare>();
  private readonly admitted = new Set<AdmittedConnection>();
  /** Prefixes whose connections authenticated, in insertion order. */
  private readonly known = new Set<string>();
  /** Prefixes of the configured client networks: known for good. */
  private readonly configured = new Set<string>();
  private readonly progress = new WeakMap<AdmittedConnection, Progress>();
  private ranking: { at: number; byRank: Array<Map<string, AdmittedConnection[]>>; held: Map<string, number> } | undefined;
  private readonly now: () => number;

  constructor(private readonly limits: AdmissionLimits, private readonly options: AdmissionOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    for (const prefix of options.knownPrefixes ?? []) {
      if (isPrefix(prefix)) this.remember(prefix);
    }
    for (const network of options.clientNetworks ?? []) {
      for (const prefix of prefixesOfNetwork(network)) this.configured.add(prefix);
    }
  }

  /** The prefixes known now, the oldest first (what a saved list holds). */
  knownPrefixes(): string[] {
    return [...this.known];
  }

  get connections(): number {
    return this.admitted.size;
  }

  /** Takes `connection` in, naming the connection it displaced (already forgotten here), or refuses it. */
  admit(connection: T): Admission<T> {
    const share = this.byAddress.get(connection.address);
    let evicted: T | undefined;
    if (share !== undefined && share.count >= this.limits.maxConnectionsPerAddress) {
      evicted = share.handshaking.values().next().value as T | undefined;
      if (evicted === undefined) return { admitted: false };
      this.forget(evicted);
    } else if (this.admitted.size >= this.capFor(connection.address)) {
      evicted = this.displaceable(connection.address) as T | undefined;
      if (evicted === undefined) return { admitted: false };
      this.forget(evicted);
    }
    const own = this.byAddress.get(connection.address) ??
      { prefix: prefixOf(connection.address), wide: widePrefixOf(connection.address), count: 0, handshaking: new Set() };
    this.byAddress.set(connection.address, own);
    own.count++;
    own.handshaking.add(connection);
    this.admitted.add(connection);
    if (this.ranking !== undefined) {
      rankIn(this.ranking.byRank[this.rankOf(connection, this.now()) + (this.isKnownPrefix(own.prefix) ? 3 : 0)], own.wide, connection);
      this.ranking.held.set(own.wide, (this.ranking.held.get(own.wide) ?? 0) + 1);
    }
    return evicted === undefined ? { admitted: true } : { admitted: true, evicted };
  }

  /** Its handshake finished: from now on it is never displaced, and its prefix may use the
   *  reserved slots. */
  authenticated(connection: T): void {
    this.byAddress.get(connection.address)?.handshaking.delete(connection);
    const prefix = prefixOf(connection.address);
    const isNew = !this.known.has(prefix);
    this.remember(prefix);
    if (isNew) this.options.onKnownPrefix?.(prefix);
  }

  private remember(prefix: string): void {
    this.known.delete(prefix);
    this.known.add(prefix);
    if (this.known.size > REMEMBERED_PREFIXES) this.known.delete(this.known.values().next().value as string);
  }

  /** The total a newcomer from `address` may fill: all of it for a prefix that authenticated
   *  before, less the reserve for the rest. */
  private capFor(address: string): number {
    const max = this.limits.maxConnections;
    if (this.isKnown(address)) return max;
    return max - Math.min(RESERVED_FOR_KNOWN, Math.floor(max / 16));
  }

  /** Whether `address`'s prefix authenticated before or is of a configured client network. */
  isKnown(address: string): boolean {
    return this.isKnownPrefix(this.byAddress.get(address)?.prefix ?? prefixOf(address));
  }

  private isKnownPrefix(prefix: string): boolean {
    return this.known.has(prefix) || this.configured.has(prefix);
  }

  /** It closed (or was displaced); idempotent. */
  forget(connection: T): void {
    if (!this.admitted.delete(connection)) return;
    const share = this.byAddress.get(connection.address)!;
    share.handshaking.delete(connection);
    if (--share.count === 0) this.byAddress.delete(connection.address);
  }

  /** The handshaking connections by rank (rankOf, plus 3 for a known prefix), each rank by wide
   *  prefix. Made again when RANKING_REUSED_MS old: reading every connection's byte counts at every
   *  arrival at the cap is what a flood of a thousand connections a second would make the server
   *  do (two hundred of them each time), and a rank moves in seconds (STALLED_AFTER_MS), not in
   *  milliseconds. Meanwhile a newcomer is added to it as admitted, and what left is dropped from it
   *  as it is read. `held`: the handshakes of each wide prefix, every rank, as counted then (and
   *  the newcomers since). */
  private ranked(now: number): { byRank: Array<Map<string, AdmittedConnection[]>>; held: Map<string, number> } {
    if (this.ranking !== undefined && now - this.ranking.at < RANKING_REUSED_MS) return this.ranking;
    const byRank: Array<Map<string, AdmittedConnection[]>> = Array.from({ length: 6 }, () => new Map());
    const held = new Map<string, number>();
    for (const share of this.byAddress.values()) {
      const known = this.isKnownPrefix(share.prefix) ? 3 : 0;
      for (const connection of share.handshaking) rankIn(byRank[this.rankOf(connection, now) + known], share.wide, connection);
      held.set(share.wide, (held.get(share.wide) ?? 0) + share.handshaking.size);
    }
    this.ranking = { at: now, byRank, held };
    return this.ranking;
  }

  /** 0 stalled (the server's bytes unanswered for STALLED_AFTER_MS), 1 nothing sent, 2 moving. */
  private rankOf(connection: AdmittedConnection, now: number): number {
    const { read, written } = connection.bytes();
    const seen = this.progress.get(connection);
    if (seen === undefined || read !== seen.read) {
      // Its peer answered (or this is the first look): its clock starts again.
      this.progress.set(connection, { read, written, since: now });
      return read === 0 ? 1 : 2;
    }
    if (written !== seen.written) {
      // The server wrote more since: the peer's time to answer it starts now.
      seen.written = written;
      seen.since = now;
    }
    if (written > 0 && now - seen.since >= STALLED_AFTER_MS) return 0;
    return read === 0 ? 1 : 2;
  }

  /**
   * The handshaking connection a newcomer from `address` displaces: the lowest rank first
   * (stalled, nothing sent, moving; each from a prefix never authenticated before one that was),
   * within it the oldest of the wide prefix holding the most of that rank; between prefixes holding
   * as many, the one holding the most handshakes of every rank. Not the oldest first there: a NAS
   * alone in its network waits, unread, for the handshake budget to come round to its /16 (up to a
   * round of the churn's /16s, a second and more), while a churn's own connections are displaced
   * as fast as they come: the NAS would be the oldest of its rank and go first. A moving handshake
   * gives way only to a newcomer whose wide prefix holds at least two fewer moving ones (or, when
   * it is unknown, to a known newcomer): a churn whose networks already hold their share is
   * refused instead, before its ClientHello costs the server a flight, and waits for its own
   * connections to stall.
   */
  private displaceable(address: string): AdmittedConnection | undefined {
    const { byRank, held } = this.ranked(this.now());
    const newcomerKnown = this.isKnown(address);
    const newcomerWide = widePrefixOf(address);
    for (const [rank, prefixes] of byRank.entries()) {
      let chosen: AdmittedConnection[] | undefined;
      let chosenHeld = 0;
      for (const [wide, all] of prefixes) {
        // Those gone or authenticated since the ranking was made are no longer in it.
        const list = all.filter((connection) => this.byAddress.get(connection.address)?.handshaking.has(connection) === true);
        if (list.length === 0) {
          prefixes.delete(wide);
          continue;
        }
        if (list.length !== all.length) prefixes.set(wide, list);
        const total = held.get(wide) ?? 0;
        if (!chosen || list.length > chosen.length || (list.length === chosen.length &&
          (total > chosenHeld || (total === chosenHeld && oldest(list).sequence < oldest(chosen).sequence)))) {
          chosen = list;
          chosenHeld = total;
        }
      }
      if (!chosen) continue;
      if (rank % 3 !== 2 || (rank === 2 && newcomerKnown)) return oldest(chosen);
      if ((prefixes.get(newcomerWide)?.length ?? 0) + 1 < chosen.length) return oldest(chosen);
      return undefined;
    }
    return undefined;
  }
}

function rankIn(prefixes: Map<string, AdmittedConnection[]>, wide: string, connection: AdmittedConnection): void {
  const list = prefixes.get(wide);
  if (list === undefined) prefixes.set(wide, [connection]);
  else list.push(connection);
}

function oldest(list: AdmittedConnection[]): AdmittedConnection {
  return list.reduce((first, connection) => (connection.sequence < first.sequence ? connection : first));
}
