/**
 * The attributes a real NAS puts in its Access-Requests, from command-line flags, so a policy
 * that matches on them (NPS conditions, FreeRADIUS check items) sees what a switch or access
 * point would send:
 *
 *   --nas-ip-address 192.0.2.1 (or an IPv6 address: NAS-IPv6-Address)   --nas-identifier sw1
 *   --called-station-id 00:11:22:33:44:55:eduroam   --calling-station-id 0011.2233.4455
 *   --framed-mtu 1300   --operator-name 1example.net
 *   --attr NAME=VALUE                  a name from the table below
 *   --attr NUMBER:FORMAT=VALUE         any attribute, FORMAT one of string, integer, ipaddr, ipv6addr,
 *                                      ipv6prefix (ADDRESS/LENGTH), octets
 *   --attr 26:VENDOR:TYPE:FORMAT=VALUE a Vendor-Specific attribute (RFC 2865 §5.26), e.g.
 *                                      26:9:1:string=shell:priv-lvl=15 (Cisco-AVPair)
 *
 * MAC addresses in Called-/Calling-Station-Id are written AA-BB-CC-DD-EE-FF (RFC 3580 §3.20/21),
 * whatever the input's separators; Called-Station-Id keeps a ":SSID" suffix.
 */
import { isIP } from 'node:net';
import { RadiusAttribute } from '../radius';
import { encodeAttributes, RadiusValueFormat, TypedAttribute } from '../radius/attribute-codec';
import type { FlagReader } from './command-line';
import { UsageError, usageErrorOf } from './main';

type Format = RadiusValueFormat;
const FORMATS: readonly string[] = ['string', 'integer', 'ipaddr', 'ipv6addr', 'ipv6prefix', 'octets'];

/** A format named on the command line. */
function formatOf(name: string, what: string): Format {
  if (!FORMATS.includes(name)) throw new UsageError(`${what}: unknown format "${name}" (${FORMATS.join(', ')})`);
  return name as Format;
}

/** Attributes a NAS commonly sends, by their dictionary names. */
const NAMED: Record<string, { type: number; format: Format }> = {
  'nas-ip-address': { type: 4, format: 'ipaddr' },
  'nas-port': { type: 5, format: 'integer' },
  'service-type': { type: 6, format: 'integer' },
  'framed-mtu': { type: 12, format: 'integer' },
  'called-station-id': { type: 30, format: 'string' },
  'calling-station-id': { type: 31, format: 'string' },
  'nas-identifier': { type: 32, format: 'string' },
  'nas-port-type': { type: 61, format: 'integer' },
  'connect-info': { type: 77, format: 'string' },
  'nas-port-id': { type: 87, format: 'string' },
  'nas-ipv6-address': { type: 95, format: 'ipv6addr' },
  'operator-name': { type: 126, format: 'string' },
  'location-information': { type: 127, format: 'octets' },
  'chargeable-user-identity': { type: 89, format: 'octets' },
  'framed-ip-address': { type: 8, format: 'ipaddr' },
  'filter-id': { type: 11, format: 'string' },
  'session-timeout': { type: 27, format: 'integer' },
  'idle-timeout': { type: 28, format: 'integer' },
  'acct-session-id': { type: 44, format: 'string' },
};

/** Attributes the EAP conversation itself owns: a flag must not forge or duplicate them. */
const RESERVED = new Map<number, string>([[1, 'User-Name (it is the EAP identity)'], [2, 'User-Password'],
  [24, 'State'], [79, 'EAP-Message'], [80, 'Message-Authenticator'], [33, 'Proxy-State']]);

const MAC = /^([0-9a-f]{2})[-:.]?([0-9a-f]{2})[-:.]?([0-9a-f]{2})[-:.]?([0-9a-f]{2})[-:.]?([0-9a-f]{2})[-:.]?([0-9a-f]{2})$/i;

