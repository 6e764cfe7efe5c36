/**
 * User stores that fail in every shape a caller's code can: thrown at once or rejected later,
 * with values that are no Error (null, undefined, a Symbol, a number, `{ message: 42 }`), objects
 * whose getters or traps throw, and answers whose own `then` or fields throw when read. Both
 * consumers of a store (the in-process conversation and the RADIUS engine) are run against the
 * same list; each case says what the failure's words must show.
 */
import { EapError, type UserStore } from '../../lib';

export interface OddStoreCase {
  name: string;
  store: UserStore;
  /** What the failure's text shows of it. */
  says: RegExp;
}

function throwingProxy(): object {
  const fail = (): never => { throw new Error('trap'); };
  return new Proxy({}, { get: fail, has: fail, ownKeys: fail, getPrototypeOf: fail, getOwnPropertyDescriptor: fail });
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

const VALUES: Array<[string, () => unknown, RegExp]> = [
  ['{ message: 42 }', () => ({ message: 42 }), /an object with no message text/],
  ['null', () => null, /null\b/],
  ['undefined', () => undefined, /undefined\b/],
  ['a Symbol', () => Symbol('odd'), /Symbol\(odd\)/],
  ['a number', () => 42, /number 42/],
  ['a string', () => 'directory down', /"directory down"/],
  ['an Error', () => new Error('directory down'), /directory down/],
  ['an object whose message getter throws', () => ({ get message(): string { throw new Error('getter'); } }),
    /a value whose message cannot be read/],
  ['an object with no prototype', () => Object.create(null), /an object with no message text/],
  ['a Proxy whose every trap throws', throwingProxy, /a value whose message cannot be read/],
  ['a revoked Proxy', revokedProxy, /a value whose message cannot be read/],
  ['an EapError look-alike whose rootCause getter throws',
    () => Object.create(EapError.prototype, { rootCause: { get(): never { throw new Error('rootCause getter'); } } }),
    /an object with an empty message/],
  ['an Error with an empty message', () => new Error(''), /an object with an empty message/],
];

/** Every shape, thrown by lookup() and rejected by it, then answers that throw when read. */
export function oddStores(): OddStoreCase[] {
  const cases: OddStoreCase[] = [];
  for (const [name, make, says] of VALUES) {
    cases.push({ name: `lookup() throws ${name}`, store: { lookup: () => { throw make(); } },
      says: new RegExp(`lookup\\(\\) threw: ${says.source}`) });
    cases.push({ name: `lookup() rejects with ${name}`, store: { lookup: () => Promise.reject(make()) },
      says: new RegExp(`lookup\\(\\) rejected: ${says.source}`) });
  }
  cases.push({ name: 'lookup() answers an object whose then getter throws',
    store: { lookup: () => ({ get then(): never { throw new Error('then getter'); } }) as never }, says: /threw: then getter/ });
  cases.push({ name: 'lookup() answers a record whose password getter throws',
    store: { lookup: () => ({ get password(): string { throw Symbol('field'); } }) as never },
    says: /record for "[^"]*" cannot be read: Symbol\(field\)/ });
  return cases;
}
