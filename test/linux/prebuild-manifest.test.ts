/**
 * eaphost-prebuild.json (scripts/install/write-manifest.js), the manifest the lanes check the
 * shipped win32 prebuilds against: every file's SHA-256 and, for PE files, the Authenticode
 * digest a signature covers, so a release signed after the lanes tested it is still shown to be
 * the tested build. The digest is held against osslsigncode's own (before and after it signs),
 * the link's reproducibility against objdump's reading of the PE timestamp.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..', '..');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const manifest = require(path.join(root, 'scripts', 'install', 'write-manifest.js')) as {
  writePrebuildManifest(dir: string, options: { target: string }): { files: Record<string, string>; authenticode: Record<string, string> };
  verifyPrebuildManifest(dir: string): string[];
  authenticodeDigest(file: string): string | undefined;
};

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, `${command} ${args.join(' ')}: ${result.error ?? ''}${result.stdout}${result.stderr}`);
  return `${result.stdout}${result.stderr}`;
}

/** The toolchain file's link flags for shared libraries (what every mingw-w64 build here links with). */
function toolchainLinkFlags(): string[] {
  const text = readFileSync(path.join(root, 'scripts', 'cmake', 'toolchain-mingw-common.cmake'), 'utf8');
  const found = /set\(CMAKE_SHARED_LINKER_FLAGS_INIT "([^"]*)"\)/.exec(text);
  assert.ok(found, 'toolchain-mingw-common.cmake sets no CMAKE_SHARED_LINKER_FLAGS_INIT');
  return found[1].split(/\s+/).filter(Boolean);
}

describe('the prebuild manifest (eaphost-prebuild.json)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'eaphost-prebuild-manifest-'));
    writeFileSync(path.join(dir, 'm.c'), 'int __declspec(dllexport) probe(int x) { return x * 3 + 1; }\n');
    run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=eaphost test signer',
      '-keyout', 'signer.key', '-out', 'signer.pem'], dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const triple of ['x86_64-w64-mingw32', 'i686-w64-mingw32']) {
    it(`${triple}: links with a zero PE timestamp, and the Authenticode digest is osslsigncode's, unchanged by signing`, () => {
      const out = path.join(dir, triple);
      mkdirSync(out);
      run(`${triple}-gcc`, ['-shared', '../m.c', ...toolchainLinkFlags(), '-o', 'm.dll'], out);
      assert.match(run(`${triple}-objdump`, ['-p', 'm.dll'], out), /Time\/Date\s+Thu Jan {2}1 00:00:00 1970/);
      run('osslsigncode', ['sign', '-certs', '../signer.pem', '-key', '../signer.key', '-h', 'sha256', '-in', 'm.dll', '-out', 'signed.dll'], out);
      const said = run('osslsigncode', ['verify', '-CAfile', '../signer.pem', '-in', 'signed.dll'], out);
      const current = /Current message digest\s*:\s*([0-9A-F]{64})/.exec(said)?.[1]?.toLowerCase();
      assert.ok(current, said);
      assert.equal(manifest.authenticodeDigest(path.join(out, 'm.dll')), current);
      assert.equal(manifest.authenticodeDigest(path.join(out, 'signed.dll')), current);
      assert.notDeepEqual(readFileSync(path.join(out, 'm.dll')), readFileSync(path.join(out, 'signed.dll')));
    });
  }

  it('verifies the files it lists, accepts a signed copy of a listed DLL, and names a changed, missing or extra file', () => {
    const built = path.join(dir, 'x86_64-w64-mingw32');
    const prebuild = path.join(dir, 'win32-x64');
    mkdirSync(prebuild);
    copyFileSync(path.join(built, 'm.dll'), path.join(prebuild, 'eap_methods.dll'));
    writeFileSync(path.join(prebuild, 'eaphost-methods.json'), '{"methods":[]}\n');
    const written = manifest.writePrebuildManifest(prebuild, { target: 'win32-x64' });
    assert.deepEqual(Object.keys(written.files).sort(), ['eap_methods.dll', 'eaphost-methods.json']);
    assert.deepEqual(Object.keys(written.authenticode), ['eap_methods.dll']);
    assert.deepEqual(manifest.verifyPrebuildManifest(prebuild), []);

    copyFileSync(path.join(built, 'signed.dll'), path.join(prebuild, 'eap_methods.dll'));
    assert.deepEqual(manifest.verifyPrebuildManifest(prebuild), [], 'the signed build is the built one');

    // One byte of the signed file's code changed: its signature would no longer verify either.
    const tampered = readFileSync(path.join(built, 'signed.dll'));
    tampered[0x600] ^= 0x01;
    writeFileSync(path.join(prebuild, 'eap_methods.dll'), tampered);
    assert.match(manifest.verifyPrebuildManifest(prebuild).join('\n'), /^eap_methods\.dll: SHA-256 [0-9a-f]{64}, the manifest says/);

    copyFileSync(path.join(built, 'm.dll'), path.join(prebuild, 'eap_methods.dll'));
    writeFileSync(path.join(prebuild, 'eaphost-methods.json'), '{"methods":[1]}\n');
    writeFileSync(path.join(prebuild, 'extra.dll'), 'MZ');
    rmSync(path.join(prebuild, 'eap_methods.dll'));
    assert.deepEqual(manifest.verifyPrebuildManifest(prebuild).map((line) => line.replace(/ [0-9a-f]{64}/g, ' H')).sort(), [
      'eap_methods.dll: listed, not present',
      'eaphost-methods.json: SHA-256 H, the manifest says H',
      'extra.dll: present, not listed',
    ]);
  });
});
