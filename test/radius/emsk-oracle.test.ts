/**
 * The EMSK and the Session-Id, which RADIUS does not carry, against the keys another
 * implementation derived: hostapd's integrated EAP server run with -d -K, and with ERP on (so that
 * it asks the method for its EMSK), prints the EMSK and the Session-Id of each authentication as
 * hex dumps ("EAP: EMSK - hexdump(len=64): …"); our peer's `result.emsk` and
 * `result.sessionId` must equal them byte for byte, for EAP-TLS, PEAP and EAP-TTLS over TLS 1.2
 * and TLS 1.3. PEAP with hostapd's Cryptobinding TLV derives its MSK from the compound session
 * key, and hostapd's PEAP releases no EMSK: there the check is that neither side has one.
 * (Between our own peer and authenticator the keys only prove that both use the same code.)
 */
import { strict as assert } from 'node:assert';
import { HOSTAPD_VERDICT, startHostapd, HostapdInstance } from '../support/hostapd';
import { CLIENT_IDENTITY, CLIENT_KEY_PASSWORD, InteropPki, SERVER_NAME, makeInteropPki } from '../support/interop-pki';
import { assertTlsKeysFromServer } from '../support/tls-keys';
import { authenticateOverRadius } from './peer';

const SECRET = 'emsk-oracle-secret';
const USER = { identity: 'olga', password: 'olga pa55' };

/** The hex dumps hostapd's EAP state machine printed for `what` ("EAP: EMSK - hexdump(len=64): 40 9f …"). */
function hostapdKeyDumps(log: string, what: 'EMSK' | 'Session-Id'): Buffer[] {
  const dumps: Buffer[] = [];
  const pattern = new RegExp(`^EAP: ${what} - hexdump\\(len=(\\d+)\\):((?: [0-9a-f]{2})*)\\s*$`, 'gm');
  for (const match of log.matchAll(pattern)) {
    const bytes = Buffer.from(match[2].replace(/\s+/g, ''), 'hex');
    assert.equal(bytes.length, Number(match[1]), match[0]);
    dumps.push(bytes);
  }
  return dumps;
}

describe('EMSK and Session-Id against hostapd\'s own derivation (hostapd -d -K)', function () {
  this.timeout(90_000);
  let pki: InteropPki;

  before(async () => {
    pki = await makeInteropPki();
  });
  after(() => {
    pki?.remove();
  });

  for (const version of ['1.2', '1.3'] as const) {
    describe(`TLS ${version}`, () => {
      let server: HostapdInstance;
      const endpoint = () => ({ host: server.host, port: server.port, secret: SECRET });
      const trust = () => ({ ca: pki.ca, serverName: SERVER_NAME, tls: { min: version, max: version } });

      before(async () => {
        server = await startHostapd({
          secret: SECRET, keyDebug: true, tlsFlags: version === '1.3' ? '[ENABLE-TLSv1.3]' : undefined,
          extraConfig: ['eap_server_erp=1', 'erp_domain=interop.invalid'],
          certificates: { ca: pki.files.ca, serverCert: pki.files.serverCert, serverKey: pki.files.serverKey },
          users: [
            { ...USER, methods: ['PEAP', 'TTLS'], phase2: ['MSCHAPV2', 'TTLS-PAP'] },
            { identity: CLIENT_IDENTITY, password: '', methods: ['TLS'] },
          ],
        });
      });
      after(async () => {
        await server?.stop();
      });

      const cases = [
        { name: 'EAP-TLS', type: 13, emsk: true, run: () => authenticateOverRadius(endpoint(), CLIENT_IDENTITY, '', {
          method: 'tls', tls: { ...trust(), cert: pki.clientCert, key: pki.clientKey, keyPassword: CLIENT_KEY_PASSWORD } }) },
        { name: 'PEAP-MSCHAPv2', type: 25, emsk: false, run: () => authenticateOverRadius(endpoint(), USER.identity, USER.password,
          { method: 'peap', tls: trust() }) },
        { name: 'TTLS-PAP', type: 21, emsk: true, run: () => authenticateOverRadius(endpoint(), USER.identity, USER.password,
          { method: 'ttls', tls: { ...trust(), phase2: 'pap' } }) },
      ];
      for (const { name, type, emsk, run } of cases) {
        it(`${name}: result.sessionId is the Session-Id hostapd printed, ${emsk ? 'result.emsk its EMSK' : 'and neither has an EMSK'}`, async () => {
          const from = server.log().length;
          const result = await run();
          assertTlsKeysFromServer(result, type, () => server.log().slice(from), { checkEmsk: false });
          const log = await server.logUntil(from, HOSTAPD_VERDICT);
          // hostapd's own word on the version it negotiated (its TLS layer's debug line).
          assert.deepEqual([...new Set([...log.matchAll(/^SSL: Using TLS version (TLSv1\.\d)$/gm)].map((m) => m[1]))], [`TLSv${version}`]);
          const emsks = hostapdKeyDumps(log, 'EMSK');
          const sessionIds = hostapdKeyDumps(log, 'Session-Id');
          assert.deepEqual([emsks.length, sessionIds.length], [emsk ? 1 : 0, 1],
            `hostapd printed ${emsk ? 'one EMSK and ' : 'no EMSK and '}one Session-Id:\n${log.slice(-6000)}`);
          if (emsk) {
            assert.equal(result.emsk?.length, 64);
            assert.equal(result.emsk!.toString('hex'), emsks[0].toString('hex'), 'EMSK');
          } else {
            assert.equal(result.emsk, undefined);
          }
          assert.equal(result.sessionId?.toString('hex'), sessionIds[0].toString('hex'), 'Session-Id');
          // RFC 5216 §2.3 / RFC 9190 §2.3: the Type, then 64 octets (the randoms, or the Method-Id).
          assert.equal(result.sessionId![0], type);
          assert.equal(result.sessionId!.length, 65);
        });
      }
    });
  }
});
