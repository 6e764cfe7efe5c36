/**
 * The peer's own certificate from the Windows certificate store (`certStore`): a store location
 * and name, and the certificate by its SHA-1 thumbprint or by a substring of its subject. The
 * key stays in the store and signs there (CNG, or a legacy CryptoAPI provider); the shipped TLS
 * methods read it from connection data field 19 (certStore, seam/connection_data.js). Off Windows
 * the method refuses it with ERROR_NOT_SUPPORTED.
 */
import { optionError } from './option-error';

export interface StoreCertificateOptions {
  /** `Location\Name`: CurrentUser or LocalMachine, then the store (My is the personal store).
   *  Default `CurrentUser\My`. */
  store?: string;
  /** The certificate's SHA-1 thumbprint, 40 hex digits (spaces and colons between pairs allowed). */
  thumbprint?: string;
  /** Text the certificate's subject contains (compared case-insensitively by Windows): exactly one
   *  certificate valid now and linked to a key may match. */
  subject?: string;
}

export const DEFAULT_CERT_STORE = 'CurrentUser\\My';
const LOCATIONS: Record<string, number> = { currentuser: 1, localmachine: 2 };
const MAX_STORE_NAME = 64;
const MAX_SUBJECT = 253;

/** `Location\Name` as [location byte, name]: a TypeError naming the rule otherwise. */
export function parseStoreName(value: unknown): [number, string] {
  const match = typeof value === 'string' ? /^([A-Za-z]+)\\([^\\\0]+)$/.exec(value) : null;
  const location = match ? LOCATIONS[match[1].toLowerCase()] : undefined;
  if (!match || location === undefined || Buffer.byteLength(match[2]) > MAX_STORE_NAME) {
    throw optionError('type', 'certStore.store', `must be CurrentUser\\NAME or LocalMachine\\NAME (NAME 1..${MAX_STORE_NAME} bytes, ` +
      `e.g. ${DEFAULT_CERT_STORE}), got ${JSON.stringify(value)}`);
  }
  return [location, match[2]];
}

/** The 20 bytes of a SHA-1 thumbprint written as hex, pairs optionally apart. */
export function parseThumbprint(value: unknown): Buffer {
  const hex = typeof value === 'string' ? value.replace(/[\s:]/g, '') : '';
  if (!/^[0-9A-Fa-f]{40}$/.test(hex)) {
    throw optionError('type', 'certStore.thumbprint', `must be a SHA-1 thumbprint, 40 hex digits, got ${JSON.stringify(value)}`);
  }
  return Buffer.from(hex, 'hex');
}

/** Connection data field 19's value: location | name length | name | selector | thumbprint or subject. */
export function storeCertificateValue(options: unknown): Buffer {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError('certStore must be { store?, thumbprint } or { store?, subject }');
  }
  const given = options as Record<string, unknown>;
  const unknown = Object.keys(given).find((key) => !['store', 'thumbprint', 'subject'].includes(key) && given[key] !== undefined);
  if (unknown !== undefined) throw new TypeError(`certStore.${unknown} is not an option: give store, and thumbprint or subject`);
  if ((given.thumbprint === undefined) === (given.subject === undefined)) {
    throw new TypeError('certStore needs thumbprint or subject (one of them) to name the certificate');
  }
  const [location, name] = parseStoreName(given.store ?? DEFAULT_CERT_STORE);
  const nameBytes = Buffer.from(name, 'utf8');
  let selector: Buffer;
  if (given.thumbprint !== undefined) {
    selector = Buffer.concat([Buffer.of(1), parseThumbprint(given.thumbprint)]);
  } else {
    const subject = given.subject;
    if (typeof subject !== 'string' || subject.length === 0 || subject.includes('\0') || Buffer.byteLength(subject) > MAX_SUBJECT) {
      throw new TypeError(`certStore.subject must be 1..${MAX_SUBJECT} bytes of text without NUL`);
    }
    selector = Buffer.concat([Buffer.of(2), Buffer.from(subject, 'utf8')]);
  }
  return Buffer.concat([Buffer.of(location, nameBytes.length), nameBytes, selector]);
}
