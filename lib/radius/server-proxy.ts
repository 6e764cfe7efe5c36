/**
 * The realms a RadiusServer forwards to home servers (its `proxy` option): checked when the server
 * is made, their hosts resolved at listen(). The forwarding itself is the engine's
 * (native/radius/server/radius_handler_proxy.cc): lib/ sees no packet of it.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { RadiusProxyRoute } from '../native';
import { RadiusSecret, secretBytes } from './secret';

/** A home server: where a realm's Access-Requests go (RADIUS over UDP), and the secret shared with it. */
export interface RadiusHomeServer {
  host: string;
  port: number;
  secret: RadiusSecret;
  /** Take its replies without Message-Authenticator (RFC 3579 §3.2); refused by default: such a reply can be forged. */
  allowUnsignedReplies?: boolean;
}

/** A User-Name realm (what follows its last '@') forwarded to its home server, or answered here. */
export interface RadiusProxyRealm {
  /** The realm, in any case; '*': every realm no other entry names. */
  realm: string;
  /** The home server; 'local': the realm is answered here, as a User-Name without a realm is. */
  home: RadiusHomeServer | 'local';
}

/** The most realms one server routes (the engine's bound, seam/seam_args_radius.js). */
const MAX_REALMS = 65536;

/** `proxy` checked: a TypeError or RangeError naming the entry that is wrong. */
export function checkProxyRealms(realms: unknown): RadiusProxyRealm[] | undefined {
  if (realms === undefined) return undefined;
  if (!Array.isArray(realms) || realms.length === 0) throw new TypeError('proxy must be a non-empty array');
  if (realms.length > MAX_REALMS) throw new RangeError(`proxy holds more than ${MAX_REALMS} realms`);
  const seen = new Set<string>();
  return realms.map((entry: unknown, i) => {
    const { realm, home } = (typeof entry === 'object' && entry !== null ? entry : {}) as Partial<RadiusProxyRealm>;
    if (typeof realm !== 'string' || realm === '' || realm.includes('@') || realm.length > 253) {
      throw new TypeError(`proxy[${i}].realm must be a realm (not empty, no '@') or '*'`);
    }
    if (seen.has(realm.toLowerCase())) throw new TypeError(`proxy[${i}]: realm ${JSON.stringify(realm)} is given twice`);
    seen.add(realm.toLowerCase());
    if (home === 'local') return { realm, home };
    if (typeof home !== 'object' || home === null || typeof home.host !== 'string' || home.host === '') {
      throw new TypeError(`proxy[${i}].home must be 'local' or { host, port, secret }`);
    }
    if (!Number.isInteger(home.port) || home.port < 1 || home.port > 65535) {
      throw new RangeError(`proxy[${i}].home.port must be an integer from 1 to 65535`);
    }
    if (home.allowUnsignedReplies !== undefined && typeof home.allowUnsignedReplies !== 'boolean') {
      throw new TypeError(`proxy[${i}].home.allowUnsignedReplies must be true or false`);
    }
    secretBytes(home.secret).fill(0);
    return { realm, home: { host: home.host, port: home.port, secret: home.secret, allowUnsignedReplies: home.allowUnsignedReplies === true } };
  });
}

/** The engine's routes, each host resolved (the secrets: copies the caller wipes once the engine has its own). */
export async function proxyRoutesOf(realms: RadiusProxyRealm[]): Promise<RadiusProxyRoute[]> {
  return Promise.all(realms.map(async ({ realm, home }): Promise<RadiusProxyRoute> => {
    if (home === 'local') return { realm: realm.toLowerCase(), local: true };
    const address = isIP(home.host) !== 0 ? home.host : (await lookup(home.host)).address;
    const url = `udp://${home.host.includes(':') ? `[${home.host}]` : home.host}:${home.port}`;
    return {
      realm: realm.toLowerCase(), url, address, port: home.port, secret: secretBytes(home.secret),
      allowUnsignedReplies: home.allowUnsignedReplies === true,
    };
  }));
}
