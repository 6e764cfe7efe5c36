import { strict as assert } from 'node:assert';
import { HOSTAPD_VERDICT, HostapdInstance, startHostapd } from '../support/hostapd';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, InteropPki, SERVER_NAME, hostapdTlsSetup, makeInteropPki } from '../support/interop-pki';
import { authenticateOverRadius } from './peer';

/**
 * A server that speaks only TLS 1.0/1.1: hostapd with TLS 1.2 and 1.3 disabled (tls_flags) and
 * OpenSSL's minimum protocol and security level lowered through its own configuration, which
 * Debian's OpenSSL needs before it speaks TLS 1.0 at all. hostapd answers our ClientHello (TLS
 * 1.2 to 1.3) with EAP-Failure and no alert on the wire; its log is the truth of why ("local TLS
 * alert: protocol version"). Our PEAP, EAP-TTLS and EAP-TLS peers must say that the TLS versions
 * were refused, not that the phase-2 credentials were.
 */

const SECRET = 'old-tls-secret';
const USER = { identity: 'otto', password: 'otto pa55' };

describe('a RADIUS server limited to TLS 1.0/1.1 (hostapd)', function () {
  this.timeout(60_000);
  let pki: InteropPki;
  let server: HostapdInstance | undefined;

  before(async () => {
    pki = await makeInteropPki();
    server = await startHostapd({
      secret: SECRET, tlsFlags: '[DISABLE-TLSv1.2][DISABLE-TLSv1.3]',
      opensslDefaults: ['CipherString = DEFAULT@SECLEVEL=0', 'MinProtocol = TLSv1'],
      ...hostapdTlsSetup(pki, USER, ['PEAP', 'TTLS'], ['MSCHAPV2', 'TTLS-PAP']),
    });
  });
  after(async () => {
    await server?.stop();
    pki?.remove();
  });

  for (const method of ['peap', 'ttls', 'tls'] as const) {
    it(`${method}: reported as TLS versions refused (protocol version), not as credentials`, async () => {
      const endpoint = { host: server!.host, port: server!.port, secret: SECRET };
      const trust = { ca: pki.ca, serverName: SERVER_NAME };
      const from = server!.log().length;
      const result = method === 'tls'
        ? await authenticateOverRadius(endpoint, CLIENT_IDENTITY, '', { method,
          tls: { ...trust, cert: pki.clientCert, key: pki.clientKey, keyPassword: CLIENT_KEY_PASSWORD } })
        : await authenticateOverRadius(endpoint, USER.identity, USER.password,
          { method, tls: { ...trust, ...(method === 'ttls' ? { phase2: 'pap' as const } : {}) } });
      assert.equal(result.success, false);
      assert.match(await server!.logUntil(from, HOSTAPD_VERDICT), /local TLS alert: protocol version/, 'hostapd refused the protocol version');
      const name = { peap: 'PEAP', ttls: 'EAP-TTLS', tls: 'EAP-TLS' }[method];
      assert.match(result.reason ?? '', new RegExp(`The ${name} server refused our TLS ClientHello \\(TLS 1\\.2 to 1\\.3\\) ` +
        'with EAP-Failure and no TLS alert: it accepts none of the TLS versions offered \\(protocol version refused; ' +
        'a server limited to TLS 1\\.0/1\\.1 does this\\)'));
      assert.doesNotMatch(result.reason ?? '', /phase-2|credentials/);
      // Typed: hostapd refused the ClientHello with EAP-Failure and no alert (its log above), and
      // no handshake completed.
      assert.deepEqual(result.error?.tls, { reason: 'hello-refused' });
      assert.equal(result.peerResult?.tls?.version, 0);
    });
  }
});
