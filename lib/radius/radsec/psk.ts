/**
 * TLS-PSK for RadSec (RFC 9813): a client and a server that share a key instead of certificates.
 * The key exchange is always (EC)DHE: TLS 1.2 offers only the ECDHE_PSK suites (RFC 5489), and
 * TLS 1.3 only psk_dhe_ke (OpenSSL sends that mode alone unless told to allow psk_ke, which Node
 * never does), so a key that leaks later does not open the recorded sessions.
 */
import { randomBytes } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { DEFAULT_CIPHERS } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { optionError } from '../../core/option-error';
import { cidrsOf } from '../client-networks';

/** RFC 9813 §4.2: shorter PSKs MUST be refused. */
export const MIN_RADSEC_PSK_BYTES = 16;
/** Longer than any RadSec PSK needs (RFC 9813 asks for 32, and 64 SHOULD work); OpenSSL's bound is 512. */
export const MAX_RADSEC_PSK_BYTES = 256;
/** RFC 4279 §5.3: identities up to 128 octets. */
export const MAX_RADSEC_PSK_IDENTITY_BYTES = 128;

/** TLS 1.2's PSK suites with an ECDHE exchange, and TLS 1.3's suites whose hash is SHA-256 (the
 *  hash an external PSK given through OpenSSL's PSK callback is bound to). No plain-PSK suite. */
export const RADSEC_PSK_CIPHERS = 'ECDHE-PSK-AES128-CBC-SHA256:ECDHE-PSK-AES256-CBC-SHA384:ECDHE-PSK-CHACHA20-POLY1305:' +
  'TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256';
/**
 * A listener that takes both certificates and PSKs: TLS 1.3's SHA-256 suites first (the listener
 * honours its own order), since a TLS 1.3 handshake on a suite of another hash cannot use the
 * PSK and falls back to certificates (OpenSSL's s_client lists TLS_AES_256_GCM_SHA384 first); then
 * Node's default suites, whose "!PSK" (which would delete every PSK suite, however listed after
 * it) is dropped, less the PSK key exchanges without ECDHE, with the ECDHE-PSK ones.
 */
export const RADSEC_CERT_AND_PSK_CIPHERS = [
  'TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256',
  ...DEFAULT_CIPHERS.split(':').filter((entry) => entry !== '!PSK' && !/^TLS_(AES_128_GCM|CHACHA20_POLY1305)_SHA256$/.test(entry)),
  '!kPSK', '!kDHEPSK', '!kRSAPSK', ...RADSEC_PSK_CIPHERS.split(':').filter((entry) => !entry.startsWith('TLS_')),
].join(':');

/** A RadSec client's pre-shared key and the identity it sends with it. */
export interface RadSecPsk {
  identity: string;
  key: Buffer;
}

/** A RadSec client a listener knows by PSK: its identity, its key and the addresses or CIDR
 *  networks it may connect from (a connection from elsewhere presenting the identity is refused). */
export interface RadSecPskClient extends RadSecPsk {
  networks: string[];
}

/** Checks an identity and key against RFC 9813 and RFC 4279; the message names what is wrong. */
export function checkRadSecPsk(psk: RadSecPsk, where = 'psk'): void {
  if (typeof psk !== 'object' || psk === null) throw optionError('type', where, 'must be { identity, key }');
  if (typeof psk.identity !== 'string' || psk.identity === '') throw optionError('type', `${where}.identity`, 'must be a non-empty string');
  const identityBytes = Buffer.byteLength(psk.identity, 'utf8');
  if (identityBytes > MAX_RADSEC_PSK_IDENTITY_BYTES) {
    throw optionError('range', `${where}.identity`, `is ${identityBytes} bytes; at most ${MAX_RADSEC_PSK_IDENTITY_BYTES} (RFC 4279)`);
  }
  if (!Buffer.isBuffer(psk.key)) throw optionError('type', `${where}.key`, 'must be a Buffer');
  if (psk.key.length < MIN_RADSEC_PSK_BYTES) {
    // "is" joins: a command line says whose key it is ("--radsec-psk-file F holds a key of 8 bytes: …").
    throw optionError('range', `${where}.key`, `${psk.key.length} bytes: RFC 9813 refuses a PSK shorter than ${MIN_RADSEC_PSK_BYTES} bytes ` +
      '(32 random bytes are recommended)', ' is ');
  }
  if (psk.key.length > MAX_RADSEC_PSK_BYTES) throw optionError('range', `${where}.key`, `${psk.key.length} bytes; at most ${MAX_RADSEC_PSK_BYTES}`, ' is ');
}

