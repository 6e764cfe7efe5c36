/**
 * Dynamic discovery of a realm's home servers (RFC 7585) behind a bounded cache: what a RADIUS
 * proxy asks for a realm it has no route for. Answers are kept for their lifetime, failures for a
 * negative TTL, at most `maxEntries` realms (the least recently asked dropped first), and the
 * requests of one realm that arrive while its lookup is under way wait for that one lookup.
 *
 * node:dns reads no TTL of a NAPTR or SRV record (its resolveNaptr, resolveSrv and resolveAny give
 * none), only those of A and AAAA records: an answer is kept for the shortest of its addresses'
 * TTLs and `maxAnswerTtlMs` (5 minutes by default), so a zone's change of NAPTR or SRV records is
 * seen within that bound. Nor does it show the SOA of a negative answer (RFC 2308 §5): a failure
 * is kept for `negativeTtlMs` (60 s by default), whatever the zone's SOA minimum says.
 */
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { RadiusDiscoveryError, RadiusDiscoveryReason } from './errors';
import { DiscoveredTarget, DiscoveryAnswer, lookUpRealm, RadiusDiscoveryTransport, weightedOrder } from './lookup';
import { discoveryRealm } from './realm';

export { RADIUS_DISCOVERY_REASONS, RadiusDiscoveryError } from './errors';
export type { RadiusDiscoveryReason } from './errors';
export type { RadiusDiscoveryTransport } from './lookup';

export interface RadiusDiscoveryOptions {
  /** The DNS servers asked, each an IP address with an optional port (`192.0.2.53`, `127.0.0.1:5353`,
   *  `[2001:db8::53]:53`); by default the system's (/etc/resolv.conf, or Windows' own). */
  dnsServers?: string[];
  /** The most one discovery (every query it makes) may take, ms: 2000 by default, 100 to 30000. */
  timeoutMs?: number;
  /** The most an answer is kept, ms: 300000 by default (NAPTR and SRV TTLs cannot be read: see above), 0 keeps none. */
  maxAnswerTtlMs?: number;
  /** How long a failure is kept, ms: 60000 by default, 0 keeps none. */
  negativeTtlMs?: number;
  /** The most realms kept, answers and failures together: 10000 by default. */
  maxEntries?: number;
  /** The most lookups under way at once (distinct realms): 256 by default; past it a realm not already being looked up fails `busy`. */
  maxLookups?: number;
  /** The transports a home server may be reached over: both by default. */
  transports?: RadiusDiscoveryTransport[];
}

/** One way to a home server, in the order a proxy tries them: one SRV target (lookup.ts) at one of its addresses. */
export type RadiusHomeCandidate = Omit<DiscoveredTarget, 'addresses'> & {
  /** One of its addresses (IPv4 ones first). */
  address: string;
  family: 4 | 6;
  /**
   * What the home server's certificate may be matched against (RFC 7585 §3.4.3, the NAIRealm of §2.3): a
   * subjectAltName otherName NAIRealm equal to the realm (or a `*.` wildcard covering it), which
   * binds the certificate to the realm itself; or a dNSName equal to the SRV target, which is only
   * as trustworthy as the DNS answers that named it (node:dns does not validate DNSSEC).
   */
  certificateNames: { naiRealm: string; dnsName: string };
};

export interface RadiusDiscoveryResult {
  /** The realm as looked up: lower case, in A-labels. */
  realm: string;
  /** At least one. */
  candidates: RadiusHomeCandidate[];
  /** Answered from the cache, without a query. */
  cached: boolean;
  /** How long the answer is kept from now, ms (0: it was not kept). */
  expiresInMs: number;
}

export interface RadiusDiscoveryStats {
  /** Discoveries answered from the cache (answers and failures). */
  hits: number;
  /** Discoveries that started a lookup. */
  misses: number;
  /** Discoveries that waited for a lookup of the same realm already under way. */
  coalesced: number;
  /** Discoveries that failed, by reason (a failure answered from the cache counts again). */
  failures: Partial<Record<RadiusDiscoveryReason, number>>;
  /** Realms kept now (answers and failures). */
  entries: number;
  /** Lookups under way now. */
  lookups: number;
}

interface Entry {
  expires: number;
  answer?: DiscoveryAnswer;
  error?: RadiusDiscoveryError;
}

