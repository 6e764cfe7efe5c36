/**
 * OCSP stapling, peer against authenticator in-process, TLS 1.2 and 1.3, with responses made by
 * `openssl ocsp -index … -respout` from the CA's own index for the run: a good staple passes
 * (keys equal on both sides), a revoked one is refused in words, a staple signed by a responder
 * the CA delegated to is checked as one signed by the CA, `require` refuses a server stapling
 * nothing, `off` (the default) judges no staple at all (GnuTLS's own check would), and a
 * response replaced on disk is stapled from the next handshake.
 * test/radius/ocsp-peers.test.ts repeats these against eapol_test and hostapd.
 */
import { strict as assert } from 'assert';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { EapError } from '../../lib';
import { OcspMode, authenticatorConnectionData, peerConnectionData } from '../../lib/core/connection-data';
import { REVOCATION_SERVER_NAME, RevocationCertificate, RevocationPki, makeRevocationPki } from '../support/revocation-pki';
import { converse, keysOf, withSessionPair } from '../support/tls-fixtures';

const EAP_E_SERVER_CERT_REVOKED = 0x80420203;
const CERT_E_REVOKED = 0x800b010c;
const CRYPT_E_NO_REVOCATION_CHECK = 0x80092012;

describe('OCSP stapling, peer against authenticator in-process', function () {
  this.timeout(60000);
  let pki: RevocationPki;
  const response = (name: string) => join(pki.dir, `${name}.ocsp.der`);
  before(async () => {
    pki = await makeRevocationPki();
    await pki.ocspResponse(pki.server.good.certFile, response('good'));
    await pki.ocspResponse(pki.server.revoked.certFile, response('revoked'));
    await pki.ocspResponse(pki.server.good.certFile, response('good-delegated'), pki.responder);
    await pki.ocspResponse(pki.server.revoked.certFile, response('revoked-delegated'), pki.responder);
    // Signed by a certificate of the same CA that was never made a responder (no OCSPSigning).
    await pki.ocspResponse(pki.server.good.certFile, response('good-undelegated'), pki.client.good);
  });
  after(() => pki?.remove());

  function run(server: RevocationCertificate, staple: string | undefined, ocsp: OcspMode, version: '1.2' | '1.3' = '1.3') {
    const tls = { min: version, max: version } as const;
    return withSessionPair('peap',
      peerConnectionData('peap', { ca: pki.ca, serverName: REVOCATION_SERVER_NAME, tls, ocsp }),
      authenticatorConnectionData('peap', { cert: server.cert, key: server.key, tls, ...(staple ? { ocspResponse: staple } : {}) }),
      (peer, auth) => converse(peer, auth, 'secret'));
  }

  async function refused(...args: Parameters<typeof run>): Promise<EapError> {
    try {
      await run(...args);
    } catch (error) {
      assert.ok(error instanceof EapError, String(error));
      return error;
    }
    assert.fail('the peer accepted the server');
  }

  for (const version of ['1.2', '1.3'] as const) {
    it(`TLS ${version}: a good staple passes under require, keys equal on both sides`, async () => {
      const result = await run(pki.server.good, response('good'), 'require', version);
      assert.equal(result.peer.success, true, result.peer.error?.message);
      assert.deepEqual(keysOf(result.peer.attributes).msk, keysOf(result.authenticator.attributes).msk);
    });

    it(`TLS ${version}: a revoked staple is refused, naming the certificate, the reason and the date`, async () => {
      const error = await refused(pki.server.revoked, response('revoked'), 'request', version);
      assert.equal(error.win32Error >>> 0, CERT_E_REVOKED);
      assert.equal(error.reasonCode >>> 0, EAP_E_SERVER_CERT_REVOKED);
      assert.ok(error.rootCause.includes(`serial ${pki.server.revoked.serial}`), error.rootCause);
      assert.match(error.rootCause, /server's certificate was refused: CN=radius\.revocation\.invalid .* was revoked on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(reason: keyCompromise\), says its stapled OCSP response signed for CN=eaphost revocation CA/);
    });
  }

  it("a staple signed by the CA's delegated responder counts as the CA's", async () => {
    const good = await run(pki.server.good, response('good-delegated'), 'require');
    assert.equal(good.peer.success, true, good.peer.error?.message);
    const error = await refused(pki.server.revoked, response('revoked-delegated'), 'require');
    assert.equal(error.win32Error >>> 0, CERT_E_REVOKED);
    // "good" from a certificate the CA never delegated to is no answer at all.
    const forged = await refused(pki.server.good, response('good-undelegated'), 'request');
    assert.equal(forged.win32Error >>> 0, CRYPT_E_NO_REVOCATION_CHECK);
    assert.match(forged.rootCause, /its stapled OCSP response is not signed by CN=eaphost revocation CA \S+ or a responder it delegated to/);
  });

  for (const version of ['1.2', '1.3'] as const) {
    it(`TLS ${version}: ocsp 'off' (the default) judges no staple: one signed by no responder of the CA, or one that says revoked, passes`, async () => {
      // As wpa_supplicant's ocsp=0: whatever the server staples, unasked or not, decides nothing.
      const forged = await run(pki.server.good, response('good-undelegated'), 'off', version);
      assert.equal(forged.peer.success, true, forged.peer.error?.message);
      const revoked = await run(pki.server.revoked, response('revoked'), 'off', version);
      assert.equal(revoked.peer.success, true, revoked.peer.error?.message);
    });
  }

  it("under 'request', a staple signed by no responder of the CA is refused in OCSP's words, over TLS 1.2 too", async () => {
    const error = await refused(pki.server.good, response('good-undelegated'), 'request', '1.2');
    assert.equal(error.win32Error >>> 0, CRYPT_E_NO_REVOCATION_CHECK);
    assert.match(error.rootCause, /its stapled OCSP response is not signed by CN=eaphost revocation CA \S+ or a responder it delegated to/);
    assert.doesNotMatch(error.rootCause, /GnuTLS status/);
  });

  it('require refuses a server stapling nothing; request lets it through', async () => {
    const error = await refused(pki.server.good, undefined, 'require');
    assert.equal(error.win32Error >>> 0, CRYPT_E_NO_REVOCATION_CHECK);
    assert.match(error.rootCause, /the server stapled no OCSP response, and one is required/);
    const requested = await run(pki.server.good, undefined, 'request');
    assert.equal(requested.peer.success, true, requested.peer.error?.message);
  });

  it('a response about another certificate cannot be stapled: the authenticator says so', async () => {
    await assert.rejects(run(pki.server.good, response('revoked'), 'request'),
      /the OCSP response file .*revoked\.ocsp\.der is about another certificate than the server's \(CN=radius\.revocation\.invalid\)/);
  });

  it('a response replaced on disk is stapled from the next handshake', async () => {
    const live = join(pki.dir, 'live.ocsp.der');
    copyFileSync(response('good'), live);
    const before = await run(pki.server.good, live, 'require');
    assert.equal(before.peer.success, true, before.peer.error?.message);
    await pki.newCrl(join(pki.dir, 'unused-crl.pem'), pki.server.good.certFile);  // the CA revokes it
    await pki.ocspResponse(pki.server.good.certFile, live);
    const error = await refused(pki.server.good, live, 'require');
    assert.equal(error.win32Error >>> 0, CERT_E_REVOKED);
  });

  it('bad OCSP options are typed errors before anything runs', () => {
    assert.throws(() => peerConnectionData('peap', { ca: pki.ca, ocsp: 'always' as OcspMode }), /ocsp must be 'off' \| 'request' \| 'require'/);
    assert.throws(() => peerConnectionData('peap', { insecure: true, ocsp: 'require' }), /ocsp is checked only against a trusted CA/);
    assert.throws(() => authenticatorConnectionData('peap', { cert: pki.server.good.cert, key: pki.server.good.key,
      ocspResponse: join(pki.dir, 'absent.der') }), /ocspResponse .*absent\.der: cannot read it \(ENOENT\)/);
    assert.throws(() => peerConnectionData('peap', { ca: pki.ca, ocspResponse: response('good') }), /ocspResponse does not apply to the peap peer/);
  });
});
