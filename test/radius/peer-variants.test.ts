import { startFreeRadius } from '../support/freeradius';
import { startHostapd } from '../support/hostapd';
import { CLIENT_IDENTITY, clientCertificate, SERVER_NAME } from '../support/interop-pki';
import { interopServer } from '../support/interop-server';
import { assertTlsKeysFromServer } from '../support/tls-keys';
import { authenticateOverRadius } from './peer';
import { assertAccessReject } from '../support/radius-verdict';

/**
 * Our peer through our RADIUS client with small packets on both sides: FreeRADIUS fragmenting
 * at 300 bytes over TLS 1.3, hostapd over its default TLS, and our peer's own packets capped at
 * 300 bytes, with an identity and password in UTF-8. The servers' verdicts and the MS-MPPE keys
 * they released are the truth.
 */

const SECRET = 'peer-variants-secret';
const USER = { identity: 'jürgen.straße', password: 'pässwörd€' };
const SMALL = 300;

const TUNNELS = [
  { method: 'peap', name: 'PEAP-MSCHAPv2', options: {} },
  { method: 'peap', name: 'PEAP-GTC', options: { innerMethod: 'gtc' } },
  { method: 'ttls', name: 'TTLS-PAP', options: { phase2: 'pap' } },
  { method: 'ttls', name: 'TTLS-CHAP', options: { phase2: 'chap' } },
  { method: 'ttls', name: 'TTLS-MS-CHAP', options: { phase2: 'mschap' } },
  { method: 'ttls', name: 'TTLS-MSCHAPv2', options: { phase2: 'mschapv2' } },
  { method: 'ttls', name: 'TTLS-EAP-MSCHAPv2', options: { phase2: 'eap' } },
] as const;
const EAP_TYPE = { peap: 25, ttls: 21, tls: 13 } as const;

describe('our peer against FreeRADIUS fragmenting at 300 bytes over TLS 1.3, with 300-byte packets of its own', function () {
  this.timeout(120_000);
  const endpoint = () => ({ host: fixture.server.host, port: fixture.server.port, secret: SECRET });
  const trust = () => ({ ca: fixture.pki.ca, serverName: SERVER_NAME, maxSendPacketSize: SMALL });

  const fixture = interopServer((certificates) => startFreeRadius({ secret: SECRET, users: [USER], tlsMaxVersion: '1.3', fragmentSize: SMALL,
    certificates }));

  for (const tunnel of TUNNELS) {
    it(`${tunnel.name}: Access-Accept, MSK = the MPPE keys; a wrong password is refused`, async () => {
      const tls = { ...trust(), ...tunnel.options };
      const result = await authenticateOverRadius(endpoint(), USER.identity, USER.password, { method: tunnel.method, tls });
      assertTlsKeysFromServer(result, EAP_TYPE[tunnel.method], fixture.server.log, { checkEmsk: false });
      const wrong = await authenticateOverRadius(endpoint(), USER.identity, 'pässwörd$', { method: tunnel.method, tls });
      assertAccessReject(wrong, tunnel.name);
    });
  }

  it('EAP-TLS with an encrypted client key: Access-Accept, MSK = the MPPE keys', async () => {
    const result = await authenticateOverRadius(endpoint(), CLIENT_IDENTITY, '', { method: 'tls', tls: {
      ...trust(), ...clientCertificate(fixture.pki) } });
    assertTlsKeysFromServer(result, 13, fixture.server.log);
  });
});

describe('our peer against hostapd with 300-byte packets of its own and a UTF-8 user', function () {
  this.timeout(120_000);
  const endpoint = () => ({ host: fixture.server.host, port: fixture.server.port, secret: SECRET });
  const trust = () => ({ ca: fixture.pki.ca, serverName: SERVER_NAME, maxSendPacketSize: SMALL });

  const fixture = interopServer((certificates) => startHostapd({
    secret: SECRET,
    certificates,
    users: [
      { ...USER, methods: ['PEAP', 'TTLS'], phase2: ['MSCHAPV2', 'GTC', 'TTLS-PAP', 'TTLS-CHAP', 'TTLS-MSCHAP', 'TTLS-MSCHAPV2'] },
      { identity: CLIENT_IDENTITY, password: '', methods: ['TLS'] },
    ],
  }));

  for (const tunnel of TUNNELS) {
    it(`${tunnel.name} (hostapd sends its Cryptobinding TLV in PEAP): Access-Accept, MSK = the MPPE keys`, async () => {
      const result = await authenticateOverRadius(endpoint(), USER.identity, USER.password,
        { method: tunnel.method, tls: { ...trust(), ...tunnel.options } });
      assertTlsKeysFromServer(result, EAP_TYPE[tunnel.method], fixture.server.log, { checkEmsk: false });
    });
  }

  it('EAP-TLS: Access-Accept, MSK = the MPPE keys', async () => {
    const result = await authenticateOverRadius(endpoint(), CLIENT_IDENTITY, '', { method: 'tls', tls: {
      ...trust(), ...clientCertificate(fixture.pki) } });
    assertTlsKeysFromServer(result, 13, fixture.server.log);
  });
});
