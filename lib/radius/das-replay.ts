/**
 * The Dynamic Authorization Server's memory of the requests it took, against retransmission
 * (RFC 5080 §2.2.2) and replay (RFC 5176 §3.5), and the Event-Timestamp check that bounds it. A
 * request is kept until its Event-Timestamp can no longer pass the check, behind or ahead of our
 * clock, so bytes that would pass again are never forgotten while they would. It never decides
 * what a request does: das-server.ts answers from what it finds here.
 */
import { RadiusAttributeType as T } from './constants';
import type { RadiusAttribute } from './packet';

export interface RememberedRequest {
  /** By our clock, when the same bytes stop passing the Event-Timestamp check. */
  until: number;
  /** The answer, once there is one (undefined while the owner works on it: a retransmission then waits). */
  reply?: Buffer;
}

export class DasReplayMemory {
  private readonly entries = new Map<string, RememberedRequest>();

  constructor(private readonly windowMs: number, private readonly size: number, private readonly requireEventTimestamp: boolean) {}

  /**
   * Until when (by our clock) a request's Event-Timestamp stays within the window (RFC 5176 §3.5),
   * or undefined when it is outside it now. An Event-Timestamp up to a window ahead of our clock
   * passes, so the same bytes pass until a window after their timestamp, not after their arrival.
   * Without one (when none is required): a window from now, all a bounded memory can promise.
   */
  timelyUntil(attributes: readonly RadiusAttribute[], now: number): number | undefined {
    const stamps = attributes.filter((attribute) => attribute.type === T.EventTimestamp);
    if (stamps.length === 0) return this.requireEventTimestamp ? undefined : now + this.windowMs;
    if (stamps.length !== 1 || stamps[0].value.length !== 4) return undefined;
    // In whole seconds, as hostapd's DAS compares: timely while our second is at most stamp + window.
    const stamp = stamps[0].value.readUInt32BE(0);
    const window = this.windowMs / 1000;
    if (Math.abs(Math.floor(now / 1000) - stamp) > window) return undefined;
    return (stamp + window + 1) * 1000;
  }

  /** The request remembered under `key`, while it could still pass. */
  find(key: string, now: number): RememberedRequest | undefined {
    const found = this.entries.get(key);
    return found && now < found.until ? found : undefined;
  }

  /** Remembers a request until `until`. A full memory first forgets what can no longer pass, then
   *  the oldest arrivals (a Map keeps insertion order). */
  remember(key: string, until: number, now: number): RememberedRequest {
    if (this.entries.size >= this.size) {
      for (const [old, entry] of this.entries) if (entry.until <= now) this.entries.delete(old);
      for (const old of this.entries.keys()) {
        if (this.entries.size < this.size) break;
        this.entries.delete(old);
      }
    }
    const entry: RememberedRequest = { until };
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  clear(): void {
    this.entries.clear();
  }
}
