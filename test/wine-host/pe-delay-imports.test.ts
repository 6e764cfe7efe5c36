/**
 * scripts/dev/pe-info.js, which the lanes, the workflows and prebuild.js trust to say what a
 * Windows module imports and delay-loads, read against binutils' objdump on the modules this lane
 * built (x64 and x86): the import directory's DLL names as `objdump -p` lists them, and the
 * delay-import descriptors found from the data directory `objdump -p` prints (entry 13), read
 * byte for byte with `objdump -s`. Each eap_methods.dll delay-loads libgnutls-30.dll and imports
 * no GnuTLS DLL; the addon delay-loads node.exe and libgnutls-30.dll (RADIUS/DTLS), imports no GnuTLS DLL.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { readPe } from '../support/pe-info';

const repoRoot = path.join(__dirname, '..', '..', '..');

function objdump(triple: string, args: string[]): string {
  const run = spawnSync(`${triple}-objdump`, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.ok(!run.error, `${triple}-objdump did not run (apt-get install mingw-w64): ${run.error?.message}`);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

/** `length` bytes of the image at virtual address `address`, as `objdump -s` dumps them. */
function bytesAt(triple: string, file: string, address: bigint, length: number): Buffer {
  const dump = objdump(triple, ['-s', `--start-address=0x${address.toString(16)}`, `--stop-address=0x${(address + BigInt(length)).toString(16)}`, file]);
  const bytes: number[] = [];
  for (const [, hex] of dump.matchAll(/^ [0-9a-f]+ ((?:[0-9a-f]{2,8} ?){1,4})/gm)) {
    for (const group of hex.trim().split(/\s+/)) for (let i = 0; i < group.length; i += 2) bytes.push(parseInt(group.slice(i, i + 2), 16));
  }
  return Buffer.from(bytes.slice(0, length));
}

/** What objdump says a PE file imports and delay-loads. */
function objdumpImports(triple: string, file: string): { imports: string[]; delayImports: string[] } {
  const headers = objdump(triple, ['-p', file]);
  const imageBase = BigInt(`0x${/^ImageBase\s+([0-9a-f]+)/m.exec(headers)?.[1]}`);
  // The import directory's descriptors, before the delay-import part (objdump decodes only the former).
  const imports = [...headers.matchAll(/^\s*DLL Name: (\S+)/gm)].map((m) => m[1]);
  const entry = /^Entry d ([0-9a-f]+) ([0-9a-f]+) Delay Import Directory/m.exec(headers);
  assert.ok(entry, `objdump -p shows no delay-import directory entry for ${file}`);
  const delayImports: string[] = [];
  const [rva, size] = [BigInt(`0x${entry[1]}`), Number(`0x${entry[2]}`)];
  // IMAGE_DELAYLOAD_DESCRIPTOR: 32 bytes, the DLL name's RVA at +4; a zeroed one ends the table.
  for (let at = 0; rva !== 0n && at + 32 <= size; at += 32) {
    const descriptor = bytesAt(triple, file, imageBase + rva + BigInt(at), 32);
    const nameRva = descriptor.readUInt32LE(4);
    if (nameRva === 0) break;
    assert.equal(descriptor.readUInt32LE(0) & 1, 1, 'the descriptor uses RVAs');
    const name = bytesAt(triple, file, imageBase + BigInt(nameRva), 64);
    delayImports.push(name.toString('latin1', 0, name.indexOf(0)));
  }
  return { imports, delayImports };
}

const MODULES = [
  { build: 'build-win', triple: 'x86_64-w64-mingw32', arch: 'x64' },
  { build: 'build-win32', triple: 'i686-w64-mingw32', arch: 'ia32' },
];

describe('pe-info.js against objdump, on the modules the Wine lane built', function () {
  this.timeout(60000);

  for (const { build, triple, arch } of MODULES) {
    const file = path.join(repoRoot, build, 'Release', 'eap_methods.dll');
    it(`${build}/Release/eap_methods.dll (${arch}): the same imports and delay imports; GnuTLS delay-loaded, not imported`, function () {
      assert.ok(existsSync(file), `${file} is missing: scripts/wine/run.sh builds it`);
      const ours = readPe(file);
      const theirs = objdumpImports(triple, file);
      assert.equal(ours.arch, arch);
      assert.deepEqual(ours.imports, theirs.imports);
      assert.deepEqual(ours.delayImports, theirs.delayImports);
      assert.deepEqual(theirs.delayImports.map((dll) => dll.toLowerCase()), ['libgnutls-30.dll']);
      assert.deepEqual(theirs.imports.filter((dll) => /gnutls|nettle|hogweed|gmp/i.test(dll)), []);
    });
  }

  it('build-win/Release/eaphost.node (x64): node.exe and GnuTLS delay-loaded, read alike', function () {
    const file = path.join(repoRoot, 'build-win', 'Release', 'eaphost.node');
    const ours = readPe(file);
    const theirs = objdumpImports('x86_64-w64-mingw32', file);
    assert.deepEqual(ours.imports, theirs.imports);
    assert.deepEqual(ours.delayImports, theirs.delayImports);
    // node.exe, and GnuTLS for RADIUS/DTLS (loaded from beside the addon on first use), never imported.
    assert.deepEqual(theirs.delayImports.map((dll) => dll.toLowerCase()), ['node.exe', 'libgnutls-30.dll']);
    assert.deepEqual(theirs.imports.filter((dll) => /gnutls|nettle|hogweed|gmp/i.test(dll)), []);
  });
});
