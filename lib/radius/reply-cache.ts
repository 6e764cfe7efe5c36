/**
 * Duplicate detection for the server (RFC 5080 §2.2.2). A client retransmits the identical
 * request when our reply was lost; it must get the identical reply back, not a second pass
 * through the EAP state machine (which would advance the conversation twice). The key is the
 * client's address, port and identifier; the Request Authenticator tells a retransmission from
 * a new request that reuses the identifier.
 */
interface CachedReply {
  requestAuthenticator: Buffer;
  /** Undefined while the request is still being processed: duplicates then are dropped. */
  reply: Buffer | undefined;
  expires: number;
}

export type DuplicateVerdict = { kind: 'new' } | { kind: 'in-progress' } | { kind: 'replay'; reply: Buffer };

export class ReplyCache {
  private readonly entries = new Map<string, CachedReply>();

  constructor(private readonly lifetimeMs: number) {}

  /** Classifies a request and, when new, marks it in progress. */
  check(key: string, requestAuthenticator: Buffer, now = Date.now()): DuplicateVerdict {
    const entry = this.entries.get(key);
    if (entry && entry.expires > now && entry.requestAuthenticator.equals(requestAuthenticator)) {
      return entry.reply ? { kind: 'replay', reply: entry.reply } : { kind: 'in-progress' };
    }
    this.entries.set(key, { requestAuthenticator, reply: undefined, expires: now + this.lifetimeMs });
    return { kind: 'new' };
  }

  store(key: string, requestAuthenticator: Buffer, reply: Buffer, now = Date.now()): void {
    const entry = this.entries.get(key);
    if (entry && entry.requestAuthenticator.equals(requestAuthenticator)) {
      entry.reply = reply;
      entry.expires = now + this.lifetimeMs;
    }
  }

  /** Forgets a request whose processing was abandoned, so that a retransmission is processed. */
  forget(key: string, requestAuthenticator: Buffer): void {
    const entry = this.entries.get(key);
    if (entry && entry.requestAuthenticator.equals(requestAuthenticator)) this.entries.delete(key);
  }

  sweep(now = Date.now()): void {
    for (const [key, entry] of this.entries) {
      if (entry.expires <= now) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
