/**
 * `eaphost auth` in Windows node.exe under Wine, with the shipped peer methods (the portable
 * backend: this package's stand-in EAPHost over eap_methods.dll and its GnuTLS), against Linux's
 * FreeRADIUS on loopback: PEAP, EAP-TTLS and EAP-TLS are accepted and the MSK the peer derived
 * equals the MS-MPPE keys FreeRADIUS released (the CLI's mppeKeysMatch, from the Access-Accept);
 * a wrong password is rejected. FreeRADIUS's verdict is the truth; certificates come from the
 * openssl command. EAP-TLS runs twice: with the client certificate and key as PEM files, and from
 * the Wine prefix's CurrentUser\My (imported there by importUserPkcs12 in Windows node.exe), where
 * the peer signs through the store's key and OpenSSL in FreeRADIUS checks that signature. Run from
 * scripts/wine/run.sh (test/support/wine-node.ts).
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FreeRadiusInstance, startFreeRadius } from '../support/freeradius';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, InteropPki, makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import { makeTempDir, runProgram } from '../support/programs';
import { runWineCli, runWineNode } from '../support/wine-node';

describe('auth in Windows node.exe under Wine, against Linux FreeRADIUS', function () {
  this.timeout(180_000);
  const SECRET = 'wine-freeradius-secret';
  const USER = { identity: 'fiona', password: 'fiona pa55' };
  const dir = makeTempDir('wine-auth-freeradius');
  let pki: InteropPki;
  let server: FreeRadiusInstance;

  before(async () => {
    pki = await makeInteropPki();
    server = await startFreeRadius({ secret: SECRET, users: [USER],
      certificates: { ca: pki.files.ca, serverCert: pki.files.serverCert, serverKey: pki.files.serverKey } });
    writeFileSync(join(dir.path, 'secret'), `${SECRET}\n`);
  });

  after(async () => {
    await server?.stop();
    pki?.remove();
    dir.remove();
  });

  async function auth(method: string, extra: string[], password?: string, env: NodeJS.ProcessEnv = {}):
      Promise<{ code: number | null; report: Record<string, unknown>; output: string }> {
    const { code, output } = await runWineCli(['auth', '--radius', `127.0.0.1:${server.port}`, '--secret-file', join(dir.path, 'secret'),
      '--method', method, '--ca', pki.files.ca, '--server-name', SERVER_NAME, '--backend', 'portable', '--json', ...extra],
    { ...env, ...(password === undefined ? {} : { EAPHOST_PASSWORD: password }) });
    const json = output.split('\n').find((line) => line.startsWith('{'));
    // The exit status too: node.exe ending with no output at all says how only there.
    assert.ok(json, `no JSON report (exit status ${code}):\n${output}\n--- FreeRADIUS:\n${server.log().slice(-2000)}`);
    return { code, report: JSON.parse(json) as Record<string, unknown>, output };
  }

  /** Access-Accept (exit 0), and the peer's MSK equal to the MPPE keys FreeRADIUS released. */
  function assertAcceptedWithKeys({ code, report, output }: Awaited<ReturnType<typeof auth>>): void {
    assert.equal(code, 0, `${output}\n--- FreeRADIUS:\n${server.log().slice(-2000)}`);
    assert.equal(report.success, true, output);
    assert.equal(report.mppeKeysMatch, true, output);
  }

  for (const [method, extra] of [['peap', []], ['ttls', ['--phase2', 'mschapv2']]] as const) {
    it(`${method}: Access-Accept, and the peer's MSK equals the MPPE keys FreeRADIUS released`, async () => {
      assertAcceptedWithKeys(await auth(method, ['--identity', USER.identity, ...extra], USER.password));
    });
  }

  it('EAP-TLS: Access-Accept, and the MSK equals the MPPE keys', async () => {
    assertAcceptedWithKeys(await auth('tls', ['--identity', CLIENT_IDENTITY, '--cert', pki.files.clientCert,
      '--key', pki.files.clientKey], undefined, { EAPHOST_KEY_PASSWORD: CLIENT_KEY_PASSWORD }));
  });

  it('EAP-TLS with the client certificate from CurrentUser\\My (--cert-thumbprint): Access-Accept, MSK = MPPE keys', async () => {
    const p12 = join(dir.path, 'client.p12');
    const exported = await runProgram('openssl', ['pkcs12', '-export', '-in', pki.files.clientCert, '-inkey', pki.files.clientKey,
      '-passin', `pass:${CLIENT_KEY_PASSWORD}`, '-out', p12, '-passout', 'pass:store-import']);
    assert.equal(exported.code, 0, exported.stderr);
    const thumbprint = new X509Certificate(readFileSync(pki.files.clientCert)).fingerprint.split(':').join('');
    const script = join(dir.path, 'import.js');
    writeFileSync(script, `require(${JSON.stringify(join(process.cwd(), 'dist', 'lib', 'profile', 'install-windows.js'))})` +
      `.importUserPkcs12(require('fs').readFileSync(process.argv[2]), 'store-import')` +
      '.then((t) => console.log(JSON.stringify(t)), (e) => { console.error(String(e)); process.exitCode = 3; });');
    const imported = await runWineNode([script, p12]);
    assert.equal(imported.code, 0, imported.output);
    assert.match(imported.output, new RegExp(thumbprint));
    try {
      assertAcceptedWithKeys(await auth('tls', ['--identity', CLIENT_IDENTITY, '--cert-thumbprint', thumbprint]));
    } finally {
      execFileSync('wine', ['reg', 'delete', `HKCU\\Software\\Microsoft\\SystemCertificates\\My\\Certificates\\${thumbprint}`, '/f'],
        { stdio: 'ignore', env: { ...process.env, WINEDEBUG: '-all' } });
    }
  });

  it('PEAP with a wrong password: Access-Reject, exit 1', async () => {
    const { code, report, output } = await auth('peap', ['--identity', USER.identity], 'fiona pa56');
    assert.equal(code, 1, output);
    assert.equal(report.success, false, output);
  });
});
