/**
 * Inputs nobody chose in advance, for the profile writers' round trips: a seeded generator (so a
 * failure can be replayed) of text a network profile accepts but a format finds awkward —
 * separators, quotes, backslashes, whitespace at the ends, digits-only strings, non-ASCII and
 * astral characters, and lengths up to the model's byte limits.
 */

/** A small seeded PRNG (mulberry32): the same seed gives the same cases on every machine. */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** The seed of a run: EAPHOST_PROPERTY_SEED to replay one, else a fresh one. */
export function propertySeed(): number {
  const given = process.env.EAPHOST_PROPERTY_SEED;
  return given !== undefined ? Number(given) >>> 0 : Math.floor(Math.random() * 2 ** 32);
}

const AWKWARD = [';', ',', '\\', '"', "'", ' ', '\t', '\n', '\r', '#', '=', '[', ']', '$', '%', '&', '<', '>', '{', '}', '/', '.', '*', '?', '~', '|', '@', ':'];
const NON_ASCII = ['é', 'ß', 'ø', 'ü', 'Ω', 'д', '中', '文', '\u00a0', '\u200b', '\u2028', '\ufeff', '😀', '𝄞', '\u{10ffff}', '\u007f', '\u0085'];
const DIGITS = '0123456789';
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function character(random: SeededRandom): string {
  const pool = random.int(10);
  if (pool < 3) return random.pick(AWKWARD);
  if (pool < 5) return random.pick(NON_ASCII);
  if (pool < 7) return DIGITS[random.int(10)];
  if (pool < 8) return String.fromCharCode(0x20 + random.int(0x5f));
  return LETTERS[random.int(LETTERS.length)];
}

/**
 * A non-empty string of at most `maxBytes` UTF-8 bytes, of characters XML 1.0 can carry (the
 * model's rule for names). Sometimes exactly at the limit, sometimes only digits and semicolons.
 */
export function hostileText(random: SeededRandom, maxBytes: number, { exclude = '' }: { exclude?: string } = {}): string {
  const shape = random.int(8);
  const target = shape === 0 ? maxBytes : 1 + random.int(shape < 4 ? Math.min(maxBytes, 12) : maxBytes);
  const digitsOnly = shape === 1;
  let text = '';
  for (let tries = 0; tries < 4 * target + 16 && Buffer.byteLength(text) < target; tries++) {
    const c = digitsOnly ? random.pick([...DIGITS, ';']) : character(random);
    if (exclude.includes(c) || Buffer.byteLength(text + c) > maxBytes) continue;
    text += c;
  }
  return text.length > 0 ? text : 'x';
}