/** AA-BB-CC-DD-EE-FF from aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff, aabbccddeeff, …; anything else unchanged. */
export function normaliseStationId(text: string, allowSsid: boolean): string {
  const whole = MAC.exec(text);
  if (whole) return whole.slice(1).join('-').toUpperCase();
  if (allowSsid) {
    // "00:11:22:33:44:55:eduroam": a MAC of any spelling, then ":" and the SSID.
    for (const length of [17, 14, 12]) {
      const mac = MAC.exec(text.slice(0, length));
      if (mac && text[length] === ':') return `${mac.slice(1).join('-').toUpperCase()}:${text.slice(length + 1)}`;
    }
  }
  return text;
}

/** One attribute from a flag, written by native/radius's codec; a value it refuses is the flag's usage error. */
function encode(attribute: TypedAttribute, what: string): RadiusAttribute {
  try {
    return encodeAttributes([attribute])[0];
  } catch (error) {
    throw usageErrorOf(error, '', `${what}: `);
  }
}

function number(text: string, max: number, what: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > max) throw new UsageError(`${what}: "${text}" is not a number from 1 to ${max}`);
  return value;
}

/** One --attr argument. */
export function parseAttributeArgument(argument: string): RadiusAttribute {
  const eq = argument.indexOf('=');
  if (eq <= 0) throw new UsageError(`--attr ${argument}: expected NAME=VALUE, NUMBER:FORMAT=VALUE or 26:VENDOR:TYPE:FORMAT=VALUE`);
  const spec = argument.slice(0, eq);
  const text = argument.slice(eq + 1);
  const what = `--attr ${spec}`;
  const named = NAMED[spec.toLowerCase()];
  if (named) return encode({ type: named.type, format: named.format, value: text }, what);
  const parts = spec.split(':');
  if (parts.length === 2) {
    const type = number(parts[0], 255, what);
    if (RESERVED.has(type)) throw new UsageError(`${what}: attribute ${type} is ${RESERVED.get(type)}, set by the EAP conversation itself`);
    if (type === 26) throw new UsageError(`${what}: Vendor-Specific is written 26:VENDOR:TYPE:FORMAT=VALUE`);
    return encode({ type, format: formatOf(parts[1], what), value: text }, what);
  }
  if (parts.length === 4 && parts[0] === '26') {
    const vendor = number(parts[1], 0xffffff, what);
    const vendorType = number(parts[2], 255, what);
    return encode({ type: 26, vendor, vendorType, format: formatOf(parts[3], what), value: text }, what);
  }
  throw new UsageError(`${what}: unknown attribute name; use NUMBER:FORMAT=VALUE or 26:VENDOR:TYPE:FORMAT=VALUE`);
}

/** Attributes from the NAS flags and every --attr, in the order given. */
export function nasAttributes(flags: FlagReader): RadiusAttribute[] {
  const flag = (name: string): string | undefined => {
    const value = flags(name);
    return typeof value === 'string' ? value : undefined;
  };
  const out: RadiusAttribute[] = [];
  const nasIp = flag('nas-ip-address');
  if (nasIp !== undefined) {
    const family = isIP(nasIp);
    if (family === 0) throw new UsageError(`--nas-ip-address "${nasIp}" is not an IP address`);
    out.push(encode({ type: family === 4 ? 4 : 95, format: family === 4 ? 'ipaddr' : 'ipv6addr', value: nasIp }, '--nas-ip-address'));
  }
  const text = (name: string, type: number, transform: (value: string) => string = (value) => value): void => {
    const value = flag(name);
    if (value !== undefined) out.push(encode({ type, format: 'string', value: transform(value) }, `--${name}`));
  };
  text('nas-identifier', 32);
  text('called-station-id', 30, (value) => normaliseStationId(value, true));
  text('calling-station-id', 31, (value) => normaliseStationId(value, false));
  const mtu = flag('framed-mtu');
  if (mtu !== undefined) {
    const value = Number(mtu);
    if (!/^\d+$/.test(mtu) || value < 64 || value > 65535) throw new UsageError(`--framed-mtu "${mtu}" is not from 64 to 65535`);
    out.push(encode({ type: 12, format: 'integer', value: mtu }, '--framed-mtu'));
  }
  text('operator-name', 126);
  for (const argument of flags.all('attr') ?? []) out.push(parseAttributeArgument(argument));
  return out;
}
