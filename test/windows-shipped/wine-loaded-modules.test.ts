/**
 * Under Wine only (scripts/wine/run.sh runs this file after shipped-prebuild.test.ts): the stand-in
 * EAPHost in System32 loads method modules into this process, so the process's own list of loaded
 * modules (node's diagnostic report) says which files ran. On Windows the EapHost service loads
 * them in its own process, from the protected copy `eaphost register --shipped` made.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { copiesFolder } from '../../lib/register';
import { nativeDir } from '../../lib/native';
import { requireWindows } from '../windows/support';

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('the shipped win32 prebuild under Wine: the files that ran', () => {
  requireWindows();

  // The addon is the prebuild's own file. The method module and GnuTLS are loaded twice here: by
  // the addon's authenticator from the prebuild, and by the stand-in EAPHost from the protected
  // copy `eaphost register --shipped` made under %ProgramFiles%\eaphost; whichever folder a file
  // came from, its bytes are the ones the manifest lists.
  it('eap_methods.dll and the four GnuTLS DLLs in this process are the prebuild\'s own files', () => {
    if (process.env.EAPHOST_WINE !== '1') throw new Error('this file runs in the Wine lane only (EAPHOST_WINE=1)');
    const { files } = JSON.parse(readFileSync(path.join(nativeDir, 'eaphost-prebuild.json'), 'utf8')) as { files: Record<string, string> };
    const protectedRoot = copiesFolder().toLowerCase();
    const loaded = ((process.report?.getReport() as { sharedObjects?: string[] }).sharedObjects ?? []);
    const addon = loaded.filter((file) => path.win32.basename(file).toLowerCase() === 'eaphost.napi.node').map((f) => f.toLowerCase());
    assert.deepEqual(addon, [path.win32.join(nativeDir, 'eaphost.napi.node').toLowerCase()], `the addon loaded from ${addon.join(', ')}`);
    for (const name of ['eaphost.napi.node', 'eap_methods.dll', 'libgnutls-30.dll', 'libnettle-8.dll', 'libhogweed-6.dll', 'libgmp-10.dll']) {
      const from = loaded.filter((file) => path.win32.basename(file).toLowerCase() === name);
      assert.ok(from.length > 0, `${name} is not loaded`);
      for (const file of from) {
        const dir = path.win32.dirname(file).toLowerCase();
        assert.ok(dir === nativeDir.toLowerCase() || dir.startsWith(protectedRoot + '\\'),
          `${name} loaded from ${file}: neither the prebuild nor its protected copy`);
        assert.equal(sha256(file), files[name], `${file}: not the bytes eaphost-prebuild.json lists`);
      }
    }
  });
});
