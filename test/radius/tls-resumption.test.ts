import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEapolTest } from '../support/eapol-test';
import { startEaphostServe } from '../support/eaphost-serve';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, SERVER_NAME, makeInteropPki } from '../support/interop-pki';
import { makeTempDir } from '../support/programs';

/**
 * TLS session resumption by `eaphost serve`, judged by wpa_supplicant's eapol_test: it
 * authenticates, then re-authenticates once (-r 1) with the session it kept. Its own log says
 * whether the TLS handshake resumed, and its cumulative "MPPE keys OK: 2" says both runs'
 * MSKs equal the MS-MPPE keys our server released, so keys are derived right after resumption.
 */

const SECRET = 'resumption-secret';
const TLS13_ONLY = 'tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_2=1 tls_disable_tlsv1_3=0';

describe('eapol_test -r 1 against `eaphost serve`: TLS session resumption', function () {
  this.timeout(120_000);

  for (const version of ['1.2', '1.3'] as const) {
    it(`EAP-TLS and PEAP over TLS ${version}: the second run resumes, MPPE keys OK: 2`, async () => {
      const pki = await makeInteropPki();
      const dir = makeTempDir('serve-resume');
      const usersFile = join(dir.path, 'users.json');
      writeFileSync(usersFile, JSON.stringify({ rita: { password: 'rita pa55' } }));
      const serve = await startEaphostServe(0, ['--secret', SECRET, '--users', usersFile, '--log',
        '--cert', pki.files.serverCert, '--key', pki.files.serverKey, '--ca', pki.files.ca]);
      const port = serve.port;
      try {
        const target = { host: '127.0.0.1', port, secret: SECRET, caCert: pki.files.ca, serverName: SERVER_NAME,
          timeoutSeconds: 10, reauthentications: 1, ...(version === '1.3' ? { phase1: TLS13_ONLY } : {}) };
        const runs = {
          tls: await runEapolTest({ ...target, method: 'TLS', identity: CLIENT_IDENTITY, password: '',
            clientCert: pki.files.clientCert, privateKey: pki.files.clientKey, privateKeyPassword: CLIENT_KEY_PASSWORD }),
          peap: await runEapolTest({ ...target, method: 'PEAP', identity: 'rita', password: 'rita pa55', phase2: 'auth=MSCHAPV2' }),
        };
        for (const [name, run] of Object.entries(runs)) {
          const log = `${name}:\n${run.stdout.slice(-4000)}\n${serve.output().slice(-2000)}`;
          assert.equal(run.success, true, log);
          assert.equal(run.mppeKeysOk, 2, log);
          assert.equal(run.mppeKeysMismatch, 0, log);
          // OpenSSL reports each handshake once or twice (TLS 1.3 also after the tickets): the
          // reports must go from a full handshake to a resumed one, never back.
          const handshakes = [...run.stdout.matchAll(/Handshake finished - resumed=(\d)/g)].map((m) => m[1]).join('');
          assert.match(handshakes, /^0+1+$/, `${name}: a full handshake, then a resumed one\n${log}`);
          assert.match(run.stdout, version === '1.3' ? /TLSv1\.3/ : /TLSv1\.2/, `${name}: negotiated TLS ${version}`);
        }
        // serve's --log says it too: per method, a full handshake, then a resumed one.
        for (const method of ['tls', 'peap']) {
          await serve.logged(new RegExp(`method=${method}\\b.*resumed=(yes|no)`), 2);
          const said = [...serve.output().matchAll(new RegExp(`method=${method}\\b.*resumed=(yes|no)`, 'g'))].map((m) => m[1]);
          assert.deepEqual(said, ['no', 'yes'], serve.output().slice(-2000));
        }
      } finally {
        assert.equal(await serve.stop(), 0, serve.output());
        dir.remove();
        pki.remove();
      }
    });
  }

  it('--tls-session-lifetime 0: resumption off, both runs are full handshakes, MPPE keys OK: 2', async () => {
    const pki = await makeInteropPki();
    const dir = makeTempDir('serve-no-resume');
    const usersFile = join(dir.path, 'users.json');
    writeFileSync(usersFile, JSON.stringify({ rita: { password: 'rita pa55' } }));
    const serve = await startEaphostServe(0, ['--secret', SECRET, '--users', usersFile, '--tls-session-lifetime', '0',
      '--cert', pki.files.serverCert, '--key', pki.files.serverKey]);
    const port = serve.port;
    try {
      const run = await runEapolTest({ host: '127.0.0.1', port, secret: SECRET, caCert: pki.files.ca, serverName: SERVER_NAME,
        timeoutSeconds: 10, reauthentications: 1, method: 'PEAP', identity: 'rita', password: 'rita pa55', phase2: 'auth=MSCHAPV2' });
      const log = `${run.stdout.slice(-4000)}\n${serve.output().slice(-2000)}`;
      assert.equal(run.success, true, log);
      assert.equal(run.mppeKeysOk, 2, log);
      const handshakes = [...run.stdout.matchAll(/Handshake finished - resumed=(\d)/g)].map((m) => m[1]).join('');
      assert.match(handshakes, /^0+$/, `no handshake resumed\n${log}`);
    } finally {
      assert.equal(await serve.stop(), 0, serve.output());
      dir.remove();
      pki.remove();
    }
  });
});
