/**
 * Sessions begun from profiles, through the host's own configuration API (the portable EAPHost
 * on Linux, the stand-in under Wine, eappcfg.dll on Windows): our credentials XML becomes the
 * user blob of the documented layout (built byte by byte in the test), markup characters
 * included, which is also what the method module makes itself; a session begun
 * from { configXml, credentialsXml } authenticates; and what cannot be begun is a typed error.
 */
import { strict as assert } from 'assert';
import { authenticate, createAuthenticator, EapError } from '../lib/index';
import type { AuthenticationResult, EapHost } from '../lib/index';
import { loadPeerMethod } from '../lib/session/peer-method';
import { shippedConfigXml, shippedCredentialsXml } from '../lib/profile/shipped-config';
import { randomCredentials, openSuiteHost } from './helpers';
import { credentialBlobLayout } from './support/eap-config-xml';

describe('sessions from profiles (configXml / credentialsXml)', function () {
  this.timeout(60000);
  let host: EapHost;

  before(async () => {
    host = await openSuiteHost();
  });

  after(async () => {
    await host?.close();
  });

  it('our credentials XML, escaped, becomes the documented user blob of the same text (and the module\'s own)', async () => {
    const identity = `a&b<c>d"e'f ]]> \u00e9\u{1F510}`;
    const password = `p&w<>"'\u00e9\u{1F510}`;
    const { methodType, config } = await host.configXml2Blob(shippedConfigXml('mschapv2'));
    assert.equal(methodType.type, 26);
    assert.equal(config.length, 0, 'MSCHAPv2 has no connection data');
    const fromXml = await host.credentialsXml2Blob(shippedCredentialsXml('mschapv2', { identity, password }), config);
    assert.deepEqual(fromXml.methodType, methodType);
    // The layout from its description ("eMD5", version, length-prefixed UTF-8), not from the module.
    assert.equal(fromXml.credentials.toString('hex'), credentialBlobLayout(identity, password).toString('hex'),
      'the parser decoded every escape back to the same text');
    const method = await loadPeerMethod('mschapv2');
    const direct = await method.userBlob(identity, password);
    assert.deepEqual(fromXml.credentials, direct, 'the module makes the same blob from the same text');
  });

  /**
   * A session begun from the shipped EAP-MSCHAPv2 profile, its credentials XML holding a random
   * user's identity and `given(password)`, run against an embedded authenticator that holds the
   * user with the right password.
   */
  async function authenticateFromProfile(given: (password: string) => string):
      Promise<{ identity: string; result: AuthenticationResult }> {
    const { identity, password } = randomCredentials();
    const authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { [identity]: { password } } });
    try {
      const session = await host.beginSession({
        configXml: shippedConfigXml('mschapv2'),
        credentialsXml: shippedCredentialsXml('mschapv2', { identity, password: given(password) }),
      });
      try {
        assert.equal(session.methodType.type, 26);
        return { identity, result: await authenticate({ session, transport: authenticator.createConversation() }) };
      } finally {
        await session.endSession();
      }
    } finally {
      await authenticator.close();
    }
  }

  it('a session begun from { configXml, credentialsXml } authenticates against the embedded authenticator', async () => {
    const { identity, result } = await authenticateFromProfile((password) => password);
    assert.equal(result.success, true, result.reason);
    assert.equal(result.identity, identity);
    assert.equal(result.mppeKeysMatch, true);
  });

  it('the wrong password in credentialsXml fails the authentication', async () => {
    const { result } = await authenticateFromProfile((password) => `not-${password}`);
    assert.equal(result.success, false);
    assert.equal(result.error?.win32Error, 691);
  });

  it('a profile without credentials, for a method that has no UI, is a typed EapError, never a hang', async () => {
    const { identity, password } = randomCredentials();
    const authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { [identity]: { password } } });
    try {
      // The shipped module says so at BeginSession (it has no identity to give); wherever it is
      // said, the caller gets an EapError.
      const attempt = (async () => {
        const session = await host.beginSession({ configXml: shippedConfigXml('mschapv2') });
        try {
          await authenticate({ session, transport: authenticator.createConversation() });
        } finally {
          await session.endSession();
        }
      })();
      await assert.rejects(attempt, (error: unknown) => {
        assert.ok(error instanceof EapError, String(error));
        assert.match(error.rootCause, /user blob|credentials/);
        return true;
      });
    } finally {
      await authenticator.close();
    }
  });

  it('refuses contradictory or incomplete profile options with a TypeError before anything native runs', async () => {
    const configXml = shippedConfigXml('mschapv2');
    await assert.rejects(host.beginSession({ configXml, method: 'mschapv2' }), /configXml carries the method/);
    await assert.rejects(host.beginSession({ configXml, identity: 'alice', password: 'x' }), TypeError);
    await assert.rejects(host.beginSession({ method: 'mschapv2', credentialsXml: 'x' }), /credentialsXml needs configXml/);
    await assert.rejects(host.beginSession({ configXml: '' }), TypeError);
    await assert.rejects(host.beginSession({ configXml, credentialsXml: shippedCredentialsXml('md5', { identity: 'a', password: 'b' }) }),
      (error: unknown) => error instanceof TypeError || error instanceof EapError);
  });

  it('malformed and wrong-namespace XML are EapErrors', async () => {
    await assert.rejects(host.beginSession({ configXml: '<EapHostConfig' }), EapError);
    const wrongNamespace = shippedConfigXml('mschapv2').replace('urn:eaphost:config:1', 'urn:example:other');
    await assert.rejects(host.beginSession({ configXml: wrongNamespace }), EapError);
  });
});
