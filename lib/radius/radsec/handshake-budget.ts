/**
 * When the RadSec listener starts the TLS handshake of an admitted connection whose prefix never
 * authenticated: the face of the budget RadSec over TCP and RADIUS/DTLS share, native
 * (native/radius/io/radius_admission.h's HandshakeBudget says how it decides: a token bucket of
 * UNKNOWN_HANDSHAKES_PER_SECOND, the least recently started wide prefix first). Such connections
 * wait here, unread, until their turn; connections of known prefixes do not wait. A waiting
 * connection sent nothing the server read: the admission's ranking (admission.ts) displaces it
 * before one whose handshake moves. Here: the connections by their number, and the timer of the
 * next turn.
 */
import { binding } from '../../native';
import type { NativeRadsecBudget } from '../../native';

/** TLS handshakes started a second for connections of prefixes never authenticated
 *  (radius_admission.h's kUnknownHandshakesPerSecond). */
export const UNKNOWN_HANDSHAKES_PER_SECOND = 64;
/** At most this many of them at once after a quiet spell (kUnknownHandshakeBurst). */
export const UNKNOWN_HANDSHAKE_BURST = 16;

export interface WaitingConnection {
  readonly address: string;
  /** Order of arrival: the smallest is the oldest. */
  readonly sequence: number;
}

export class HandshakeBudget<T extends WaitingConnection> {
  private readonly native: NativeRadsecBudget;
  /** Connections waiting, by their number. */
  private readonly waiting = new Map<number, T>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly start: (connection: T) => void, perSecond = UNKNOWN_HANDSHAKES_PER_SECOND,
    burst = UNKNOWN_HANDSHAKE_BURST, private readonly now: () => number = () => performance.now()) {
    this.native = binding.radsecBudgetOpen({ perSecond, burst });
  }

  /** Connections waiting now. */
  get size(): number {
    return this.waiting.size;
  }

  /** `connection` waits for its turn (which may be now: start() is then called before this returns). */
  offer(connection: T): void {
    this.waiting.set(connection.sequence, connection);
    this.native.offer({ slot: connection.sequence, address: connection.address });
    this.pump();
  }

  /** It closed (or was displaced) while waiting; idempotent. */
  withdraw(connection: T): void {
    if (this.waiting.get(connection.sequence) !== connection) return;
    this.waiting.delete(connection.sequence);
    this.native.withdraw({ slot: connection.sequence });
  }

  /** Nothing waits any more and no turn is scheduled (the listener closes). */
  clear(): void {
    this.waiting.clear();
    this.native.clear();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    const now = this.now();
    for (const slot of this.native.due({ nowMs: now })) {
      const connection = this.waiting.get(slot);
      this.waiting.delete(slot);
      if (connection !== undefined) this.start(connection);
    }
    const next = this.native.nextMs();
    if (this.timer === undefined && next >= 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, Math.max(1, Math.ceil(next - now))).unref();
    }
  }
}
