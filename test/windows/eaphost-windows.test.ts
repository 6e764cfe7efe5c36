/**
 * The 'windows' backend: eappprxy.dll and eappcfg.dll loaded from System32 (under Wine, the
 * stand-in installed there by scripts/wine/run.sh; on windows-latest, Windows' own), methods
 * found through the EapHost registry key, and a whole EAP-MD5 authentication through them.
 */
import * as assert from 'node:assert/strict';
import { authenticate, createAuthenticator, EapError, openEapHost } from '../../lib/index';
import { EAPHOST_AUTHOR_ID } from '../../lib/session/builtin';
import type { EapHost } from '../../lib/index';
import { methodRegistration, methodsKey, randomCredentials, windowsHostHooks } from './support';

describe('windows backend (System32 EAPHost)', function () {
  let host: EapHost;

  windowsHostHooks((opened) => { host = opened; });

  it('is the default backend on win32', async function () {
    const defaultHost = await openEapHost();
    try {
      assert.equal(defaultHost.backend, 'windows');
    } finally {
      await defaultHost.close();
    }
  });

  it('lists the MD5 module exactly as registered under the EapHost Methods key', async function () {
    const registered = methodRegistration(`${methodsKey}\\${EAPHOST_AUTHOR_ID}\\4`);
    assert.ok(registered, 'eaphost register --shipped must have run before this suite');
    const methods = await host.getMethods();
    const md5 = methods.find((m) => m.type === 4 && m.authorId === EAPHOST_AUTHOR_ID);
    assert.ok(md5, `EAP-MD5 (author ${EAPHOST_AUTHOR_ID}) missing from ${JSON.stringify(methods)}`);
    assert.equal(md5.vendorId, 0);
    assert.equal(md5.vendorType, 0);
    const name = registered.get('PeerFriendlyName');
    assert.equal(md5.friendlyName, name && 'data' in name ? name.data : undefined);
  });

  it('authenticates with EAP-MD5 against the embedded authenticator', async function () {
    const { identity, password } = randomCredentials();
    const authenticator = await createAuthenticator({ methods: ['md5'], users: { [identity]: { password } } });
    try {
      const session = await host.beginSession({ method: 'md5', identity, password });
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      assert.equal(result.success, true, result.reason);
      assert.equal(result.method, 4);
      assert.equal(result.identity, identity);
      assert.ok(result.roundTrips >= 2, `identity and MD5 exchanges expected, got ${result.roundTrips}`);
    } finally {
      await authenticator.close();
    }
  });

  it('fails the authentication when the password is wrong', async function () {
    const { identity, password } = randomCredentials();
    const authenticator = await createAuthenticator({ methods: ['md5'], users: { [identity]: { password } } });
    try {
      const session = await host.beginSession({ method: 'md5', identity, password: `${password}x` });
      const result = await authenticate({ session, transport: authenticator.createConversation() });
      assert.equal(result.success, false);
    } finally {
      await authenticator.close();
    }
  });

  it('refuses a method that is not registered, with an EapError', async function () {
    await assert.rejects(
      async () => {
        const session = await host.beginSession({
          method: { type: 4, vendorId: 0, vendorType: 0, authorId: 0xfffffff0 },
          userData: Buffer.alloc(0),
        });
        await session.endSession();
      },
      (err: unknown) => err instanceof EapError && err.win32Error !== 0,
    );
  });
});
