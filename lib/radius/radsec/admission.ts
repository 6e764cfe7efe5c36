/**
 * Who may hold one of the RadSec listener's connections: the face of the admission RadSec over
 * TCP and RADIUS/DTLS share, native (native/radius/io/radius_admission.h says how it decides:
 * caps in total and per address, progress ranks, known prefixes, wide prefixes, the oldest first
 * among equals). A TCP connection costs a descriptor before it proves anything; at a cap the
 * newcomer takes the place of a connection that has not finished its TLS handshake, or is
 * refused. Here: the connections by their number, what each has read and written (told to the
 * native side only when it may rank them, at most every PROGRESS_TOLD_MS), and the prefixes
 * whose connections authenticated (`knownPrefixes`, `onKnownPrefix`) so a listener started
 * again knows its NASes; the prefixes of the configured client networks (`clientNetworks`)
 * rank so from the start. Pure bookkeeping: the listener closes what admit() names.
 */
import { binding } from '../../native';
import type { NativeRadsecAdmission } from '../../native';

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
  /** Prefixes (as isPrefix() takes them) whose connections authenticated before: a saved list. */
  knownPrefixes?: Iterable<string>;
  /** The networks the server is configured to answer (its clients, its allowed addresses, its PSK
   *  clients' networks): the prefixes each covers (its /24s or /56s, none for one wider than 256
   *  of them) are known from the first moment, and for good, so a NAS that never authenticated
   *  since the server started still ranks as known. */
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
 *  and goes first (radius_admission.h's kStalledAfterUs). */
export const STALLED_AFTER_MS = 1000;
/** Prefixes that authenticated, remembered (radius_admission.h's kRememberedPrefixes). */
export const REMEMBERED_PREFIXES = 4096;

/** How often, at most, the connections' byte counts are told to the native side while at a cap:
 *  telling every connection's at every arrival is what a flood of a thousand connections a second
 *  would make the server do (two hundred of them each time), and a rank moves in seconds
 *  (STALLED_AFTER_MS), not in milliseconds. */
const PROGRESS_TOLD_MS = 25;

/** A prefix as the admission writes it: /24 of IPv4 ("192.0.2.0/24"), /56 of IPv6
 *  ("2001:db8:0:100::/56"); a saved list is read back through this. */
export function isPrefix(text: string): boolean {
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.0\/24$/.test(text)) return text.split('.').slice(0, 3).every((part) => Number(part) <= 255);
  return /^[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){3}::\/56$/.test(text);
}

export type Admission<T extends AdmittedConnection> =
  | { admitted: true; evicted?: T }
  | { admitted: false };

export class RadSecAdmission<T extends AdmittedConnection> {
  private readonly native: NativeRadsecAdmission;
  /** Every connection held, by its number (its sequence). */
  private readonly held = new Map<number, T>();
  /** Those still handshaking, with the byte counts last told. */
  private readonly handshaking = new Map<T, { read: number; written: number }>();
  private told = -Infinity;
  private readonly now: () => number;

  constructor(private readonly limits: AdmissionLimits, private readonly options: AdmissionOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.native = binding.radsecAdmissionOpen({
      maxConnections: limits.maxConnections, maxConnectionsPerAddress: limits.maxConnectionsPerAddress,
      knownPrefixes: [...options.knownPrefixes ?? []].filter(isPrefix), clientNetworks: [...options.clientNetworks ?? []],
    });
  }

  /** The prefixes known now, the oldest first (what a saved list holds). */
  knownPrefixes(): string[] {
    return this.native.knownPrefixes();
  }

  get connections(): number {
    return this.held.size;
  }

  /** Takes `connection` in, naming the connection it displaced (already forgotten here), or refuses it. */
  admit(connection: T): Admission<T> {
    const now = this.now();
    // At a cap the native side ranks the handshakes by what they did: it is told what changed.
    if (this.held.size + 1 >= this.limits.maxConnections - Math.min(8, Math.floor(this.limits.maxConnections / 16)) &&
      now - this.told >= PROGRESS_TOLD_MS) {
      this.told = now;
      for (const [held, last] of this.handshaking) {
        const { read, written } = held.bytes();
        if (read === last.read && written === last.written) continue;
        last.read = read;
        last.written = written;
        this.native.progress({ slot: held.sequence, read, written });
      }
    }
    const evicted = this.native.admit({ slot: connection.sequence, address: connection.address, nowMs: now });
    if (evicted === -1) return { admitted: false };
    this.held.set(connection.sequence, connection);
    // First told as nothing read or written: the native side's own start.
    this.handshaking.set(connection, { read: 0, written: 0 });
    const { read, written } = connection.bytes();
    if (read !== 0 || written !== 0) {
      this.handshaking.set(connection, { read, written });
      this.native.progress({ slot: connection.sequence, read, written });
    }
    if (evicted === 0) return { admitted: true };
    const gone = this.held.get(evicted)!;
    this.held.delete(evicted);
    this.handshaking.delete(gone);
    return { admitted: true, evicted: gone };
  }

  /** Its handshake finished: from now on it is never displaced, and its prefix may use the
   *  reserved slots. */
  authenticated(connection: T): void {
    this.handshaking.delete(connection);
    const prefix = this.native.authenticated({ slot: connection.sequence });
    if (prefix !== '') this.options.onKnownPrefix?.(prefix);
  }

  /** Whether `address`'s prefix authenticated before or is of a configured client network. */
  isKnown(address: string): boolean {
    return this.native.isKnown({ address });
  }

  /** It closed (or was displaced); idempotent. */
  forget(connection: T): void {
    if (this.held.get(connection.sequence) !== connection) return;
    this.held.delete(connection.sequence);
    this.handshaking.delete(connection);
    this.native.forget({ slot: connection.sequence });
  }
}
