import { isIP } from 'node:net';
import {
  AUTHENTICATOR_LENGTH, RADIUS_HEADER_LENGTH, RADIUS_MAX_ATTRIBUTE_VALUE, RADIUS_MAX_PACKET_LENGTH,
} from './constants';
import { RadiusMalformedError } from './errors';

/** One attribute as it travels: type and raw value. Interpretation belongs to the caller. */
export interface RadiusAttribute {
  type: number;
  value: Buffer;
}

export interface RadiusPacket {
  code: number;
  identifier: number;
  /** Request Authenticator, or Response Authenticator in replies. */
  authenticator: Buffer;
  attributes: RadiusAttribute[];
}

/** A packet decoded from the wire, with the exact bytes it was decoded from (for verification). */
export interface DecodedRadiusPacket extends RadiusPacket {
  /** The datagram cut to the header's Length field (RFC 2865 §3: octets past it are padding). */
  raw: Buffer;
  /** Byte offset of each attribute's value within `raw`, parallel to `attributes`. */
  valueOffsets: number[];
}

/**
 * Parses a datagram. Every length is checked before anything is read: a reply from the network
 * is untrusted until its authenticator has been verified, and even then is only as good as its
 * framing. Attribute values are copies.
 */
export function decodeRadiusPacket(datagram: Buffer): DecodedRadiusPacket {
  if (datagram.length < RADIUS_HEADER_LENGTH) {
    throw new RadiusMalformedError(`datagram of ${datagram.length} bytes is shorter than a RADIUS header`);
  }
  const length = datagram.readUInt16BE(2);
  if (length < RADIUS_HEADER_LENGTH || length > RADIUS_MAX_PACKET_LENGTH) {
    throw new RadiusMalformedError(`RADIUS Length field ${length} is out of range`);
  }
  if (length > datagram.length) {
    throw new RadiusMalformedError(`RADIUS Length field ${length} exceeds the ${datagram.length}-byte datagram`);
  }
  const raw = datagram.subarray(0, length);
  const attributes: RadiusAttribute[] = [];
  const valueOffsets: number[] = [];
  let offset = RADIUS_HEADER_LENGTH;
  while (offset < length) {
    if (offset + 2 > length) {
      throw new RadiusMalformedError('truncated attribute header');
    }
    const type = raw[offset];
    const attributeLength = raw[offset + 1];
    if (attributeLength < 2 || offset + attributeLength > length) {
      throw new RadiusMalformedError(`attribute ${type} has invalid length ${attributeLength}`);
    }
    const value = raw.subarray(offset + 2, offset + attributeLength);
    attributes.push({ type, value: Buffer.from(value) });
    valueOffsets.push(offset + 2);
    offset += attributeLength;
  }
  return {
    code: raw[0],
    identifier: raw[1],
    authenticator: Buffer.from(raw.subarray(4, 4 + AUTHENTICATOR_LENGTH)),
    attributes,
    raw,
    valueOffsets,
  };
}

/** Serialises a packet exactly as given (no crypto: see signing.ts). */
export function encodeRadiusPacket(packet: RadiusPacket): Buffer {
  if (packet.authenticator.length !== AUTHENTICATOR_LENGTH) {
    throw new RangeError('a RADIUS authenticator is 16 bytes');
  }
  let length = RADIUS_HEADER_LENGTH;
  for (const attribute of packet.attributes) {
    if (attribute.value.length > RADIUS_MAX_ATTRIBUTE_VALUE) {
      throw new RangeError(`attribute ${attribute.type} value of ${attribute.value.length} bytes exceeds 253`);
    }
    length += 2 + attribute.value.length;
  }
  if (length > RADIUS_MAX_PACKET_LENGTH) {
    throw new RangeError(`RADIUS packet of ${length} bytes exceeds 4096`);
  }
  // Every byte is written below: a slice of Node's buffer pool spares a buffer of its own per packet.
  const out = Buffer.allocUnsafe(length);
  out[0] = packet.code;
  out[1] = packet.identifier;
  out.writeUInt16BE(length, 2);
  packet.authenticator.copy(out, 4);
  let offset = RADIUS_HEADER_LENGTH;
  for (const attribute of packet.attributes) {
    out[offset] = attribute.type;
    out[offset + 1] = 2 + attribute.value.length;
    attribute.value.copy(out, offset + 2);
    offset += 2 + attribute.value.length;
  }
  return out;
}

export function findAttribute(packet: RadiusPacket, type: number): Buffer | undefined {
  return packet.attributes.find((attribute) => attribute.type === type)?.value;
}

/** Text attributes (Reply-Message, User-Name) are UTF-8 per RFC 2865 §5. */
export function textAttribute(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  return bytes.length > RADIUS_MAX_ATTRIBUTE_VALUE ? bytes.subarray(0, RADIUS_MAX_ATTRIBUTE_VALUE) : bytes;
}

export function uint32Attribute(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
}

/** An address attribute's value (RFC 2865 §5 "address", RFC 3162 NAS-IPv6-Address): 4 or 16 octets. */
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
