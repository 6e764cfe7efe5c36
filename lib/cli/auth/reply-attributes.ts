/**
 * The final reply's attributes as a NAS would act on them, for `--json`: the VLAN assignment
 * (RFC 3580 §3.31: Tunnel-Type 13 VLAN, Tunnel-Medium-Type 6 IEEE-802, Tunnel-Private-Group-Id),
 * Class, Session-Timeout, Filter-Id, Reply-Message and the rest. The MS-MPPE keys are key
 * material and stay out (`mppeKeysMatch` says whether they are right); so do the attributes that
 * only frame the conversation (EAP-Message, Message-Authenticator, State, Proxy-State).
 */
import { RadiusAttribute } from '../../radius';

export interface DecodedReplyAttribute {
  type: number;
  name: string;
  /** Text, a number, an address, or hex for octets. */
  value: string | number;
  /** RFC 2868 tag of a Tunnel-* attribute (0 when untagged). */
  tag?: number;
  /** Vendor-Specific: the vendor and its attribute type. */
  vendor?: number;
  vendorType?: number;
}

type Format = 'text' | 'integer' | 'ipaddr' | 'octets' | 'tagged-integer' | 'tagged-text';

const KNOWN: Record<number, [string, Format]> = {
  1: ['User-Name', 'text'],
  6: ['Service-Type', 'integer'],
  7: ['Framed-Protocol', 'integer'],
  8: ['Framed-IP-Address', 'ipaddr'],
  11: ['Filter-Id', 'text'],
  12: ['Framed-MTU', 'integer'],
  18: ['Reply-Message', 'text'],
  25: ['Class', 'octets'],
  27: ['Session-Timeout', 'integer'],
  28: ['Idle-Timeout', 'integer'],
  29: ['Termination-Action', 'integer'],
  64: ['Tunnel-Type', 'tagged-integer'],
  65: ['Tunnel-Medium-Type', 'tagged-integer'],
  81: ['Tunnel-Private-Group-Id', 'tagged-text'],
  85: ['Acct-Interim-Interval', 'integer'],
  89: ['Chargeable-User-Identity', 'octets'],
};
const FRAMING = new Set([24, 33, 79, 80]);
const MICROSOFT = 311;
const MPPE_KEY_TYPES = new Set([16, 17]);

function printable(bytes: Buffer): boolean {
  return bytes.length > 0 && [...bytes.toString('utf8')].every((c) => c >= ' ' && c !== '\u007f' && c !== '\ufffd');
}

function decodeValue(format: Format, bytes: Buffer): { value: string | number; tag?: number } {
  switch (format) {
    case 'integer':
      return { value: bytes.length === 4 ? bytes.readUInt32BE(0) : bytes.toString('hex') };
    case 'ipaddr':
      return { value: bytes.length === 4 ? [...bytes].join('.') : bytes.toString('hex') };
    case 'text':
      return { value: bytes.toString('utf8') };
    case 'tagged-integer':
      // RFC 2868 §3.1: one tag octet, then a 3-octet value.
      return bytes.length === 4 ? { tag: bytes[0], value: bytes.readUIntBE(1, 3) } : { value: bytes.toString('hex') };
    case 'tagged-text':
      // RFC 2868 §3.6: a first octet 0x01-0x1F is a tag; anything else is already the text.
      return bytes.length > 0 && bytes[0] <= 0x1f
        ? { tag: bytes[0], value: bytes.subarray(1).toString('utf8') }
        : { tag: 0, value: bytes.toString('utf8') };
    default:
      return { value: bytes.toString('hex') };
  }
}

export function decodeReplyAttributes(attributes: readonly RadiusAttribute[]): DecodedReplyAttribute[] {
  const out: DecodedReplyAttribute[] = [];
  for (const { type, value } of attributes) {
    if (FRAMING.has(type)) continue;
    if (type === 26) {
      if (value.length < 4) continue;
      const vendor = value.readUInt32BE(0);
      if (value.length >= 6 && value[5] >= 2 && 4 + value[5] <= value.length) {
        const vendorType = value[4];
        if (vendor === MICROSOFT && MPPE_KEY_TYPES.has(vendorType)) continue;
        const data = value.subarray(6, 4 + value[5]);
        out.push({ type, name: 'Vendor-Specific', vendor, vendorType,
          value: printable(data) ? data.toString('utf8') : data.toString('hex') });
      } else {
        out.push({ type, name: 'Vendor-Specific', vendor, value: value.subarray(4).toString('hex') });
      }
      continue;
    }
    const known = KNOWN[type];
    if (known) {
      out.push({ type, name: known[0], ...decodeValue(known[1], value) });
    } else {
      out.push({ type, name: `Attr-${type}`, value: value.toString('hex') });
    }
  }
  return out;
}
