/**
 * Every copy of a secret is wiped by the project's one helper, native/common/secure_zero.h
 * (SecureZero, SecureZeroContents, SecureShrink, WipeOnExit). Two proofs: a probe compiled with
 * the optimiser on, whose allocator inspects each block as it is released (the helper's wipe is not a dead
 * store the compiler may drop, and WipeOnExit runs on every way out of a scope); and rules over
 * native/ that no second way of wiping exists and that the hosts free a method's secret-bearing
 * buffers (user blob, user and connection data, UI context) only through FreeSecret.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { inScratchDir, repoRoot as root } from '../support/scratch';
const nativeDir = path.join(root, 'native');

function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourcesUnder(full));
    else if (/\.(cc|h)$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** Lines of native/ matching `pattern`, as "file:line: text", outside the files `allowed`. */
function offending(pattern: RegExp, allowed: string[]): string[] {
  const hits: string[] = [];
  for (const file of sourcesUnder(nativeDir)) {
    const relative = path.relative(root, file).split(path.sep).join('/');
    if (allowed.includes(relative)) continue;
    fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      if (pattern.test(line)) hits.push(`${relative}:${i + 1}: ${line.trim()}`);
    });
  }
  return hits;
}

function runProbe(secret: string, mode: 'wipe' | 'keep'): { released: number; dirty: number } {
  return inScratchDir('eaphost-wipe-probe-', (dir) => {
    const exe = path.join(dir, 'probe');
    const source = path.join(root, 'test', 'fixtures', 'wipe_probe.cc');
    const build = spawnSync('c++', ['-std=c++17', '-O2', '-Wall', '-Wextra', '-Wshadow', '-Werror', source, '-o', exe],
      { encoding: 'utf8' });
    assert.equal(build.status, 0, `the probe did not compile:\n${build.stderr}`);
    const run = spawnSync(exe, [secret, mode], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const [released, dirty] = run.stdout.trim().split(' ').map(Number);
    return { released, dirty };
  });
}

describe('secrets are wiped by one helper', function () {
  this.timeout(120_000);
  const secret = 'correct horse battery staple, long enough for the heap';

  it('WipeOnExit and SecureShrink leave nothing of a secret in the memory the allocator gets back (-O2)', () => {
    const wiped = runProbe(secret, 'wipe');
    assert.equal(wiped.released, 3, 'the probe releases its three buffers');
    assert.equal(wiped.dirty, 0, 'bytes of the secret reached the allocator');
  });

  it('the probe sees a secret that is released without the helper (it can fail)', () => {
    const kept = runProbe(secret, 'keep');
    assert.equal(kept.released, 3);
    // The byte copy and its UTF-16 widening (every byte of the first, half the bytes of the
    // second), and the padding a plain resize dropped from the packet.
    assert.equal(kept.dirty, secret.length * 3);
  });

  it('native/ has no second way of wiping: no volatile loop, memset or fill with zero', () => {
    // secret_bytes.cc's volatile accumulator is its constant-time comparison, not a wipe.
    const allowed = ['native/common/secure_zero.h', 'native/methods/support/secret_bytes.cc'];
    assert.deepEqual(offending(/\bvolatile\b/, allowed), []);
    assert.deepEqual(offending(/std::fill\([^;]*,\s*(0|'\\0')\s*\)/, []), []);
    assert.deepEqual(offending(/explicit_bzero|gnutls_memset|SecureZeroMemory|RtlSecureZero/, []), []);
    // memset with zero only to initialise a structure before it is filled in, never as a wipe.
    const memsets = offending(/memset\([^;]*,\s*0\s*,/, []);
    for (const hit of memsets) assert.match(hit, /memset\(result, 0, sizeof\(\*result\)\)|kMacOffset/, hit);
  });

  it('the hosts free a method\'s secret-bearing buffers only through FreeSecret', () => {
    const hosts = path.join(nativeDir, 'hosts');
    const secretNames = /FreeMemory\([^)]*(pUserData|pConnectionData|userData|connectionData|blob|UIContext|data\))/i;
    const hits: string[] = [];
    for (const file of sourcesUnder(hosts)) {
      fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (secretNames.test(line)) hits.push(`${path.basename(file)}:${i + 1}: ${line.trim()}`);
      });
    }
    assert.deepEqual(hits, []);
  });
});
