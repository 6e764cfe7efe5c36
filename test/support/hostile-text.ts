/**
 * Inputs nobody chose in advance, for the profile writers' round trips: a seeded generator (so a
 * failure can be replayed) of text a network profile accepts but a format finds awkward —
 * separators, quotes, backslashes, whitespace at the ends, digits-only strings, non-ASCII and
 * astral characters, and lengths up to the model's byte limits — and whole profiles made of it.
 */
import { InnerMethodName, BuiltinMethodName } from '../../lib/core/method-table';
import { Phase2Name } from '../../lib/core/connection-data';
import { NetworkProfile, ProfileEap, ProfileNetwork, checkNetworkProfile } from '../../lib/profile/network-profile';

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

export interface HostileProfileOptions {
  /** The outer methods to draw from (repeat one to draw it more often). */
  methods: readonly BuiltinMethodName[];
  /** The CA sets a TLS-based method draws its `ca` from. */
  caSets: readonly string[][];
  /** The EAP-TLS client's PKCS#12 (DER). */
  pkcs12: Buffer;
  /** EAP-TTLS phase 2 choices (default all five). */
  phase2?: readonly Phase2Name[];
  /** Inner EAP methods of PEAP and of EAP-TTLS with phase 2 'eap' (default mschapv2, gtc, md5). */
  innerMethods?: readonly InnerMethodName[];
}

/**
 * A random network profile the model accepts: one to three networks (Wi-Fi with hostile SSIDs, or
 * wired), one EAP configuration with hostile server names and outer identity, hostile name,
 * provider, identity and password, each present or not.
 */
export function hostileProfile(random: SeededRandom, options: HostileProfileOptions): NetworkProfile {
  const networks: ProfileNetwork[] = Array.from({ length: 1 + random.int(3) }, (): ProfileNetwork => {
    if (random.chance(0.2)) return { type: 'wired' };
    const security = random.pick([undefined, 'wpa2-enterprise', 'wpa3-enterprise'] as const);
    return { type: 'wifi', ssid: hostileText(random, 32), ...(security ? { security } : {}) };
  });
  const method = random.pick(options.methods);
  const eap: ProfileEap = { method };
  const inner = options.innerMethods ?? ['mschapv2', 'gtc', 'md5'];
  if (method === 'peap' || method === 'ttls' || method === 'tls') {
    eap.ca = random.pick(options.caSets);
    if (random.chance(0.7)) eap.serverNames = Array.from({ length: 1 + random.int(3) }, () => hostileText(random, 253, { exclude: ';' }));
    if (random.chance(0.6)) eap.anonymousIdentity = hostileText(random, 253);
    if (random.chance(0.3)) eap.tls = random.pick([{ min: '1.3' }, { max: '1.2' }, { min: '1.2', max: '1.3' }] as const);
  }
  if (method === 'peap' && random.chance(0.5)) eap.innerMethod = random.pick(inner);
  if (method === 'ttls') {
    eap.phase2 = random.pick(options.phase2 ?? ['pap', 'chap', 'mschap', 'mschapv2', 'eap']);
    if (eap.phase2 === 'eap' && random.chance(0.5)) eap.innerMethod = random.pick(inner);
  }
  if (method === 'tls' && random.chance(0.8)) {
    eap.clientCertificate = { pkcs12: options.pkcs12.toString('base64'), ...(random.chance(0.7) ? { passphrase: hostileText(random, 64) } : {}) };
  }
  const profile: NetworkProfile = { version: 1, networks, eap: [eap] };
  if (random.chance(0.7)) profile.name = hostileText(random, 253);
  if (random.chance(0.4)) profile.provider = hostileText(random, 253);
  if (random.chance(0.95)) {
    profile.credentials = {};
    if (random.chance(0.9)) profile.credentials.identity = hostileText(random, 253);
    if (random.chance(0.9)) profile.credentials.password = hostileText(random, 253);
  }
  return checkNetworkProfile(profile);
}

/** Runs `body` with a seeded generator; a failure's message ends with the seed that replays it. */
export function withSeed(body: (random: SeededRandom) => void): void {
  const seed = propertySeed();
  try {
    body(new SeededRandom(seed));
  } catch (error) {
    (error as Error).message += `\n(seed ${seed}: replay with EAPHOST_PROPERTY_SEED=${seed})`;
    throw error;
  }
}
