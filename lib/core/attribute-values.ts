import { isIP } from 'node:net';

/**
 * Typed attribute values (RFC 2865 §5 text, integer, address; RFC 3162 IPv6 address) to and from
 * the bytes of one value. Values only: which attribute carries them, and every RADIUS packet's
 * framing, signing and hiding, belong to the native RADIUS stack.
 */

/** The longest value an attribute holds (its length octet counts the type and itself). */
const MAX_VALUE_LENGTH = 253;

/** Text (Reply-Message, User-Name) is UTF-8, cut to what one attribute holds. */
export function textAttribute(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return bytes.length > MAX_VALUE_LENGTH ? bytes.subarray(0, MAX_VALUE_LENGTH) : bytes;
}

export function uint32Attribute(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
}

/** An integer value, or undefined when it is not 4 octets. */
export function uint32Of(value: Buffer): number | undefined {
  return value.length === 4 ? value.readUInt32BE(0) : undefined;
}

/** An address value: 4 or 16 octets. */
export function addressAttribute(text: string): Buffer {
  const family = isIP(text);
  if (family === 4) return Buffer.from(text.split('.').map(Number));
  if (family !== 6) throw new RangeError(`"${text}" is not an IP address`);
  const full = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const [head, tail = ''] = full.split('::');
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const missing = 8 - groups(head).length - groups(tail).length;
  const all = [...groups(head), ...Array(full.includes('::') ? missing : 0).fill('0'), ...groups(tail)];
  return Buffer.from(all.map((group) => group.padStart(4, '0')).join(''), 'hex');
}

/** An address value as text (IPv6 in its canonical short form), or undefined when it is neither 4 nor 16 octets. */
export function addressText(value: Buffer): string | undefined {
  if (value.length === 4) return [...value].join('.');
  if (value.length !== 16) return undefined;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(value.readUInt16BE(i).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}
