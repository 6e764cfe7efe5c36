/**
 * A RadiusServer's dynamic discovery (RFC 7585, its `proxyDiscovery` option, serve --proxy-discover):
 * the engine asks for a realm no route names (RadiusEngineEvents.proxyDiscovers), RadiusDiscovery
 * answers from its cache or the DNS, and the first few homes found (RFC 7585 §3.4's order) are bound
 * to a realm's slot of discovery routes (RadSec over TLS or DTLS, as each candidate's service
 * says), each connection a RadSecClient as a radsec:// or dtls:// home's is, checked against the SRV
 * target or the realm's NAIRealm (RFC 7585 §2.3). The engine holds them as the realm's pool: the
 * first alive takes new requests, failover and health as a configured pool's. The forwarding is
 * the engine's, through those routes (native/radius/server/radius_proxy_discovery.cc): one path.
 */
import type { NativeRadiusEngine, RadiusEngineProxyDiscoveredArgs, RadiusProxyRoute } from '../native';
import { formatHostPort } from './endpoint';
import { RadiusDiscovery, RadiusDiscoveryError } from './discovery';
import type { RadiusHomeCandidate } from './discovery';
import { RADSEC_SECRET, radsecClientOver } from './radsec/client';
import type { RadSecClient, RadSecClientOptions } from './radsec/client';
import { RadSecCertificateError } from './errors';
import { RADSEC_DTLS_SECRET } from './radsec/dtls';

/** What a proxy's discovery needs: the discovery (its resolver and cache) and our RadSec identity. */
export interface RadiusProxyDiscovery {
  /** Its cache outlives the server (a reload keeps it). Its `transports` say which homes are followed: RADIUS/TLS, RADIUS/DTLS or both. */
  discovery: RadiusDiscovery;
  /** Our certificate, its key and the CA the discovered homes' certificates must chain to. */
  radsec: Pick<RadSecClientOptions, 'cert' | 'key' | 'passphrase' | 'ca' | 'statusServerAfterMs' | 'statusServerTimeoutMs' |
    'radiusVersion'>;
  /** The most realms whose discovered homes are held at once, 1 to 1024: 64 by default; past it the least recently bound one's are closed. */
  maxHomes?: number;
}

const DEFAULT_MAX_HOMES = 64;
const MAX_HOMES = 1024;
/** A realm's candidates bound at most (RFC 7585 §3.4's order): its pool, the first alive preferred. */
export const DISCOVERED_CANDIDATES = 4;
/** A home whose answer's lifetime ended this long ago and was not asked for since is closed. */
const IDLE_MS = 300_000;
const TRANSPORT_CODES = { tls: 1, dtls: 2 } as const;

/** The option checked: a TypeError or RangeError says what is wrong. */
export function checkProxyDiscovery(value: unknown): RadiusProxyDiscovery | undefined {
  if (value === undefined) return undefined;
  const given = (typeof value === 'object' && value !== null ? value : {}) as Partial<RadiusProxyDiscovery>;
  if (!(given.discovery instanceof RadiusDiscovery)) throw new TypeError('proxyDiscovery.discovery must be a RadiusDiscovery');
  const maxHomes = given.maxHomes ?? DEFAULT_MAX_HOMES;
  if (!Number.isInteger(maxHomes) || maxHomes < 1 || maxHomes > MAX_HOMES) {
    throw new RangeError(`proxyDiscovery.maxHomes must be a whole number from 1 to ${MAX_HOMES}`);
  }
  if (typeof given.radsec !== 'object' || given.radsec === null || given.radsec.cert === undefined ||
    given.radsec.key === undefined || given.radsec.ca === undefined) {
    throw new TypeError('proxyDiscovery.radsec must give a client cert, its key and a CA (discovered homes are not known in advance)');
  }
  return { discovery: given.discovery, radsec: { ...given.radsec }, maxHomes };
}

