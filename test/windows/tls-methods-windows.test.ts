/**
 * The TLS-based methods (PEAP, EAP-TTLS, EAP-TLS, TEAP) of the Windows eap_methods.dll, over the
 * GnuTLS DLLs shipped beside it: peer side through the System32 EAPHost (under Wine, the stand-in
 * eappprxy.dll, which finds the module in the registry), authenticator side in-process, and the
 * CLI's first command. The judges are the other side's keys (the peer's MSK against the
 * authenticator's MPPE keys), the peer's own refusal of a certificate from a CA it was not told
 * to trust, the inner method's E=691, and the process's own list of loaded modules (node's
 * diagnostic report), which says from which file GnuTLS was loaded.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { authenticate, builtinMethods, createAuthenticator, EapError } from '../../lib/index';
import type { EapHost } from '../../lib/index';
import { peerConnectionData } from '../../lib/core/connection-data';
import { createEphemeralCa, processEphemeralCa } from '../../lib/core/ephemeral-ca';
import { cliScript, randomCredentials, repoRoot, windowsHostHooks } from './support';
import { readmeWindowsCommand } from '../support/readme-blocks';
import { readPe } from '../support/pe-info';


const TLS_METHODS = ['peap', 'ttls', 'tls', 'teap'] as const;
type TlsName = typeof TLS_METHODS[number];
const GNUTLS_DLLS = ['libgnutls-30.dll', 'libnettle-8.dll', 'libhogweed-6.dll', 'libgmp-10.dll'];
const CERT_E_UNTRUSTEDROOT = 0x800b0109;
const EAP_E_SERVER_ROOT_CERT_NOT_FOUND = 0x80420400;

describe('windows backend: PEAP, EAP-TTLS, EAP-TLS and TEAP over GnuTLS', function () {
  this.timeout(60000);
  let host: EapHost;

  windowsHostHooks((opened) => { host = opened; });

  /** One authentication of our `name` (its EAP_METHOD_TYPE: by name the windows backend means
   *  Windows' own method) against the embedded authenticator, the peer trusting `peerCa`. */
  async function run(name: TlsName, options: { password?: string; peerCa?: string } = {}) {
    const { identity, password } = randomCredentials();
    const ephemeral = processEphemeralCa();
    await using authenticator = await createAuthenticator({ methods: [name], users: { [identity]: { password } },
      ...(name === 'tls' ? { ca: ephemeral.ca } : {}) });
    const trust = authenticator.trust;
    assert.ok(trust, 'the embedded authenticator serves an ephemeral certificate');
    const connectionData = peerConnectionData(name, { ca: options.peerCa ?? trust.ca, serverName: trust.serverName,
      ...(name === 'tls' ? ephemeral.issueClient(identity) : {}) });
    await using session = await host.beginSession({ method: builtinMethods[name].methodType, identity,
      password: name === 'tls' ? '' : options.password ?? password, connectionData });
    return await authenticate({ session, transport: authenticator.createConversation() });
  }

  for (const name of TLS_METHODS) {
    const { type } = builtinMethods[name].methodType;
    it(`${builtinMethods[name].friendlyName}: success, and the peer's MSK is the authenticator's MPPE keys`, async function () {
      const result = await run(name);
      assert.equal(result.success, true, result.reason);
      assert.equal(result.method, type);
      assert.equal(result.msk?.length, 64);
      assert.equal(result.mppeKeysMatch, true);
    });
  }

  it('PEAP-MSCHAPv2 with a wrong password: refused with the inner E=691', async function () {
    const result = await run('peap', { password: 'not-the-password' });
    assert.equal(result.success, false);
    assert.equal(result.msk, undefined);
    assert.equal(result.error?.win32Error, 691, result.error?.rootCause);
  });

  it('EAP-TTLS with a wrong password: refused, no keys', async function () {
    const result = await run('ttls', { password: 'not-the-password' });
    assert.equal(result.success, false);
    assert.equal(result.msk, undefined);
  });

  for (const name of ['peap', 'tls'] as const) {
    it(`${builtinMethods[name].friendlyName}: a server certificate from a CA the peer does not trust is refused, typed`, async function () {
      await assert.rejects(run(name, { peerCa: createEphemeralCa().ca }), (error: unknown) => {
        assert.ok(error instanceof EapError, String(error));
        assert.equal(error.win32Error >>> 0, CERT_E_UNTRUSTEDROOT);
        assert.equal(error.reasonCode >>> 0, EAP_E_SERVER_ROOT_CERT_NOT_FOUND);
        assert.match(error.rootCause, /unknown CA/);
        return true;
      });
    });
  }

  it('GnuTLS is delay-imported by eap_methods.dll and loaded from beside it, by full path', async function () {
    const result = await run('peap');
    assert.equal(result.success, true, result.reason);
    const moduleDir = path.dirname(builtinMethods.peap.path);
    const pe = readPe(builtinMethods.peap.path);
    assert.ok(pe.delayImports.some((dll) => dll.toLowerCase() === 'libgnutls-30.dll'), `delay imports: ${pe.delayImports}`);
    assert.ok(!pe.imports.some((dll) => /gnutls|nettle|hogweed|gmp/i.test(dll)), `imports: ${pe.imports}`);
    // The process's loaded modules, as the OS lists them (node's diagnostic report). The
    // authenticator's module is the package's own; the peer's, through EAPHost, is the protected
    // copy `eaphost register` made. Each loads libgnutls-30.dll by full path from its own folder;
    // GnuTLS's own imports (nettle, hogweed, gmp) resolve to a module of that name once one is
    // loaded, whichever folder it came from (the loader's rule for a loaded module name), so
    // they come from one of those folders and from nowhere else.
    const loaded = ((process.report?.getReport() as { sharedObjects?: string[] }).sharedObjects ?? []).map((f) => f.toLowerCase());
    const moduleDirs = loaded.filter((file) => path.win32.basename(file) === 'eap_methods.dll').map((file) => path.win32.dirname(file)).sort();
    assert.ok(moduleDirs.includes(moduleDir.toLowerCase()), `eap_methods.dll loaded from ${moduleDirs.join(', ')}`);
    for (const dll of GNUTLS_DLLS) {
      assert.ok(existsSync(path.join(moduleDir, dll)), `${dll} is not beside eap_methods.dll`);
      const dirs = loaded.filter((file) => path.win32.basename(file) === dll).map((file) => path.win32.dirname(file)).sort();
      if (dll === 'libgnutls-30.dll') assert.deepEqual(dirs, moduleDirs, `${dll} loaded from ${dirs.join(', ') || 'nowhere'}`);
      else assert.ok(dirs.length > 0 && dirs.every((dir) => moduleDirs.includes(dir)), `${dll} loaded from ${dirs.join(', ') || 'nowhere'}`);
    }
  });
});

