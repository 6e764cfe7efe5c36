/**
 * `ca` on the windows backend: Windows' own PEAP / EAP-TLS / EAP-TTLS trust a server only
 * through the Root stores, so a CA in neither LocalMachine\Root nor CurrentUser\Root is refused
 * before anything is configured, with its thumbprint and the fix; installing one is an explicit
 * call. The store's contents are read back through reg.exe (CurrentUser\Root lives under
 * HKCU\Software\Microsoft\SystemCertificates\Root\Certificates\<thumbprint>), not through the
 * lookup under test, and thumbprints come from node:crypto.
 */
import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { EapError } from '../../lib/index';
import { installWindowsRootCertificate, windowsRootStores } from '../../lib/profile';
import type { EapHost } from '../../lib/index';
import { createEphemeralCa } from '../../lib/core/ephemeral-ca';
import { queryRegistry, randomCredentials, windowsHostHooks } from './support';

const USER_ROOT = 'HKCU\\Software\\Microsoft\\SystemCertificates\\Root\\Certificates';

describe("windows backend: `ca` must be in a Root store Windows trusts", function () {
  let host: EapHost;
  windowsHostHooks((opened) => { host = opened; });

  // A CA made for this run: no store can already hold it.
  const ca = createEphemeralCa().ca;
  const thumbprint = new X509Certificate(ca).fingerprint.split(':').join('').toUpperCase();

  it('finds a fresh CA in neither Root store, and beginSession refuses it naming the thumbprint and the fix', async function () {
    assert.equal(queryRegistry(`${USER_ROOT}\\${thumbprint}`), null, 'the CA is already in CurrentUser\\Root');
    const [found] = await windowsRootStores(ca);
    assert.equal(found.thumbprint, thumbprint);
    assert.deepEqual(found.stores, []);
    const { identity, password } = randomCredentials();
    await assert.rejects(host.beginSession({ method: 'peap', ca, identity, password }), (error: unknown) => {
      assert.ok(error instanceof EapError, String(error));
      assert.equal(error.state, 'UntrustedRoot');
      assert.equal(error.win32Error, 1168);
      assert.ok(error.message.includes(thumbprint), error.message);
      assert.match(error.repair, /installWindowsRootCertificate/);
      return true;
    });
  });

  it('installs the CA into CurrentUser\\Root only when asked, and then finds it there', async function () {
    await installWindowsRootCertificate(ca, 'CurrentUser');
    assert.ok(queryRegistry(`${USER_ROOT}\\${thumbprint}`), 'reg.exe does not see the CA in CurrentUser\\Root');
    const [found] = await windowsRootStores(ca);
    assert.deepEqual(found.stores, ['CurrentUser']);
    const { identity, password } = randomCredentials();
    // Past the root check now: whatever happens next, it is not the untrusted-root refusal.
    await host.beginSession({ method: 'peap', ca, identity, password }).then(
      (session) => session.endSession(),
      (error: unknown) => assert.notEqual((error as EapError).state, 'UntrustedRoot', String(error)));
  });

  it('refuses a store that is not a Root store Windows has', async function () {
    await assert.rejects(installWindowsRootCertificate(ca, 'Machine' as never), TypeError);
  });
});
