/**
 * The NAS clients a RADIUS server accepts, each an address or a network (CIDR) with its own
 * shared secret, as FreeRADIUS's clients.conf lists them. The first entry that contains the
 * source address decides; an address no entry contains is dropped unanswered.
 */
import { BlockList, isIP } from 'node:net';
import { RadiusSecret, secretBytes } from './signing';

export interface RadiusClientEntry {
  /** "192.0.2.7", "10.0.0.0/8", "::1", "2001:db8::/32". */
  network: string;
  secret: RadiusSecret;
}

interface CompiledEntry {
  network: string;
  match: BlockList;
  secret: Buffer;
}

/** One entry read: its address, family, prefix length (the whole address when none is written)
 *  and secret. */
export function networkOf(entry: RadiusClientEntry, index = 0):
    { address: string; family: 4 | 6; prefix: number; whole: boolean; secret: Buffer } {
  if (typeof entry !== 'object' || entry === null || typeof entry.network !== 'string') {
    throw new TypeError(`clients[${index}] must be { network, secret }`);
  }
  const slash = entry.network.indexOf('/');
  const address = slash === -1 ? entry.network : entry.network.slice(0, slash);
  const family = isIP(address);
  if (family === 0) throw new TypeError(`clients[${index}]: "${entry.network}" is not an address or CIDR network`);
  const bits = family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash !== -1) {
    const text = entry.network.slice(slash + 1);
    prefix = Number(text);
    if (!/^\d{1,3}$/.test(text) || prefix > bits) {
      throw new TypeError(`clients[${index}]: "${entry.network}" has no valid prefix length`);
    }
  }
  return { address, family: family as 4 | 6, prefix, whole: slash === -1, secret: secretBytes(entry.secret) };
}

function compile(entry: RadiusClientEntry, index: number): CompiledEntry {
  const { address, family, prefix, whole, secret } = networkOf(entry, index);
  const match = new BlockList();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (whole) match.addAddress(address, type);
  else match.addSubnet(address, prefix, type);
  return { network: entry.network, match, secret };
}

export class RadiusClientList {
  private readonly entries: CompiledEntry[];

  constructor(entries: readonly RadiusClientEntry[]) {
    if (!Array.isArray(entries) || entries.length === 0) throw new TypeError('clients must be a non-empty array');
    this.entries = entries.map(compile);
  }

  /** The secret shared with the NAS at this (canonical) address, or undefined for a stranger. */
  secretFor(address: string): Buffer | undefined {
    const family = isIP(address);
    if (family === 0) return undefined;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    return this.entries.find((entry) => entry.match.check(address, type))?.secret;
  }
}