/** The engine's discovery routes: none bound; each realm's slot is DISCOVERED_CANDIDATES routes in a row, bound as discovery finds homes. */
export function discoveryRoutes(discovery: RadiusProxyDiscovery): RadiusProxyRoute[] {
  return Array.from({ length: (discovery.maxHomes ?? DEFAULT_MAX_HOMES) * DISCOVERED_CANDIDATES },
    () => ({ realm: '', url: '', address: '0.0.0.0', port: 0, transport: 1, discovery: true }));
}

/** One candidate bound to a discovery route, and its connection. */
interface Bound {
  candidate: RadiusHomeCandidate;
  client: RadSecClient;
  /** Its certificate was refused (cert-refused): once every candidate's is, the realm fails so. */
  refused?: string;
}

/** A realm's discovery routes (`route` and the next ones), the candidates bound to them in order. */
interface Slot {
  route: number;
  realm?: string;
  homes: Bound[];
  /** When it was last bound (Date.now()), and until when its answer holds. */
  boundAt: number;
  expiresAt: number;
}

const sameHome = (a: RadiusHomeCandidate | undefined, b: RadiusHomeCandidate): boolean =>
  a !== undefined && a.host === b.host && a.address === b.address && a.port === b.port && a.transport === b.transport;

const urlOf = (candidate: RadiusHomeCandidate): string =>
  `${candidate.transport === 'dtls' ? 'dtls' : 'radsec'}://${formatHostPort(candidate.host, candidate.port)}`;

/** The discovered homes of one engine: the routes from `firstRoute` on are its. */
export class DiscoveredHomes {
  private readonly slots: Slot[];
  private closed = false;

  constructor(private readonly engine: NativeRadiusEngine, private readonly options: RadiusProxyDiscovery, private readonly firstRoute: number) {
    this.slots = Array.from({ length: options.maxHomes ?? DEFAULT_MAX_HOMES },
      (_, i) => ({ route: firstRoute + i * DISCOVERED_CANDIDATES, homes: [], boundAt: 0, expiresAt: 0 }));
  }

  /** Whether `route` is a discovery route. */
  owns(route: number): boolean {
    return route >= this.firstRoute && route < this.firstRoute + this.slots.length * DISCOVERED_CANDIDATES;
  }

  /** The engine asks for `realm`'s homes: found and bound, or why none (every failure is an answer, never silence). */
  async discover(realm: string): Promise<void> {
    try {
      await this.bind(realm);
    } catch (error) {
      // A client that could not be made for the home found (its options refused): said, not left waiting.
      this.tell({ realm, error: `no-address: the home found cannot be reached: ${(error as Error).message}` });
    }
  }

  private async bind(realm: string): Promise<void> {
    this.closeIdle();
    let found: { candidates: RadiusHomeCandidate[]; expiresInMs: number };
    try {
      const result = await this.options.discovery.discover(realm);
      // RFC 7585 §3.4's order (NAPTR order and preference, SRV priority and weight, addresses), the first few.
      found = { candidates: result.candidates.slice(0, DISCOVERED_CANDIDATES), expiresInMs: result.expiresInMs };
    } catch (error) {
      const why = error instanceof RadiusDiscoveryError ? `${error.reason}: ${error.detail}` : `dns-error: ${(error as Error).message}`;
      this.tell({ realm, error: why });
      return;
    }
    if (this.closed) return;
    const { candidates, expiresInMs } = found;
    const slot = this.slotFor(realm);
    const held = slot.realm === realm ? slot.homes : [];
    const homes = candidates.map((candidate, i): Bound => {
      const kept = held.at(i);
      if (kept !== undefined && sameHome(kept.candidate, candidate)) return kept;
      const route = slot.route + i;
      const client = radsecClientOver({ radiusVersion: candidate.transport === 'tls' ? 'auto' : '1.0', ...this.options.radsec,
        transport: candidate.transport, serverName: candidate.host, naiRealm: realm },
        (onEvents) => this.engine.proxyClient({ route, onEvents }));
      return { candidate, client };
    });
    // Another realm's homes, or ones this realm no longer has: closed (the engine refuses what was out on them).
    const gone = slot.homes.filter((old) => !homes.includes(old));
    slot.realm = realm;
    slot.homes = homes;
    for (const old of gone) void old.client.close().catch(() => undefined);
    slot.boundAt = Date.now();
    slot.expiresAt = slot.boundAt + expiresInMs;
    this.tell({ realm, expiresInMs: Math.max(1, expiresInMs), homes: slot.homes.map(({ candidate }, i) => ({
      route: slot.route + i, address: candidate.address, port: candidate.port, url: urlOf(candidate),
      transport: TRANSPORT_CODES[candidate.transport] })) });
  }

