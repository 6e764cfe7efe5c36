/**
 * The shipped win32 prebuild, as a release carries it (scripts/dev/prebuild.js, the script the
 * release workflow runs): run in a Windows node.exe with EAPHOST_ADDON_PATH at its
 * eaphost.napi.node and EAPHost's methods registered from its eap_methods.dll. The Wine lane runs
 * it after the suite (scripts/wine/run.sh), windows.yml on windows-2025 against the real EapHost.
 * The judges: node:crypto's hashes here against the manifest written where the prebuild was built,
 * the authenticator's MPPE keys against the peer's MSK, and the words of the refusal of a backend
 * the package cannot serve on Windows.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { EapError, openEapHost } from '../../lib/index';
import { createEphemeralCa } from '../../lib/core/ephemeral-ca';
import { eapTlsThrough } from '../helpers';
import { addonPath, nativeDir } from '../../lib/native';
import { main } from '../../lib/cli/main';
import { randomCredentials, requireWindows } from '../windows/support';

interface PrebuildManifest { target: string; files: Record<string, string>; gnutls: { version: string } | null }

async function cli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, (line) => out.push(line), (line) => err.push(line));
  return { code, out, err };
}

describe('the shipped win32 prebuild (eaphost-prebuild.json) in Windows node.exe', function () {
  this.timeout(60000);
  requireWindows();
  const target = `win32-${process.arch}`;
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'eaphost-shipped-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is what this process loaded, and every file beside it hashes as its manifest says', () => {
    assert.equal(path.basename(path.dirname(addonPath)), target, `the addon is ${addonPath}, not prebuilds/${target}'s`);
    const manifest = JSON.parse(readFileSync(path.join(nativeDir, 'eaphost-prebuild.json'), 'utf8')) as PrebuildManifest;
    assert.equal(manifest.target, target);
    const present = readdirSync(nativeDir).filter((name) => name !== 'eaphost-prebuild.json').sort();
    assert.deepEqual(Object.keys(manifest.files).sort(), present);
    for (const name of present) {
      assert.equal(createHash('sha256').update(readFileSync(path.join(nativeDir, name))).digest('hex'), manifest.files[name], name);
    }
    // It ships no stand-in: a DLL named eappprxy.dll beside the addon could be taken for System32's.
    assert.ok(!existsSync(path.join(nativeDir, 'eappprxy.dll')));
    assert.match(manifest.gnutls?.version ?? '', /^\d+\.\d+\.\d+$/, 'the manifest names the GnuTLS it carries');
  });

  it('refuses the portable backend with a typed error that names the way that works, in the API and the CLI', async () => {
    const refused = await openEapHost({ backend: 'portable' }).then(() => undefined, (error: unknown) => error);
    assert.ok(refused instanceof EapError, String(refused));
    assert.equal(refused.win32Error, 126);
    assert.equal(refused.call, 'openEapHost');
    assert.match(refused.rootCause, /not part of eaphost's Windows package.*npx eaphost register --shipped/);
    const { identity, password } = randomCredentials();
    const users = path.join(dir, 'users-portable.json');
    writeFileSync(users, JSON.stringify({ [identity]: { password } }));
    process.env.EAPHOST_PASSWORD = password;
    try {
      const run = await cli(['auth', '--method', 'mschapv2', '--identity', identity, '--users', users, '--backend', 'portable']);
      assert.notEqual(run.code, 0);
      const said = run.err.join('\n');
      assert.match(said, /not part of eaphost's Windows package/);
      assert.doesNotMatch(said, /pass --backend portable|use --backend portable/);
    } finally {
      delete process.env.EAPHOST_PASSWORD;
    }
  });

  // EAP-TLS with a PEM client certificate is the shipped one on every Windows (Windows' own takes
  // its certificate from a store only), so GnuTLS from beside the module runs here too.
  for (const method of ['mschapv2', 'tls']) {
    it(`${method}: authenticates through EAPHost with the registered module, the MSK equal to the MPPE keys`, async () => {
      const { identity, password } = randomCredentials();
      const users = path.join(dir, `users-${method}.json`);
      writeFileSync(users, JSON.stringify({ [identity]: { password } }));
      process.env.EAPHOST_PASSWORD = password;
      try {
        const run = await cli(['auth', '--method', method, '--identity', identity, '--users', users, '--json']);
        const report = JSON.parse(run.out.find((line) => line.startsWith('{')) ?? '{}') as { success?: boolean; mppeKeysMatch?: boolean };
        assert.equal(run.code, 0, [...run.out, ...run.err].join('\n'));
        assert.equal(report.success, true);
        assert.equal(report.mppeKeysMatch, true);
      } finally {
        delete process.env.EAPHOST_PASSWORD;
      }
    });
  }

  // This process's embedded authenticator (its architecture's addon and GnuTLS) against the peer
  // EAPHost runs from the registered module: in windows.yml's ia32 leg a 32-bit authenticator
  // against the 64-bit service's x64 module. Both certificates are valid until 2050, written as
  // GeneralizedTime: each side's GnuTLS must read a date past 2038 (a 64-bit time_t).
  it(`EAP-TLS with certificates valid until 2050: the ${process.arch} embedded authenticator against the registered module through EAPHost`, async () => {
    const { identity, password } = randomCredentials();
    const pki = createEphemeralCa('shipped.eaphost.invalid');
    const until2050 = { notBefore: new Date(Date.now() - 3600_000), notAfter: new Date(Date.UTC(2050, 5, 1)) };
    const server = pki.issueServer(until2050);
    const client = pki.issueClient(identity, until2050);
    for (const issued of [server, client]) assert.equal(new X509Certificate(issued.cert).validTo, 'Jun  1 00:00:00 2050 GMT');
    await using host = await openEapHost();
    const result = await eapTlsThrough(host, pki, server, client, { identity, password });
    assert.equal(result.success, true, result.reason);
    assert.equal(result.method, 13);
    assert.equal(result.mppeKeysMatch, true);
  });
});
