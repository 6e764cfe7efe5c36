/**
 * The Wine lane builds in a Windows build folder again only when that folder was configured with
 * other settings (scripts/wine/lib.sh, cross_build_current): a folder it reads as stale is started
 * again from nothing, which, with a second build of the same folder beside the suite (the
 * benchmark's addon), removed the addon and the methods from under the running suite. The truth
 * is CMake's own cache file, written by cmake itself from the settings the lane passes.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

/** The repository (tests run from dist/test/linux). */
const root = path.resolve(__dirname, '..', '..', '..');

interface Settings { toolchain: string; optimisation: string; gnutls: string; gypFlags: string }

/** Configures an empty project as cross_build does (cmake-js passes these -D settings); its folder. */
function configure(dir: string, settings: Settings): string {
  const source = path.join(dir, 'source');
  const build = path.join(dir, 'build');
  fs.mkdirSync(source, { recursive: true });
  fs.writeFileSync(path.join(source, 'CMakeLists.txt'),
    'cmake_minimum_required(VERSION 3.16)\nproject(folder_check NONE)\n' +
    'set(EAPHOST_GNUTLS_PREFIX "" CACHE PATH "GnuTLS for Windows")\n' +
    'set(EAPHOST_ADDON_GYP_FLAGS "" CACHE STRING "node-gyp\'s Windows flags")\n' +
    'option(EAPHOST_WARNINGS_AS_ERRORS "warnings as errors" OFF)\n');
  const run = spawnSync('cmake', ['-S', source, '-B', build, `-DCMAKE_TOOLCHAIN_FILE=${settings.toolchain}`,
    '-DCMAKE_BUILD_TYPE=Release', '-DEAPHOST_WARNINGS_AS_ERRORS=ON', `-DCMAKE_CXX_FLAGS_RELEASE=${settings.optimisation}`,
    `-DEAPHOST_ADDON_GYP_FLAGS=${settings.gypFlags}`, `-DEAPHOST_GNUTLS_PREFIX=${settings.gnutls}`,
    '-DCMAKE_EXPORT_COMPILE_COMMANDS=ON'], { encoding: 'utf8' });
  assert.ok(!run.error, `cmake did not run (apt-get install cmake): ${run.error?.message}`);
  assert.equal(run.status, 0, run.stderr);
  return build;
}

/** lib.sh's own verdict on a folder: true when cross_build would only build in it. */
function current(build: string, settings: Settings): boolean {
  const run = spawnSync('bash', ['-c', 'source scripts/wine/lib.sh && cross_build_current "$@"', 'check', build,
    settings.toolchain, settings.optimisation, settings.gnutls, settings.gypFlags], { cwd: root, encoding: 'utf8' });
  assert.ok(run.status === 0 || run.status === 1, `cross_build_current exited ${run.status}: ${run.stderr}`);
  return run.status === 0;
}

describe('the Wine lane\'s check of a Windows build folder (scripts/wine/lib.sh)', () => {
  let dir: string;
  let settings: Settings;
  let build: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(tmpdir(), 'eaphost-folder-check-'));
    const toolchain = path.join(dir, 'toolchain-mingw64.cmake');
    fs.writeFileSync(toolchain, '# no compiler: the project enables no language\n');
    settings = { toolchain, optimisation: '-O3 -DNDEBUG', gnutls: path.join(dir, 'gnutls-x64'), gypFlags: '-DWIN32;-DNAPI_VERSION=8' };
    build = configure(dir, settings);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a folder configured with the same settings as current, CMake\'s untyped entries included', () => {
    const cache = fs.readFileSync(path.join(build, 'CMakeCache.txt'), 'utf8');
    // What cmake itself writes for a -D setting nothing declares with a type.
    assert.match(cache, /^CMAKE_EXPORT_COMPILE_COMMANDS:UNINITIALIZED=ON$/m);
    assert.equal(current(build, settings), true);
  });

  it('reads a folder configured with any other setting, or none, as stale', () => {
    assert.equal(current(build, { ...settings, optimisation: '-O1 -DNDEBUG' }), false);
    assert.equal(current(build, { ...settings, gnutls: `${settings.gnutls}-other` }), false);
    assert.equal(current(build, { ...settings, gypFlags: '' }), false);
    assert.equal(current(build, { ...settings, toolchain: path.join(dir, 'toolchain-mingw32.cmake') }), false);
    assert.equal(current(path.join(dir, 'never-configured'), settings), false);
  });
});
