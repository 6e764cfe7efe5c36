import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EapError } from '../../lib';
import { runEapolTest } from '../support/eapol-test';
import { startEaphostServe } from '../support/eaphost-serve';
import { startHostapd } from '../support/hostapd';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, InteropPki, SERVER_NAME, hostapdTlsSetup, makeInteropPki } from '../support/interop-pki';
import { makeTempDir } from '../support/programs';
import { assertTlsKeysFromServer } from '../support/tls-keys';
import { authenticateOverRadius } from './peer';

/**
 * RSA keys under 2048 bits are refused by default in both directions, with the reason in words,
 * and accepted only when asked for explicitly (allowWeakRsa, --allow-weak-rsa). The certificates
 * (1024-bit RSA leaves under a 2048-bit CA) are made by the openssl command for the run; the
 * servers and peers nobody here wrote are told to accept such keys (OpenSSL's @SECLEVEL=0), so
 * the refusal is ours: hostapd serves a 1024-bit certificate to our peer, and eapol_test
 * presents a 1024-bit client certificate to `eaphost serve`.
 */

const SECRET = 'weak-rsa-secret';
const USER = { identity: 'wes', password: 'wes pa55' };
const EAP_E_SERVER_CERT_INVALID = 0x80420201;
const WEAK = /its RSA key has 1024 bits, fewer than the 2048 required/;

describe('RSA keys under 2048 bits', function () {
  this.timeout(120_000);
  let pki: InteropPki;
  before(async () => { pki = await makeInteropPki({ leafRsaBits: 1024 }); });
  after(() => pki?.remove());

  it('our PEAP and EAP-TLS peers refuse hostapd\'s 1024-bit server certificate, and accept it with allowWeakRsa', async () => {
    // hostapd loads its certificate before it reads openssl_ciphers: OpenSSL's own settings
    // lower its security level.
    const server = await startHostapd({
      secret: SECRET, opensslDefaults: ['CipherString = DEFAULT@SECLEVEL=0'],
      ...hostapdTlsSetup(pki, USER, ['PEAP'], ['MSCHAPV2']),
    });
    try {
      const endpoint = { host: server.host, port: server.port, secret: SECRET };
      const peap = (allowWeakRsa?: boolean) => authenticateOverRadius(endpoint, USER.identity, USER.password,
        { method: 'peap', tls: { ca: pki.ca, serverName: SERVER_NAME, ...(allowWeakRsa ? { allowWeakRsa } : {}) } });
      const tls = (allowWeakRsa?: boolean) => authenticateOverRadius(endpoint, CLIENT_IDENTITY, '', {
        method: 'tls', tls: { ca: pki.ca, serverName: SERVER_NAME, cert: pki.clientCert, key: pki.clientKey,
          keyPassword: CLIENT_KEY_PASSWORD, ...(allowWeakRsa ? { allowWeakRsa } : {}) },
      });
      for (const [name, attempt] of [['PEAP', peap], ['EAP-TLS', tls]] as const) {
        await assert.rejects(attempt(), (error: unknown) => {
          assert.ok(error instanceof EapError, `${name}: ${String(error)}`);
          assert.equal(error.reasonCode >>> 0, EAP_E_SERVER_CERT_INVALID);
          assert.match(error.rootCause, new RegExp(`The ${name} server's certificate was refused: ${WEAK.source}`));
          return true;
        });
      }
      assertTlsKeysFromServer(await peap(true), 25, () => server.log(), { checkEmsk: false });
      assertTlsKeysFromServer(await tls(true), 13, () => server.log());
    } finally {
      await server.stop();
    }
  });

  it('eaphost serve refuses eapol_test\'s 1024-bit EAP-TLS client certificate, and accepts it with --allow-weak-rsa', async () => {
    // Our server's own certificate is a strong one: only the client's key is weak here.
    const strong = await makeInteropPki();
    const dir = makeTempDir('serve-weak-rsa');
    const usersFile = join(dir.path, 'users.json');
    writeFileSync(usersFile, '{}');
    try {
      for (const allow of [false, true]) {
        const serve = await startEaphostServe(0, ['--secret', SECRET, '--users', usersFile, '--methods', 'tls',
          '--cert', strong.files.serverCert, '--key', strong.files.serverKey, '--ca', pki.files.ca,
          ...(allow ? ['--allow-weak-rsa'] : [])]);
        const port = serve.port;
        try {
          const run = await runEapolTest({
            host: '127.0.0.1', port, secret: SECRET, method: 'TLS', identity: CLIENT_IDENTITY, password: '',
            caCert: strong.files.ca, serverName: SERVER_NAME, clientCert: pki.files.clientCert,
            privateKey: pki.files.clientKey, privateKeyPassword: CLIENT_KEY_PASSWORD, timeoutSeconds: 10,
            opensslCiphers: 'DEFAULT@SECLEVEL=0',
          });
          if (allow) {
            assert.equal(run.success, true, `${run.stdout.slice(-3000)}\n${serve.output().slice(-2000)}`);
            assert.equal(run.mppeKeysOk, 1);
          } else {
            assert.equal(run.success, false);
            assert.match(run.stdout, /SSL3 alert: read \(remote end reported an error\):fatal:bad certificate/, run.stdout.slice(-3000));
            assert.match(run.stdout, /Access-Reject/);
          }
        } finally {
          assert.equal(await serve.stop(), 0, serve.output());
        }
      }
    } finally {
      dir.remove();
      strong.remove();
    }
  });
});
