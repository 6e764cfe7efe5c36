/**
 * Wine prefix only (.mocharc.win32.json): on the windows backend, 'peap' / 'tls' / 'ttls' / 'teap' by name
 * and Windows' own method types take the Microsoft-XML path (lib/profile/session-config.ts) —
 * the options become an EapHostConfig that the stand-in eappcfg.dll reads through MSXML — and the
 * stand-in, which has only the shipped modules, answers that Windows' own method is not
 * installed. Trust is still checked first, and the shipped modules keep serving MSCHAPv2 by name.
 */
import * as assert from 'node:assert/strict';
import { authenticate, createAuthenticator, EapError } from '../../../lib/index';
import { installWindowsRootCertificate } from '../../../lib/profile';
import type { EapHost } from '../../../lib/index';
import { processEphemeralCa } from '../../../lib/core/ephemeral-ca';
import { WINDOWS_METHOD_TYPES } from '../../../lib/profile/microsoft-config';
import { randomCredentials, windowsHostHooks } from '../support';

describe("Windows' own methods on the stand-in EAPHost (Wine prefix)", function () {
  this.timeout(60000);
  let host: EapHost;

  windowsHostHooks((opened) => { host = opened; });

  it("'peap' by name reaches ConfigXml2Blob with Microsoft's profile, which the stand-in does not serve", async function () {
    const { ca, serverName } = processEphemeralCa();
    // `ca` must be in a Root store first (beginSession checks, as Windows' methods trust only those).
    await installWindowsRootCertificate(ca, 'CurrentUser');
    const { identity, password } = randomCredentials();
    await assert.rejects(host.beginSession({ method: 'peap', identity, password, ca, serverName }), (error: unknown) => {
      assert.ok(error instanceof EapError, String(error));
      assert.equal(error.call, 'EapHostPeerConfigXml2Blob');
      return true;
    });
  });

  it("'teap' by name reaches ConfigXml2Blob with Microsoft's TEAP profile (type 55, author 311), which the stand-in does not serve", async function () {
    const { ca, serverName } = processEphemeralCa();
    await installWindowsRootCertificate(ca, 'CurrentUser');
    const { identity, password } = randomCredentials();
    await assert.rejects(host.beginSession({ method: 'teap', identity, password, ca, serverName, teapSecondaryInnerMethod: 'tls' }),
      (error: unknown) => {
        assert.ok(error instanceof EapError, String(error));
        assert.equal(error.call, 'EapHostPeerConfigXml2Blob');
        return true;
      });
    await assert.rejects(host.beginSession({ method: 'teap', identity, password, ca, teapMsChapV2KeyOrder: 'windows' }),
      /^TypeError: teapMsChapV2KeyOrder does not apply to Windows' own teap method/);
  });

  it('a TLS method with no trusted CA is a TypeError before anything native runs, by name and by type', async function () {
    const { identity, password } = randomCredentials();
    await assert.rejects(host.beginSession({ method: 'peap', identity, password }), /no trusted CA configured/);
    await assert.rejects(host.beginSession({ method: { ...WINDOWS_METHOD_TYPES.tls }, identity }), /no trusted CA configured/);
    await assert.rejects(host.beginSession({ method: 'ttls', identity, password, insecure: true }), /prompting/);
  });

  it('MSCHAPv2 by name is still the shipped module: it authenticates against the embedded authenticator', async function () {
    const { identity, password } = randomCredentials();
    const authenticator = await createAuthenticator({ methods: ['mschapv2'], users: { [identity]: { password } } });
    try {
      const session = await host.beginSession({ method: 'mschapv2', identity, password });
      try {
        assert.equal(session.methodType.authorId, 32473);
        const result = await authenticate({ session, transport: authenticator.createConversation() });
        assert.equal(result.success, true, result.reason);
      } finally {
        await session.endSession();
      }
    } finally {
      await authenticator.close();
    }
  });
});
