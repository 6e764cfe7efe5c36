/**
 * eaphost inside an Electron app packed with asar (README "Electron with asar"): the package's
 * JavaScript is read from resources/app.asar, whose files only Electron's own fs can read, while
 * the addon, the method modules, the GnuTLS DLLs and the manifest are loaded by the operating
 * system's loader (dlopen, LoadLibrary) and must be real files: the app unpacks them into
 * resources/app.asar.unpacked (asarUnpack). lib/native/addon-path.ts reads every native path
 * through `<name>.asar` from `<name>.asar.unpacked`.
 *
 * First the layout Electron's packagers leave, with real files: a file named app.asar beside the
 * unpacked folder, as on disk; then as Electron's fs presents the archive to the app, a folder
 * app.asar holding the JavaScript and no native file, in which a node of its own loads the
 * package and runs `eaphost auth` (EAP-MD5, embedded authenticator) with the natives from
 * app.asar.unpacked. Then a real archive, made by @electron/asar (what @electron/packager and
 * Forge call) with the README's unpack rule, and with Forge's auto-unpack-natives rule (`.node`
 * files only), which the README warns against.
 */
import * as asar from '@electron/asar';
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

/** What an app's archive holds of the package besides its natives. */
const PACKED = ['package.json', path.join('dist', 'lib'), path.join('examples', 'users.json')];

/** `eaphost auth` (EAP-MD5, the embedded authenticator) run by a node of its own from the package at `inArchive`. */
function authenticateFrom(inArchive: string): { status: number | null; output: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_PATH: '' };
  delete env.EAPHOST_ADDON_PATH;
  const auth = spawnSync(process.execPath, [path.join(inArchive, 'dist', 'lib', 'cli', 'main.js'), 'auth', '--method', 'md5', '--identity', 'alice',
    '--password', 'correct horse battery staple', '--users', path.join(inArchive, 'examples', 'users.json')], { env, encoding: 'utf8' });
  return { status: auth.status, output: `${auth.stdout}${auth.stderr}` };
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
    for (const entry of PACKED) fs.cpSync(path.join(repoRoot, entry), path.join(inArchive, entry), { recursive: true });
    nativesInto(path.join(resources, 'app.asar.unpacked', 'node_modules', 'eaphost', 'prebuilds', PREBUILD));
    const auth = authenticateFrom(inArchive);
    assert.equal(auth.status, 0, auth.output);
  });

  describe('a real archive, made by @electron/asar', () => {
    /** The app's folder (its node_modules/eaphost as npm installs it), packed into resources/app.asar with `options`. */
    async function pack(name: string, options: Parameters<typeof asar.createPackageWithOptions>[2]): Promise<string> {
      const app = path.join(scratch.path, name, 'app');
      const installed = path.join(app, 'node_modules', 'eaphost');
      for (const entry of PACKED) fs.cpSync(path.join(repoRoot, entry), path.join(installed, entry), { recursive: true });
      nativesInto(path.join(installed, 'prebuilds', PREBUILD));
      fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', main: 'main.js' }));
      const archive = path.join(scratch.path, name, 'resources', 'app.asar');
      await asar.createPackageWithOptions(app, archive, options);
      fs.rmSync(app, { recursive: true });
      return archive;
    }

    /** The archive's files and folders, relative, in this platform's separators (as statFile takes them). */
    const entriesOf = (archive: string): string[] => asar.listPackage(archive, { isPack: false }).map((entry) => entry.replace(/^[\\/]/, ''));
    const unpackedIn = (archive: string, entry: string): boolean => (asar.statFile(archive, entry) as { unpacked?: boolean }).unpacked === true;

    /** The archive as Electron's fs shows it to the app (a folder of the same name, in a resources
     *  folder of its own beside the original, with the same unpacked folder), less what the
     *  operating system's loader cannot read through it: each file the archive marks unpacked.
     *  The package's folder in it. */
    function presentArchive(archive: string): string {
      const presented = path.join(path.dirname(path.dirname(archive)), 'presented', 'app.asar');
      asar.extractAll(archive, presented);
      for (const file of entriesOf(archive)) {
        const stat = asar.statFile(archive, file) as { unpacked?: boolean; files?: unknown };
        if (stat.unpacked === true && stat.files === undefined) fs.rmSync(path.join(presented, file), { force: true });
      }
      if (fs.existsSync(`${archive}.unpacked`)) fs.cpSync(`${archive}.unpacked`, `${presented}.unpacked`, { recursive: true });
      return path.join(presented, 'node_modules', 'eaphost');
    }

    it("the README's rule (the whole prebuild folder unpacked): each native where eaphost looks, the JavaScript only inside, and it authenticates", async () => {
      const archive = await pack('unpack-dir', { unpackDir: '**/node_modules/eaphost/prebuilds' });
      const inArchive = path.join(archive, 'node_modules', 'eaphost');
      const prebuild = path.join('node_modules', 'eaphost', 'prebuilds', PREBUILD);
      const natives = entriesOf(archive).filter((entry) => entry.startsWith(`${prebuild}${path.sep}`));
      assert.ok(natives.some((entry) => path.basename(entry) === 'eaphost.napi.node'), natives.join(', '));
      for (const entry of natives) {
        assert.ok(unpackedIn(archive, entry), `${entry} is unpacked`);
        assert.ok(fs.existsSync(unpackedPath(path.join(archive, entry))), `${entry} is on disk where eaphost reads it`);
      }
      const script = path.join('node_modules', 'eaphost', 'dist', 'lib', 'native', 'addon-path.js');
      assert.ok(!unpackedIn(archive, script));
      assert.ok(!fs.existsSync(unpackedPath(path.join(archive, script))), 'the JavaScript stays in the archive');
      assert.deepEqual(asar.extractFile(archive, script), fs.readFileSync(path.join(repoRoot, 'dist', 'lib', 'native', 'addon-path.js')));
      assert.equal(resolveAddon(inArchive, { env: {} }), unpackedPath(path.join(inArchive, 'prebuilds', PREBUILD, 'eaphost.napi.node')));
      const auth = authenticateFrom(presentArchive(archive));
      assert.equal(auth.status, 0, auth.output);
    });

    it("Forge's auto-unpack-natives rule (.node files only): the addon loads, a module left packed fails, named", async () => {
      const archive = await pack('unpack-node', { unpack: '*.node' });
      const inArchive = path.join(archive, 'node_modules', 'eaphost');
      const prebuild = path.join('node_modules', 'eaphost', 'prebuilds', PREBUILD);
      const left = entriesOf(archive).filter((entry) => entry.startsWith(`${prebuild}${path.sep}`) && !unpackedIn(archive, entry))
        .map((entry) => path.basename(entry));
      assert.ok(left.some((name) => /^eap_methods\./.test(name)), `the method module stays packed: ${left.join(', ')}`);
      assert.ok(fs.existsSync(unpackedPath(path.join(inArchive, 'prebuilds', PREBUILD, 'eaphost.napi.node'))));
      const auth = authenticateFrom(presentArchive(archive));
      assert.notEqual(auth.status, 0, auth.output);
      assert.ok(left.some((name) => auth.output.includes(path.join('app.asar.unpacked', 'node_modules', 'eaphost', 'prebuilds', PREBUILD, name))),
        `the failure names a module left in the archive (${left.join(', ')}): ${auth.output}`);
    });
  });
});
