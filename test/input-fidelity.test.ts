/**
 * Strings and numbers reach native code unchanged or not at all: no silent U+FFFD, no cut at
 * NUL, no truncated method type, no library search for a bare module name, and an over-long
 * identity named as such.
 */
import { strict as assert } from 'assert';
import * as path from 'path';
import { EapHost, authenticate, builtinMethods, createAuthenticator, openEapHost } from '../lib';
import { loadAuthenticatorMethod } from '../lib/session/authenticator-method';
import { loadPeerMethod } from '../lib/session/peer-method';
import { openSuiteHost } from './helpers';

describe('input fidelity', () => {
  let host: EapHost;
  before(async () => { host = await openSuiteHost(); });
  after(async () => { await host.close(); });

  it('a stored password with a lone surrogate is refused, not matched by U+FFFD (item 5)', async () => {
    await assert.rejects(createAuthenticator({ users: { x: { password: 'x\uD800' } } }),
      (error: Error) => error instanceof TypeError && /surrogate/.test(error.message));
    // An async store's record is checked when it answers: the conversation fails, it does not succeed.
    const authenticator = await createAuthenticator({ users: { lookup: async () => ({ password: 'x\uD800' }) } });
    try {
      await assert.rejects(host.beginSession({ method: 'md5', identity: 'x', password: 'x\uD800' }), TypeError);
      await using session = await host.beginSession({ method: 'md5', identity: 'x', password: 'x\uFFFD' });
      const outcome = await authenticate({ session, transport: authenticator.createConversation() })
        .then((r) => r.success, (e: Error) => e.message);
      assert.notEqual(outcome, true);
    } finally {
      await authenticator.close();
    }
  });

  it('embedded NUL in an identity, a password or a module path is a TypeError (item 5)', async () => {
    await assert.rejects(host.beginSession({ method: 'md5', identity: 'ali\0ce', password: 'p' }),
      (error: Error) => error instanceof TypeError && /NUL/.test(error.message));
    await assert.rejects(host.beginSession({ method: 'md5', identity: 'alice', password: 'p\0q' }), TypeError);
    await assert.rejects(loadPeerMethod({ path: builtinMethods.md5.path + '\0garbage' }),
      (error: Error) => error instanceof TypeError && /NUL/.test(error.message));
    const method = await loadPeerMethod('md5');
    try {
      await assert.rejects(method.userBlob('\uDC00bob', 'p'), TypeError);
    } finally {
      await method.close();
    }
  });

  it('method type numbers are validated once, with one TypeError naming the field (item 6)', async () => {
    for (const [bad, field] of [[{ type: 4.7 }, 'type 4.7'], [{ type: NaN }, 'type NaN'], [{ type: -1 }, 'type -1'],
      [{ type: 2 ** 32 }, `type ${2 ** 32}`], [{ type: 4, authorId: 1.5 }, 'authorId 1.5'], [{ type: 4, vendorId: 2 ** 24 }, 'vendorId']] as const) {
      await assert.rejects(host.beginSession({ method: bad as never, identity: 'a', password: 'b' }),
        (error: Error) => error instanceof TypeError && error.message.includes(field) && /1\.\.255/.test(error.message),
        JSON.stringify(bad));
      await assert.rejects(async () => host.getIdentity({ method: bad as never }), TypeError);
    }
  });

  it('an identity over the method\'s limit says it is too long, and the limit (item 7)', async () => {
    for (const length of [254, 100_000]) {
      await assert.rejects(host.beginSession({ method: 'md5', identity: 'a'.repeat(length), password: 'b' }),
        (error: Error) => error instanceof RangeError && error.message.includes(`${length} characters`) &&
          /at most 253/.test(error.message));
    }
    // At the limit it is accepted.
    await using session = await host.beginSession({ method: 'md5', identity: 'a'.repeat(253), password: 'b' });
    assert.equal(session.identity?.length, 253);
  });

  it('method modules need an absolute path; a bare name is never searched for (item 9)', async () => {
    for (const load of [loadPeerMethod, loadAuthenticatorMethod]) {
      await assert.rejects(load({ path: 'libz.so.1' }),
        (error: Error) => error instanceof TypeError && /absolute path/.test(error.message));
      await assert.rejects(load({ path: path.join('build', 'Release', 'eap_methods.so') }), TypeError);
    }
    await assert.rejects(openEapHost({ backend: 'portable', libraryPath: 'eaphost_portable.so' }), TypeError);
  });
});
