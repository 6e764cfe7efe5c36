import { startFreeRadius } from '../support/freeradius';
import { startHostapd } from '../support/hostapd';
import { CLIENT_IDENTITY, clientCertificate, InteropPki, SERVER_NAME } from '../support/interop-pki';
import { hostapdTlsUsers, interopServer } from '../support/interop-server';
import { assertTlsKeysFromServer } from '../support/tls-keys';
import { authenticateOverRadius } from './peer';

/**
 * TLS 1.3 against servers configured as production ones are, with resumption on: FreeRADIUS 3.2
 * with its TLS session cache enabled and hostapd 2.10 with a TLS session lifetime. Both send
 * NewSessionTicket records in the flight that carries the EAP-TLS commitment message (RFC 9190
 * §2.5) or the first phase-2 request (RFC 9427), so every record of a flight must be read. The
 * truth is the server's: its verdict and the MPPE keys it releases, which must equal our MSK.
 */

const SECRET = 'tls13-flights-secret';
const USER = { identity: 'theo', password: 'theo pa55 wörd' };
const TLS13 = { min: '1.3', max: '1.3' } as const;

interface Endpoint { host: string; port: number; secret: string }

function methodCases(endpoint: () => Endpoint, pki: () => InteropPki, log: () => string, peapEmsk: boolean): void {
  const trust = () => ({ ca: pki().ca, serverName: SERVER_NAME, tls: TLS13 });

  it('EAP-TLS: the commitment byte is found behind the tickets; Access-Accept, MSK = the MPPE keys', async () => {
    for (let run = 0; run < 2; ++run) {
      const result = await authenticateOverRadius(endpoint(), CLIENT_IDENTITY, '', {
        method: 'tls', tls: { ...trust(), ...clientCertificate(pki()) },
      });
      assertTlsKeysFromServer(result, 13, log);
    }
  });

  it('PEAP-MSCHAPv2: Access-Accept, MSK = the MPPE keys', async () => {
    for (let run = 0; run < 2; ++run) {
      const result = await authenticateOverRadius(endpoint(), USER.identity, USER.password, { method: 'peap', tls: trust() });
      assertTlsKeysFromServer(result, 25, log, { checkEmsk: peapEmsk });
    }
  });

  it('TTLS-PAP and TTLS-MSCHAPv2: Access-Accept, MSK = the MPPE keys', async () => {
    for (const phase2 of ['pap', 'mschapv2'] as const) {
      const result = await authenticateOverRadius(endpoint(), USER.identity, USER.password,
        { method: 'ttls', tls: { ...trust(), phase2 } });
      assertTlsKeysFromServer(result, 21, () => `${phase2}\n${log()}`);
    }
  });
}

describe('TLS 1.3 against FreeRADIUS with its TLS session cache on', function () {
  this.timeout(60_000);

  const fixture = interopServer((certificates) => startFreeRadius({
    secret: SECRET, users: [USER], tlsMaxVersion: '1.3', tlsSessionCache: true,
    certificates,
  }));

  methodCases(() => ({ host: fixture.server.host, port: fixture.server.port, secret: SECRET }), () => fixture.pki, () => fixture.server.log(), true);
});

describe('TLS 1.3 against hostapd 2.10 with TLS session resumption on', function () {
  this.timeout(60_000);

  const fixture = interopServer((certificates) => startHostapd({
    secret: SECRET, tlsSessionLifetime: 3600, tlsFlags: '[ENABLE-TLSv1.3]',
    certificates,
    users: hostapdTlsUsers(USER),
  }));

  // hostapd's PEAP sends a Cryptobinding TLV: the MSK comes from the compound key, no EMSK to compare.
  methodCases(() => ({ host: fixture.server.host, port: fixture.server.port, secret: SECRET }), () => fixture.pki, () => fixture.server.log(), false);
});
