/**
 * Our peer's CRL checks against FreeRADIUS 3.2 serving certificates that `openssl ca` made and
 * revoked for this run: `eaphost auth --crl` refuses the revoked server certificate (PEAP and
 * EAP-TTLS) naming its serial and reason, and authenticates against the good one with the MSK
 * equal to the MPPE keys FreeRADIUS released. FreeRADIUS's verdict and keys are the truth.
 */
import { strict as assert } from 'node:assert';
import { startFreeRadius } from '../support/freeradius';
import { runMain, secretFlag } from '../support/cli-run';
import { REVOCATION_SERVER_NAME, RevocationPki, assertNamesRevokedServer, makeRevocationPki } from '../support/revocation-pki';

const SECRET = 'revocation-freeradius-secret';
const USER = { identity: 'robin', password: 'robin pa55 wörd' };

describe('eaphost auth --crl against FreeRADIUS', function () {
  this.timeout(120_000);
  let pki: RevocationPki;
  before(async () => { pki = await makeRevocationPki(); });
  after(() => pki?.remove());

  async function authAgainst(server: { certFile: string; keyFile: string }, method: 'peap' | 'ttls') {
    const freeradius = await startFreeRadius({
      secret: SECRET, users: [USER], certificates: { ca: pki.caFile, serverCert: server.certFile, serverKey: server.keyFile },
    });
    try {
      return await runMain(['auth', '--radius', `${freeradius.host}:${freeradius.port}`, ...secretFlag('secret', SECRET),
        '--method', method, '--identity', USER.identity, ...secretFlag('password', USER.password), '--ca', pki.caFile,
        '--server-name', REVOCATION_SERVER_NAME, '--crl', pki.crlPem, '--json']);
    } finally {
      await freeradius.stop();
    }
  }

  for (const method of ['peap', 'ttls'] as const) {
    it(`${method}: the revoked server certificate is refused, naming its serial and the reason`, async () => {
      const run = await authAgainst(pki.server.revoked, method);
      assert.equal(run.code, 1, run.stdout);
      assert.equal((JSON.parse(run.stdout) as { success: boolean }).success, false);
      assertNamesRevokedServer(run, pki);
    });

    it(`${method}: the good server certificate passes the same CRL; MSK = the MPPE keys`, async () => {
      const run = await authAgainst(pki.server.good, method);
      assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
      const report = JSON.parse(run.stdout) as { success: boolean; mppeKeysMatch?: boolean };
      assert.equal(report.success, true);
      assert.equal(report.mppeKeysMatch, true);
    });
  }
});
