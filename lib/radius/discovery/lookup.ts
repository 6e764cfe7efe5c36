/**
 * One dynamic discovery (RFC 7585 §3.4), uncached: the realm's NAPTR records, those of a RADIUS/TLS
 * or RADIUS/DTLS service with flag "s", the SRV records their replacements name, and the A and
 * AAAA records of each SRV target. Every name is queried fully qualified (a trailing dot), so no
 * resolver tries it under its search domains, and everything a DNS answer holds is checked before
 * it is used or shown: the answers come from whoever the realm's user chose.
 */
import type { Resolver } from 'node:dns/promises';
import { RadiusDiscoveryError } from './errors';

/** The transports a home server found by discovery is reached over. */
export type RadiusDiscoveryTransport = 'tls' | 'dtls';

/**
 * The NAPTR services discovery follows (flag "s", the replacement an SRV name): RFC 7585 §2.1's
 * RADIUS/TLS and RADIUS/DTLS authentication services, and eduroam's older RADIUS/TLS tag.
 */
export const DISCOVERY_SERVICES: Readonly<Record<string, RadiusDiscoveryTransport>> = {
  'aaa+auth:radius.tls.tcp': 'tls',
  'aaa+auth:radius.dtls.udp': 'dtls',
  'x-eduroam:radius.tls': 'tls',
};

/** How much of one answer is followed: a hostile zone cannot make one realm cost hundreds of queries. */
const MAX_NAPTR = 16;
const MAX_TARGETS = 32;
/** How much of a name from the DNS an error message repeats, and how many names. */
const SHOWN = 48;
const SHOWN_NAMES = 3;
/** A name in an answer: letters, digits, hyphens, and the underscores of SRV owner names (_radsec._tcp). */
const DNS_LABEL = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9])?$/;

/** One SRV target of one NAPTR service, with its addresses (RadiusHomeCandidate is one of them at one address). */
export interface DiscoveredTarget {
  /** The SRV target: the home server's host name. */
  host: string;
  port: number;
  /** RADIUS/TLS (RFC 6614) or RADIUS/DTLS (RFC 7360). */
  transport: RadiusDiscoveryTransport;
  /** The NAPTR service that named it, and the replacement (the SRV owner name) it led to. */
  service: string;
  srvName: string;
  /** The NAPTR record's order and preference, the SRV record's priority and weight. */
  order: number;
  preference: number;
  priority: number;
  weight: number;
  /** IPv4 addresses first, then IPv6, each in the order the DNS gave them. */
  addresses: string[];
}

export interface DiscoveryAnswer {
  /** In NAPTR preference order, then SRV priority order (RFC 2782's weights are applied when they are handed out). */
  targets: DiscoveredTarget[];
  /** The shortest TTL of the addresses, seconds: the only TTLs node:dns reads (none for NAPTR and SRV). */
  addressTtl: number;
}

