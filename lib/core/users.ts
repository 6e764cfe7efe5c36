/**
 * The embedded authenticator's user store: what a user record may hold, how it is checked,
 * and how it answers a method's RESPOND questions (EapMethodAuthenticatorGetAttributes):
 * the clear-text password (eatClearTextPassword asked with an empty value) or the NT hash
 * (a Vendor-Specific question under our author id). A record answers whichever it has; a
 * question it cannot answer gets no attribute, and the method fails the authentication.
 */
import { EAPHOST_VENDOR_ID, EapAttributeType, EapHostVendorType } from './constants';
import { bounded } from './abortable';
import { EapError, Win32, thrownText } from './errors';
import { checkText, isWellFormed } from './input-checks';

/** `password` serves every method; `ntHash` (MD4 of the UTF-16LE password, 32 hex digits)
 *  serves EAP-MSCHAPv2 only, so a store never has to keep the password itself. */
export type UserRecord = { password: string; ntHash?: string } | { ntHash: string; password?: string };

/** Answers the authenticator's questions about a user; undefined means "no such user". */
export interface UserStore {
  lookup(identity: string): UserRecord | undefined | Promise<UserRecord | undefined>;
}

const NT_HASH = /^[0-9a-fA-F]{32}$/;

/** Throws TypeError unless `record` is { password } and/or { ntHash: 32 hex digits }; returns a
 *  copy of the fields as they were read once (a getter is not asked again, whatever it answers). */
export function checkUserRecord(record: unknown, where: string): UserRecord {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new TypeError(`${where} must be { password: string } or { ntHash: "<32 hex digits>" }`);
  }
  let password: unknown;
  let ntHash: unknown;
  try {
    ({ password, ntHash } = record as { password?: unknown; ntHash?: unknown });
  } catch (error) {
    throw new TypeError(`${where} cannot be read: ${thrownText(error)}`);
  }
  if (password !== undefined) checkText(password, `${where}.password`);
  if (ntHash !== undefined && (typeof ntHash !== 'string' || !NT_HASH.test(ntHash))) {
    throw new TypeError(`${where}.ntHash must be 32 hex digits (the MD4 hash of the UTF-16LE password)`);
  }
  if (password === undefined && ntHash === undefined) {
    throw new TypeError(`${where} needs a password or an ntHash`);
  }
  return { ...(password !== undefined ? { password } : {}), ...(ntHash !== undefined ? { ntHash } : {}) } as UserRecord;
}

/** The call a user store's failure is reported under. */
export const USER_STORE_CALL = 'UserStore.lookup';

/** What the user store's lookup() threw or rejected with, in words. Never throws. */
function userStoreFailureText(thrown: unknown, how: 'threw' | 'rejected'): string {
  return `lookup() ${how}: ${thrownText(thrown)}`;
}

/**
 * The one authentication's failure when the user store's lookup() threw or rejected, whatever with:
 * an EapError that names the store and says what came (the value itself as `cause`), in the words
 * and with the code the RADIUS engine gives the same failure. Never throws.
 */
export function userStoreFailure(thrown: unknown, how: 'threw' | 'rejected'): EapError {
  const error = new EapError({ win32Error: Win32.ERROR_INTERNAL_ERROR, call: USER_STORE_CALL, origin: 'host',
    rootCause: `the user store failed: ${userStoreFailureText(thrown, how)}` });
  Object.defineProperty(error, 'cause', { value: thrown, enumerable: false, configurable: true, writable: true });
  return error;
}

/**
 * Asks the user store about `identity`, as every authentication asks it (in process and in the
 * RADIUS engine alike): a plain value is the answer at once, with no timer and no turn of the
 * event loop; a promise is bounded by `timeoutMs` and by `signal`, so a store that never settles
 * cannot hold an authentication. What the store throws or rejects with, and its silence past the
 * deadline, come as the store's typed failure (an EapError), thrown or rejected with.
 */
export function askUserStore(store: UserStore, identity: string, timeoutMs: number, call: string, signal?: AbortSignal):
    UserRecord | undefined | null | Promise<UserRecord | undefined | null> {
  let found: ReturnType<UserStore['lookup']>;
  try {
    found = store.lookup(identity);
    if (!isThenable(found)) return found;
  } catch (error) {
    throw userStoreFailure(error, 'threw');
  }
  const settled = Promise.resolve(found).catch((error: unknown) => { throw userStoreFailure(error, 'rejected'); });
  return bounded(settled, call, signal, { ms: timeoutMs, what: 'the user store' });
}

/** Whether `value` has a then method; a getter that throws is the store's failure to the caller. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null &&
    typeof (value as PromiseLike<unknown>).then === 'function';
}

/** A store from a UserStore or a plain table { "<identity>": record }, checked up front. */
export function toUserStore(users: unknown): UserStore {
  if (typeof users !== 'object' || users === null || Array.isArray(users)) {
    throw new TypeError('users must be a UserStore or an object { "<identity>": { password } | { ntHash } }');
  }
  if (typeof (users as UserStore).lookup === 'function') return users as UserStore;
  const table = users as Record<string, unknown>;
  for (const [identity, record] of Object.entries(table)) checkUserRecord(record, `users["${identity}"]`);
  return new TableUserStore(table);
}

/** A store over a plain table: its lookup runs nothing of the caller's, so asking it ahead of the
 *  question gives the answer the question would have had. */
class TableUserStore implements UserStore {
  constructor(private readonly table: Record<string, unknown>) {}

  /** Every identity the table holds now. */
  identities(): string[] {
    return Object.keys(this.table);
  }

