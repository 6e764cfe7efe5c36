/**
 * Where eap_methods.dll takes GnuTLS from: the four DLLs in its own directory (and Windows' own
 * from System32), never a copy on PATH or in the current directory. A copy of the build's
 * Windows files with one GnuTLS DLL missing, that DLL in another directory which is both the
 * current directory and first on PATH, and `eaphost auth --method peap` in a fresh node.exe over
 * that copy (the portable backend: the copy's stand-in EAPHost and manifest, the embedded
 * authenticator): the stray DLL would make PEAP succeed; the module instead refuses, typed
 * (ERROR_MOD_NOT_FOUND), naming the DLL missing beside it.
 * (LoadLibraryExW with LOAD_LIBRARY_SEARCH_DLL_LOAD_DIR | LOAD_LIBRARY_SEARCH_SYSTEM32:
 * docs/WINDOWS-CONTRACT.md.)
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { builtinMethods } from '../../lib/index';
import { cliScript, requireWindows } from './support';

const GNUTLS_DLLS = ['libgnutls-30.dll', 'libnettle-8.dll', 'libhogweed-6.dll', 'libgmp-10.dll'];
const WINDOWS_FILES = ['eaphost.node', 'eappprxy.dll', 'eap_methods.dll', 'eaphost-methods.json'];

describe('eap_methods.dll loads GnuTLS from its own directory only', function () {
  this.timeout(60000);
  let dir: string;

  before(function () {
    requireWindows();
    dir = mkdtempSync(path.join(tmpdir(), 'eaphost-gnutls-search-'));
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** `eaphost auth --method peap` over a copy of the build without `missing`, which waits in a
   *  directory that is the current directory and first on PATH. */
  function peapWithStray(missing: string) {
    const build = path.dirname(builtinMethods.peap.path);
    const copy = path.join(dir, `without-${missing}`);
    const stray = path.join(dir, `stray-${missing}`);
    mkdirSync(copy);
    mkdirSync(stray);
    for (const file of [...WINDOWS_FILES, ...GNUTLS_DLLS]) {
      copyFileSync(path.join(build, file), path.join(file === missing ? stray : copy, file));
    }
    const users = path.join(stray, 'users.json');
    const password = 'correct horse battery staple';
    writeFileSync(users, JSON.stringify({ alice: { password } }));
    const env: NodeJS.ProcessEnv = { ...process.env, EAPHOST_ADDON_PATH: path.join(copy, 'eaphost.node'), EAPHOST_PASSWORD: password };
    delete env.EAPHOST_METHODS_MANIFEST;
    // Windows' environment names it Path; node's copy keeps that spelling.
    const pathName = Object.keys(env).find((name) => name.toUpperCase() === 'PATH') ?? 'PATH';
    env[pathName] = `${stray};${env[pathName] ?? ''}`;
    const child = spawnSync(process.execPath, [cliScript, 'auth', '--method', 'peap', '--identity', 'alice', '--users', users,
      '--backend', 'portable', '--json'], { cwd: stray, encoding: 'utf8', env });
    return { copy, status: child.status, output: `${child.stdout}\n${child.stderr}` };
  }

  for (const missing of ['libnettle-8.dll', 'libgnutls-30.dll']) {
    it(`${missing} missing beside the module, present in the current directory and on PATH: refused, naming it`, function () {
      const { copy, status, output } = peapWithStray(missing);
      assert.notEqual(status, 0, `PEAP ran with the stray ${missing}:\n${output}`);
      // The embedded authenticator's PEAP is the first to reach GnuTLS: the CLI names its failure.
      assert.match(output, /^eaphost auth: EapMethodAuthenticatorBeginSession: The PEAP method cannot run: GnuTLS could not be loaded/m);
      assert.ok(output.includes(`${missing} could not be loaded from ${path.join(copy, missing)} (Windows error 126)`), output);
      assert.match(output, /\(Win32 error 126\)/);
    });
  }
});
