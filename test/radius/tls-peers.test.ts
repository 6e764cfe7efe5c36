import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEapolTest } from '../support/eapol-test';
import { startEaphostServe } from '../support/eaphost-serve';
import { startHostapd } from '../support/hostapd';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, makeInteropPki, SERVER_NAME } from '../support/interop-pki';
import { hostapdTlsUsers, interopServer } from '../support/interop-server';
import { makeTempDir } from '../support/programs';
import { authenticateOverRadius } from './peer';
import { assertAccessReject } from '../support/radius-verdict';
import { assertAcceptedWithKeys, tlsServerUnderTest } from './tls-cases';

/**
 * The TLS methods against two more independent implementations: our peer through our RADIUS
 * client to hostapd's integrated EAP server (its verdict and MPPE keys are the truth), and
 * wpa_supplicant's eapol_test against `eaphost serve` (its own "MPPE keys OK: 1", which compares
 * the MSK it derived with the MS-MPPE keys our server released, is the truth).
 */

describe('TLS methods against hostapd\'s RADIUS server', function () {
  this.timeout(60_000);
  const SECRET = 'hostapd-tls-secret';
  const USER = { identity: 'ursula', password: 'ursula pa55' };

  const fixture = interopServer((certificates) => startHostapd({
    secret: SECRET,
    certificates,
    users: hostapdTlsUsers(USER),
  }));
  const server = tlsServerUnderTest(fixture, SECRET, USER);

  // hostapd sends a Cryptobinding TLV, so PEAP's MSK comes from the compound session key; the
  // RADIUS side carries no EMSK to compare, so only the MSK is checked for PEAP.
  it('PEAP-MSCHAPv2: Access-Accept, MSK = the MPPE keys', () =>
    assertAcceptedWithKeys(server, 'peap', {}, { checkEmsk: false }));

  it('PEAP requiring cryptobinding: hostapd sends a valid Cryptobinding TLV, Access-Accept', () =>
    assertAcceptedWithKeys(server, 'peap', { requireCryptoBinding: true }, { checkEmsk: false }));

  it('EAP-TLS: Access-Accept, MSK = the MPPE keys', () => assertAcceptedWithKeys(server, 'tls'));

  it('TTLS-PAP and TTLS-MSCHAPv2: Access-Accept, MSK = the MPPE keys', async () => {
    for (const phase2 of ['pap', 'mschapv2'] as const) await assertAcceptedWithKeys(server, 'ttls', { phase2 });
  });

  it('PEAP with a wrong password: Access-Reject, no MSK', async () => {
    const result = await authenticateOverRadius(server.endpoint(), USER.identity, 'wrong', { method: 'peap', tls: server.trust() });
    assertAccessReject(result, fixture.server.log().slice(-3000));
  });
});

describe('eapol_test against `eaphost serve` with TLS methods', function () {
  this.timeout(90_000);
  const SECRET = 'eapol-test-tls-secret';

  it('PEAP, TTLS and EAP-TLS: eapol_test succeeds with "MPPE keys OK: 1"; a wrong password fails', async () => {
    const pki = await makeInteropPki();
    const dir = makeTempDir('serve-tls');
    const usersFile = join(dir.path, 'users.json');
    writeFileSync(usersFile, JSON.stringify({ victor: { password: 'victor pa55' } }));
    // No --methods: with a certificate and a client CA, serve proposes PEAP and follows a Nak to TTLS or EAP-TLS.
    const serve = await startEaphostServe(0, ['--secret', SECRET, '--users', usersFile,
      '--cert', pki.files.serverCert, '--key', pki.files.serverKey, '--ca', pki.files.ca]);
    const port = serve.port;
    try {
      assert.match(serve.output(), /EAP methods: peap, ttls, tls, mschapv2, gtc, md5/);
      const target = { host: '127.0.0.1', port, secret: SECRET, caCert: pki.files.ca, serverName: SERVER_NAME, timeoutSeconds: 10 };
      const runs = {
        peap: await runEapolTest({ ...target, method: 'PEAP', identity: 'victor', password: 'victor pa55', phase2: 'auth=MSCHAPV2' }),
        ttlsPap: await runEapolTest({ ...target, method: 'TTLS', identity: 'victor', password: 'victor pa55', phase2: 'auth=PAP' }),
        ttlsMschapv2: await runEapolTest({ ...target, method: 'TTLS', identity: 'victor', password: 'victor pa55',
          phase2: 'auth=MSCHAPV2' }),
        tls: await runEapolTest({ ...target, method: 'TLS', identity: CLIENT_IDENTITY, password: '',
          clientCert: pki.files.clientCert, privateKey: pki.files.clientKey, privateKeyPassword: CLIENT_KEY_PASSWORD }),
      };
      for (const [name, run] of Object.entries(runs)) {
        assert.equal(run.success, true, `${name}:\n${run.stdout.slice(-3000)}\n${serve.output().slice(-2000)}`);
        assert.equal(run.mppeKeysOk, 1, `${name}: eapol_test compared its MSK with our MS-MPPE keys`);
        assert.equal(run.mppeKeysMismatch, 0, name);
      }
      const wrong = await runEapolTest({ ...target, method: 'PEAP', identity: 'victor', password: 'victor pa56', phase2: 'auth=MSCHAPV2' });
      assert.equal(wrong.success, false);
      assert.match(wrong.stdout, /Access-Reject/);
      assert.doesNotMatch(serve.output(), /victor pa55|eapol-test-tls-secret/, 'never prints secrets');
    } finally {
      assert.equal(await serve.stop(), 0, serve.output());
      dir.remove();
      pki.remove();
    }
  });

  it('EAP-TLS: a client certificate from a CA serve was not given (--ca) is refused: Access-Reject', async () => {
    const pki = await makeInteropPki();
    const dir = makeTempDir('serve-tls-ca');
    const usersFile = join(dir.path, 'users.json');
    writeFileSync(usersFile, '{}');
    const serve = await startEaphostServe(0, ['--secret', SECRET, '--users', usersFile, '--methods', 'tls',
      '--cert', pki.files.serverCert, '--key', pki.files.serverKey, '--ca', pki.files.otherCa]);
    const port = serve.port;
    try {
      const run = await runEapolTest({ host: '127.0.0.1', port, secret: SECRET, method: 'TLS', identity: CLIENT_IDENTITY,
        password: '', caCert: pki.files.ca, serverName: SERVER_NAME, clientCert: pki.files.clientCert,
        privateKey: pki.files.clientKey, privateKeyPassword: CLIENT_KEY_PASSWORD, timeoutSeconds: 10 });
      assert.equal(run.success, false, run.stdout.slice(-3000));
      assert.match(run.stdout, /Access-Reject/);
    } finally {
      assert.equal(await serve.stop(), 0, serve.output());
      dir.remove();
      pki.remove();
    }
  });
});
