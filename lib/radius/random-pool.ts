import { randomFillSync } from 'node:crypto';

/**
 * Random bytes for values that are public but must be unpredictable (a State, an MPPE salt),
 * drawn from one buffer filled by the CSPRNG a few hundred values at a time: randomBytes()
 * per value costs a call into OpenSSL and a buffer of its own on every RADIUS round trip.
 * Never for secrets: the bytes not yet handed out stay in memory until they are.
 */
const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let used = POOL_SIZE;

/** `length` fresh random bytes (at most POOL_SIZE), in a buffer of their own. */
export function publicRandomBytes(length: number): Buffer {
  if (length > POOL_SIZE - used) {
    randomFillSync(pool);
    used = 0;
  }
  const out = Buffer.from(pool.subarray(used, used + length));
  // Handed-out bytes are not kept: a later dump of the pool shows only what is still to come.
  pool.fill(0, used, used + length);
  used += length;
  return out;
}
