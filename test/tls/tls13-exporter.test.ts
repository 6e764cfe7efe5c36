/**
 * RFC 9190 (EAP-TLS) and RFC 9427 (EAP-TTLS) keys on TLS 1.3, checked against OpenSSL's exporter:
 * node:tls holds the other end of the very TLS session our method runs (test/support/node-tls-eap.ts),
 * and its exportKeyingMaterial gives Key_Material (128 octets: MSK ‖ EMSK) and Method-Id (the
 * Session-Id after the Type) from the same secrets, by code that is not ours. Neither RFC gives test
 * vectors, so this, and the peers' own key dumps in test/radius/, are the truth. The ending of the
 * handshake too: RFC 9190 §2.5's commitment message, the close_notify of earlier drafts, nothing.
 */
import { strict as assert } from 'node:assert';
import type * as tls from 'node:tls';
import { loadAuthenticatorMethod } from '../../lib/session/authenticator-method';
import { loadPeerMethod } from '../../lib/session/peer-method';
import { NodeTlsWire, nodePeerAgainstAuthenticator, nodeServerAgainstPeer, Rfc9190Keys, ServerEnding } from '../support/node-tls-eap';
import { connectionData, inProcessTlsMethods, keysOf } from '../support/tls-fixtures';

const SERVER_NAME = 'radius.example.test';
const TLS13 = { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' } as const;

/** The exporter with no context at all (TLS 1.2's RFC 5216 PRF), which node's types do not spell. */
const exportKeyingMaterial = (socket: tls.TLSSocket, length: number, label: string, context?: Buffer): Buffer =>
  (socket.exportKeyingMaterial as (length: number, label: string, context?: Buffer) => Buffer).call(socket, length, label, context);

/** Our result's MSK, EMSK (MPPE keys, eatEMSK) and Session-Id (eatSessionId) against OpenSSL's. */
function assertKeysAreOpenSsls(attributes: { type: number; value: Buffer }[], openssl: Rfc9190Keys): void {
  const ours = keysOf(attributes);
  assert.equal(ours.msk.toString('hex'), openssl.msk.toString('hex'), 'MSK = Key_Material[0..63]');
  assert.equal(ours.emsk?.toString('hex'), openssl.emsk.toString('hex'), 'EMSK = Key_Material[64..127]');
  const sessionId = attributes.find((a) => a.type === 9004)?.value;
  assert.equal(sessionId?.toString('hex'), openssl.sessionId.toString('hex'), 'Session-Id = Type ‖ Method-Id');
  assert.notEqual(ours.msk.toString('hex'), openssl.only64.toString('hex'), 'the MSK is cut from 128 octets, not exported as 64');
}

describe('TLS 1.3 keys against OpenSSL\'s exporter (node:tls at the other end of the session)', function () {
  this.timeout(30_000);
  const inProcess = inProcessTlsMethods();
  const serverContext = (): tls.SecureContextOptions =>
    ({ cert: inProcess.pki.serverCert, key: inProcess.pki.serverKey, ca: inProcess.pki.caPem, ...TLS13 });
  const clientConnect = (extra: tls.ConnectionOptions = {}): tls.ConnectionOptions =>
    ({ ca: inProcess.pki.caPem, servername: SERVER_NAME, ...TLS13, ...extra });

  it('node:tls alone: on TLS 1.3, 128 octets cut at 64 differ from an export of 64; on TLS 1.2 they are its prefix', async () => {
    for (const [version, label, context] of [['TLSv1.3', 'EXPORTER_EAP_TLS_Key_Material', Buffer.from([13])],
      ['TLSv1.2', 'client EAP encryption', undefined]] as const) {
      const versions = { minVersion: version, maxVersion: version };
      const server = new NodeTlsWire({ server: true, context: { ...serverContext(), ...versions }, requestCert: false });
      const client = new NodeTlsWire({ server: false, connect: clientConnect(versions) });
      try {
        await client.settle();
        for (let flight = 0; flight < 6 && !(server.secure && client.secure); ++flight) {
          await server.receive(client.take());
          await client.receive(server.take());
        }
        assert.equal(client.socket.getProtocol(), version);
        const full = exportKeyingMaterial(client.socket, 128, label, context);
        assert.deepEqual(exportKeyingMaterial(server.socket, 128, label, context), full, 'both ends export the same');
        const only64 = exportKeyingMaterial(client.socket, 64, label, context);
        assert.equal(full.subarray(0, 64).equals(only64), version === 'TLSv1.2', version);
      } finally {
        server.destroy();
        client.destroy();
      }
    }
  });

  const peerData = () => connectionData({ ca: inProcess.pki.caPem, serverNames: [SERVER_NAME], certificate: inProcess.pki.clientCert,
    privateKey: inProcess.pki.clientKey, tlsMin: '1.3', tlsMax: '1.3' });

  async function ourPeerAgainstOpenSsl(ending: ServerEnding) {
    await using method = await loadPeerMethod('tls');
    await using peer = await method.beginSession({ connectionData: peerData(), maxSendPacketSize: 1400 });
    return await nodeServerAgainstPeer(peer, serverContext(), ending);
  }

  for (const ending of ['commitment', 'close_notify'] as const) {
    it(`our EAP-TLS peer, OpenSSL's server ending with ${ending === 'commitment' ? 'the commitment message' : 'close_notify'}: ` +
      'success, MSK, EMSK and Session-Id = its exporter\'s', async () => {
      const { result, keys } = await ourPeerAgainstOpenSsl(ending);
      assert.equal(result.success, true, result.error?.message);
      assertKeysAreOpenSsls(result.attributes, keys);
    });
  }

  it('our EAP-TLS peer refuses an EAP-Success after the handshake with neither ending: the server never committed', async () => {
    const { result } = await ourPeerAgainstOpenSsl('nothing');
    assert.equal(result.success, false);
    assert.match(result.error?.message ?? '', /EAP-Success before the TLS handshake was complete/);
    assert.ok(!result.attributes.some((a) => a.type === 9003), 'no EMSK');
  });

  async function openSslPeerAgainstOurs(method: 'tls' | 'ttls', authenticatorData: Buffer, type: number,
    connect: tls.ConnectionOptions, tunnel?: (socket: tls.TLSSocket) => void) {
    await using module = await loadAuthenticatorMethod(method);
    await using authenticator = await module.beginSession({ identity: 'anonymous', connectionData: authenticatorData, maxSendPacketSize: 1400 });
    return await nodePeerAgainstAuthenticator(authenticator, type, clientConnect(connect), { password: 'secret', tunnel });
  }

  it('our EAP-TLS authenticator, OpenSSL\'s client: the one application octet it reads is the commitment 0x00; keys = its exporter\'s', async () => {
    const { result, keys, plain } = await openSslPeerAgainstOurs('tls', inProcess.serverData({ tlsMin: '1.3' }), 13,
      { cert: inProcess.pki.clientCert, key: inProcess.pki.clientKey });
    assert.equal(result.success, true);
    assert.deepEqual(plain, [Buffer.from([0])]);
    assertKeysAreOpenSsls(result.attributes, keys);
  });

  it('our EAP-TTLS authenticator (PAP), OpenSSL\'s client: no commitment message (RFC 9427), keys = its exporter\'s with Type 21', async () => {
    const avp = (code: number, value: Buffer) => {
      const header = Buffer.alloc(8);
      header.writeUInt32BE(code);
      header.writeUInt32BE(0x40000000 | (8 + value.length), 4);  // the M flag, then the length
      return Buffer.concat([header, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
    };
    // RFC 5281 §11.2.5: User-Password padded with zeros to a multiple of 16 octets.
    const password = Buffer.concat([Buffer.from('secret'), Buffer.alloc(10)]);
    const { result, keys, plain } = await openSslPeerAgainstOurs('ttls', inProcess.serverData({ tlsMin: '1.3', phase2: 1 }), 21, {},
      (socket) => socket.write(Buffer.concat([avp(1, Buffer.from('alice')), avp(2, password)])));
    assert.equal(result.success, true);
    assert.deepEqual(plain, [], 'the server wrote nothing into the tunnel');
    assertKeysAreOpenSsls(result.attributes, keys);
  });
});