describe('eaphost auth --method peap under the Windows node.exe (the README\'s first command)', function () {
  this.timeout(60000);
  let dir: string;

  before(function () {
    dir = mkdtempSync(path.join(tmpdir(), 'eaphost-tls-cli-'));
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // The portable backend is this package's stand-in EAPHost (eappprxy.dll beside the addon) with
  // the shipped manifest; the windows backend would give PEAP by name to Windows' own method.
  function auth(method: TlsName, password: string, users: Record<string, { password: string }>, where: { cwd?: string } = {}) {
    const usersFile = path.join(dir, 'users.json');
    writeFileSync(usersFile, JSON.stringify(users));
    const child = spawnSync(process.execPath, [cliScript, 'auth', '--method', method, '--identity', 'alice', '--users', usersFile,
      '--backend', 'portable', '--json'], { encoding: 'utf8', cwd: where.cwd,
        env: { ...process.env, EAPHOST_PASSWORD: password } });
    return { status: child.status, report: JSON.parse(child.stdout || '{}'), stderr: child.stderr };
  }

  it('PEAP-MSCHAPv2 with EAPHOST_PASSWORD: exit 0, the MPPE keys match the MSK', function () {
    const password = 'correct horse battery staple';
    const result = auth('peap', password, { alice: { password } });
    assert.equal(result.status, 0, result.stderr || JSON.stringify(result.report));
    assert.equal(result.report.success, true);
    assert.equal(result.report.method, 'peap');
    assert.equal(result.report.mppeKeysMatch, true);
  });

  // The windows backend, as the README's Windows command runs: the stand-in EAPHost in System32
  // lists no PEAP of Windows' own, so the shipped PEAP registered with it runs, and the flag that
  // would trust the CA for Windows' own PEAP installs nothing.
  it("the README's Windows way as written: EAP-Success through the stand-in EAPHost, MPPE keys match", function () {
    const { env, args } = readmeWindowsCommand();
    const local = args.map((arg) => arg.startsWith('node_modules/eaphost/') ? path.join(repoRoot, arg.slice('node_modules/eaphost/'.length)) : arg);
    const child = spawnSync(process.execPath, [cliScript, ...local, '--json'], { encoding: 'utf8', env: { ...process.env, ...env } });
    assert.equal(child.status, 0, `${child.stdout}\n${child.stderr}`);
    const report = JSON.parse(child.stdout);
    assert.equal(report.success, true);
    assert.equal(report.method, 'peap');
    assert.equal(report.mppeKeysMatch, true);
    assert.match(child.stderr, /--trust-ephemeral-ca: not needed, nothing installed: the shipped peap/);
  });

  // GnuTLS's default system configuration file is /etc/gnutls/config: on Windows a drive-relative
  // path, \etc\gnutls\config on the drive of the process's current directory (C: for a service,
  // whose current directory is System32), in a folder any user may create, read by every process
  // that loads GnuTLS, the EapHost service (LocalSystem) included. The shipped GnuTLS is built
  // without one (scripts/ci/gnutls-mingw.sh --with-system-priority-file=): its DLL names no such
  // file, and a file at C:\etc\gnutls\config disabling TLS 1.2 and 1.3 (GnuTLS's [overrides] syntax)
  // changes nothing. (Wine's msvcrt does not resolve the rooted "/etc/..." to C:, so the DLL's text
  // is what shows the default here; the runner shows it by running this file too. GnuTLS 3.7.9
  // told to read this very file through GNUTLS_SYSTEM_PRIORITY_FILE logs "disabling version
  // tls1.2" and "tls1.3" and the handshakes still succeed, under our explicit priority string: the
  // harm is a user's file parsed by SYSTEM, not these two lines.) The child runs in the temporary
  // folder, on C:; the file is removed after, and \etc too if made here.
  it('a C:\\etc\\gnutls\\config disabling TLS 1.2 and 1.3 is not read: the DLL names none, EAP-TLS and PEAP succeed', function () {
    const gnutls = readFileSync(path.join(path.dirname(builtinMethods.tls.path), 'libgnutls-30.dll'));
    assert.equal(gnutls.indexOf('/etc/gnutls/config'), -1, 'libgnutls-30.dll names /etc/gnutls/config as its system configuration');
    const cwd = tmpdir();
    const etc = path.join(path.parse(cwd).root, 'etc');
    const made = !existsSync(etc);
    const configDir = path.join(etc, 'gnutls');
    const config = path.join(configDir, 'config');
    assert.ok(!existsSync(config), `${config} exists already: not this test's to overwrite`);
    mkdirSync(configDir, { recursive: true });
    writeFileSync(config, '[overrides]\ndisabled-version = tls1.2\ndisabled-version = tls1.3\n');
    try {
      const password = 'correct horse battery staple';
      for (const method of ['tls', 'peap'] as const) {
        const result = auth(method, password, { alice: { password } }, { cwd });
        assert.equal(result.status, 0, `${method}: ${result.stderr || JSON.stringify(result.report)}`);
        assert.equal(result.report.success, true, method);
        assert.equal(result.report.mppeKeysMatch, true, method);
      }
    } finally {
      rmSync(made ? etc : configDir, { recursive: true, force: true });
    }
  });

  it('PEAP-MSCHAPv2 with a wrong password: exit 1, E=691', function () {
    const result = auth('peap', 'wrong horse', { alice: { password: 'correct horse battery staple' } });
    assert.equal(result.status, 1, result.stderr || JSON.stringify(result.report));
    assert.equal(result.report.success, false);
    assert.equal(result.report.error?.win32Error, 691);
  });
});
