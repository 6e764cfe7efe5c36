/**
 * A RadiusServer's dynamic discovery (RFC 7585, its `proxyDiscovery` option, serve --proxy-discover):
 * the engine asks for a realm no route names (RadiusEngineEvents.proxyDiscovers), RadiusDiscovery
 * answers from its cache or the DNS, and the home found is bound to one of a bounded number of
 * discovery routes (RadSec over TLS), whose connection is a RadSecClient as a radsec:// home's is,
 * checked against the SRV target or the realm's NAIRealm (RFC 7585 §2.3). The forwarding is the
 * engine's, through those routes (native/radius/server/radius_proxy_discovery.cc): one path.
 */
import type { NativeRadiusEngine, RadiusProxyRoute } from '../native';
import { formatHostPort } from './endpoint';
import { RadiusDiscovery, RadiusDiscoveryError } from './discovery';
import type { RadiusHomeCandidate } from './discovery';
import { RADSEC_SECRET, radsecClientOver } from './radsec/client';
import type { RadSecClient, RadSecClientOptions } from './radsec/client';
import { RadSecCertificateError } from './errors';

/** What a proxy's discovery needs: the discovery (its resolver and cache) and our RadSec identity. */
export interface RadiusProxyDiscovery {
  /** Its cache outlives the server (a reload keeps it). Give it `transports: ['tls']`: homes are reached over TLS. */
  discovery: RadiusDiscovery;
  /** Our certificate, its key and the CA the discovered homes' certificates must chain to. */
  radsec: Pick<RadSecClientOptions, 'cert' | 'key' | 'passphrase' | 'ca' | 'statusServerAfterMs' | 'statusServerTimeoutMs' |
    'radiusVersion'>;
  /** The most discovered homes held at once, 1 to 1024: 64 by default; past it the least recently bound one is closed. */
  maxHomes?: number;
}

const DEFAULT_MAX_HOMES = 64;
const MAX_HOMES = 1024;
/** A home whose answer's lifetime ended this long ago and was not asked for since is closed. */
const IDLE_MS = 300_000;

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

/** The engine's discovery routes: none bound, each a RadSec home over TLS once discovery binds one. */
export function discoveryRoutes(discovery: RadiusProxyDiscovery): RadiusProxyRoute[] {
  return Array.from({ length: discovery.maxHomes ?? DEFAULT_MAX_HOMES },
    () => ({ realm: '', url: '', address: '0.0.0.0', port: 0, transport: 1, discovery: true }));
}

/** A discovery route: the realm and home bound to it, and that home's connection. */
interface Slot {
  route: number;
  realm?: string;
  candidate?: RadiusHomeCandidate;
  client?: RadSecClient;
  /** When it was last bound (Date.now()), and until when its answer holds. */
  boundAt: number;
  expiresAt: number;
}

const sameHome = (a: RadiusHomeCandidate | undefined, b: RadiusHomeCandidate): boolean =>
  a !== undefined && a.host === b.host && a.address === b.address && a.port === b.port;

/** The discovered homes of one engine: the routes from `firstRoute` on are its. */
export class DiscoveredHomes {
  private readonly slots: Slot[];
  private closed = false;

  constructor(private readonly engine: NativeRadiusEngine, private readonly options: RadiusProxyDiscovery, private readonly firstRoute: number) {
    this.slots = Array.from({ length: options.maxHomes ?? DEFAULT_MAX_HOMES }, (_, i) => ({ route: firstRoute + i, boundAt: 0, expiresAt: 0 }));
  }

  /** Whether `route` is a discovery route. */
  owns(route: number): boolean {
    return route >= this.firstRoute && route < this.firstRoute + this.slots.length;
  }

  /** The engine asks for `realm`'s home: found and bound, or why none (every failure is an answer, never silence). */
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
    let found: { candidate: RadiusHomeCandidate; expiresInMs: number };
    try {
      const result = await this.options.discovery.discover(realm);
      const candidate = result.candidates.find((each) => each.transport === 'tls');
      if (candidate === undefined) throw new RadiusDiscoveryError('no-service', result.realm, 'no RADIUS/TLS home server (only DTLS)');
      found = { candidate, expiresInMs: result.expiresInMs };
    } catch (error) {
      const why = error instanceof RadiusDiscoveryError ? `${error.reason}: ${error.detail}` : `dns-error: ${(error as Error).message}`;
      this.tell({ realm, error: why });
      return;
    }
    if (this.closed) return;
    const { candidate, expiresInMs } = found;
    const slot = this.slotFor(realm);
    if (slot.realm !== realm || !sameHome(slot.candidate, candidate)) {
      const old = slot.client;
      slot.client = undefined;
      void old?.close().catch(() => undefined);
      slot.realm = realm;
      slot.candidate = candidate;
      slot.client = radsecClientOver({ radiusVersion: 'auto', ...this.options.radsec, transport: 'tls', serverName: candidate.host,
        naiRealm: realm }, (onEvents) => this.engine.proxyClient({ route: slot.route, onEvents }));
    }
    slot.boundAt = Date.now();
    slot.expiresAt = slot.boundAt + expiresInMs;
    this.tell({ realm, route: slot.route, address: candidate.address, port: candidate.port,
      url: `radsec://${formatHostPort(candidate.host, candidate.port)}`, expiresInMs: Math.max(1, expiresInMs) });
  }

  /** The engine asks for discovery route `route`'s connection. */
  connect(route: number): void {
    const slot = this.slots[route - this.firstRoute];
    const { client, candidate, realm } = slot;
    if (client === undefined || candidate === undefined || realm === undefined) {
      this.linkDown(route, 'no home is bound to it');
      return;
    }
    // The connection's failure is told only while this client is the route's: a replaced one's is not.
    const down = (error: Error): void => {
      if (slot.client !== client) return;
      if (error instanceof RadSecCertificateError) {
        // Its certificate names neither the SRV target nor the realm (or does not chain to the CA):
        // its realm fails cert-refused for the negative TTL, the next request answered from the cache.
        this.options.discovery.refuse(realm, error.message);
        slot.client = undefined;
        slot.realm = undefined;
        slot.candidate = undefined;
        void client.close().catch(() => undefined);
      }
      this.linkDown(route, error.message);
    };
    client.proxyTarget({ host: candidate.address, port: candidate.port, secret: RADSEC_SECRET }, down)
      .then((target) => {
        if (slot.client === client) this.link(route, target);
      }, (error: unknown) => down(error as Error));
  }

  async close(): Promise<void> {
    this.closed = true;
    const clients = this.slots.flatMap((slot) => (slot.client ? [slot.client] : []));
    for (const slot of this.slots) slot.client = undefined;
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  }

  /** The route bound to `realm` already, else a free one, else the one bound least recently. */
  private slotFor(realm: string): Slot {
    return this.slots.find((slot) => slot.realm === realm) ??
      this.slots.find((slot) => slot.realm === undefined) ??
      this.slots.reduce((oldest, slot) => (slot.boundAt < oldest.boundAt ? slot : oldest));
  }

  /** Homes not asked for since IDLE_MS past their answer's lifetime: closed, their route free. */
  private closeIdle(): void {
    const now = Date.now();
    for (const slot of this.slots) {
      if (slot.client === undefined || slot.expiresAt + IDLE_MS > now) continue;
      const { client } = slot;
      slot.client = undefined;
      slot.realm = undefined;
      slot.candidate = undefined;
      this.linkDown(slot.route, 'closed: idle');
      void client.close().catch(() => undefined);
    }
  }

  private tell(found: { realm: string; route?: number; address?: string; port?: number; url?: string; expiresInMs?: number;
    error?: string }): void {
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
