/**
 * eaphost inside an Electron app packed with asar (README "Electron with asar"): the package's
 * JavaScript is read from resources/app.asar, whose files only Electron's own fs can read, while
 * the addon, the method modules, the GnuTLS DLLs and the manifest are loaded by the operating
 * system's loader (dlopen, LoadLibrary) and must be real files: the app unpacks them into
 * resources/app.asar.unpacked (asarUnpack). lib/native/addon-path.ts reads every native path
 * through `<name>.asar` from `<name>.asar.unpacked`.
 *
 * No asar archive is made here (@electron/asar is not among the dependencies): the layout is the
 * one Electron's packagers leave, with real files. First with a file named app.asar beside the
 * unpacked folder, as on disk; then as Electron's fs presents the archive to the app, a folder
 * app.asar holding the JavaScript and no native file, in which a node of its own loads the
 * package and runs `eaphost auth` (EAP-MD5, embedded authenticator) with the natives from
 * app.asar.unpacked.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveAddon, unpackedPath } from '../lib/native/addon-path';
import { nativeDir } from '../lib/native';
import { makeTempDir } from './support/programs';
import { repoRoot } from './support/scratch';

const PREBUILD = `${process.platform}-${process.arch}`;

/** The natives as a prebuild carries them (the addon and what lies beside it), into `folder`. */
function nativesInto(folder: string): void {
  fs.mkdirSync(folder, { recursive: true });
  for (const name of fs.readdirSync(nativeDir)) {
    const target = /^eaphost(\.napi)?\.node$/.test(name) ? 'eaphost.napi.node' : name;
    if (target === 'eaphost.napi.node' || name === 'eaphost-methods.json' || /^(eap_methods|eaphost_portable)\.(so|dylib|dll)$/.test(name) ||
      /^lib(gnutls|nettle|hogweed|gmp)-\d+\.dll$/.test(name)) fs.copyFileSync(path.join(nativeDir, name), path.join(folder, target));
  }
}

describe('eaphost in an Electron app packed with asar: the natives from app.asar.unpacked', function () {
  this.timeout(120_000);
  const scratch = makeTempDir('electron-asar');
  after(() => scratch.remove());

  it('reads each <name>.asar folder of a path as <name>.asar.unpacked, and nothing else', () => {
    assert.equal(unpackedPath('C:\\Program Files\\App\\resources\\app.asar\\node_modules\\eaphost'),
      'C:\\Program Files\\App\\resources\\app.asar.unpacked\\node_modules\\eaphost');
    assert.equal(unpackedPath('/opt/App/resources/app.asar/node_modules/eaphost/build/Release/eaphost.node'),
      '/opt/App/resources/app.asar.unpacked/node_modules/eaphost/build/Release/eaphost.node');
    assert.equal(unpackedPath('/opt/App/resources/other.asar'), '/opt/App/resources/other.asar.unpacked');
    for (const unchanged of ['/opt/App/resources/app.asar.unpacked/node_modules/eaphost', '/opt/app.asarx/eaphost', '/opt/asar/eaphost', '/srv/eaphost']) {
      assert.equal(unpackedPath(unchanged), unchanged);
    }
  });

  it('with app.asar a file, as on disk: the addon is the unpacked prebuild, EAPHOST_ADDON_PATH included', () => {
    const resources = path.join(scratch.path, 'file', 'resources');
    fs.mkdirSync(resources, { recursive: true });
    fs.writeFileSync(path.join(resources, 'app.asar'), 'an asar archive stands here\n');
    const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules', 'eaphost', 'prebuilds', PREBUILD);
    nativesInto(unpacked);
    const inArchive = path.join(resources, 'app.asar', 'node_modules', 'eaphost');
    assert.equal(resolveAddon(inArchive, { env: {} }), path.join(unpacked, 'eaphost.napi.node'));
    assert.equal(resolveAddon(inArchive, { env: { EAPHOST_ADDON_PATH: path.join(inArchive, 'prebuilds', PREBUILD, 'eaphost.napi.node') } }),
      path.join(unpacked, 'eaphost.napi.node'));
    fs.rmSync(path.join(unpacked, 'eaphost.napi.node'));
    assert.throws(() => resolveAddon(inArchive, { env: {} }), (error: Error) => error.message.includes(path.join(unpacked, 'eaphost.napi.node')));
  });

  it('as Electron presents the archive: the package loads from app.asar, its natives from app.asar.unpacked, and authenticates', () => {
    const resources = path.join(scratch.path, 'electron', 'resources');
    const inArchive = path.join(resources, 'app.asar', 'node_modules', 'eaphost');
    for (const entry of ['package.json', path.join('dist', 'lib'), path.join('examples', 'users.json')]) {
      fs.cpSync(path.join(repoRoot, entry), path.join(inArchive, entry), { recursive: true });
    }
    const unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules', 'eaphost', 'prebuilds', PREBUILD);
    nativesInto(unpacked);
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: '' };
    delete env.EAPHOST_ADDON_PATH;
    const paths = spawnSync(process.execPath, ['-p', `const e = require(${JSON.stringify(path.join(inArchive, 'dist', 'lib', 'index.js'))}); ` +
      `JSON.stringify([require(${JSON.stringify(path.join(inArchive, 'dist', 'lib', 'native'))}).addonPath, e.builtinMethods.md5.path])`],
    { env, encoding: 'utf8' });
    assert.equal(paths.status, 0, paths.stderr);
    assert.deepEqual(JSON.parse(paths.stdout), [path.join(unpacked, 'eaphost.napi.node'),
      path.join(unpacked, `eap_methods${{ win32: '.dll', darwin: '.dylib' }[process.platform as string] ?? '.so'}`)]);
    const auth = spawnSync(process.execPath, [path.join(inArchive, 'dist', 'lib', 'cli', 'main.js'), 'auth', '--method', 'md5', '--identity', 'alice',
      '--password', 'correct horse battery staple', '--users', path.join(inArchive, 'examples', 'users.json')], { env, encoding: 'utf8' });
    assert.equal(auth.status, 0, `${auth.stdout}${auth.stderr}`);
  });
});
