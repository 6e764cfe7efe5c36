/**
 * Certificate purpose, peer against authenticator in-process, TLS 1.2 and 1.3: a server
 * certificate whose extendedKeyUsage leaves out serverAuth is refused by every TLS-based peer
 * method, and a client certificate whose extendedKeyUsage leaves out clientAuth by the EAP-TLS
 * authenticator, as OpenSSL's SSL server / client purposes decide (what wpa_supplicant and
 * FreeRADIUS apply). A certificate without the extension passes. The certificates are made for
 * the run by the openssl command; test/radius/cert-purpose.test.ts repeats both directions
 * against FreeRADIUS and eapol_test.
 */
import { strict as assert } from 'assert';
import { EapError } from '../../lib';
import { PURPOSE_SERVER_NAME, Purpose, PurposePki, makePurposePki } from '../support/purpose-pki';
import { connectionData, converse, keysOf, withSessionPair } from '../support/tls-fixtures';

const EAP_E_SERVER_CERT_INVALID = 0x80420201;
const CERT_E_WRONG_USAGE = 0x800b0110;

describe('certificate purpose (extendedKeyUsage), peer against authenticator in-process', function () {
  this.timeout(60000);
  let pki: PurposePki;
  before(async () => { pki = await makePurposePki(); });
  after(() => pki?.remove());

  async function run(method: 'tls' | 'peap' | 'ttls', version: '1.2' | '1.3', serverPurpose: Purpose,
    clientPurpose: Purpose = 'clientAuth') {
    const tls = { tlsMin: version, tlsMax: version } as const;
    return await withSessionPair(method,
      connectionData({
        ca: pki.ca, serverNames: [PURPOSE_SERVER_NAME], ...tls,
        ...(method === 'tls' ? { certificate: pki.client[clientPurpose].cert, privateKey: pki.client[clientPurpose].key } : {}),
      }),
      connectionData({ certificate: pki.server[serverPurpose].cert, privateKey: pki.server[serverPurpose].key, ca: pki.ca, ...tls }),
      (peer, auth) => converse(peer, auth, 'secret'));
  }

  const refusal = async (promise: Promise<unknown>): Promise<EapError> => {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof EapError, `an EapError, got ${String(error)}`);
      return error;
    }
    assert.fail('the peer accepted the server certificate');
  };

  for (const version of ['1.2', '1.3'] as const) {
    for (const method of ['tls', 'peap', 'ttls'] as const) {
      it(`${method} over TLS ${version}: a clientAuth-only server certificate is refused, in words, before any credential leaves`, async () => {
        const error = await refusal(run(method, version, 'clientAuth'));
        assert.equal(error.reasonCode >>> 0, EAP_E_SERVER_CERT_INVALID);
        assert.equal(error.win32Error >>> 0, CERT_E_WRONG_USAGE);
        assert.match(error.rootCause, /server certificate is not for server authentication \(extendedKeyUsage: clientAuth\)/);
      });
    }

    it(`PEAP over TLS ${version}: codeSigning-only and anyExtendedKeyUsage-only server certificates are refused too`, async () => {
      for (const purpose of ['codeSigning', 'anyExtendedKeyUsage'] as const) {
        const error = await refusal(run('peap', version, purpose));
        assert.equal(error.reasonCode >>> 0, EAP_E_SERVER_CERT_INVALID, purpose);
        assert.match(error.rootCause, new RegExp(`not for server authentication \\(extendedKeyUsage: ${purpose}\\)`));
      }
    });

    it(`PEAP over TLS ${version}: serverAuth, serverAuth+clientAuth and no extendedKeyUsage at all pass`, async () => {
      for (const purpose of ['serverAuth', 'serverAuth,clientAuth', 'none'] as const) {
        const result = await run('peap', version, purpose);
        assert.equal(result.peer.success, true, `${purpose}: ${result.peer.error?.message}`);
        assert.deepEqual(keysOf(result.peer.attributes).msk, keysOf(result.authenticator.attributes).msk);
      }
    });

    it(`EAP-TLS authenticator over TLS ${version}: serverAuth-only and codeSigning-only client certificates are refused`, async () => {
      // The authenticator says why in a TLS alert before its EAP-Failure, and the peer stops
      // there with a typed error that names it (the reason code is checked end to end against
      // eapol_test in test/radius/tls-refusal-alert.test.ts).
      for (const purpose of ['serverAuth', 'codeSigning', 'anyExtendedKeyUsage'] as const) {
        const error = await refusal(run('tls', version, 'serverAuth', purpose));
        assert.match(error.message, /the other side sent the alert "Certificate is not supported"/, purpose);
      }
    });

    it(`EAP-TLS authenticator over TLS ${version}: clientAuth-only and extension-less client certificates pass`, async () => {
      for (const purpose of ['clientAuth', 'none', 'serverAuth,clientAuth'] as const) {
        const result = await run('tls', version, 'serverAuth', purpose);
        assert.equal(result.authenticator.success, true, purpose);
        assert.equal(result.peer.success, true, `${purpose}: ${result.peer.error?.message}`);
      }
    });
  }
});
