/**
 * The NAS clients a RADIUS server accepts, each an address or a network (CIDR) with its own
 * shared secret, as FreeRADIUS's clients.conf lists them. The first entry that contains the
 * source address decides; an address no entry contains is dropped unanswered (the engine,
 * native/radius/, matches them; this reads and checks them).
 */
import { isIP } from 'node:net';
import { RadiusSecret, secretBytes } from './secret';

export interface RadiusClientEntry {
  /** "192.0.2.7", "10.0.0.0/8", "::1", "2001:db8::/32". */
  network: string;
  secret: RadiusSecret;
}

/** One entry read: its address, family, prefix length (the whole address when none is written)
 *  and secret. */
export function networkOf(entry: RadiusClientEntry, index = 0):
    { address: string; family: 4 | 6; prefix: number; secret: Buffer } {
  if (typeof entry !== 'object' || entry === null || typeof entry.network !== 'string') {
    throw new TypeError(`clients[${index}] must be { network, secret }`);
  }
  const { address, family, prefix } = cidrOf(entry.network, `clients[${index}]`);
  return { address, family, prefix, secret: secretBytes(entry.secret) };
}

/** "192.0.2.7", "10.0.0.0/8", "::1", "2001:db8::/32" read: the address, its family and the prefix
 *  length (the whole address when none is written); `where` starts the TypeError's message. */
export function cidrOf(network: string, where: string): { address: string; family: 4 | 6; prefix: number } {
  const slash = network.indexOf('/');
  const address = slash === -1 ? network : network.slice(0, slash);
  const family = isIP(address);
  if (family === 0) throw new TypeError(`${where}: "${network}" is not an address or CIDR network`);
  const bits = family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash !== -1) {
    const text = network.slice(slash + 1);
    prefix = Number(text);
    if (!/^\d{1,3}$/.test(text) || prefix > bits) throw new TypeError(`${where}: "${network}" has no valid prefix length`);
  }
  return { address, family: family as 4 | 6, prefix };
}
