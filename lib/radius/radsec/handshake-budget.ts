/**
 * When the RadSec listener starts the TLS handshake of an admitted connection whose prefix never
 * authenticated. Reading a ClientHello makes the server compute and send its whole flight (a key
 * share and a signature with its certificate's key, a millisecond or more of the one thread that
 * also serves every NAS), and a ClientHello costs its sender one packet: admitted freely, a churn of
 * them spends the server's CPU at whatever rate it likes, and a NAS's handshake waits behind that
 * work. So such connections wait, unread, until the budget (UNKNOWN_HANDSHAKES_PER_SECOND, a token
 * bucket) lets one start; the next to start is the oldest of the wide prefix (/16, /32) that had a
 * handshake started least recently, so a NAS alone in its network goes before a churn's many
 * networks, each of which had one a moment ago. Connections of known prefixes do not wait here.
 * A waiting connection sent nothing the server read: the admission's ranking (admission.ts)
 * displaces it before one whose handshake moves.
 */
import { widePrefixOf } from './admission';

/** TLS handshakes started a second for connections of prefixes never authenticated: what a flood
 *  of ClientHellos can make the server sign, whatever its rate. */
export const UNKNOWN_HANDSHAKES_PER_SECOND = 64;
/** At most this many of them at once after a quiet spell. */
export const UNKNOWN_HANDSHAKE_BURST = 16;
/** Wide prefixes whose last start is remembered (the least recent forgotten first). */
const REMEMBERED_WIDE_PREFIXES = 4096;

export interface WaitingConnection {
  readonly address: string;
  /** Order of arrival: the smallest is the oldest. */
  readonly sequence: number;
}

export class HandshakeBudget<T extends WaitingConnection> {
  private tokens: number;
  private refilled: number;
  /** Connections waiting, by wide prefix, oldest first. */
  private readonly waiting = new Map<string, Set<T>>();
  /** Wide prefixes with the number of their last start, least recent first (a Map keeps insertion order). */
  private readonly started = new Map<string, number>();
  private starts = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly start: (connection: T) => void, private readonly perSecond = UNKNOWN_HANDSHAKES_PER_SECOND,
    private readonly burst = UNKNOWN_HANDSHAKE_BURST, private readonly now: () => number = () => performance.now()) {
    this.tokens = burst;
    this.refilled = now();
  }

  /** Connections waiting now. */
  get size(): number {
    let count = 0;
    for (const queue of this.waiting.values()) count += queue.size;
    return count;
  }

  /** `connection` waits for its turn (which may be now: start() is then called before this returns). */
  offer(connection: T): void {
    const wide = widePrefixOf(connection.address);
    const queue = this.waiting.get(wide) ?? new Set<T>();
    queue.add(connection);
    this.waiting.set(wide, queue);
    this.pump();
  }

  /** It closed (or was displaced) while waiting; idempotent. */
  withdraw(connection: T): void {
    const wide = widePrefixOf(connection.address);
    const queue = this.waiting.get(wide);
    if (queue?.delete(connection) && queue.size === 0) this.waiting.delete(wide);
  }

  /** Nothing waits any more and no turn is scheduled (the listener closes). */
  clear(): void {
    this.waiting.clear();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private pump(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilled) * this.perSecond) / 1000);
    this.refilled = now;
    while (this.tokens >= 1) {
      const next = this.next();
      if (next === undefined) return;
      this.tokens -= 1;
      this.start(next);
    }
    if (this.timer === undefined && this.waiting.size > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, Math.ceil(((1 - this.tokens) * 1000) / this.perSecond)).unref();
    }
  }

  /** The oldest waiting connection of the wide prefix whose last start is the least recent (never
   *  started first), taken out of the queue and its prefix marked as started now. */
  private next(): T | undefined {
    let chosen: string | undefined;
    let chosenOrder = Infinity;
    let chosenOldest = Infinity;
    for (const [wide, queue] of this.waiting) {
      const last = this.started.get(wide) ?? -1;
      const oldest = (queue.values().next().value as T).sequence;
      if (last < chosenOrder || (last === chosenOrder && oldest < chosenOldest)) {
        chosen = wide;
        chosenOrder = last;
        chosenOldest = oldest;
      }
    }
    if (chosen === undefined) return undefined;
    const queue = this.waiting.get(chosen)!;
    const connection = queue.values().next().value as T;
    this.withdraw(connection);
    this.started.delete(chosen);
    this.started.set(chosen, ++this.starts);
    if (this.started.size > REMEMBERED_WIDE_PREFIXES) this.started.delete(this.started.keys().next().value as string);
    return connection;
  }
}