  lookup(identity: string): UserRecord | undefined {
    return Object.prototype.hasOwnProperty.call(this.table, identity) ? this.table[identity] as UserRecord : undefined;
  }
}

/**
 * The user store's answer about one identity, as the native side takes it (known_answer.h) and
 * answers the method's questions (RESPOND) from it: one Buffer, every number a 32-bit
 * little-endian word, laid out as
 *
 *   identity length, identity (UTF-8, compared byte for byte with the identity asked about),
 *   rule count, then per rule: type, minLength, prefix length, answer length, prefix, answer.
 *
 * A rule answers a question that is an attribute of `type` whose value starts with `prefix` and
 * is at least `minLength` long, with an attribute of that type whose value is `answer`. The
 * rules come in order of preference; none matching: the empty answer. One Buffer rather than an
 * object of named fields: the answer to every question of a JS store crosses into native code,
 * and reading an object field by field cost more than the rest of the answer together. Its
 * bytes are secrets: wipeKnownAnswer once the native side has its copy.
 */
export type KnownAnswer = Buffer;

/** The Vendor-Specific question for the NT hash, and its answer, start with our vendor ID and
 *  the type; then comes the length byte (2, or 18 with the hash), then the hash. */
const NT_HASH_QUESTION_PREFIX = Buffer.alloc(5);
NT_HASH_QUESTION_PREFIX.writeUInt32BE(EAPHOST_VENDOR_ID, 0);
NT_HASH_QUESTION_PREFIX[4] = EapHostVendorType.NtPasswordHash;
/** Words per rule ahead of its prefix and answer. */
const RULE_WORDS = 4;

/** What `record` (checked; none: no record) answers about `identity`: one rule per kind the
 *  record has, the password first. The one place a record becomes an answer. */
export function recordAnswer(identity: string, record: UserRecord | undefined): KnownAnswer {
  const password = record?.password;
  const hash = record?.ntHash === undefined ? undefined : Buffer.from(record.ntHash, 'hex');
  const identityLength = Buffer.byteLength(identity, 'utf8');
  const passwordLength = password === undefined ? 0 : Buffer.byteLength(password, 'utf8');
  const hashAnswerLength = hash === undefined ? 0 : 6 + hash.length;
  let size = 8 + identityLength;
  if (password !== undefined) size += 4 * RULE_WORDS + passwordLength;
  if (hash !== undefined) size += 4 * RULE_WORDS + NT_HASH_QUESTION_PREFIX.length + hashAnswerLength;
  const out = Buffer.allocUnsafe(size);
  let at = out.writeUInt32LE(identityLength, 0);
  at += out.write(identity, at, 'utf8');
  at = out.writeUInt32LE((password === undefined ? 0 : 1) + (hash === undefined ? 0 : 1), at);
  if (password !== undefined) {
    at = writeWords(out, at, EapAttributeType.ClearTextPassword, 0, 0, passwordLength);
    at += out.write(password, at, 'utf8');
  }
  if (hash !== undefined) {
    at = writeWords(out, at, EapAttributeType.VendorSpecific, 6, NT_HASH_QUESTION_PREFIX.length, hashAnswerLength);
    at += NT_HASH_QUESTION_PREFIX.copy(out, at);
    at += NT_HASH_QUESTION_PREFIX.copy(out, at);
    out[at++] = 2 + hash.length;
    hash.copy(out, at);
    hash.fill(0);
  }
  return out;
}

function writeWords(out: Buffer, at: number, type: number, minLength: number, prefixLength: number,
  answerLength: number): number {
  at = out.writeUInt32LE(type, at);
  at = out.writeUInt32LE(minLength, at);
  at = out.writeUInt32LE(prefixLength, at);
  return out.writeUInt32LE(answerLength, at);
}

/**
 * A plain table's answers for every identity it holds, as the native side compares them (UTF-8
 * bytes), to hand over whole (the embedded authenticator's conversations, the RADIUS engine):
 * asked ahead, its lookups give what they would have given at the question. Undefined when the
 * store is not a plain table or a record cannot be answered ahead (then the store is asked at
 * each question). An identity that is not its own UTF-8 (lone surrogates) is never asked for
 * byte for byte: it is left out. Secrets: wipeKnownAnswer each once the native side has its copy.
 */
export function tableAnswers(store: UserStore): KnownAnswer[] | undefined {
  if (!(store instanceof TableUserStore)) return undefined;
  const answers: KnownAnswer[] = [];
  for (const identity of store.identities()) {
    if (ownUtf8(identity) === undefined) continue;
    const known = knownAnswer(store, identity);
    if (known === undefined) {
      for (const made of answers) wipeKnownAnswer(made);
      return undefined;
    }
    answers.push(known);
  }
  return answers;
}

/** What the table `store` answers about `identity`, when its record (if any) is valid: undefined
 *  otherwise, and when the identity is not well formed (lone surrogates). */
function knownAnswer(store: TableUserStore, identity: string): KnownAnswer | undefined {
  if (!isWellFormed(identity)) return undefined;
  const found = store.lookup(identity);
  if (found === undefined || found === null) return recordAnswer(identity, undefined);
  try {
    return recordAnswer(identity, checkUserRecord(found, 'record'));
  } catch {
    return undefined;
  }
}

/** The identity's UTF-8 bytes, when they read back as the identity itself. */
export function ownUtf8(identity: string): Buffer | undefined {
  const encoded = Buffer.from(identity, 'utf8');
  return encoded.toString('utf8') === identity ? encoded : undefined;
}

/** Zero-fills a known answer once the native side has its copy. */
export function wipeKnownAnswer(known: KnownAnswer | undefined): void {
  known?.fill(0);
}
