/**
 * `ca` on the windows backend: Windows' own PEAP / EAP-TLS / EAP-TTLS trust a server only
 * through the Root stores, so a CA in neither LocalMachine\Root nor CurrentUser\Root is refused
 * before anything is configured, with its thumbprint and the fix; installing one is an explicit
 * call. The store's contents are read back through reg.exe (a Root store lives under
 * <hive>\Software\Microsoft\SystemCertificates\Root\Certificates\<thumbprint>), not through the
 * lookup under test, and thumbprints come from node:crypto.
 *
 * The store written: on real Windows LocalMachine\Root, which the elevated runner may write
 * without a word, because adding to CurrentUser\Root raises a confirmation dialog nobody answers
 * on a hosted runner (the step would hang to its timeout); under Wine, which asks nothing and
 * builds its LocalMachine\Root from the host's certificates, CurrentUser\Root.
 */
import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { EapError } from '../../lib/index';
import { installWindowsRootCertificate, removeWindowsRootCertificate, windowsRootStores } from '../../lib/profile';
import type { WindowsRootStore } from '../../lib/profile/root-store';
import type { EapHost } from '../../lib/index';
import { createEphemeralCa } from '../../lib/core/ephemeral-ca';
import { execFileSync } from 'node:child_process';
import { queryRegistry, randomCredentials, windowsHostHooks } from './support';

const STORE: WindowsRootStore = process.env.EAPHOST_WINE === '1' ? 'CurrentUser' : 'LocalMachine';
const ROOT_KEY = `${STORE === 'CurrentUser' ? 'HKCU' : 'HKLM'}\\Software\\Microsoft\\SystemCertificates\\Root\\Certificates`;

describe("windows backend: `ca` must be in a Root store Windows trusts", function () {
  let host: EapHost;
  windowsHostHooks((opened) => { host = opened; });

  // A CA made for this run: no store can already hold it.
  const ca = createEphemeralCa().ca;
  const thumbprint = new X509Certificate(ca).fingerprint.split(':').join('').toUpperCase();
  // The CA goes with the run: reg.exe removes its key (the store keeps nothing else of it).
  after(function () {
    if (queryRegistry(`${ROOT_KEY}\\${thumbprint}`)) execFileSync('reg.exe', ['delete', `${ROOT_KEY}\\${thumbprint}`, '/f'], { stdio: 'pipe' });
  });

  it('finds a fresh CA in neither Root store, and beginSession refuses it naming the thumbprint and the fix', async function () {
    assert.equal(queryRegistry(`${ROOT_KEY}\\${thumbprint}`), null, `the CA is already in ${STORE}\\Root`);
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

  it(`installs the CA into ${STORE}\\Root only when asked, and then finds it there`, async function () {
    await installWindowsRootCertificate(ca, STORE);
    assert.ok(queryRegistry(`${ROOT_KEY}\\${thumbprint}`), `reg.exe does not see the CA in ${STORE}\\Root`);
    const [found] = await windowsRootStores(ca);
    assert.deepEqual(found.stores, [STORE]);
    const { identity, password } = randomCredentials();
    // Past the root check now: whatever happens next, it is not the untrusted-root refusal.
    await host.beginSession({ method: 'peap', ca, identity, password }).then(
      (session) => session.endSession(),
      (error: unknown) => assert.notEqual((error as EapError).state, 'UntrustedRoot', String(error)));
  });

  it(`removes the CA from ${STORE}\\Root, saying it was there; a second removal finds nothing`, async function () {
    assert.deepEqual((await windowsRootStores(ca))[0].stores, [STORE], 'installed by the test before');
    assert.deepEqual(await removeWindowsRootCertificate(ca, STORE), [thumbprint]);
    assert.equal(queryRegistry(`${ROOT_KEY}\\${thumbprint}`), null, `reg.exe still sees the CA in ${STORE}\\Root`);
    assert.deepEqual((await windowsRootStores(ca))[0].stores, []);
    assert.deepEqual(await removeWindowsRootCertificate(ca, STORE), []);
  });

  // The policy an administrator sets to disallow user-trusted roots (wincrypt.h's
  // CERT_PROT_ROOT_FLAGS_REGPATH and CERT_PROT_ROOT_DISABLE_CURRENT_USER_FLAG): Windows ignores
  // CurrentUser\Root then, so an install there is refused before anything is written, naming it.
  describe('under the ProtectedRoots policy', function () {
    const POLICY_KEY = 'HKLM\\Software\\Policies\\Microsoft\\SystemCertificates\\Root\\ProtectedRoots';
    const hadPolicy = (): boolean => queryRegistry(POLICY_KEY)?.has('Flags') ?? false;
    let setHere = false;
    before(function () {
      assert.equal(hadPolicy(), false, 'the machine already has a ProtectedRoots policy');
      execFileSync('reg.exe', ['add', POLICY_KEY, '/v', 'Flags', '/t', 'REG_DWORD', '/d', '0x21', '/f'], { stdio: 'pipe' });
      setHere = true;
    });
    after(function () {
      if (setHere) execFileSync('reg.exe', ['delete', POLICY_KEY, '/v', 'Flags', '/f'], { stdio: 'pipe' });
    });

    it('refuses CurrentUser\\Root with ERROR_ACCESS_DISABLED_BY_POLICY naming the policy and its raw Flags; nothing is written', async function () {
      const other = createEphemeralCa().ca;
      const otherThumbprint = new X509Certificate(other).fingerprint.split(':').join('').toUpperCase();
      const userRoot = 'HKCU\\Software\\Microsoft\\SystemCertificates\\Root\\Certificates';
      await assert.rejects(installWindowsRootCertificate(other, 'CurrentUser'), (error: unknown) => {
        assert.ok(error instanceof EapError, String(error));
        assert.equal(error.win32Error, 1260);
        assert.match(error.message, /ProtectedRoots, Flags 0x21, CERT_PROT_ROOT_DISABLE_CURRENT_USER_FLAG 0x1 set/);
        assert.match(error.message, /LocalMachine\\Root/);
        return true;
      });
      assert.equal(queryRegistry(`${userRoot}\\${otherThumbprint}`), null, 'the CA was written to CurrentUser\\Root');
      assert.deepEqual((await windowsRootStores(other))[0].stores, []);
    });
  });

  it('refuses a store that is not a Root store Windows has', async function () {
    await assert.rejects(installWindowsRootCertificate(ca, 'Machine' as never), TypeError);
    await assert.rejects(removeWindowsRootCertificate(ca, 'Machine' as never), TypeError);
  });
});
