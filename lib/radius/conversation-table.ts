/**
 * The live conversations of a RadiusServer, with each NAS client's fair share of two caps: one on
 * every conversation, and a lower one on the conversations of a TLS method (EAP-TLS, PEAP, TTLS),
 * which each hold a TLS session: ≈ 26 KB against a few hundred bytes for the others.
 *
 * A single client (one source address) flooding half-open conversations must not evict everyone
 * else's: when a cap is reached, a client under its share takes the room from the client holding
 * the most conversations, and a client at its share can only evict its own oldest idle one.
 */

export interface TableEntry {
  key: string;
  /** The NAS client's canonical source address. */
  client: string;
  /** A step is running; a busy conversation is never evicted. */
  busy: boolean;
}

/** No client's share falls below this many conversations (or the cap, when smaller), however many
 *  clients are active: a NAS that relays a few users at a time always has room for them. */
const SHARE_FLOOR = 32;

/** One cap and its shares: every conversation, or only those of a TLS method. */
class FairShareTable<T extends TableEntry> {
  /** Every conversation, least recently active first (touch() moves one to the end). */
  private readonly all = new Map<string, T>();
  /** The same conversations grouped per client, in the same order within each client. */
  private readonly byClient = new Map<string, Map<string, T>>();

  constructor(private readonly cap: number) {}

  get size(): number {
    return this.all.size;
  }

  get(key: string): T | undefined {
    return this.all.get(key);
  }

  values(): IterableIterator<T> {
    return this.all.values();
  }

  add(entry: T): void {
    this.all.set(entry.key, entry);
    let own = this.byClient.get(entry.client);
    if (!own) {
      own = new Map();
      this.byClient.set(entry.client, own);
    }
    own.set(entry.key, entry);
  }

  /** Removes the entry if it is still the one under its key; true when it was. */
  delete(entry: T): boolean {
    return this.remove(entry);
  }

  /** Moves the entry to the most recently active end, keeping eviction O(1) in the common case. */
  touch(entry: T): void {
    if (!this.remove(entry)) return;
    this.add(entry);
  }

  // What delete() does, for this table's own steps: a subclass that widens delete() to more
  // tables (ConversationTable) must not have them run when this one reorders or evicts.
  private remove(entry: T): boolean {
    if (this.all.get(entry.key) !== entry) return false;
    this.all.delete(entry.key);
    const own = this.byClient.get(entry.client);
    own?.delete(entry.key);
    // An emptied client leaves the count of active clients, so the others' shares grow back.
    if (own && own.size === 0) this.byClient.delete(entry.client);
    return true;
  }

  /** How many conversations `client` may hold while the table is full. */
  shareOf(client: string): number {
    const clients = this.byClient.size + (this.byClient.has(client) ? 0 : 1);
    return Math.max(Math.ceil(this.cap / clients), Math.min(SHARE_FLOOR, this.cap));
  }

  /**
   * Makes room for a new conversation of `client`: returns the idle entries to close (already
   * removed), or undefined when there is no room (every candidate is busy).
   */
  makeRoomFor(client: string): T[] | undefined {
    const own = this.byClient.get(client);
    const evicted: T[] = [];
    if (own && own.size >= this.shareOf(client)) {
      // At its share, a client makes room only at its own expense.
      const victim = oldestIdle(own.values());
      if (!victim) return undefined;
      this.remove(victim);
      evicted.push(victim);
      return evicted;
    }
    if (this.all.size < this.cap) return evicted;
    // Full, and this client is under its share: the largest holder gives up its oldest idle one.
    const holders = [...this.byClient.entries()].filter(([name]) => name !== client)
      .sort((a, b) => b[1].size - a[1].size);
    for (const [, conversations] of holders) {
      const victim = oldestIdle(conversations.values());
      if (victim) {
        this.remove(victim);
        evicted.push(victim);
        return evicted;
      }
    }
    const fallback = own ? oldestIdle(own.values()) : undefined;
    if (!fallback) return undefined;
    this.remove(fallback);
    evicted.push(fallback);
    return evicted;
  }

  /** Empties the table, handing back what it held. */
  drain(): T[] {
    const entries = [...this.all.values()];
    this.all.clear();
    this.byClient.clear();
    return entries;
  }
}

/** Every live conversation under `cap` (this table), and those that hold a TLS session under
 *  `tlsCap` too (a second table within it). */
export class ConversationTable<T extends TableEntry> extends FairShareTable<T> {
  private readonly tls: FairShareTable<T>;

  constructor(cap: number, tlsCap: number = cap) {
    super(cap);
    this.tls = new FairShareTable<T>(Math.min(tlsCap, cap));
  }

  /** Conversations of a TLS method. */
  get tlsSize(): number {
    return this.tls.size;
  }

  isTls(entry: T): boolean {
    return this.tls.get(entry.key) === entry;
  }

  /** Removes the entry (from both caps) if it is still the one under its key; true when it was. */
  override delete(entry: T): boolean {
    this.tls.delete(entry);
    return super.delete(entry);
  }

  override touch(entry: T): void {
    this.tls.touch(entry);
    super.touch(entry);
  }

  /** Room for a new conversation of `client`: the idle entries to close (already removed from
   *  both caps), or undefined when every candidate is busy. */
  override makeRoomFor(client: string): T[] | undefined {
    const evicted = super.makeRoomFor(client);
    for (const entry of evicted ?? []) this.tls.delete(entry);
    return evicted;
  }

  /**
   * Counts `entry` (already in the table) under the TLS cap from its first TLS message on:
   * the idle TLS conversations to close to make room (removed from both caps), or undefined
   * when every candidate is busy and the entry is not counted.
   */
  startTls(entry: T): T[] | undefined {
    if (this.isTls(entry)) return [];
    const evicted = this.tls.makeRoomFor(entry.client);
    for (const other of evicted ?? []) super.delete(other);
    if (evicted) this.tls.add(entry);
    return evicted;
  }

  /** Empties the table, handing back what it held. */
  override drain(): T[] {
    this.tls.drain();
    return super.drain();
  }
}

function oldestIdle<T extends TableEntry>(entries: IterableIterator<T>): T | undefined {
  for (const entry of entries) if (!entry.busy) return entry;
  return undefined;
}
