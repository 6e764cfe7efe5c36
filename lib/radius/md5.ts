/**
 * MD5 (RFC 1321) and HMAC-MD5 (RFC 2104) for RADIUS's own integrity checks and hiding (RFC 2865
 * §3 and §5.2, RFC 3579 §3.2, RFC 2548 §2.4.2): a few blocks a packet. node:crypto makes a native
 * hash object and an OpenSSL context for each digest, some 3 to 5 µs apiece on this load, about
 * a tenth of a RADIUS server's CPU per EAP-MSCHAPv2 authentication; the same blocks cost well
 * under a microsecond here, and HMAC's padded-key blocks are hashed once per secret, not per packet.
 * Nothing here depends on the data for its timing (no tables indexed by it, no early exits).
 */

const BLOCK = 64;
/** The sines of RFC 1321 §3.4, as 32-bit words. */
const K = Int32Array.from([
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
  0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
  0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
  0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
  0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
  0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
  0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
]);
/** Each round's four shift amounts. */
const SHIFTS = Int32Array.from('7 12 17 22 5 9 14 20 4 11 16 23 6 10 15 21'.split(' '), Number);
const INITIAL = Int32Array.from([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);

/** One block's 16 little-endian words, shared: JS runs one digest at a time. */
const words = new Int32Array(16);

function compress(state: Int32Array, bytes: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++) {
    const o = at + 4 * i;
    words[i] = bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24);
  }
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  for (let i = 0; i < 64; i++) {
    let f: number;
    let g: number;
    if (i < 16) {
      f = (b & c) | (~b & d);
      g = i;
    } else if (i < 32) {
      f = (d & b) | (~d & c);
      g = (5 * i + 1) & 15;
    } else if (i < 48) {
      f = b ^ c ^ d;
      g = (3 * i + 5) & 15;
    } else {
      f = c ^ (b | ~d);
      g = (7 * i) & 15;
    }
    const sum = (a + f + K[i] + words[g]) | 0;
    const s = SHIFTS[((i >> 4) << 2) | (i & 3)];
    a = d;
    d = c;
    c = b;
    b = (b + ((sum << s) | (sum >>> (32 - s)))) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
}

/** An MD5 in progress; reusable after digestInto. */
export class Md5 {
  private readonly state = new Int32Array(4);
  private readonly block = new Uint8Array(BLOCK);
  private used = 0;
  private length = 0;

  /** `from`: a state after `length` bytes already hashed (whole blocks), as HMAC's keys are. */
  constructor(from: Int32Array = INITIAL, length = 0) {
    this.restart(from, length);
  }

  /** Starts again from `from`, as the constructor does: one object serves digest after digest. */
  restart(from: Int32Array = INITIAL, length = 0): this {
    this.state.set(from);
    this.length = length;
    this.used = 0;
    return this;
  }

  update(data: Uint8Array): this {
    let at = 0;
    const end = data.length;
    this.length += end;
    if (this.used > 0) {
      const take = Math.min(BLOCK - this.used, end);
      this.block.set(data.subarray(0, take), this.used);
      this.used += take;
      at = take;
      if (this.used < BLOCK) return this;
      compress(this.state, this.block, 0);
      this.used = 0;
    }
    for (; at + BLOCK <= end; at += BLOCK) compress(this.state, data, at);
    if (at < end) {
      this.block.set(data.subarray(at, end), 0);
      this.used = end - at;
    }
    return this;
  }

  /** Writes the 16-byte digest at `out[offset]` and wipes what was hashed. */
  digestInto(out: Uint8Array, offset = 0): void {
    const bits = this.length * 8;
    const block = this.block;
    block[this.used++] = 0x80;
    if (this.used > BLOCK - 8) {
      block.fill(0, this.used);
      compress(this.state, block, 0);
      this.used = 0;
    }
    block.fill(0, this.used, BLOCK - 8);
    // The length in bits, 64-bit little-endian (packets stay far below 2^32 bits).
    for (let i = 0; i < 4; i++) block[BLOCK - 8 + i] = (bits >>> (8 * i)) & 0xff;
    const high = Math.floor(bits / 0x100000000);
    for (let i = 0; i < 4; i++) block[BLOCK - 4 + i] = (high >>> (8 * i)) & 0xff;
    compress(this.state, block, 0);
    for (let i = 0; i < 4; i++) {
      const word = this.state[i];
      out[offset + 4 * i] = word & 0xff;
      out[offset + 4 * i + 1] = (word >>> 8) & 0xff;
      out[offset + 4 * i + 2] = (word >>> 16) & 0xff;
      out[offset + 4 * i + 3] = (word >>> 24) & 0xff;
    }
    block.fill(0);
    this.state.fill(0);
    this.used = 0;
    this.length = 0;
  }

  /** The digest as a new Buffer (from Node's pool). */
  digest(): Buffer {
    const out = Buffer.allocUnsafe(16);
    this.digestInto(out);
    return out;
  }
}

// The digests below run to completion on the one JS thread, so they share their hashing
// state: a RADIUS packet takes some five of them, and a new state for each (two typed arrays) was
// a tenth of the garbage serve made per authentication.
const scratch = new Md5();
const scratchOuter = new Md5();

/** MD5 of `first` then `second`, as a new Buffer (from Node's pool). */
export function md5(first: Uint8Array, second?: Uint8Array): Buffer {
  scratch.restart().update(first);
  if (second !== undefined) scratch.update(second);
  return scratch.digest();
}

/** An HMAC key's two padded blocks, hashed: the states every HMAC under it starts from. */
interface HmacStates {
  key: Buffer;
  inner: Int32Array;
  outer: Int32Array;
}

/** Per secret Buffer, kept while the Buffer lives; checked against a copy of the key, so a
 *  secret changed in place is hashed again, never answered from a stale state. */
const hmacStates = new WeakMap<Buffer, HmacStates>();
const innerDigest = new Uint8Array(16);

function statesOf(key: Buffer): HmacStates {
  const known = hmacStates.get(key);
  if (known && known.key.equals(key)) return known;
  const padded = new Uint8Array(BLOCK);
  padded.set(key.length > BLOCK ? md5(key) : key);
  const states = (pad: number): Int32Array => {
    const block = padded.map((byte) => byte ^ pad);
    const state = Int32Array.from(INITIAL);
    compress(state, block, 0);
    block.fill(0);
    return state;
  };
  const made = { key: Buffer.from(key), inner: states(0x36), outer: states(0x5c) };
  padded.fill(0);
  hmacStates.set(key, made);
  return made;
}

/** HMAC-MD5 of `data` under `key`, as a new Buffer (from Node's pool). */
export function hmacMd5(key: Buffer, data: Uint8Array): Buffer {
  const { inner, outer } = statesOf(key);
  scratch.restart(inner, BLOCK).update(data).digestInto(innerDigest);
  const out = Buffer.allocUnsafe(16);
  scratchOuter.restart(outer, BLOCK).update(innerDigest).digestInto(out);
  innerDigest.fill(0);
  return out;
}
