/**
 * Who may hold one of the RadSec listener's connections. A TCP connection costs a descriptor
 * before it proves anything, so connections are capped in total and per source address, and at a
 * cap the newcomer takes the place of a connection that has not finished its TLS handshake: the
 * oldest of its own address at the address cap, else the oldest of the address holding the most
 * such connections. A flood from one address therefore only ever displaces its own connections
 * while another address is handshaking, and a NAS that has authenticated is never displaced
 * (a newcomer finding only authenticated connections is refused instead). Pure bookkeeping: the
 * listener closes what admit() names.
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
}

interface AddressShare {
  count: number;
  /** Its connections still handshaking, oldest first (a Set keeps insertion order). */
  handshaking: Set<AdmittedConnection>;
}

export type Admission<T extends AdmittedConnection> =
  | { admitted: true; evicted?: T }
  | { admitted: false };

export class RadSecAdmission<T extends AdmittedConnection> {
  private readonly byAddress = new Map<string, AddressShare>();
  private readonly admitted = new Set<AdmittedConnection>();

  constructor(private readonly limits: AdmissionLimits) {}

  get connections(): number {
    return this.admitted.size;
  }

  /** Takes `connection` in, naming the connection it displaced (already forgotten here), or refuses it. */
  admit(connection: T): Admission<T> {
    const share = this.byAddress.get(connection.address);
    let evicted: T | undefined;
    if (share !== undefined && share.count >= this.limits.maxConnectionsPerAddress) {
      evicted = oldest(share) as T | undefined;
      if (evicted === undefined) return { admitted: false };
      this.forget(evicted);
    } else if (this.admitted.size >= this.limits.maxConnections) {
      evicted = this.oldestOfLargestShare() as T | undefined;
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

  /** Its handshake finished: from now on it is never displaced. */
  authenticated(connection: T): void {
    this.byAddress.get(connection.address)?.handshaking.delete(connection);
  }

  /** It closed (or was displaced); idempotent. */
  forget(connection: T): void {
    if (!this.admitted.delete(connection)) return;
    const share = this.byAddress.get(connection.address)!;
    share.handshaking.delete(connection);
    if (--share.count === 0) this.byAddress.delete(connection.address);
  }

  private oldestOfLargestShare(): AdmittedConnection | undefined {
    let chosen: AdmittedConnection | undefined;
    let most = 0;
    for (const share of this.byAddress.values()) {
      const first = oldest(share);
      if (first === undefined) continue;
      const size = share.handshaking.size;
      if (size > most || (size === most && chosen !== undefined && first.sequence < chosen.sequence)) {
        most = size;
        chosen = first;
      }
    }
    return chosen;
  }
}

function oldest(share: AddressShare): AdmittedConnection | undefined {
  return share.handshaking.values().next().value;
}
