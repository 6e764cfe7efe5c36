/**
 * The few DER (X.690) encodings the ephemeral certificates need. Definite lengths only, as
 * DER requires; every builder returns a complete TLV.
 */

function lengthOctets(length: number): Buffer {
  if (length < 0x80) return Buffer.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.of(tag), lengthOctets(value.length), value]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
export const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
/** [n] EXPLICIT (constructed, context-specific). */
export const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);
/** [n] IMPLICIT over a primitive value. */
export const implicitPrimitive = (n: number, value: Buffer): Buffer => tlv(0x80 | n, value);
export const octetString = (value: Buffer): Buffer => tlv(0x04, value);
export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
export const booleanTrue = (): Buffer => Buffer.of(0x01, 0x01, 0xff);

/** INTEGER from unsigned big-endian bytes: minimal, with a 0 prefix when the top bit is set. */
export function unsignedInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return tlv(0x02, trimmed[0] & 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : Buffer.from(trimmed));
}

export const smallInteger = (n: number): Buffer => unsignedInteger(Buffer.of(n));

/** BIT STRING of whole bytes (no unused bits). */
export const bitString = (bytes: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.of(0), bytes]));

/** BIT STRING for named bits (bit 0 is the most significant bit of the first byte), DER-minimal. */
export function namedBits(bits: number[]): Buffer {
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3] |= 0x80 >> (bit & 7);
  const unused = 7 - (highest & 7);
  return tlv(0x03, Buffer.concat([Buffer.of(unused), bytes]));
}

export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((arc) => !Number.isSafeInteger(arc) || arc < 0)) throw new TypeError(`bad OID ${dotted}`);
  const out = [40 * arcs[0] + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const chunk = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift(0x80 | (n & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; always UTC, seconds, Z. */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  const year = date.getUTCFullYear();
  return year < 2050 ? tlv(0x17, Buffer.from(digits.slice(2) + 'Z', 'latin1'))
    : tlv(0x18, Buffer.from(digits + 'Z', 'latin1'));
}

/** One DER element read at `offset`: its tag, its contents and where it ends; undefined when a
 *  length runs past the buffer (every length is checked before it is read). */
export interface DerElement { tag: number; body: Buffer; end: number }

export function readElement(der: Buffer, offset = 0): DerElement | undefined {
  if (offset + 2 > der.length) return undefined;
  const tag = der[offset];
  let length = der[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 3 || start + octets > der.length) return undefined;
    length = der.readUIntBE(start, octets);
    start += octets;
  }
  if (start + length > der.length) return undefined;
  return { tag, body: der.subarray(start, start + length), end: start + length };
}

/** The elements of a constructed element's contents, in order. */
export function readChildren(body: Buffer): DerElement[] | undefined {
  const out: DerElement[] = [];
  for (let offset = 0; offset < body.length;) {
    const next = readElement(body, offset);
    if (!next) return undefined;
    out.push(next);
    offset = next.end;
  }
  return out;
}

/** UTCTime (YYMMDDHHMMSSZ, 1950-2049) or GeneralizedTime (YYYYMMDDHHMMSS[.f]Z) as ISO 8601. */
export function readTime(e: DerElement | undefined): string | undefined {
  if (e?.tag !== 0x17 && e?.tag !== 0x18) return undefined;
  const text = e.body.toString('latin1');
  const m = e.tag === 0x18 ? /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.\d+)?Z$/.exec(text)
    : /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text);
  if (!m) return undefined;
  const year = e.tag === 0x18 ? m[1] : String((Number(m[1]) < 50 ? 2000 : 1900) + Number(m[1]));
  return `${year}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`;
}
