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

function compile(entry: RadiusClientEntry, index: number): CompiledEntry {
  if (typeof entry !== 'object' || entry === null || typeof entry.network !== 'string') {
    throw new TypeError(`clients[${index}] must be { network, secret }`);
  }
  const slash = entry.network.indexOf('/');
  const address = slash === -1 ? entry.network : entry.network.slice(0, slash);
  const family = isIP(address);
  if (family === 0) throw new TypeError(`clients[${index}]: "${entry.network}" is not an address or CIDR network`);
  const match = new BlockList();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (slash === -1) {
    match.addAddress(address, type);
  } else {
    const text = entry.network.slice(slash + 1);
    const prefix = Number(text);
    if (!/^\d{1,3}$/.test(text) || prefix > (family === 4 ? 32 : 128)) {
      throw new TypeError(`clients[${index}]: "${entry.network}" has no valid prefix length`);
    }
    match.addSubnet(address, prefix, type);
  }
  return { network: entry.network, match, secret: secretBytes(entry.secret) };
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
