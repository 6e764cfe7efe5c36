/**
 * The NAS clients a RADIUS server accepts, each an address or a network (CIDR) with its own
 * shared secret, as FreeRADIUS's clients.conf lists them. The first entry that contains the
 * source address decides; an address no entry contains is dropped unanswered (the engine,
 * native/radius/, matches them; this reads and checks them).
 */
import { isIP } from 'node:net';
import { optionError } from '../core/option-error';
import { RadiusSecret, secretBytes } from './secret';

export interface RadiusClientEntry {
  /** "192.0.2.7", "10.0.0.0/8", "::1", "2001:db8::/32"; "*" for every address, IPv4 and IPv6
   *  (a "/0" network is refused: one written by mistake would take the whole Internet in). */
  network: string;
  secret: RadiusSecret;
}

/** An address or network read: the address, its family and the prefix length. */
export interface Cidr {
  address: string;
  family: 4 | 6;
  prefix: number;
}

/** Written for every address, IPv4 and IPv6, as FreeRADIUS's `ipaddr = *`. */
export const EVERY_ADDRESS = '*';

/** One entry read: its networks (two for "*") and its secret. */
export function networkOf(entry: RadiusClientEntry, index = 0): { networks: Cidr[]; secret: Buffer } {
  if (typeof entry !== 'object' || entry === null || typeof entry.network !== 'string') {
    throw new TypeError(`clients[${index}] must be { network, secret }`);
  }
  return { networks: cidrsOf(entry.network, `clients[${index}]`), secret: secretBytes(entry.secret) };
}

/** As cidrOf, and "*" read as the two networks of every address (0.0.0.0/0 and ::/0). */
export function cidrsOf(network: string, where: string): Cidr[] {
  if (network !== EVERY_ADDRESS) return [cidrOf(network, where)];
  const everyIpv4: Cidr = { address: '0.0.0.0', family: 4, prefix: 0 };
  const everyIpv6: Cidr = { address: '::', family: 6, prefix: 0 };
  return [everyIpv4, everyIpv6];
}

/** "192.0.2.7", "10.0.0.0/8", "::1", "2001:db8::/32" read: the address, its family and the prefix
 *  length (the whole address when none is written); `where` starts the error's `option`. A
 *  "/0" is refused (RangeError): every address is meant only when written "*". */
export function cidrOf(network: string, where: string): Cidr {
  const slash = network.indexOf('/');
  const address = slash === -1 ? network : network.slice(0, slash);
  const family = isIP(address);
  if (family === 0) throw optionError('type', where, `"${network}" is not an address or CIDR network`, ': ');
  const bits = family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash !== -1) {
    const text = network.slice(slash + 1);
    prefix = Number(text);
    if (!/^\d{1,3}$/.test(text) || prefix > bits) throw optionError('type', where, `"${network}" has no valid prefix length`, ': ');
    if (prefix === 0) {
      throw optionError('range', where, `"${network}" admits every ${family === 4 ? 'IPv4' : 'IPv6'} address; ` +
        `write "${EVERY_ADDRESS}" if every address is meant`, ': ');
    }
  }
  return { address, family: family as 4 | 6, prefix };
}
