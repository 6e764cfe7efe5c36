/**
 * Which Accounting-Requests are retries of one already taken. A NAS that gets no answer resends;
 * one that updates Acct-Delay-Time must give the retry a new Identifier (RFC 5080 §2.2.1), so the
 * engine's reply cache cannot know it, and only the content can: the same attributes but
 * Acct-Delay-Time (the event's content key). Content alone is not enough: a session its NAS
 * restarts sends the very Start it sent before, and a NAS that names no time sends the same
 * Interim-Update twice. So a request repeats another only when it came from the same session since
 * that session last stopped (or its NAS said Accounting-On or -Off), and within RETRY_WINDOW_MS:
 * it gets the key of the one it repeats, and the store, which keeps each key once, records it
 * once. Any other gets a key of its own. What is followed is bounded: past MAX_SESSIONS_KEPT
 * sessions the one longest unheard is forgotten (counted in `forgotten`; a retry of it is taken as
 * new), past MAX_KEYS_PER_SESSION requests of one session its oldest. What a server followed is
 * in its store too, each request's key beside what it was told by: restore() reads the last
 * RETRY_WINDOW_MS back when serve starts, so a retry of a request recorded before a restart (its
 * answer lost with the process) is still the request it repeats.
 */
import type { AccountingEvent } from './event';
import { STATUS } from './event';
import type { RecordedRequest } from './schema';

/** What telling a retry apart reads of a request. */
type Heard = Pick<AccountingEvent, 'key' | 'nas' | 'sessionId' | 'statusType' | 'eventTime' | 'receivedAt'>;

/** Longer than a NAS retries one request (RFC 5080 §2.2.1 suggests giving up within a minute or so). */
export const RETRY_WINDOW_MS = 5 * 60_000;
/** Sessions followed at once (~560 bytes each: 18 MB), more than a NAS fleet begins in a window. */
export const MAX_SESSIONS_KEPT = 32_768;
/** Requests of one session remembered since it last stopped: a NAS sends a Start, then Interim-Updates. */
const MAX_KEYS_PER_SESSION = 64;

interface Followed {
  /** When it was last heard. */
  at: number;
  /** The content keys of its requests since it last stopped, each with what the key it was given adds. */
  keys: Map<string, string>;
  /** When its last Stop says it stopped. */
  stoppedAt?: number;
}

export class AccountingRetries {
  private readonly sessions = new Map<string, Followed>();
  /** Sessions forgotten because MAX_SESSIONS_KEPT were followed. */
  forgotten = 0;
  private given = 0;

  constructor(private readonly maxSessions = MAX_SESSIONS_KEPT, private readonly windowMs = RETRY_WINDOW_MS) {}

  /** Sessions followed now. */
  get size(): number {
    return this.sessions.size;
  }

  /** The key `event` is recorded by (its content key is replaced): a retry's that of what it repeats. */
  keyOf(event: AccountingEvent): string {
    return this.follow(event);
  }

  /**
   * Follows again what the store recorded (its requests of the last RETRY_WINDOW_MS, oldest first),
   * as keyOf followed them when they came: each with the key it was given. A key not made here is passed over.
   */
  restore(recorded: Iterable<RecordedRequest>): void {
    for (const request of recorded) {
      // The content key is hex; what follows the first '-' is what keyOf added.
      const dash = request.eventKey.indexOf('-');
      if (dash <= 0 || dash === request.eventKey.length - 1) continue;
      this.follow({ ...request, key: request.eventKey.slice(0, dash) }, request.eventKey.slice(dash + 1));
    }
  }

  /** keyOf's work; `recorded`: the tail the store holds for it (restore). */
  private follow(event: Heard, recorded?: string): string {
    const now = event.receivedAt;
    for (const [name, followed] of this.sessions) {
      if (now - followed.at < this.windowMs) break;
      this.sessions.delete(name);
    }
    if (event.statusType === STATUS.on || event.statusType === STATUS.off) {
      // The NAS restarted or stops: what its sessions sent before is over.
      for (const name of this.sessions.keys()) if (name.startsWith(`${event.nas}\0`) && name !== `${event.nas}\0`) this.sessions.delete(name);
    }
    const name = `${event.nas}\0${event.sessionId ?? ''}`;
    let followed = this.sessions.get(name);
    if (followed === undefined) {
      if (this.sessions.size >= this.maxSessions) {
        this.sessions.delete(this.sessions.keys().next().value!);
        this.forgotten++;
      }
      followed = { at: now, keys: new Map() };
    } else {
      // Heard again: last in the map's order, which is the order of last hearing.
      this.sessions.delete(name);
    }
    followed.at = now;
    this.sessions.set(name, followed);
    // A request from before the last Stop (a Start retried late) is not the restart its content
    // might be: its retries are told apart from a restart's.
    const before = event.statusType !== STATUS.stop && followed.stoppedAt !== undefined && event.eventTime <= followed.stoppedAt;
    const content = before ? `before-stop:${event.key}` : event.key;
    let tail = followed.keys.get(content);
    if (tail === undefined) {
      tail = recorded ?? `${now.toString(36)}-${(this.given++).toString(36)}`;
      if (event.statusType === STATUS.stop) {
        followed.keys.clear();
        followed.stoppedAt = event.eventTime;
      }
      if (followed.keys.size >= MAX_KEYS_PER_SESSION) followed.keys.delete(followed.keys.keys().next().value!);
      followed.keys.set(content, tail);
    }
    return `${event.key}-${tail}`;
  }
}
