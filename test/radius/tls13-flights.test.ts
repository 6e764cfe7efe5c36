import { startFreeRadius } from '../support/freeradius';
import { startHostapd } from '../support/hostapd';
import { hostapdTlsUsers, interopServer } from '../support/interop-server';
import { assertAcceptedWithKeys, TlsServerUnderTest, tlsServerUnderTest } from './tls-cases';

/**
 * TLS 1.3 against servers configured as production ones are, with resumption on: FreeRADIUS 3.2
 * with its TLS session cache enabled and hostapd 2.10 with a TLS session lifetime. Both send
 * NewSessionTicket records in the flight that carries the EAP-TLS commitment message (RFC 9190
 * §2.5) or the first phase-2 request (RFC 9427), so every record of a flight must be read. The
 * truth is the server's: its verdict and the MPPE keys it releases, which must equal our MSK, and
 * its EAP-Key-Name, which must equal our Session-Id.
 */

const SECRET = 'tls13-flights-secret';
const USER = { identity: 'theo', password: 'theo pa55 wörd' };
const TLS13 = { min: '1.3', max: '1.3' } as const;

function methodCases(server: TlsServerUnderTest, peapEmsk: boolean): void {
  it('EAP-TLS: the commitment byte is found behind the tickets; Access-Accept, MSK = the MPPE keys, Session-Id theirs', async () => {
    for (let run = 0; run < 2; ++run) await assertAcceptedWithKeys(server, 'tls', {}, { keyName: true });
  });

  it('PEAP-MSCHAPv2: Access-Accept, MSK = the MPPE keys', async () => {
    for (let run = 0; run < 2; ++run) await assertAcceptedWithKeys(server, 'peap', {}, { checkEmsk: peapEmsk, keyName: true });
  });

  it('TTLS-PAP and TTLS-MSCHAPv2: Access-Accept, MSK = the MPPE keys', async () => {
    for (const phase2 of ['pap', 'mschapv2'] as const) await assertAcceptedWithKeys(server, 'ttls', { phase2 }, { keyName: true });
  });
}

describe('TLS 1.3 against FreeRADIUS with its TLS session cache on', function () {
  this.timeout(60_000);

  const fixture = interopServer((certificates) => startFreeRadius({
    secret: SECRET, users: [USER], tlsMaxVersion: '1.3', tlsSessionCache: true,
    certificates,
  }));

  methodCases(tlsServerUnderTest(fixture, SECRET, USER, TLS13), true);
});

describe('TLS 1.3 against hostapd 2.10 with TLS session resumption on', function () {
  this.timeout(60_000);

  const fixture = interopServer((certificates) => startHostapd({
    secret: SECRET, tlsSessionLifetime: 3600, tlsFlags: '[ENABLE-TLSv1.3]',
    certificates,
    users: hostapdTlsUsers(USER),
  }));

  // hostapd's PEAP sends a Cryptobinding TLV: the MSK comes from the compound key, no EMSK to compare.
  methodCases(tlsServerUnderTest(fixture, SECRET, USER, TLS13), false);
});