  /** The engine asks for discovery route `route`'s connection. */
  connect(route: number): void {
    const slot = this.slots[Math.floor((route - this.firstRoute) / DISCOVERED_CANDIDATES)];
    const bound = slot.homes[route - slot.route];
    const { realm } = slot;
    if (bound === undefined || realm === undefined) {
      this.linkDown(route, 'no home is bound to it');
      return;
    }
    const { client, candidate } = bound;
    // The connection's failure is told only while this client is the route's: a replaced one's is not.
    const down = (error: Error): void => {
      if (slot.homes[route - slot.route] !== bound) return;
      if (error instanceof RadSecCertificateError) {
        // Its certificate names neither the SRV target nor the realm (or does not chain to the CA):
        // the pool goes on to its next home; once every home's is refused, the realm fails
        // cert-refused for the negative TTL, its next request answered from the cache.
        bound.refused = error.message;
        if (slot.homes.every((each) => each.refused !== undefined)) {
          this.options.discovery.refuse(realm, error.message);
          this.unbind(slot, error.message);
          return;
        }
      }
      this.linkDown(route, error.message);
    };
    const secret = candidate.transport === 'dtls' ? RADSEC_DTLS_SECRET : RADSEC_SECRET;
    client.proxyTarget({ host: candidate.address, port: candidate.port, secret }, down)
      .then((target) => {
        if (slot.homes[route - slot.route] !== bound) return;
        bound.refused = undefined;
        this.link(route, target);
      }, (error: unknown) => down(error as Error));
  }

  async close(): Promise<void> {
    this.closed = true;
    const clients = this.slots.flatMap((slot) => slot.homes.map(({ client }) => client));
    for (const slot of this.slots) slot.homes = [];
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  }

  /** The routes bound to `realm` already, else free ones, else the ones bound least recently. */
  private slotFor(realm: string): Slot {
    return this.slots.find((slot) => slot.realm === realm) ??
      this.slots.find((slot) => slot.realm === undefined) ??
      this.slots.reduce((oldest, slot) => (slot.boundAt < oldest.boundAt ? slot : oldest));
  }

  /** A slot's homes closed and its routes told down with `why` (the last one the engine names first). */
  private unbind(slot: Slot, why: string): void {
    const { homes } = slot;
    slot.homes = [];
    slot.realm = undefined;
    homes.forEach(({ client }, i) => {
      this.linkDown(slot.route + i, why);
      void client.close().catch(() => undefined);
    });
  }

  /** Realms not asked for since IDLE_MS past their answer's lifetime: their homes closed, their routes free. */
  private closeIdle(): void {
    const now = Date.now();
    for (const slot of this.slots) {
      if (slot.homes.length === 0 || slot.expiresAt + IDLE_MS > now) continue;
      this.unbind(slot, 'closed: idle');
    }
  }

  private tell(found: RadiusEngineProxyDiscoveredArgs): void {
    try {
      this.engine.proxyDiscovered(found);
    } catch {
      // The engine closed meanwhile: nobody waits for the answer.
    }
  }

  private link(route: number, target: number): void {
    try {
      this.engine.proxyHome({ route, up: true, target, error: '' });
    } catch {
      // The engine closed meanwhile.
    }
  }

  private linkDown(route: number, error: string): void {
    try {
      this.engine.proxyHome({ route, up: false, target: 0, error });
    } catch {
      // The engine closed meanwhile.
    }
  }
}
