/**
 * The embedded authenticator's user store: what a user record may hold, how it is checked,
 * and how it answers a method's RESPOND questions (EapMethodAuthenticatorGetAttributes):
 * the clear-text password (eatClearTextPassword asked with an empty value) or the NT hash
 * (a Vendor-Specific question under our author id). A record answers whichever it has; a
 * question it cannot answer gets no attribute, and the method fails the authentication.
 */
import { EapAttribute } from './attributes';
import { EAPHOST_VENDOR_ID, EapAttributeType, EapHostVendorType } from './constants';
import { checkText, isWellFormed } from './input-checks';

/** `password` serves every method; `ntHash` (MD4 of the UTF-16LE password, 32 hex digits)
 *  serves EAP-MSCHAPv2 only, so a store never has to keep the password itself. */
export type UserRecord = { password: string; ntHash?: string } | { ntHash: string; password?: string };

/** Answers the authenticator's questions about a user; undefined means "no such user". */
export interface UserStore {
  lookup(identity: string): UserRecord | undefined | Promise<UserRecord | undefined>;
}

const NT_HASH = /^[0-9a-fA-F]{32}$/;

/** Throws TypeError unless `record` is { password } and/or { ntHash: 32 hex digits }. */
export function checkUserRecord(record: unknown, where: string): UserRecord {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw new TypeError(`${where} must be { password: string } or { ntHash: "<32 hex digits>" }`);
  }
  const { password, ntHash } = record as { password?: unknown; ntHash?: unknown };
  if (password !== undefined) checkText(password, `${where}.password`);
  if (ntHash !== undefined && (typeof ntHash !== 'string' || !NT_HASH.test(ntHash))) {
    throw new TypeError(`${where}.ntHash must be 32 hex digits (the MD4 hash of the UTF-16LE password)`);
  }
  if (password === undefined && ntHash === undefined) {
    throw new TypeError(`${where} needs a password or an ntHash`);
  }
  return record as UserRecord;
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

/** The identities of a store over a plain table (asked ahead, its lookups give what they would
 *  have given at the question); undefined for any other store. */
export function tableIdentities(store: UserStore): string[] | undefined {
  return store instanceof TableUserStore ? store.identities() : undefined;
}

const NO_PREFIX = Buffer.alloc(0);
const NT_HASH_QUESTION_PREFIX = ntHashVendorValue().subarray(0, 5);

/** A question about a user and the answer to it, as the native side takes it (known_answer.h):
 *  [the question's attribute type, its value's prefix, its least length, the answering
 *  attribute's value: bytes, or text the native side reads as UTF-8]. */
export type KnownAnswerRule = [type: number, prefix: Buffer, minLength: number, answer: Buffer | string];

const NO_RULES: readonly KnownAnswerRule[] = Object.freeze([]);

/** A known answer as the native side takes it (known_answer.h): the identity, which it compares
 *  byte for byte in UTF-8, and the rules answerAttributeQuestions would follow, in the same
 *  order. The answers are secrets: wipeKnownAnswer once the native side has its copy. */
export type KnownAnswer = [identity: string, rules: readonly KnownAnswerRule[]];

/**
 * What `store` answers about `identity`, when the store is a plain table and its record (if any)
 * is valid: undefined otherwise (then only the question itself can be answered, by the store, in
 * JS), and when the identity does not read back as itself from UTF-8 (lone surrogates), which the
 * native side, comparing bytes, is never asked about. Made with no Buffer for what the native
 * side can read itself (the identity, a password: the table's own strings) and no object between.
 */
export function knownAnswer(store: UserStore, identity: string): KnownAnswer | undefined {
  if (!(store instanceof TableUserStore) || !isWellFormed(identity)) return undefined;
  const found = store.lookup(identity);
  if (found === undefined || found === null) return [identity, NO_RULES];
  let record: UserRecord;
  try {
    record = checkUserRecord(found, 'record');
  } catch {
    return undefined;
  }
  // One answer per kind the record has, the password first; literals, sized as they are.
  const password: KnownAnswerRule | undefined = record.password === undefined ? undefined
    : [EapAttributeType.ClearTextPassword, NO_PREFIX, 0, record.password];
  const ntHash = record.ntHash === undefined ? undefined : ntHashRule(record.ntHash);
  if (password && ntHash) return [identity, [password, ntHash]];
  return [identity, password ? [password] : ntHash ? [ntHash] : NO_RULES];
}

function ntHashRule(hex: string): KnownAnswerRule {
  const hash = Buffer.from(hex, 'hex');
  const value = ntHashVendorValue(hash);
  hash.fill(0);
  return [EapAttributeType.VendorSpecific, NT_HASH_QUESTION_PREFIX, 6, value];
}

/** The identity's UTF-8 bytes, when they read back as the identity itself. */
export function ownUtf8(identity: string): Buffer | undefined {
  const encoded = Buffer.from(identity, 'utf8');
  return encoded.toString('utf8') === identity ? encoded : undefined;
}

/** Zero-fills a known answer's secrets once the native side has its copy: the bytes made here (a
 *  password given as text is the table's own string, which no Buffer copied). */
export function wipeKnownAnswer(known: KnownAnswer | undefined): void {
  if (!known) return;
  const rules = known[1];
  for (let i = 0; i < rules.length; i++) {
    const answer = rules[i][3];
    if (typeof answer !== 'string') answer.fill(0);
  }
}

/** The Vendor-Specific value that asks for (empty data) or carries (16 bytes) the NT hash. */
function ntHashVendorValue(hash?: Buffer): Buffer {
  const value = Buffer.alloc(6 + (hash?.length ?? 0));
  value.writeUInt32BE(EAPHOST_VENDOR_ID, 0);
  value[4] = EapHostVendorType.NtPasswordHash;
  value[5] = 2 + (hash?.length ?? 0);
  hash?.copy(value, 6);
  return value;
}

function asksForNtHash(attribute: EapAttribute): boolean {
  const v = attribute.value;
  return attribute.type === EapAttributeType.VendorSpecific && v.length >= 6 &&
    v.readUInt32BE(0) === EAPHOST_VENDOR_ID && v[4] === EapHostVendorType.NtPasswordHash;
}

/**
 * The attribute answering `wanted` from `record`, if the record can. The caller zero-fills the values once
 * they have been handed to the method (they are secrets).
 */
export function answerAttributeQuestions(wanted: readonly EapAttribute[], record: UserRecord): EapAttribute[] {
  // One answer: the password when it was asked for and is known, else the NT hash.
  if (record.password !== undefined && wanted.some((a) => a.type === EapAttributeType.ClearTextPassword)) {
    return [{ type: EapAttributeType.ClearTextPassword, value: Buffer.from(record.password, 'utf8') }];
  }
  if (record.ntHash !== undefined && wanted.some(asksForNtHash)) {
    const hash = Buffer.from(record.ntHash, 'hex');
    const value = ntHashVendorValue(hash);
    hash.fill(0);
    return [{ type: EapAttributeType.VendorSpecific, value }];
  }
  return [];
}
