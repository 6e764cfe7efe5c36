import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A test oracle, not a second RADIUS stack: the few RFC 2865 / 3579 / 2548 formulas the tests and
 * bench need to speak to the native server as an independent peer would, written straight from the
 * RFCs over node:crypto. Kept minimal on purpose: no retransmission, no replay cache, no policy.
 * lib/ never imports it.
 */

export interface OracleAttribute {
  type: number;
  value: Buffer;
}

export interface OraclePacket {
  code: number;
  identifier: number;
  authenticator: Buffer;
  attributes: OracleAttribute[];
  /** The datagram cut to its Length field. */
  raw: Buffer;
  /** Where each attribute's value starts within `raw`. */
  valueOffsets: number[];
}

const EAP_MESSAGE = 79;
const MESSAGE_AUTHENTICATOR = 80;
const USER_PASSWORD = 2;

/** RFC 2865 §3: a header of 20 octets, then type-length-value attributes up to Length. */
export function decodeRadiusPacket(datagram: Buffer): OraclePacket {
  if (datagram.length < 20) throw new Error(`${datagram.length} bytes is shorter than a RADIUS header`);
  const length = datagram.readUInt16BE(2);
  if (length < 20 || length > 4096 || length > datagram.length) throw new Error(`Length field ${length} is out of range`);
  const raw = datagram.subarray(0, length);
  const attributes: OracleAttribute[] = [];
  const valueOffsets: number[] = [];
  for (let offset = 20; offset < length;) {
    const attributeLength = offset + 2 <= length ? raw[offset + 1] : 0;
    if (attributeLength < 2 || offset + attributeLength > length) throw new Error(`attribute at ${offset} is torn`);
    attributes.push({ type: raw[offset], value: Buffer.from(raw.subarray(offset + 2, offset + attributeLength)) });
    valueOffsets.push(offset + 2);
    offset += attributeLength;
  }
  return {
    code: raw[0], identifier: raw[1], authenticator: Buffer.from(raw.subarray(4, 20)), attributes, raw, valueOffsets,
  };
}

/** RFC 3579 §3.1: an EAP packet as consecutive EAP-Message attributes of at most 253 octets. */
export function eapMessageAttributes(eap: Buffer): OracleAttribute[] {
  const out: OracleAttribute[] = [];
  for (let offset = 0; offset < eap.length; offset += 253) out.push({ type: EAP_MESSAGE, value: eap.subarray(offset, offset + 253) });
  return out;
}

/** The EAP-Message attributes joined; throws when they are not one whole EAP packet. */
export function reassembleEapMessage(packet: { attributes: OracleAttribute[] }): Buffer | undefined {
  const parts = packet.attributes.filter((attribute) => attribute.type === EAP_MESSAGE).map((attribute) => attribute.value);
  if (parts.length === 0) return undefined;
  const eap = Buffer.concat(parts);
  if (eap.length < 4 || eap.readUInt16BE(2) !== eap.length) throw new Error('EAP-Message attributes do not hold one EAP packet');
  return eap;
}

/** RFC 2865 §5.2: the password padded to 16 octets, each block XORed with MD5(secret + previous). */
function hidePassword(password: Buffer, secret: Buffer, requestAuthenticator: Buffer): Buffer {
  const out = Buffer.alloc(Math.max(16, Math.ceil(password.length / 16) * 16));
  password.copy(out);
  let previous = requestAuthenticator;
  for (let block = 0; block < out.length; block += 16) {
    const pad = createHash('md5').update(secret).update(previous).digest();
    for (let i = 0; i < 16; i++) out[block + i] ^= pad[i];
    previous = out.subarray(block, block + 16);
  }
  return out;
}

/**
 * An Access-Request (or `code`) with a random Request Authenticator and Message-Authenticator first,
 * its HMAC-MD5 over the packet with that value zeroed (RFC 3579 §3.2).
 */
export function signAccessRequest(identifier: number, attributes: OracleAttribute[], secret: Buffer, code = 1,
  userPassword?: Buffer): { datagram: Buffer; requestAuthenticator: Buffer } {
  const requestAuthenticator = randomBytes(16);
  const all: OracleAttribute[] = [{ type: MESSAGE_AUTHENTICATOR, value: Buffer.alloc(16) },
    ...(userPassword === undefined ? [] : [{ type: USER_PASSWORD, value: hidePassword(userPassword, secret, requestAuthenticator) }]),
    ...attributes.filter((attribute) => attribute.type !== MESSAGE_AUTHENTICATOR)];
  const body = Buffer.concat(all.map(({ type, value }) => Buffer.concat([Buffer.from([type, 2 + value.length]), value])));
  const datagram = Buffer.concat([Buffer.from([code, identifier, 0, 0]), requestAuthenticator, body]);
  datagram.writeUInt16BE(datagram.length, 2);
  createHmac('md5', secret).update(datagram).digest().copy(datagram, 22);
  return { datagram, requestAuthenticator };
}

function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A reply checked against its request: Response Authenticator MD5(Code+ID+Length+RequestAuth+
 * Attributes+Secret) (RFC 2865 §3), and the Message-Authenticator when present or when EAP is carried.
 */
export function verifyResponse(packet: OraclePacket, requestAuthenticator: Buffer, secret: Buffer): boolean {
  const expected = createHash('md5').update(packet.raw.subarray(0, 4)).update(requestAuthenticator)
    .update(packet.raw.subarray(20)).update(secret).digest();
  if (!same(expected, packet.authenticator)) return false;
  const index = packet.attributes.findIndex((attribute) => attribute.type === MESSAGE_AUTHENTICATOR);
  if (index === -1) return !packet.attributes.some((attribute) => attribute.type === EAP_MESSAGE);
  const copy = Buffer.from(packet.raw);
  requestAuthenticator.copy(copy, 4);
  copy.fill(0, packet.valueOffsets[index], packet.valueOffsets[index] + 16);
  return same(createHmac('md5', secret).update(copy).digest(), packet.attributes[index].value);
}

/**
 * An MS-MPPE-Send/Recv-Key Vendor-Specific value (RFC 2548 §2.4.2) with its key unhidden, in the
 * clear layout lib/core/mppe-key.ts parses; undefined when it does not decode.
 */
export function decryptMppeKey(value: Buffer, secret: Buffer, requestAuthenticator: Buffer): Buffer | undefined {
  if (value.length < 8 + 16) return undefined;
  const salt = value.subarray(6, 8);
  const hidden = value.subarray(8);
  if ((salt[0] & 0x80) === 0 || hidden.length % 16 !== 0) return undefined;
  const plain = Buffer.alloc(hidden.length);
  let chain: Buffer = Buffer.concat([requestAuthenticator, salt]);
  for (let offset = 0; offset < hidden.length; offset += 16) {
    const b = createHash('md5').update(secret).update(chain).digest();
    for (let i = 0; i < 16; i++) plain[offset + i] = hidden[offset + i] ^ b[i];
    chain = hidden.subarray(offset, offset + 16);
  }
  const keyLength = plain[0];
  if (keyLength === 0 || keyLength > plain.length - 1) return undefined;
  const key = plain.subarray(1, 1 + keyLength);
  const clear = Buffer.concat([value.subarray(0, 8), Buffer.from([keyLength]), key]);
  clear[5] = clear.length - 4;
  return clear;
}
