/**
 * EAP-MSCHAPv2 and EAP-GTC on the 'windows' backend: eap_methods.dll registered for types 4, 6
 * and 26 under the EapHost Methods key, found there by the System32 EAPHost (under Wine, the
 * stand-in), peer and authenticator side. The MSK is checked against the node:crypto oracle.
 */
import * as assert from 'node:assert/strict';
import { authenticate, createAuthenticator, builtinMethods } from '../../lib/index';
import { EAPHOST_AUTHOR_ID } from '../../lib/session/builtin';
import type { EapHost } from '../../lib/index';
import { OracleMsChapV2Authenticator } from '../support/mschapv2-authenticator';
import { RFC2759 } from '../support/mschapv2-oracle';
import { methodRegistration, methodsKey, randomCredentials, windowsHostHooks } from './support';

describe('windows backend: EAP-MSCHAPv2 and EAP-GTC', function () {
  let host: EapHost;

  windowsHostHooks((opened) => { host = opened; });

  // Every method this build ships: MD5, GTC and MSCHAPv2, and PEAP (25), EAP-TLS (13), EAP-TTLS
  // (21) and TEAP (55) where the build carries GnuTLS (not win32-arm64).
  it('lists every shipped method as registered, all served by the one module', async function () {
    const methods = await host.getMethods();
    for (const name of Object.keys(builtinMethods) as Array<keyof typeof builtinMethods>) {
      const { type } = builtinMethods[name].methodType;
      const registered = methodRegistration(`${methodsKey}\\${EAPHOST_AUTHOR_ID}\\${type}`);
      assert.ok(registered, `type ${type} is not registered: run eaphost register --shipped`);
      // The protected copy register makes, never the package's own file.
      for (const side of ['PeerDllPath', 'AuthenticatorDllPath']) {
        const value = registered.get(side);
        assert.match(value && 'data' in value ? String(value.data) : '', /\\eaphost\\[^\\]+\\[^\\]+\\eap_methods\.dll$/i, side);
      }
      const listed = methods.find((m) => m.type === type && m.authorId === EAPHOST_AUTHOR_ID);
      assert.ok(listed, `type ${type} missing from ${JSON.stringify(methods)}`);
      assert.equal(listed.friendlyName, builtinMethods[name].friendlyName);
    }
  });

  it('MSCHAPv2 peer against the node:crypto authenticator: the MSK is the oracle\'s', async function () {
    const { identity } = randomCredentials();
    const session = await host.beginSession({ method: 'mschapv2', identity, password: RFC2759.password });
    const oracle = new OracleMsChapV2Authenticator({
      passwordHash: RFC2759.passwordHash, passwordHashHash: RFC2759.passwordHashHash, behaviour: { kind: 'success' },
    });
    try {
      const result = await authenticate({ session, transport: oracle });
      assert.equal(result.success, true, result.reason);
      assert.deepEqual(result.msk, oracle.msk);
      assert.equal(result.mppeKeysMatch, true);
    } finally {
      await session.endSession();
    }
  });

  it('MSCHAPv2 peer and authenticator: success with matching keys, E=691 for a wrong password', async function () {
    const { identity, password } = randomCredentials();
    const authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { [identity]: { password } } });
    try {
      for (const [given, expected] of [[password, true], [`${password}x`, false]] as const) {
        const session = await host.beginSession({ method: 'mschapv2', identity, password: given });
        try {
          const result = await authenticate({ session, transport: authenticator.createConversation() });
          assert.equal(result.success, expected, result.reason);
          assert.equal(result.method, 26);
          if (expected) {
            assert.equal(result.msk?.length, 32);
            assert.equal(result.mppeKeysMatch, true);
          } else {
            assert.equal(result.error?.win32Error, 691);
          }
        } finally {
          await session.endSession();
        }
      }
    } finally {
      await authenticator.close();
    }
  });

  it('GTC peer and authenticator, proposed after MSCHAPv2 and chosen by the peer\'s Nak', async function () {
    const { identity, password } = randomCredentials();
    const authenticator = await createAuthenticator({ methods: ['mschapv2', 'gtc'], users: { [identity]: { password } } });
    try {
      for (const [given, expected] of [[password, true], [`${password}x`, false]] as const) {
        const session = await host.beginSession({ method: 'gtc', identity, password: given });
        try {
          const result = await authenticate({ session, transport: authenticator.createConversation() });
          assert.equal(result.success, expected, result.reason);
          assert.equal(result.method, 6);
          assert.equal(result.msk, undefined);
        } finally {
          await session.endSession();
        }
      }
    } finally {
      await authenticator.close();
    }
  });
});
