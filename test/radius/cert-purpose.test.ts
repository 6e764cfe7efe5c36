import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EapError } from '../../lib';
import { runEapolTest } from '../support/eapol-test';
import { startEaphostServe } from '../support/eaphost-serve';
import { startFreeRadius } from '../support/freeradius';
import { PURPOSE_CLIENT_IDENTITY, PURPOSE_SERVER_NAME, Purpose, PurposePki, makePurposePki } from '../support/purpose-pki';
import { makeTempDir } from '../support/programs';
import { assertTlsKeysFromServer } from '../support/tls-keys';
import { authenticateOverRadius } from './peer';

/**
 * Certificate purpose in both directions against peers nobody here wrote, TLS 1.2 and 1.3, with
 * certificates made for the run by the openssl command:
 * - our PEAP, TTLS and EAP-TLS peers against FreeRADIUS 3.2 serving a certificate whose
 *   extendedKeyUsage is clientAuth only or codeSigning only: refused before any credential goes
 *   out, with a typed error that says why; serverAuth only and no extension at all: accepted, and
 *   FreeRADIUS's verdict and MPPE keys agree;
 * - wpa_supplicant's eapol_test presenting a serverAuth-only (or codeSigning-only) client
 *   certificate to `eaphost serve` over EAP-TLS: refused (Access-Reject), while clientAuth-only
 *   and extension-less client certificates pass with eapol_test's own "MPPE keys OK".
 */

const EAP_E_SERVER_CERT_INVALID = 0x80420201;
const SECRET = 'purpose-secret';
const USER = { identity: 'pia', password: 'pia pa55' };

const TLS13_ONLY = 'tls_disable_tlsv1_0=1 tls_disable_tlsv1_1=1 tls_disable_tlsv1_2=1 tls_disable_tlsv1_3=0';

describe('certificate purpose against FreeRADIUS and eapol_test', function () {
  this.timeout(120_000);
  let pki: PurposePki;
  before(async () => { pki = await makePurposePki(); });
  after(() => pki?.remove());

  for (const version of ['1.2', '1.3'] as const) {
    const withServer = async (purpose: Purpose, body: (endpoint: { host: string; port: number; secret: string },
      log: () => string) => Promise<void>) => {
      const server = await startFreeRadius({
        secret: SECRET, users: [USER], tlsMaxVersion: version,
        certificates: { ca: pki.caFile, serverCert: pki.server[purpose].certFile, serverKey: pki.server[purpose].keyFile },
      });
      try {
        await body({ host: server.host, port: server.port, secret: SECRET }, server.log);
      } finally {
        await server.stop();
      }
    };
    const trust = () => ({ ca: pki.ca, serverName: PURPOSE_SERVER_NAME, tls: { min: version, max: version } });
    const client = (purpose: Purpose) => ({ cert: pki.client[purpose].cert, key: pki.client[purpose].key });

    for (const purpose of ['clientAuth', 'codeSigning'] as const) {
      it(`TLS ${version}: PEAP, TTLS and EAP-TLS refuse FreeRADIUS's ${purpose}-only server certificate, saying why`, async () => {
        await withServer(purpose, async (endpoint) => {
          const attempts = [
            () => authenticateOverRadius(endpoint, USER.identity, USER.password, { method: 'peap', tls: trust() }),
            () => authenticateOverRadius(endpoint, USER.identity, USER.password, { method: 'ttls', tls: { ...trust(), phase2: 'pap' } }),
            () => authenticateOverRadius(endpoint, PURPOSE_CLIENT_IDENTITY, '', { method: 'tls', tls: { ...trust(), ...client('clientAuth') } }),
          ];
          for (const [index, attempt] of attempts.entries()) {
            await assert.rejects(attempt(), (error: unknown) => {
              assert.ok(error instanceof EapError, `attempt ${index}: ${String(error)}`);
              assert.equal(error.reasonCode >>> 0, EAP_E_SERVER_CERT_INVALID);
              assert.match(error.rootCause,
                new RegExp(`server certificate is not for server authentication \\(extendedKeyUsage: ${purpose}\\)`));
              return true;
            });
          }
        });
      });
    }

    for (const purpose of ['serverAuth', 'none'] as const) {
      it(`TLS ${version}: a server certificate with ${purpose === 'none' ? 'no extendedKeyUsage' : 'serverAuth only'} ` +
        'passes: FreeRADIUS accepts PEAP and EAP-TLS, MSK = its MPPE keys', async () => {
        await withServer(purpose, async (endpoint, log) => {
          const peap = await authenticateOverRadius(endpoint, USER.identity, USER.password, { method: 'peap', tls: trust() });
          assertTlsKeysFromServer(peap, 25, log);
          const tls = await authenticateOverRadius(endpoint, PURPOSE_CLIENT_IDENTITY, '',
            { method: 'tls', tls: { ...trust(), ...client(purpose === 'none' ? 'none' : 'clientAuth') } });
          assertTlsKeysFromServer(tls, 13, log);
        });
      });
    }

    it(`TLS ${version}: eaphost serve refuses eapol_test's serverAuth-only and codeSigning-only EAP-TLS client ` +
      'certificates and accepts clientAuth-only and extension-less ones', async () => {
      const dir = makeTempDir('serve-purpose');
      const usersFile = join(dir.path, 'users.json');
      writeFileSync(usersFile, '{}');
      const serve = await startEaphostServe(0, ['--secret', SECRET, '--users', usersFile, '--methods', 'tls',
        '--cert', pki.server.serverAuth.certFile, '--key', pki.server.serverAuth.keyFile, '--ca', pki.caFile]);
      const port = serve.port;
      try {
        const eapolTls = (purpose: Purpose) => runEapolTest({
          host: '127.0.0.1', port, secret: SECRET, method: 'TLS', identity: PURPOSE_CLIENT_IDENTITY, password: '',
          caCert: pki.caFile, serverName: PURPOSE_SERVER_NAME, clientCert: pki.client[purpose].certFile,
          privateKey: pki.client[purpose].keyFile, timeoutSeconds: 10, ...(version === '1.3' ? { phase1: TLS13_ONLY } : {}),
        });
        for (const purpose of ['serverAuth', 'codeSigning'] as const) {
          const run = await eapolTls(purpose);
          assert.equal(run.success, false, `${purpose}:\n${run.stdout.slice(-3000)}`);
          assert.match(run.stdout, /Access-Reject/, purpose);
        }
        for (const purpose of ['clientAuth', 'none'] as const) {
          const run = await eapolTls(purpose);
          assert.equal(run.success, true, `${purpose}:\n${run.stdout.slice(-3000)}\n${serve.output().slice(-2000)}`);
          assert.equal(run.mppeKeysOk, 1, purpose);
          assert.match(run.stdout, version === '1.3' ? /TLSv1\.3/ : /TLSv1\.2/, `${purpose}: negotiated TLS ${version}`);
        }
      } finally {
        assert.equal(await serve.stop(), 0, serve.output());
        dir.remove();
      }
    });
  }
});
