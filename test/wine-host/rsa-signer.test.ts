/**
 * On Windows an RSA key from a file signs in CNG (native/methods/tls/gnutls/tls_rsa_signer_win32.cc:
 * BCryptImportKeyPair, BCryptSignHash), not in GnuTLS's nettle. The judges: Linux's eapol_test
 * (OpenSSL), which accepts serve's signatures over TLS 1.2 (ECDHE-RSA) and TLS 1.3 (RSA-PSS) and
 * its RSA key exchange's decryption, and Wine's own record of every bcrypt call (WINEDEBUG's
 * bcrypt channel): which blob was imported, and which padding each signature asked of which key
 * handle. Run from scripts/wine/run.sh (test/support/wine-node.ts); test/linux/rsa-signer.test.ts
 * is the libcrypto half.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMain } from '../support/cli-run';
import { assertSignedInCng, BCRYPT_PAD_PSS, signHashCalls } from '../support/bcrypt-trace';
import { assertRsaKeyHandshakes } from '../support/eapol-test';
import { InteropPki, makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import { makeTempDir } from '../support/programs';
import { startWineServe } from '../support/wine-node';

describe('RSA keys sign through CNG (Windows node.exe under Wine)', function () {
  this.timeout(240_000);
  const USER = { identity: 'victor', password: 'victor pa55' };
  const dir = makeTempDir('wine-rsa-signer');
  let pki: InteropPki;
  let users: string;

  before(async () => {
    pki = await makeInteropPki();
    users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [USER.identity]: { password: USER.password } }));
  });
  after(() => { pki.remove(); dir.remove(); });

  async function serveAndRun(env: NodeJS.ProcessEnv): Promise<string> {
    const secret = 'wine-rsa-signer';
    const serve = await startWineServe(['--secret', secret, '--users', users, '--methods', 'peap',
      '--cert', pki.files.serverCert, '--key', pki.files.serverKey], { WINEDEBUG: '-all,trace+bcrypt', ...env });
    try {
      const target = { host: '127.0.0.1', port: serve.port, secret, caCert: pki.files.ca, serverName: SERVER_NAME,
        timeoutSeconds: 30, method: 'PEAP' as const, ...USER, phase2: 'auth=MSCHAPV2' };
      await assertRsaKeyHandshakes(target, () => serve.output());
    } catch (error) {
      await serve.stop();
      throw error;
    }
    // Read before it stops: the log goes with it.
    const output = serve.output();
    await serve.stop();
    return output;
  }

  it('serve imports the key into CNG, signs PKCS#1 and RSA-PSS there, each padding on handles of its own; eapol_test accepts every handshake', async () => {
    const output = await serveAndRun({});
    assertSignedInCng(output);
  });

  it('40 PEAP authentications 8 at a time (Linux eaphost load): all accepted, the signatures spread over the PSS handles', async () => {
    const secret = 'wine-rsa-signer-load';
    writeFileSync(join(dir.path, 'secret'), `${secret}\n`);
    const serve = await startWineServe(['--secret', secret, '--users', users, '--methods', 'peap', '--tls-session-lifetime', '0',
      '--cert', pki.files.serverCert, '--key', pki.files.serverKey], { WINEDEBUG: '-all,trace+bcrypt' });
    let output = '';
    try {
      const { code, stdout, stderr } = await runMain(['load', '--radius', `127.0.0.1:${serve.port}`, '--secret-file',
        join(dir.path, 'secret'), '--method', 'peap', '--ca', pki.files.ca, '--server-name', SERVER_NAME, '--users', users,
        '--count', '40', '--concurrency', '8', '--json']);
      output = serve.output();
      assert.equal(code, 0, `${stdout}\n${stderr}\n${output.slice(-2000)}`);
      const summary = JSON.parse(stdout.split('\n')[0]) as { successes: number; failures: number; timeouts: number; errors: number };
      assert.equal(summary.successes, 40);
      assert.equal(summary.failures + summary.timeouts + summary.errors, 0);
    } finally {
      await serve.stop();
    }
    // Every handshake is a full one (no session kept) and signs; the copies are taken in turn.
    const pss = signHashCalls(output).filter((call) => call.flags === BCRYPT_PAD_PSS);
    assert.ok(pss.length >= 2 * (1 + 40), `RSA-PSS signatures: ${pss.length}`);
    assert.equal(new Set(pss.map((call) => call.key)).size, 8, 'every PSS copy signed');
  });

  it('EAPHOST_RSA_SIGNER=gnutls leaves the key to GnuTLS: no key in CNG, the same handshakes succeed', async () => {
    const output = await serveAndRun({ EAPHOST_RSA_SIGNER: 'gnutls' });
    assert.doesNotMatch(output, /BCryptImportKeyPair/);
    assert.deepEqual(signHashCalls(output), []);
  });
});
