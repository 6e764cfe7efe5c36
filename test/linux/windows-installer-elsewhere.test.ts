/**
 * The Windows installer off Windows: the addon's Native Wifi and personal-store halves for other
 * OSes answer every call with ERROR_NOT_SUPPORTED, which installWindows reports as a typed
 * WindowsInstallError naming the step and the Windows call — nothing is written anywhere.
 */
import * as assert from 'node:assert/strict';
import { WindowsInstallError, importUserPkcs12, installWindows, windowsWlanInterfaces } from '../../lib/profile/install-windows';
import { makeTestPkcs12 } from '../support/pkcs12';

const ERROR_NOT_SUPPORTED = 50;

function notSupported(step: string, call: string) {
  return (error: unknown): true => {
    assert.ok(error instanceof WindowsInstallError, String(error));
    assert.equal(error.step, step);
    assert.equal(error.call, call);
    assert.equal(error.win32Error, ERROR_NOT_SUPPORTED);
    return true;
  };
}

describe('the Windows profile installer on Linux', function () {
  it('lists no WLAN interfaces: Native Wifi is not supported here', async function () {
    await assert.rejects(windowsWlanInterfaces(), notSupported('wlan-profile', 'WlanEnumInterfaces'));
  });

  it('installs no Wi-Fi profile: a typed WlanSetProfile error', async function () {
    await assert.rejects(installWindows({ version: 1, networks: [{ type: 'wifi', ssid: 'eaphost-test' }], eap: [{ method: 'mschapv2' }] }),
      notSupported('wlan-profile', 'WlanSetProfile'));
  });

  it('imports no PKCS#12: a typed PFXImportCertStore error', async function () {
    const client = makeTestPkcs12();
    await assert.rejects(importUserPkcs12(client.pkcs12, client.password), notSupported('client-certificate', 'PFXImportCertStore'));
  });
});