function bounded(value: number | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}`);
  return value;
}

/** Discovers realms' home servers through one resolver and one cache; one per proxy. */
export class RadiusDiscovery {
  readonly #resolver: Resolver;
  readonly #timeoutMs: number;
  readonly #maxAnswerTtlMs: number;
  readonly #negativeTtlMs: number;
  readonly #maxEntries: number;
  readonly #maxLookups: number;
  readonly #transports: RadiusDiscoveryTransport[];
  readonly #cache = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<Entry>>();
  readonly #counts = { hits: 0, misses: 0, coalesced: 0 };
  readonly #failures: Partial<Record<RadiusDiscoveryReason, number>> = {};

  constructor(options: RadiusDiscoveryOptions = {}) {
    this.#timeoutMs = bounded(options.timeoutMs, 'timeoutMs', 2000, 100, 30_000);
    this.#maxAnswerTtlMs = bounded(options.maxAnswerTtlMs, 'maxAnswerTtlMs', 300_000, 0, 86_400_000);
    this.#negativeTtlMs = bounded(options.negativeTtlMs, 'negativeTtlMs', 60_000, 0, 86_400_000);
    this.#maxEntries = bounded(options.maxEntries, 'maxEntries', 10_000, 1, 1_000_000);
    this.#maxLookups = bounded(options.maxLookups, 'maxLookups', 256, 1, 65_536);
    const transports = options.transports ?? ['tls', 'dtls'];
    if (!Array.isArray(transports) || transports.length === 0 || transports.some((t) => t !== 'tls' && t !== 'dtls')) {
      throw new TypeError('transports must name "tls", "dtls" or both');
    }
    this.#transports = [...transports];
    // Two tries of half the bound each: one lost datagram is tried again, and the bound still ends the discovery.
    this.#resolver = new Resolver({ timeout: Math.ceil(this.#timeoutMs / 2), tries: 2 });
    if (options.dnsServers !== undefined) {
      if (!Array.isArray(options.dnsServers) || options.dnsServers.length === 0) throw new TypeError('dnsServers must be a non-empty array');
      this.#resolver.setServers(options.dnsServers);
    }
  }

  /** The DNS servers asked, as node:dns spells them (127.0.0.1:5353). */
  dnsServers(): string[] {
    return this.#resolver.getServers();
  }

  /**
   * The home servers of `realm` (what follows the last '@' of a User-Name), in the order to try
   * them; rejects with a RadiusDiscoveryError whose `reason` says why there is none and whose
   * message can be shown to the user (an Access-Reject's Reply-Message). Within `timeoutMs`.
   */
  async discover(realm: string): Promise<RadiusDiscoveryResult> {
    let name: string;
    try {
      name = discoveryRealm(realm);
    } catch (error) {
      if (error instanceof RadiusDiscoveryError) this.#failed(error.reason);
      throw error;
    }
    const now = performance.now();
    const kept = this.#cache.get(name);
    if (kept !== undefined && kept.expires > now) {
      // Least recently used goes first: a Map iterates in insertion order.
      this.#cache.delete(name);
      this.#cache.set(name, kept);
      this.#counts.hits++;
      return this.#answered(name, kept, true, now);
    }
    if (kept !== undefined) this.#cache.delete(name);
    let pending = this.#pending.get(name);
    if (pending !== undefined) {
      this.#counts.coalesced++;
    } else {
      if (this.#pending.size >= this.#maxLookups) {
        this.#failed('busy');
        throw new RadiusDiscoveryError('busy', name, `${this.#maxLookups} other realms are being looked up now`);
      }
      this.#counts.misses++;
      pending = this.#lookUp(name).finally(() => this.#pending.delete(name));
      this.#pending.set(name, pending);
    }
    return this.#answered(name, await pending, false, performance.now());
  }

  stats(): RadiusDiscoveryStats {
    return { ...this.#counts, failures: { ...this.#failures }, entries: this.#cache.size, lookups: this.#pending.size };
  }

  /**
   * The home server found for `realm` was refused (its certificate named neither its SRV target nor
   * the realm, RFC 7585 §2.3): the realm fails `cert-refused` for the negative TTL, answered from
   * the cache without a lookup, and counted as a failure.
   */
  refuse(realm: string, detail: string): void {
    const name = discoveryRealm(realm);
    this.#failed('cert-refused');
    if (this.#negativeTtlMs === 0) return;
    this.#cache.delete(name);
    this.#cache.set(name, { error: new RadiusDiscoveryError('cert-refused', name, detail), expires: performance.now() + this.#negativeTtlMs });
    this.#evict();
  }

  /** Forgets every kept answer and failure (lookups under way finish and are kept). */
  clear(): void {
    this.#cache.clear();
  }

  #failed(reason: RadiusDiscoveryReason): void {
    this.#failures[reason] = (this.#failures[reason] ?? 0) + 1;
  }

  #answered(realm: string, entry: Entry, cached: boolean, now: number): RadiusDiscoveryResult {
    if (entry.error !== undefined) {
      this.#failed(entry.error.reason);
      throw entry.error;
    }
    const candidates = weightedOrder((entry.answer as DiscoveryAnswer).targets).flatMap((target) => candidatesOf(realm, target));
    return { realm, candidates, cached, expiresInMs: Math.max(0, Math.round(entry.expires - now)) };
  }

  /** One lookup, bounded in time; its answer or failure kept (when its lifetime is above 0). */
  async #lookUp(name: string): Promise<Entry> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RadiusDiscoveryError('timeout', name, `the DNS did not answer within ${this.#timeoutMs} ms`)),
        this.#timeoutMs);
    });
    let entry: Entry;
    try {
      const answer = await Promise.race([lookUpRealm(this.#resolver, name, this.#transports, this.#timeoutMs), deadline]);
      entry = { answer, expires: performance.now() + Math.min(this.#maxAnswerTtlMs, answer.addressTtl * 1000) };
    } catch (error) {
      if (!(error instanceof RadiusDiscoveryError)) throw error;
      entry = { error, expires: performance.now() + this.#negativeTtlMs };
    } finally {
      clearTimeout(timer);
    }
    if (entry.expires > performance.now()) {
      this.#cache.set(name, entry);
      this.#evict();
    }
    return entry;
  }

  /** The least recently asked realms dropped past `maxEntries`. */
  #evict(): void {
    for (const oldest of this.#cache.keys()) {
      if (this.#cache.size <= this.#maxEntries) break;
      this.#cache.delete(oldest);
    }
  }
}

function candidatesOf(realm: string, target: DiscoveredTarget): RadiusHomeCandidate[] {
  const { addresses, host, ...found } = target;
  return addresses.map((address) => ({
    host, address, family: isIP(address) === 6 ? 6 : 4, ...found, certificateNames: { naiRealm: realm, dnsName: host },
  }));
}
