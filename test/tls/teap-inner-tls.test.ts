import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { loadPeerMethod } from '../../lib';
import { assertSameKeysOnBothSides, connectionData, inProcessTlsMethods } from '../support/tls-fixtures';

/**
 * TEAP carrying EAP-TLS (RFC 9930; Windows' machine authentication), our peer against our
 * authenticator: both method modules, each with a TLS engine inside the tunnel's, and each side's
 * own keys. hostapd and eapol_test judge the same conversations in test/radius/teap-inner-tls.
 */
const EAP_TYPE_TLS = 13;
const SERVER_NAME = 'radius.example.test';

/** A client certificate and key from the PKI's second CA, which the authenticator does not trust. */
function untrustedClient(dir: string): { certificate: string; privateKey: string } {
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
  };
  run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'stranger.key', '-out', 'stranger.csr',
    '-subj', '/CN=stranger@example.test']);
  run(['x509', '-req', '-in', 'stranger.csr', '-CA', 'other.pem', '-CAkey', 'other.key', '-CAcreateserial', '-out', 'stranger.pem',
    '-days', '2', '-extfile', 'client.ext']);
  return { certificate: fs.readFileSync(path.join(dir, 'stranger.pem'), 'utf8'), privateKey: fs.readFileSync(path.join(dir, 'stranger.key'), 'utf8') };
}

describe('TEAP with inner EAP-TLS, in process', function () {
  const tls = inProcessTlsMethods();
  const serverData = () => tls.serverData({ innerMethod: EAP_TYPE_TLS });
  const peerData = (extra: Parameters<typeof tls.peerTunnel>[0] = {}) => tls.peerTunnel({
    innerMethod: EAP_TYPE_TLS, certificate: tls.pki.clientCert, privateKey: tls.pki.clientKey, ...extra,
  });

  for (const version of ['1.2', '1.3'] as const) {
    it(`TLS ${version} tunnel and inner handshake: both sides succeed with the same MSK and EMSK`, async () => {
      const result = await tls.run('teap', peerData({ tlsMax: version }), tls.serverData({ innerMethod: EAP_TYPE_TLS, tlsMax: version }),
        { identity: 'alice@example.test', password: '', storedPassword: undefined });
      assertSameKeysOnBothSides(result);
      // The inner EAP-TLS ran: its Start is the first EAP-Payload the server sends after the inner Identity.
      assert.ok(result.roundTrips >= 6, `a tunnel plus an inner handshake takes more than ${result.roundTrips} round trips`);
    });
  }

  it('a client certificate from a CA the authenticator does not trust: both sides fail, no keys', async () => {
    const stranger = untrustedClient(tls.pki.dir);
    const result = await tls.run('teap', peerData(stranger), serverData(),
      { identity: 'stranger@example.test', password: '', storedPassword: undefined });
    assert.equal(result.authenticator.success, false);
    assert.equal(result.peer.success, false);
    assert.equal(result.peer.attributes.length, 0, 'no keys for the peer');
    assert.equal(result.authenticator.attributes.filter((a) => a.type === 26).length, 0, 'no MPPE keys released');
  });

  it('PEAP and EAP-TTLS refuse inner EAP-TLS, which TEAP alone carries', async () => {
    for (const method of ['peap', 'ttls'] as const) {
      await using module = await loadPeerMethod(method);
      const data = connectionData({ ca: tls.pki.caPem, serverNames: [SERVER_NAME], innerMethod: EAP_TYPE_TLS, phase2: method === 'ttls' ? 5 : undefined,
        certificate: tls.pki.clientCert, privateKey: tls.pki.clientKey });
      await assert.rejects(async () => {
        await using session = await module.beginSession({ connectionData: data, identity: 'alice', password: 'secret', maxSendPacketSize: 1400 });
        await session.processRequestPacket(Buffer.from([1, 1, 0, 6, method === 'peap' ? 25 : 21, 0x20]));
      }, /carries|inner EAP type 13/);
    }
  });
});