interface PskEntry {
  key: Buffer;
  from: BlockList;
  networks: { network: string; prefix: number }[];
}

/** The listener's side: each identity with its key and where it may come from. */
export class RadSecPskTable {
  private readonly byIdentity = new Map<string, PskEntry>();
  /** The connections this table handed a key to (the handshake may still not use it). */
  private readonly keyed = new WeakSet<TLSSocket>();
  /** What an identity unknown where it is presented gets: a key nobody holds. */
  private readonly decoy = randomBytes(32);

  constructor(clients: readonly RadSecPskClient[]) {
    if (!Array.isArray(clients) || clients.length === 0) throw new TypeError('radsec.psk must be a non-empty array');
    clients.forEach((client, i) => {
      checkRadSecPsk(client, `radsec.psk[${i}]`);
      if (!Array.isArray(client.networks) || client.networks.length === 0) {
        throw new TypeError(`radsec.psk[${i}].networks must list the addresses it may come from`);
      }
      const known = this.byIdentity.get(client.identity);
      if (known && !known.key.equals(client.key)) {
        throw new TypeError(`radsec.psk[${i}]: identity "${client.identity}" is listed with two different keys`);
      }
      const entry: PskEntry = known ?? { key: Buffer.from(client.key), from: new BlockList(), networks: [] };
      for (const network of client.networks) entry.networks.push(...addNetwork(entry.from, network, i));
      this.byIdentity.set(client.identity, entry);
    });
  }

  /** The key for `identity` presented from `address`; undefined (the handshake fails) when the
   *  identity is unknown or not allowed from there. */
  keyFor(identity: string, address: string | undefined): Buffer | undefined {
    const entry = this.byIdentity.get(identity);
    if (entry === undefined || address === undefined) return undefined;
    const family = isIP(address);
    if (family === 0) return undefined;
    const mapped = family === 6 && /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address) ? address.slice(7) : address;
    return entry.from.check(mapped, isIP(mapped) === 4 ? 'ipv4' : 'ipv6') ? entry.key : undefined;
  }

  /** Node's server pskCallback: looks the identity up for the connection's source address. One
   *  unknown there gets a key nobody holds: its handshake fails as a wrong key's does (RFC 4279 §2),
   *  rather than with a TLS 1.2 alert or a TLS 1.3 certificate that tells which identities exist. */
  callback(): (socket: TLSSocket, identity: string) => Buffer | null {
    return (socket, identity) => {
      const key = this.keyFor(identity, socket.remoteAddress);
      if (key === undefined) return this.decoy;
      this.keyed.add(socket);
      return key;
    };
  }

  /**
   * Whether a secured connection's handshake was authenticated by one of this table's keys: it
   * was handed one, and the session is a PSK one (TLS 1.2: a PSK suite, which carries no
   * certificate; TLS 1.3: an external PSK, which OpenSSL counts as a resumed session). The rule
   * Node 20 applied itself; Node 24 calls every session without a peer certificate unverified
   * (UNABLE_TO_GET_ISSUER_CERT) where a certificate is requested.
   */
  proved(socket: TLSSocket): boolean {
    if (!this.keyed.has(socket)) return false;
    const protocol = socket.getProtocol();
    if (protocol === 'TLSv1.2') return /(^|-)PSK-/.test(socket.getCipher().name);
    return protocol === 'TLSv1.3' && socket.isSessionReused();
  }

  /** Each identity with a copy of its key, once per network it may come from: the native
   *  RADIUS/DTLS listener's table (it wipes the copies once loaded). */
  entries(): { identity: string; key: Buffer; network: string; prefix: number }[] {
    return [...this.byIdentity].flatMap(([identity, { key, networks }]) =>
      networks.map(({ network, prefix }) => ({ identity, key: Buffer.from(key), network, prefix })));
  }

  /** Zeroes every key (the listener closed). */
  wipe(): void {
    for (const { key } of this.byIdentity.values()) key.fill(0);
    this.decoy.fill(0);
  }
}

function addNetwork(list: BlockList, network: string, index: number): { network: string; prefix: number }[] {
  if (typeof network !== 'string') throw new TypeError(`radsec.psk[${index}].networks must be strings`);
  return cidrsOf(network, `radsec.psk[${index}]`).map(({ address, family, prefix }) => {
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
    return { network: address, prefix };
  });
}
