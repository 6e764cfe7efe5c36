/**
 * The realms a RadiusServer forwards to home servers (its `proxy` option): checked when the server
 * is made, their hosts resolved at listen(). The forwarding itself is the engine's
 * (native/radius/server/radius_handler_proxy.cc): lib/ sees no packet of it. A RadSec home's
 * connection is a RadSecClient's (radsec/client.ts: its handshake, its checks of the home, its
 * Status-Server), whose native client engine the proxy sends its forwards through.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { NativeRadiusEngine, RadiusProxyRoute } from '../native';
import { formatHostPort } from './endpoint';
import { RadiusSecret, secretBytes } from './secret';
import { RADSEC_SECRET, radsecClientOver } from './radsec/client';
import type { RadSecClient, RadSecClientOptions } from './radsec/client';
import { RADSEC_DTLS_SECRET } from './radsec/dtls';
import type { DasRequest, DasVerdict } from './das-lane';

/** A home server: where a realm's Access-Requests go, over which transport, and the secret shared with it. */
export interface RadiusHomeServer {
  host: string;
  port: number;
  /** RADIUS over UDP (default), RadSec over TLS (RFC 6614) or over DTLS (RFC 7360). 'tls' and 'dtls' need `radsec`. */
  transport?: 'udp' | 'tls' | 'dtls';
  /** Required over UDP; over RadSec default the transport's ("radsec" over TLS, "radius/dtls" over DTLS). */
  secret?: RadiusSecret;
  /** RadSec (`transport` 'tls' or 'dtls'): what the proxy proves itself with (a client certificate, its
   *  key and the CA of the home's certificate, or a PSK) and how it checks the home: RadSecClient's
   *  options, the home checked as RadSecClient checks a server (`auth --radsec`). Its
   *  `radiusVersion` defaults to 'auto' over TLS (RADIUS/1.1 where the home offers it, RFC 9765)
   *  and '1.0' over DTLS. */
  radsec?: Pick<RadSecClientOptions, 'cert' | 'key' | 'passphrase' | 'ca' | 'psk' | 'serverName' | 'allowCommonNameOnly' |
    'statusServerAfterMs' | 'statusServerTimeoutMs' | 'radiusVersion'>;
  /** Take its replies without Message-Authenticator (RFC 3579 §3.2); refused by default over UDP:
   *  such a reply can be forged. Over TLS and DTLS nobody on the path can forge one: taken. */
  allowUnsignedReplies?: boolean;
}

/** A User-Name realm (what follows its last '@') forwarded to its home server, or answered here. */
export interface RadiusProxyRealm {
  /** The realm, in any case; '*': every realm no other entry names. */
  realm: string;
  /** The home server; a list: a pool of them, the first preferred (docs/proxy.md); 'local': the realm is
   *  answered here, as a User-Name without a realm is. */
  home: RadiusHomeServer | RadiusHomeServer[] | 'local';
  /** A pool's: 'failover' (default) sends new requests to its first alive home; 'balance' spreads them
   *  over its alive homes (the one with the fewest requests out). Either way each EAP conversation
   *  stays on the home that began it. */
  poolMode?: 'failover' | 'balance';
}

/** The most routes (a pool's homes each one) one server has (the engine's bound, seam/seam_args_radius.js). */
const MAX_REALMS = 65536;
/** The most homes one pool holds. */
const MAX_POOL = 16;

const TRANSPORTS: Record<NonNullable<RadiusHomeServer['transport']>, { scheme: string; code: number; secret?: string }> = {
  udp: { scheme: 'udp', code: 0 },
  tls: { scheme: 'radsec', code: 1, secret: RADSEC_SECRET },
  dtls: { scheme: 'dtls', code: 2, secret: RADSEC_DTLS_SECRET },
};

