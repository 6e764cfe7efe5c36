/**
 * The TLS-based methods of `eaphost serve` in Windows node.exe under Wine (GnuTLS cross-built for
 * Windows, beside eap_methods.dll), judged by Linux's eapol_test on loopback: PEAP, EAP-TTLS,
 * EAP-TLS and TEAP (the TEAP-capable eapol_test) succeed, and eapol_test's own MSK equals the
 * MS-MPPE keys serve released ("MPPE keys OK: 1"); a wrong password, a server certificate from a
 * CA the peer does not trust, and a client certificate from a CA serve was not given are refused.
 * Certificates come from the openssl command (test/support/interop-pki.ts), not from the code
 * under test. Run from scripts/wine/run.sh (test/support/wine-node.ts).
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEapolTest } from '../support/eapol-test';
import type { EapolTestOptions } from '../support/eapol-test';
import type { ServeProcess } from '../support/eaphost-serve';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, InteropPki, makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import { makeTempDir } from '../support/programs';
import { teapHostap } from '../support/teap-hostap';
import { startWineServe } from '../support/wine-node';

describe('TLS methods of serve in Windows node.exe under Wine, against Linux eapol_test', function () {
  this.timeout(180_000);
  const SECRET = 'wine-serve-tls-secret';
  const USER = { identity: 'wendy', password: 'wendy pa55' };
  const dir = makeTempDir('wine-serve-tls');
  let pki: InteropPki;
  let serve: ServeProcess;
  let target: Pick<EapolTestOptions, 'host' | 'port' | 'secret' | 'caCert' | 'serverName' | 'timeoutSeconds'>;

  before(async () => {
    pki = await makeInteropPki();
    const users = join(dir.path, 'users.json');
    writeFileSync(users, JSON.stringify({ [USER.identity]: { password: USER.password } }));
    serve = await startWineServe(['--secret', SECRET, '--users', users, '--methods', 'peap,ttls,tls,teap,mschapv2',
      '--cert', pki.files.serverCert, '--key', pki.files.serverKey, '--ca', pki.files.ca]);
    target = { host: '127.0.0.1', port: serve.port, secret: SECRET, caCert: pki.files.ca, serverName: SERVER_NAME,
      timeoutSeconds: 30 };
  });

  after(async () => {
    await serve?.stop();
    pki?.remove();
    dir.remove();
  });

  function assertKeysAgree(name: string, run: Awaited<ReturnType<typeof runEapolTest>>): void {
    assert.equal(run.success, true, `${name}:\n${run.stdout.slice(-3000)}\n--- serve:\n${serve.output().slice(-2000)}`);
    assert.equal(run.mppeKeysOk, 1, `${name}: eapol_test compared its MSK with the MS-MPPE keys serve released`);
    assert.equal(run.mppeKeysMismatch, 0, name);
  }

  it('PEAP-MSCHAPv2: success, MSK = the MPPE keys', async () => {
    assertKeysAgree('PEAP', await runEapolTest({ ...target, method: 'PEAP', ...USER, phase2: 'auth=MSCHAPV2' }));
  });

  it('EAP-TTLS (PAP and MSCHAPv2 inside): success, MSK = the MPPE keys', async () => {
    for (const phase2 of ['auth=PAP', 'auth=MSCHAPV2']) {
      assertKeysAgree(`TTLS ${phase2}`, await runEapolTest({ ...target, method: 'TTLS', ...USER, phase2 }));
    }
  });

  it('EAP-TLS: success, MSK = the MPPE keys', async () => {
    assertKeysAgree('EAP-TLS', await runEapolTest({ ...target, method: 'TLS', identity: CLIENT_IDENTITY, password: '',
      clientCert: pki.files.clientCert, privateKey: pki.files.clientKey, privateKeyPassword: CLIENT_KEY_PASSWORD }));
  });

  it('TEAP (MSCHAPv2 inside, the TEAP-capable eapol_test): success, MSK = the MPPE keys', async () => {
    assertKeysAgree('TEAP', await runEapolTest({ ...target, program: teapHostap().eapolTest, method: 'TEAP', ...USER,
      phase2: 'auth=MSCHAPV2' }));
  });

  it('PEAP with a wrong password: Access-Reject', async () => {
    const run = await runEapolTest({ ...target, method: 'PEAP', ...USER, password: 'wendy pa56', phase2: 'auth=MSCHAPV2' });
    assert.equal(run.success, false, run.stdout.slice(-3000));
    assert.match(run.stdout, /Access-Reject/);
  });

  it('a server certificate from a CA the peer does not trust: the peer refuses it', async () => {
    const run = await runEapolTest({ ...target, caCert: pki.files.otherCa, method: 'PEAP', ...USER, phase2: 'auth=MSCHAPV2' });
    assert.equal(run.success, false, run.stdout.slice(-3000));
    assert.match(run.stdout, /certificate verify failed|TLS: Certificate verification failed|CTRL-EVENT-EAP-TLS-CERT-ERROR/);
  });

  it('EAP-TLS with a client certificate serve was not given a CA for: Access-Reject', async () => {
    const other = await makeInteropPki();
    try {
      const run = await runEapolTest({ ...target, method: 'TLS', identity: CLIENT_IDENTITY, password: '',
        clientCert: other.files.clientCert, privateKey: other.files.clientKey, privateKeyPassword: CLIENT_KEY_PASSWORD });
      assert.equal(run.success, false, run.stdout.slice(-3000));
      assert.match(run.stdout, /Access-Reject/);
    } finally {
      other.remove();
    }
  });
});