/** A name from an answer, lower case without its trailing dot, or undefined when it is no usable host name. */
function dnsName(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const bare = (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
  if (bare.length === 0 || bare.length > 253) return undefined;
  return bare.split('.').every((label) => label.length <= 63 && DNS_LABEL.test(label)) ? bare : undefined;
}

/** Something from a DNS answer, quoted and cut short, fit for a message. */
const quoted = (text: string): string => JSON.stringify(text.length > SHOWN ? `${text.slice(0, SHOWN)}…` : text);
const someNames = (names: string[]): string =>
  names.slice(0, SHOWN_NAMES).join(', ') + (names.length > SHOWN_NAMES ? ` and ${names.length - SHOWN_NAMES} more` : '');

/** c-ares's word for a failed query, as discovery reports it. */
function queryFailure(error: unknown, realm: string, query: string, timeoutMs: number): RadiusDiscoveryError {
  const code = String((error as NodeJS.ErrnoException).code ?? 'EUNKNOWN');
  if (code === 'ETIMEOUT' || code === 'ECANCELLED') {
    return new RadiusDiscoveryError('timeout', realm, `the DNS did not answer ${query} within ${timeoutMs} ms`);
  }
  return new RadiusDiscoveryError('dns-error', realm, `the DNS failed ${query} (${code})`);
}

/**
 * The records of a query; an empty list for a name that does not exist or holds none of that type,
 * and for a query that failed, whose failure goes to `failures`: one SRV name or one address that
 * fails does not stop the others, and is what discovery says when nothing else was found.
 */
async function records<T>(query: () => Promise<T[]>, failures: RadiusDiscoveryError[],
  onFailure: (error: unknown) => RadiusDiscoveryError): Promise<T[]> {
  try {
    return await query();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTFOUND' && code !== 'ENODATA') failures.push(onFailure(error));
    return [];
  }
}

/**
 * The NAPTR records to follow: the matching ones of the lowest order that has one (RFC 3403 §4), by
 * preference; at one preference RADIUS/TLS before RADIUS/DTLS (every RFC 7585 home speaks TLS,
 * RFC 7585 §2.1; the DNS's own order of equal records is no order at all).
 */
async function serviceRecords(resolver: Resolver, realm: string, transports: readonly RadiusDiscoveryTransport[], timeoutMs: number) {
  const query = `NAPTR ${realm}`;
  let naptr;
  try {
    naptr = await resolver.resolveNaptr(`${realm}.`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND') throw new RadiusDiscoveryError('nxdomain', realm, `${realm} does not exist in the DNS (NXDOMAIN)`);
    if (code === 'ENODATA') throw new RadiusDiscoveryError('no-naptr', realm, `${realm} has no NAPTR record`);
    throw queryFailure(error, realm, query, timeoutMs);
  }
  if (naptr.length === 0) throw new RadiusDiscoveryError('no-naptr', realm, `${realm} has no NAPTR record`);
  const matching = naptr.flatMap((record) => {
    const transport = DISCOVERY_SERVICES[String(record.service).toLowerCase()];
    const srvName = dnsName(record.replacement);
    if (transport === undefined || !transports.includes(transport) || String(record.flags).toLowerCase() !== 's' ||
      srvName === undefined) return [];
    return [{ service: record.service.toLowerCase(), transport, srvName, order: record.order, preference: record.preference }];
  });
  if (matching.length === 0) {
    const wanted = Object.entries(DISCOVERY_SERVICES).filter(([, transport]) => transports.includes(transport)).map(([service]) => service);
    const found = [...new Set(naptr.map((record) => `${quoted(String(record.service))} flag ${quoted(String(record.flags))}`))];
    throw new RadiusDiscoveryError('no-service', realm, `the NAPTR records of ${realm} name no ${wanted.join(' or ')} with flag "s" ` +
      `and an SRV name (found ${someNames(found)})`);
  }
  const first = Math.min(...matching.map((record) => record.order));
  const rank = (record: { transport: RadiusDiscoveryTransport }): number => (record.transport === 'tls' ? 0 : 1);
  return matching.filter((record) => record.order === first).sort((a, b) => a.preference - b.preference || rank(a) - rank(b))
    .slice(0, MAX_NAPTR);
}

/** Each record's A then AAAA addresses, and the shortest TTL among them. */
async function addressesOf(resolver: Resolver, host: string, failures: RadiusDiscoveryError[],
  onFailure: (query: string) => (error: unknown) => RadiusDiscoveryError) {
  const [v4, v6] = await Promise.all([
    records(() => resolver.resolve4(`${host}.`, { ttl: true }), failures, onFailure(`A ${host}`)),
    records(() => resolver.resolve6(`${host}.`, { ttl: true }), failures, onFailure(`AAAA ${host}`)),
  ]);
  const all = [...v4, ...v6];
  return { addresses: all.map((record) => record.address), ttl: Math.min(...all.map((record) => record.ttl)) };
}

/**
 * The home servers of `realm` (already checked by discoveryRealm): resolves with every SRV target
 * that has an address, rejects with a RadiusDiscoveryError saying why there is none. Not bounded in
 * time here: the caller races it against its own bound.
 */
export async function lookUpRealm(resolver: Resolver, realm: string, transports: readonly RadiusDiscoveryTransport[],
  timeoutMs: number): Promise<DiscoveryAnswer> {
  const failure = (query: string) => (error: unknown) => queryFailure(error, realm, query, timeoutMs);
  const services = await serviceRecords(resolver, realm, transports, timeoutMs);
  const failures: RadiusDiscoveryError[] = [];
  const srvSets = await Promise.all(services.map(async (naptr) => {
    const srv = await records(() => resolver.resolveSrv(`${naptr.srvName}.`), failures, failure(`SRV ${naptr.srvName}`));
    // RFC 2782: a target of "." says the service is decidedly not there.
    return srv.flatMap((record) => {
      const host = dnsName(record.name);
      return host === undefined || record.port === 0 ? [] : [{ ...naptr, host, port: record.port, priority: record.priority, weight: record.weight }];
    }).sort((a, b) => a.priority - b.priority);
  }));
  const found = srvSets.flat().slice(0, MAX_TARGETS);
  if (found.length === 0) {
    if (failures.length > 0) throw failures[0];
    throw new RadiusDiscoveryError('no-srv', realm, `no usable SRV record at ${someNames(services.map((naptr) => naptr.srvName))}`);
  }
  const hosts = [...new Set(found.map((target) => target.host))];
  const resolved = new Map(await Promise.all(hosts.map(async (host) => [host, await addressesOf(resolver, host, failures, failure)] as const)));
  const targets = found.map((target) => ({ ...target, addresses: resolved.get(target.host)?.addresses ?? [] }))
    .filter((target) => target.addresses.length > 0);
  if (targets.length === 0 && failures.length > 0) throw failures[0];
  if (targets.length === 0) throw new RadiusDiscoveryError('no-address', realm, `no A or AAAA record for ${someNames(hosts)}`);
  const addressTtl = Math.min(...[...resolved.values()].filter((entry) => entry.addresses.length > 0).map((entry) => entry.ttl));
  return { targets, addressTtl };
}

/**
 * The targets in the order to try them: as they stand, except that the targets of one NAPTR record
 * and one SRV priority are drawn by RFC 2782's weighted choice, drawn again at each call, so that
 * proxies spread their load as the weights say. `random` gives numbers in [0, 1).
 */
export function weightedOrder(targets: readonly DiscoveredTarget[], random: () => number = Math.random): DiscoveredTarget[] {
  const ordered: DiscoveredTarget[] = [];
  for (let start = 0; start < targets.length;) {
    let end = start + 1;
    const same = (a: DiscoveredTarget, b: DiscoveredTarget) => a.srvName === b.srvName && a.priority === b.priority;
    while (end < targets.length && same(targets[start], targets[end])) end++;
    // RFC 2782: weight 0 first, then a running sum; the first whose sum reaches a random number in [0, total] goes next.
    const group = targets.slice(start, end).sort((a, b) => (a.weight === 0 ? 0 : 1) - (b.weight === 0 ? 0 : 1));
    while (group.length > 0) {
      const total = group.reduce((sum, target) => sum + target.weight, 0);
      const pick = Math.floor(random() * (total + 1));
      let sum = 0;
      const at = group.findIndex((target) => (sum += target.weight) >= pick);
      ordered.push(...group.splice(at < 0 ? 0 : at, 1));
    }
    start = end;
  }
  return ordered;
}