function checkHome(home: Partial<RadiusHomeServer>, where: string): RadiusHomeServer {
  if (typeof home !== 'object' || home === null || typeof home.host !== 'string' || home.host === '') {
    // A pool's member (`where` ends in its index) is a home server only.
    throw new TypeError(`${where} must be ${where.endsWith(']') ? '' : '\'local\', '}{ host, port, secret }${where.endsWith(']') ? '' : ' or a list of those'}`);
  }
  if (!Number.isInteger(home.port) || (home.port as number) < 1 || (home.port as number) > 65535) {
    throw new RangeError(`${where}.port must be an integer from 1 to 65535`);
  }
  if (home.allowUnsignedReplies !== undefined && typeof home.allowUnsignedReplies !== 'boolean') {
    throw new TypeError(`${where}.allowUnsignedReplies must be true or false`);
  }
  const transport = home.transport ?? 'udp';
  if (!Object.hasOwn(TRANSPORTS, transport)) throw new TypeError(`${where}.transport must be 'udp', 'tls' or 'dtls'`);
  if (transport === 'udp' && home.secret === undefined) throw new TypeError(`${where}.secret is required over UDP`);
  const secret = home.secret ?? TRANSPORTS[transport].secret;
  secretBytes(secret as RadiusSecret).fill(0);
  const checked: RadiusHomeServer = {
    host: home.host, port: home.port as number, transport, secret, allowUnsignedReplies: home.allowUnsignedReplies === true,
  };
  if (transport === 'udp') {
    if (home.radsec !== undefined) throw new TypeError(`${where}.radsec applies to transport 'tls' or 'dtls' only`);
    return checked;
  }
  if (typeof home.radsec !== 'object' || home.radsec === null) {
    throw new TypeError(`${where}.radsec must give a client cert, its key and a CA, or a psk (transport '${transport}')`);
  }
  try {
    // RadSecClient's own checks of its options; the client made at listen() is another.
    void radsecClientOver({ ...home.radsec, transport }, () => {
      throw new Error('unused');
    });
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) error.message = `${where}.radsec: ${error.message}`;
    throw error;
  }
  return { ...checked, radsec: { ...home.radsec } };
}

/** `proxy` checked: a TypeError or RangeError naming the entry that is wrong. */
export function checkProxyRealms(realms: unknown): RadiusProxyRealm[] | undefined {
  if (realms === undefined) return undefined;
  if (!Array.isArray(realms) || realms.length === 0) throw new TypeError('proxy must be a non-empty array');
  if (realms.length > MAX_REALMS) throw new RangeError(`proxy holds more than ${MAX_REALMS} realms`);
  const seen = new Set<string>();
  const checked = realms.map((entry: unknown, i): RadiusProxyRealm => {
    const { realm, home } = (typeof entry === 'object' && entry !== null ? entry : {}) as Partial<RadiusProxyRealm>;
    if (typeof realm !== 'string' || realm === '' || realm.includes('@') || realm.length > 253) {
      throw new TypeError(`proxy[${i}].realm must be a realm (not empty, no '@') or '*'`);
    }
    if (seen.has(realm.toLowerCase())) throw new TypeError(`proxy[${i}]: realm ${JSON.stringify(realm)} is given twice`);
    seen.add(realm.toLowerCase());
    const { poolMode } = entry as Partial<RadiusProxyRealm>;
    if (poolMode !== undefined && poolMode !== 'failover' && poolMode !== 'balance') {
      throw new TypeError(`proxy[${i}].poolMode must be 'failover' or 'balance'`);
    }
    if (home === 'local') return { realm, home };
    if (!Array.isArray(home)) return { realm, home: checkHome(home as Partial<RadiusHomeServer>, `proxy[${i}].home`) };
    if (home.length === 0 || home.length > MAX_POOL) throw new RangeError(`proxy[${i}].home holds 1 to ${MAX_POOL} home servers`);
    const homes = home.map((member: Partial<RadiusHomeServer>, j) => checkHome(member, `proxy[${i}].home[${j}]`));
    const urls = homes.map(homeUrl);
    const twice = urls.find((url, j) => urls.indexOf(url) !== j);
    if (twice !== undefined) throw new TypeError(`proxy[${i}].home names ${twice} twice`);
    return { realm, home: homes, poolMode: poolMode ?? 'failover' };
  });
  routeHomes(checked);
  return checked;
}

