/**
 * Under Wine only (scripts/wine/run.sh runs this file after shipped-prebuild.test.ts): the stand-in
 * EAPHost in System32 loads method modules into this process, so the process's own list of loaded
 * modules (node's diagnostic report) says which files ran. On Windows the EapHost service loads
 * them in its own process, from the protected copy `eaphost register --shipped` made.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { nativeDir } from '../../lib/native';
import { requireWindows } from '../windows/support';

describe('the shipped win32 prebuild under Wine: the files that ran', () => {
  requireWindows();

  it('eap_methods.dll and the four GnuTLS DLLs in this process are the prebuild\'s own files', () => {
    if (process.env.EAPHOST_WINE !== '1') throw new Error('this file runs in the Wine lane only (EAPHOST_WINE=1)');
    const loaded = ((process.report?.getReport() as { sharedObjects?: string[] }).sharedObjects ?? []).map((f) => f.toLowerCase());
    for (const name of ['eaphost.napi.node', 'eap_methods.dll', 'libgnutls-30.dll', 'libnettle-8.dll', 'libhogweed-6.dll', 'libgmp-10.dll']) {
      const from = loaded.filter((file) => path.win32.basename(file) === name);
      assert.deepEqual(from, [path.win32.join(nativeDir, name).toLowerCase()], `${name} loaded from ${from.join(', ') || 'nowhere'}`);
    }
  });
});
