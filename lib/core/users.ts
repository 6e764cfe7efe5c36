/**
 * The embedded authenticator's user store: what a user record may hold, how it is checked,
 * and how it answers a method's RESPOND questions (EapMethodAuthenticatorGetAttributes):
 * the clear-text password (eatClearTextPassword asked with an empty value) or the NT hash
 * (a Vendor-Specific question under our author id). A record answers whichever it has; a
 * question it cannot answer gets no attribute, and the method fails the authentication.
 */
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


const NO_PREFIX = Buffer.alloc(0);
const NT_HASH_QUESTION_PREFIX = ntHashVendorValue().subarray(0, 5);

/** A question about a user and the answer to it, as the native side takes it (known_answer.h):
 *  a question is an attribute of `type` whose value starts with `prefix` and is at least
 *  `minLength` long; `answer` is the answering attribute's value (bytes, or text the native side
 *  reads as UTF-8). */
export interface KnownAnswerRule {
  type: number;
  prefix: Buffer;
  minLength: number;
  answer: Buffer | string;
}

const NO_RULES: readonly KnownAnswerRule[] = Object.freeze([]);

/** The user store's answer about one identity, as the native side takes it and answers the
 *  method's questions (RESPOND) from it: the identity, which it compares byte for byte in UTF-8,
 *  and the rules in order of preference (none matching: the empty answer). The one place a
 *  record becomes an answer. The answers are secrets: wipeKnownAnswer once the native side has
 *  its copy. */
export interface KnownAnswer {
  identity: string;
  rules: readonly KnownAnswerRule[];
}

/** What `record` (checked; none: no record) answers about `identity`: one rule per kind the
 *  record has, the password first; made with no Buffer for what the native side reads itself
 *  (the password: the record's own string). */
export function recordAnswer(identity: string, record: UserRecord | undefined): KnownAnswer {
  if (record === undefined) return { identity, rules: NO_RULES };
  const password: KnownAnswerRule | undefined = record.password === undefined ? undefined
    : { type: EapAttributeType.ClearTextPassword, prefix: NO_PREFIX, minLength: 0, answer: record.password };
  const ntHash = record.ntHash === undefined ? undefined : ntHashRule(record.ntHash);
  if (password && ntHash) return { identity, rules: [password, ntHash] };
  return { identity, rules: password ? [password] : ntHash ? [ntHash] : NO_RULES };
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

function ntHashRule(hex: string): KnownAnswerRule {
  const hash = Buffer.from(hex, 'hex');
  const answer = ntHashVendorValue(hash);
  hash.fill(0);
  return { type: EapAttributeType.VendorSpecific, prefix: NT_HASH_QUESTION_PREFIX, minLength: 6, answer };
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
  const rules = known.rules;
  for (let i = 0; i < rules.length; i++) {
    const answer = rules[i].answer;
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
