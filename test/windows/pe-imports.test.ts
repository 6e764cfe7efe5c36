/**
 * The Windows build's DLLs load on a machine without the VC++ redistributable: neither the addon
 * nor the method module imports the VC++ runtime's DLLs (vcruntime140, msvcp140, ...), read from
 * their import directories by scripts/dev/pe-info.js — the reader prebuild.js and the workflow use
 * to refuse such a build. KERNEL32.dll, which every Windows DLL imports, shows the reader reads.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, requireWindows } from './support';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const peInfo = require(path.join(repoRoot, 'scripts', 'dev', 'pe-info.js')) as {
  readPe(file: string): { arch: string; imports: string[]; delayImports: string[] };
  vcRuntimeImports(info: { imports: string[]; delayImports: string[] }): string[];
};

describe('Windows build: PE imports', function () {
  before(function () { requireWindows(); });

  for (const name of ['eaphost.node', 'eap_methods.dll']) {
    it(`${name} imports KERNEL32.dll and nothing of the VC++ runtime`, function () {
      // The Wine lane names the addon it runs; a Windows checkout's build is build/Release.
      const addon = process.env.EAPHOST_ADDON_PATH ?? path.join(repoRoot, 'build', 'Release', 'eaphost.node');
      const file = path.join(path.dirname(addon), name);
      assert.ok(fs.existsSync(file), `${file} exists`);
      const info = peInfo.readPe(file);
      assert.ok(info.imports.some((dll) => dll.toLowerCase() === 'kernel32.dll'), `imports: ${info.imports.join(', ')}`);
      assert.deepEqual(peInfo.vcRuntimeImports(info), []);
      assert.deepEqual(peInfo.vcRuntimeImports({ imports: ['VCRUNTIME140.dll', 'msvcp140_1.dll', 'msvcrt.dll'], delayImports: [] }),
        ['VCRUNTIME140.dll', 'msvcp140_1.dll']);
    });
  }
});
