/**
 * Installing a profile on Windows (lib/profile/install-windows.ts), as far as the machine's
 * Windows goes. Under Wine, Native Wifi answers WlanOpenHandle and lists no interface (its
 * WlanSetProfile is not implemented): the installer must say so as a typed error, never succeed
 * with nothing installed. The PKCS#12 (made here and checked by the openssl command in
 * test/linux/pkcs12-fixture.test.ts) goes into CurrentUser\My through PFXImportCertStore, and is
 * found there afterwards both by CertFindCertificateInStore and by reg.exe reading the store's
 * registry key (an independent reading); its thumbprint comes from node:crypto.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { binding } from '../../lib/native';
import { createEphemeralCa } from '../../lib/core/ephemeral-ca';
import { windowsRootStores } from '../../lib/profile/root-store';
import { EapError } from '../../lib/core/errors';
import {
  WindowsInstallError, findUserCertificate, importUserPkcs12, installWindows, windowsWlanInterfaces,
} from '../../lib/profile/install-windows';
import type { NetworkProfile } from '../../lib/profile/network-profile';
import { writeWindowsProfiles } from '../../lib/profile/windows-profile';
import { makeTestPkcs12 } from '../support/pkcs12';
import { cliScript, queryRegistry, randomCredentials, requireWindows } from './support';

const USER_MY = 'HKCU\\Software\\Microsoft\\SystemCertificates\\My\\Certificates';
const MACHINE_ROOT = 'HKLM\\Software\\Microsoft\\SystemCertificates\\Root\\Certificates';
const ERROR_NOT_FOUND = 1168;
const ERROR_BAD_PROFILE = 1206;
const ERROR_INVALID_PASSWORD = 86;
const ERROR_INVALID_PARAMETER = 87;
const ERROR_INVALID_DATA = 13;
// Where Windows has no Native Wifi to ask: wlanapi.dll absent (Server without the Wireless LAN
// Service), or the WLAN AutoConfig service missing or not running.
const ERROR_MOD_NOT_FOUND = 126;
const ERROR_SERVICE_DOES_NOT_EXIST = 1060;
const ERROR_SERVICE_NOT_ACTIVE = 1062;
const underWine = process.env.EAPHOST_WINE === '1';

function wifiProfile(): NetworkProfile {
  const { identity, password } = randomCredentials();
  // Windows' own EAP-MSCHAPv2 needs no CA: nothing goes into a Root store (which would ask).
  return { version: 1, networks: [{ type: 'wifi', ssid: `eaphost-${identity}` }], eap: [{ method: 'mschapv2' }],
    credentials: { identity, password } };
}

function assertNoWlan(error: unknown): true {
  assert.ok(error instanceof WindowsInstallError, String(error));
  assert.equal(error.step, 'wlan-profile');
  if (underWine) {
    // Wine's wlanapi opens a handle and lists no interface.
    assert.equal(error.win32Error, ERROR_NOT_FOUND, error.message);
    assert.equal(error.call, 'WlanEnumInterfaces');
    assert.match(error.message, /no WLAN interface/);
  } else {
    assert.ok([ERROR_NOT_FOUND, ERROR_MOD_NOT_FOUND, ERROR_SERVICE_DOES_NOT_EXIST, ERROR_SERVICE_NOT_ACTIVE].includes(error.win32Error), error.message);
  }
  assert.ok(error.cause instanceof EapError);
  return true;
}

describe('installing a profile on Windows: Native Wifi, the user store, netsh', function () {
  before(requireWindows);

  it('lists the WLAN interfaces Native Wifi manages (none under Wine)', async function () {
    if (underWine) {
      assert.deepEqual(await windowsWlanInterfaces(), []);
    } else {
      await windowsWlanInterfaces().then(
        (interfaces) => interfaces.forEach((wlan) => assert.match(wlan.guid, /^\{[0-9A-F-]{36}\}$/)),
        (error: unknown) => assertNoWlan(error));
    }
  });

  it('refuses to install a Wi-Fi profile where no WLAN interface exists, as a typed error', async function () {
    await assert.rejects(installWindows(wifiProfile(), { secrets: true }), assertNoWlan);
  });

  it('refuses a named interface Windows does not list', async function () {
    await assert.rejects(installWindows(wifiProfile(), { interface: '{00000000-0000-0000-0000-00000000FEED}' }),
      (error: unknown) => {
        assertNoWlan(error);
        if (underWine) assert.match((error as Error).message, /no WLAN interface named \{00000000-0000-0000-0000-00000000FEED\}/);
        return true;
      });
  });

  it('refuses a WLAN profile that is not well-formed XML with ERROR_BAD_PROFILE and the parser\'s reason', async function () {
    const { documents } = writeWindowsProfiles(wifiProfile());
    const broken = documents[0].text.replace('</WLANProfile>', '</WLANProfil>');
    await assert.rejects(binding.wlanSetProfile({ profileXml: broken, profileName: documents[0].name }), (error: unknown) => {
      assert.ok(error instanceof EapError, String(error));
      assert.equal(error.win32Error, ERROR_BAD_PROFILE);
      assert.equal(error.call, 'IXMLDOMDocument2::loadXML');
      assert.match(error.message, /not well-formed/);
      return true;
    });
  });

  it('imports a PKCS#12 into CurrentUser\\My, where the store and reg.exe both find it with its key', async function () {
    const client = makeTestPkcs12();
    assert.equal(queryRegistry(`${USER_MY}\\${client.thumbprint}`), null, 'the certificate is already there');
    assert.equal(await findUserCertificate(client.thumbprint), null);
    assert.deepEqual(await importUserPkcs12(client.pkcs12, client.password), [client.thumbprint]);
    assert.deepEqual(await findUserCertificate(client.thumbprint), { hasKey: true });
    assert.ok(queryRegistry(`${USER_MY}\\${client.thumbprint}`), 'reg.exe does not see the certificate in CurrentUser\\My');
  });

  it('refuses a PKCS#12 with the wrong password as ERROR_INVALID_PASSWORD, importing nothing', async function () {
    const client = makeTestPkcs12();
    await assert.rejects(importUserPkcs12(client.pkcs12, `${client.password}-wrong`), (error: unknown) => {
      assert.ok(error instanceof WindowsInstallError, String(error));
      assert.equal(error.step, 'client-certificate');
      assert.equal(error.call, 'PFXImportCertStore');
      assert.equal(error.win32Error, ERROR_INVALID_PASSWORD, error.message);
      return true;
    });
    assert.equal(await findUserCertificate(client.thumbprint), null);
  });

  it('refuses bytes that are no PKCS#12 as ERROR_INVALID_DATA', async function () {
    await assert.rejects(importUserPkcs12(Buffer.from('not a PKCS#12'), 'x'), (error: unknown) => {
      assert.ok(error instanceof WindowsInstallError, String(error));
      assert.equal(error.call, 'PFXImportCertStore');
      assert.equal(error.win32Error, underWine ? ERROR_INVALID_DATA : error.win32Error);
      assert.notEqual(error.win32Error, 0);
      return true;
    });
  });

  it('installs an EAP-TLS profile\'s CA and client certificate before its Wi-Fi profile, and stops typed at the WLAN step', async function () {
    const client = makeTestPkcs12();
    // LocalMachine\\Root: the lanes run as an administrator, and CurrentUser\\Root would ask the user.
    const { ca } = createEphemeralCa();
    const caThumbprint = new X509Certificate(ca).fingerprint.split(':').join('').toUpperCase();
    const profile: NetworkProfile = { ...wifiProfile(), credentials: { identity: randomCredentials().identity },
      eap: [{ method: 'tls', ca: [ca], serverNames: ['radius.example.invalid'],
        clientCertificate: { pkcs12: client.pkcs12.toString('base64'), passphrase: client.password } }] };
    await assert.rejects(installWindows(profile, { rootStore: 'LocalMachine', secrets: true }), assertNoWlan);
    // CurrentUser\\Root shows LocalMachine's roots too: the registry says where it was written.
    assert.ok(queryRegistry(`${MACHINE_ROOT}\\${caThumbprint}`), 'reg.exe does not see the CA in LocalMachine\\Root');
    assert.ok((await windowsRootStores(ca))[0].stores.includes('LocalMachine'));
    assert.deepEqual(await findUserCertificate(client.thumbprint), { hasKey: true });
  });

  it('needs the wired interface named for a LAN profile, and reports netsh\'s failure as a typed error', async function () {
    const wired: NetworkProfile = { ...wifiProfile(), networks: [{ type: 'wired' }] };
    await assert.rejects(installWindows(wired), (error: unknown) => {
      assert.ok(error instanceof WindowsInstallError, String(error));
      assert.equal(error.step, 'lan-profile');
      assert.equal(error.win32Error, ERROR_INVALID_PARAMETER);
      return true;
    });
    // No wired interface of this name exists (and under Wine, netsh has no lan context).
    await assert.rejects(installWindows(wired, { lanInterface: 'eaphost-no-such-interface', secrets: true }), (error: unknown) => {
      assert.ok(error instanceof WindowsInstallError, String(error));
      assert.equal(error.step, 'lan-profile');
      assert.equal(error.call, 'netsh lan add profile');
      assert.notEqual(error.win32Error, 0);
      if (underWine) assert.match(error.message, /has no LAN profile afterwards/);
      return true;
    });
  });

  it('`eaphost profile --install` exits non-zero and says why when no WLAN interface exists', function () {
    const dir = mkdtempSync(path.join(tmpdir(), 'eaphost-profile-'));
    try {
      const file = path.join(dir, 'profile.json');
      writeFileSync(file, JSON.stringify(wifiProfile()));
      const child = spawnSync(process.execPath, [cliScript, 'profile', '--from', file, '--install'],
        { encoding: 'utf8', env: process.env });
      assert.notEqual(child.status, 0, child.stdout);
      assert.match(child.stderr, underWine ? /wlan-profile: WlanEnumInterfaces: no WLAN interface/ : /wlan-profile: /);
      assert.equal(child.stdout, '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
