/**
 * Revocation against real peers, with a CA, a CRL and good and revoked certificates made by
 * `openssl ca` for the run: eapol_test (wpa_supplicant's OpenSSL) presenting a revoked client
 * certificate to `eaphost serve --crl` is refused with the certificate_revoked alert and an
 * Access-Reject, the good one succeeds with MPPE keys OK; `eaphost auth --crl` refuses hostapd
 * serving a certificate the CRL revokes, and authenticates when hostapd serves the good one.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEapolTest } from '../support/eapol-test';
import { ServeProcess, startEaphostServe } from '../support/eaphost-serve';
import { startHostapd } from '../support/hostapd';
import { runMain } from '../support/cli-run';
import { REVOCATION_CLIENT_IDENTITY, REVOCATION_SERVER_NAME, RevocationPki, assertNamesRevokedServer, makeRevocationPki } from '../support/revocation-pki';

const SECRET = 'revocation-secret';
const USER = { identity: 'alice', password: 'alice-pw' };
const REMOTE_ALERT = /SSL3 alert: read \(remote end reported an error\):fatal:([a-z ]+)/;

describe('revocation against real peers', function () {
  this.timeout(120_000);
  let pki: RevocationPki;
  before(async () => { pki = await makeRevocationPki(); });
  after(() => pki?.remove());

  describe('eapol_test against eaphost serve --crl (EAP-TLS)', () => {
    let serve: ServeProcess | undefined;
    let port: number;
    before(async () => {
      writeFileSync(join(pki.dir, 'users.json'), JSON.stringify({ [USER.identity]: { password: USER.password } }));
      serve = await startEaphostServe(0, ['--secret', SECRET, '--users', join(pki.dir, 'users.json'), '--methods', 'tls',
        '--cert', pki.server.good.certFile, '--key', pki.server.good.keyFile, '--ca', pki.caFile, '--crl', pki.crlPem, '--log']);
      port = serve.port;
    });
    after(async () => {
      if (serve) assert.equal(await serve.stop(), 0, serve.output());
    });
    const eapTls = (client: { certFile: string; keyFile: string }) => runEapolTest({
      host: '127.0.0.1', port, secret: SECRET, method: 'TLS', identity: REVOCATION_CLIENT_IDENTITY, password: '',
      caCert: pki.caFile, serverName: REVOCATION_SERVER_NAME, clientCert: client.certFile, privateKey: client.keyFile,
      timeoutSeconds: 10,
    });

    it('the revoked client certificate is answered with "certificate revoked", then Access-Reject', async () => {
      const run = await eapTls(pki.client.revoked);
      assert.equal(run.success, false);
      assert.equal(REMOTE_ALERT.exec(run.stdout)?.[1], 'certificate revoked', run.stdout.slice(-4000));
      assert.match(run.stdout, /Access-Reject/);
      // serve's --log names the refused client certificate and why, in the method's words.
      const line = (await serve!.logged(/outcome=reject/)).split('\n').find((l) => l.includes('outcome=reject'));
      assert.ok(line, serve!.output());
      assert.match(line, new RegExp(`identity="${REVOCATION_CLIENT_IDENTITY}" method=tls outcome=reject `));
      assert.ok(line.includes(`serial ${pki.client.revoked.serial}`), line);
      assert.match(line, /reason=".*client's certificate was refused: CN=client@revocation\.invalid .* was revoked on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(reason: superseded\)/);
    });

    it('the good client certificate succeeds, MPPE keys OK', async () => {
      const run = await eapTls(pki.client.good);
      assert.equal(run.success, true, run.stdout.slice(-4000));
      assert.equal(run.mppeKeysOk, 1);
      assert.equal(run.mppeKeysMismatch, 0);
    });
  });

  describe('eaphost auth --crl against hostapd (PEAP)', () => {
    const authAgainst = async (server: { certFile: string; keyFile: string }, extra: string[] = []) => {
      const hostapd = await startHostapd({
        secret: SECRET, users: [{ ...USER, methods: ['PEAP'], phase2: ['MSCHAPV2'] }],
        certificates: { ca: pki.caFile, serverCert: server.certFile, serverKey: server.keyFile },
      });
      try {
        return await runMain(['auth', '--radius', `127.0.0.1:${hostapd.port}`, '--secret', SECRET, '--method', 'peap',
          '--identity', USER.identity, '--password', USER.password, '--ca', pki.caFile, '--server-name', REVOCATION_SERVER_NAME,
          '--crl', pki.otherCaCrl, '--crl', pki.crlDer, ...extra]);
      } finally {
        await hostapd.stop();
      }
    };

    it('refuses hostapd serving a certificate the CRL revokes, naming its serial and the reason', async () => {
      const run = await authAgainst(pki.server.revoked);
      assert.notEqual(run.code, 0, run.stdout);
      assertNamesRevokedServer(run, pki);
    });

    it('--nagios: a CRL whose nextUpdate falls within --cert-warn-days is a WARNING, named', async () => {
      // openssl ca made the CRL for one day (default_crl_days = 1); the certificate is good for two.
      const soon = await authAgainst(pki.server.good, ['--nagios', '--tls-max', '1.2', '--cert-warn-days', '1.5']);
      assert.equal(soon.code, 1, soon.stdout);
      assert.ok(soon.stdout.includes(`; CRL ${pki.crlDer} goes stale in 0.`), soon.stdout);
      const later = await authAgainst(pki.server.good, ['--nagios', '--tls-max', '1.2', '--cert-warn-days', '0.5']);
      assert.equal(later.code, 0, later.stdout);
    });

    it('authenticates when hostapd serves the good certificate', async () => {
      const run = await authAgainst(pki.server.good);
      assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    });
  });
});
