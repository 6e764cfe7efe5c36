/**
 * Who may hold one of the RadSec listener's connections. A TCP connection costs a descriptor
 * before it proves anything, so connections are capped in total and per source address, and at a
 * cap the newcomer takes the place of a connection that has not finished its TLS handshake: the
 * oldest of its own address at the address cap; else, at the total cap, one of the lowest rank,
 * the oldest of the network prefix (/24, /56) holding the most of that rank. A connection that
 * has sent nothing ranks lowest; one that has sent its ClientHello (TLS closes one that sends
 * anything else at once) ranks above, so a churn of connections that send nothing only ever
 * displaces its own kind, however many addresses it comes from, and a NAS far away (100 ms)
 * finishes its handshake. A few slots are kept for prefixes that authenticated before; a NAS
 * that has authenticated is never displaced (a newcomer finding only authenticated connections
 * is refused instead). Pure bookkeeping: the listener closes what admit() names.
 */
/** The defaults of RadSecListenOptions' limits (radsec-listener.ts says what each one bounds). */
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

export interface AdmittedConnection {
  readonly address: string;
  /** Order of arrival: the smallest is the oldest. */
  readonly sequence: number;
  /** Whether it has sent its ClientHello (as far as the bytes read tell). */
  helloSent(): boolean;
}

interface AddressShare {
  count: number;
  /** Its connections still handshaking, oldest first (a Set keeps insertion order). */
  handshaking: Set<AdmittedConnection>;
}

/** Slots a newcomer from a prefix that never authenticated cannot take (at most a sixteenth). */
export const RESERVED_FOR_KNOWN = 8;
/** Prefixes that authenticated, remembered (the oldest forgotten first). */
const REMEMBERED_PREFIXES = 4096;

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

export type Admission<T extends AdmittedConnection> =
  | { admitted: true; evicted?: T }
  | { admitted: false };

export class RadSecAdmission<T extends AdmittedConnection> {
  private readonly byAddress = new Map<string, AddressShare>();
  private readonly admitted = new Set<AdmittedConnection>();
  /** Prefixes whose connections authenticated, in insertion order. */
  private readonly known = new Set<string>();

  constructor(private readonly limits: AdmissionLimits) {}

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
      evicted = this.displaceable() as T | undefined;
      if (evicted === undefined) return { admitted: false };
      this.forget(evicted);
    }
    const own = this.byAddress.get(connection.address) ?? { count: 0, handshaking: new Set() };
    this.byAddress.set(connection.address, own);
    own.count++;
    own.handshaking.add(connection);
    this.admitted.add(connection);
    return evicted === undefined ? { admitted: true } : { admitted: true, evicted };
  }

  /** Its handshake finished: from now on it is never displaced, and its prefix may use the
   *  reserved slots. */
  authenticated(connection: T): void {
    this.byAddress.get(connection.address)?.handshaking.delete(connection);
    const prefix = prefixOf(connection.address);
    this.known.delete(prefix);
    this.known.add(prefix);
    if (this.known.size > REMEMBERED_PREFIXES) this.known.delete(this.known.values().next().value as string);
  }

  /** The total a newcomer from `address` may fill: all of it for a prefix that authenticated
   *  before, less the reserve for the rest. */
  private capFor(address: string): number {
    const max = this.limits.maxConnections;
    if (this.known.has(prefixOf(address))) return max;
    return max - Math.min(RESERVED_FOR_KNOWN, Math.floor(max / 16));
  }

  /** It closed (or was displaced); idempotent. */
  forget(connection: T): void {
    if (!this.admitted.delete(connection)) return;
    const share = this.byAddress.get(connection.address)!;
    share.handshaking.delete(connection);
    if (--share.count === 0) this.byAddress.delete(connection.address);
  }

  /** The handshaking connection to displace: the lowest rank first (nothing sent, then a
   *  ClientHello sent, each from a prefix never authenticated before one that was), within it the
   *  oldest of the prefix holding the most of that rank. */
  private displaceable(): AdmittedConnection | undefined {
    const byRank: Array<Map<string, AdmittedConnection[]>> = [new Map(), new Map(), new Map(), new Map()];
    for (const share of this.byAddress.values()) {
      for (const connection of share.handshaking) {
        const prefix = prefixOf(connection.address);
        const rank = (connection.helloSent() ? 1 : 0) + (this.known.has(prefix) ? 2 : 0);
        const list = byRank[rank].get(prefix) ?? [];
        list.push(connection);
        byRank[rank].set(prefix, list);
      }
    }
    for (const prefixes of byRank) {
      let chosen: AdmittedConnection[] | undefined;
      for (const list of prefixes.values()) {
        if (!chosen || list.length > chosen.length ||
          (list.length === chosen.length && oldest(list).sequence < oldest(chosen).sequence)) chosen = list;
      }
      if (chosen) return oldest(chosen);
    }
    return undefined;
  }
}

function oldest(list: AdmittedConnection[]): AdmittedConnection {
  return list.reduce((first, connection) => (connection.sequence < first.sequence ? connection : first));
}