/** The engine's routes in order, one a home: a pool's homes are routes naming the same realm. */
function routeHomes(realms: RadiusProxyRealm[]): { realm: string; home: RadiusHomeServer | 'local'; balance: boolean }[] {
  const routes = realms.flatMap(({ realm, home, poolMode }) =>
    [home].flat().map((one) => ({ realm, home: one, balance: poolMode === 'balance' })));
  if (routes.length > MAX_REALMS) throw new RangeError(`proxy holds more than ${MAX_REALMS} home servers`);
  return routes;
}

/** A home server's URL, as Reply-Messages and the log name it. */
export function homeUrl(home: RadiusHomeServer): string {
  return `${TRANSPORTS[home.transport ?? 'udp'].scheme}://${formatHostPort(home.host, home.port)}`;
}

/** The engine's routes, each host resolved (the secrets: copies the caller wipes once the engine has its own). */
export async function proxyRoutesOf(realms: RadiusProxyRealm[]): Promise<RadiusProxyRoute[]> {
  return Promise.all(routeHomes(realms).map(async ({ realm, home, balance }): Promise<RadiusProxyRoute> => {
    if (home === 'local') return { realm: realm.toLowerCase(), local: true };
    const address = isIP(home.host) !== 0 ? home.host : (await lookup(home.host)).address;
    const transport = TRANSPORTS[home.transport ?? 'udp'].code;
    return {
      realm: realm.toLowerCase(), url: homeUrl(home), address, port: home.port, transport,
      ...(transport === 0 ? { secret: secretBytes(home.secret as RadiusSecret) } : {}),
      allowUnsignedReplies: home.allowUnsignedReplies === true, balance,
    };
  }));
}

/**
 * The RadSec homes' connections: a RadSecClient per home (its first route names it, as the engine
 * does), opened when the engine asks (RadiusEngineEvents.proxyConnects) and told to the engine
 * (proxyHome) once up, or why not; a connection that fails later is told likewise, and the next
 * request for that home asks again.
 */
export class ProxyHomeLinks {
  private readonly homes = new Map<number, { client: RadSecClient; home: RadiusHomeServer }>();

  /** `reverse`: reverse CoA through the proxy (experimental), each request a home sends down its
   *  connection carried toward the NAS side (SessionMemory.relay) and its verdict answered there;
   *  such a home speaks RADIUS/1.0 unless told otherwise (a RADIUS/1.1 connection takes none). */
  constructor(private readonly engine: NativeRadiusEngine, realms: RadiusProxyRealm[], routes: RadiusProxyRoute[],
    reverse?: (home: string, request: DasRequest) => Promise<DasVerdict>) {
    const first = new Map<string, number>();
    routeHomes(realms).forEach(({ home }, route) => {
      if (home === 'local' || (home.transport ?? 'udp') === 'udp') return;
      const key = `${home.transport}|${routes[route].address}|${home.port}`;
      if (first.has(key)) return;
      first.set(key, route);
      const url = homeUrl(home);
      const client = radsecClientOver({ radiusVersion: home.transport === 'tls' && !reverse ? 'auto' : '1.0', ...home.radsec,
        transport: home.transport as 'tls' | 'dtls', ...(reverse ? { reverseCoa: { handle: (request) => reverse(url, request), relay: true as const } } : {}) },
        (onEvents) => engine.proxyClient({ route, onEvents }));
      this.homes.set(route, { client, home });
    });
  }

  /** The engine asks for route `route`'s home's connection. */
  connect(route: number): void {
    const found = this.homes.get(route);
    if (found === undefined) {
      this.tell(route, undefined, 'no RadSec client was made for it');
      return;
    }
    const { client, home } = found;
    const endpoint = { host: home.host, port: home.port, secret: home.secret as RadiusSecret };
    client.proxyTarget(endpoint, (error) => this.tell(route, undefined, error.message))
      .then((target) => this.tell(route, target, ''), (error: unknown) => this.tell(route, undefined, (error as Error).message));
  }

  async close(): Promise<void> {
    await Promise.all([...this.homes.values()].map(({ client }) => client.close()));
  }

  /** The connection is up on `target`, or (undefined) not, for `error`. */
  private tell(route: number, target: number | undefined, error: string): void {
    try {
      this.engine.proxyHome({ route, up: target !== undefined, target: target ?? 0, error });
    } catch {
      // The engine closed meanwhile: nobody waits for the connection.
    }
  }
}
