/**
 * EAP-TLS, PEAP and EAP-TTLS, peer against authenticator in-process through the public method
 * API, over TLS 1.2 and 1.3, with certificates made per run by the openssl command. Both sides
 * must derive the same 64-byte MSK and EMSK; certificate failures are typed and explained.
 */
import { strict as assert } from 'assert';
import { EapError } from '../../lib';
import { loadPeerMethod } from '../../lib/session/peer-method';
import { assertSameKeysOnBothSides, connectionData, inProcessTlsMethods, keysOf } from '../support/tls-fixtures';

describe('TLS-based methods, peer against authenticator in-process', function () {
  this.timeout(30000);
  const inProcess = inProcessTlsMethods();
  const { serverData, peerTunnel, run } = inProcess;

  for (const version of ['1.2', '1.3'] as const) {
    it(`EAP-TLS over TLS ${version}: both sides derive the same MSK and EMSK`, async () => {
      const result = await run('tls',
        connectionData({ ca: inProcess.pki.caPem, serverNames: ['radius.example.test'], certificate: inProcess.pki.clientCert,
          privateKey: inProcess.pki.clientKey, tlsMin: version, tlsMax: version }),
        serverData({ tlsMin: version, tlsMax: version }));
      const peerKeys = assertSameKeysOnBothSides(result);
      assert.notDeepEqual(peerKeys.msk, peerKeys.emsk);
    });
  }

  it('EAP-TLS fragments at a small packet size and reassembles on both sides', async () => {
    const result = await run('tls',
      connectionData({ ca: inProcess.pki.caPem, certificate: inProcess.pki.clientCert, privateKey: inProcess.pki.clientKey }),
      serverData(), { maxSendPacketSize: 200 });
    assert.equal(result.peer.success, true);
    assert.ok(result.packets.every((p) => p.length <= 200), 'every packet fits the maximum size');
    assert.ok(result.packets.some((p) => p[4] === 13 && (p[5] & 0x40) !== 0), 'some packet is a fragment (M flag)');
    assert.deepEqual(keysOf(result.peer.attributes).msk, keysOf(result.authenticator.attributes).msk);
  });

  it('EAP-TLS authenticator refuses a client certificate from another CA, saying so in a TLS alert', async () => {
    // The server's CertificateRequest names its CAs, so the peer has no certificate to send:
    // the authenticator's alert says one is required.
    await assert.rejects(run('tls',
      connectionData({ ca: inProcess.pki.caPem, certificate: inProcess.pki.clientCert, privateKey: inProcess.pki.clientKey }),
      serverData({ ca: inProcess.pki.otherCaPem })), /the other side sent the alert "Certificate is required"/);
  });

  for (const version of ['1.2', '1.3'] as const) {
    for (const [inner, name] of [[26, 'EAP-MSCHAPv2'], [6, 'EAP-GTC'], [4, 'EAP-MD5']] as const) {
      it(`PEAP with inner ${name} over TLS ${version}: success with the same 64-byte MSK on both sides`, async () => {
        const result = await run('peap', peerTunnel({ tlsMax: version, innerMethod: inner }),
          serverData({ tlsMax: version, innerMethod: inner }));
        assertSameKeysOnBothSides(result, { emsk: false });
      });
    }
    for (const [phase2, name] of [[1, 'PAP'], [4, 'MS-CHAPv2']] as const) {
      it(`EAP-TTLS ${name} over TLS ${version}: success with the same MSK and EMSK on both sides`, async () => {
        const result = await run('ttls', peerTunnel({ tlsMax: version, phase2 }), serverData({ tlsMax: version }));
        assertSameKeysOnBothSides(result);
      });
      it(`EAP-TTLS ${name} over TLS ${version} with a wrong password fails on both sides`, async () => {
        const result = await run('ttls', peerTunnel({ tlsMax: version, phase2 }), serverData({ tlsMax: version }),
          { password: 'wrong' });
        assert.equal(result.authenticator.success, false);
        assert.equal(result.peer.success, false);
      });
    }
  }

  it('PEAP-MSCHAPv2 with a wrong password fails with the typed E=691 error', async () => {
    const result = await run('peap', peerTunnel(), serverData(), { password: 'wrong' });
    assert.equal(result.authenticator.success, false);
    assert.equal(result.peer.success, false);
    assert.equal(result.peer.error?.win32Error, 691);
  });

  it('PEAP with the cryptobinding required on both sides binds the keys (MSK from the compound key)', async () => {
    const result = await run('peap', peerTunnel({ requireCryptoBinding: true }), serverData({ requireCryptoBinding: true }));
    assert.equal(result.peer.success, true, result.peer.error?.message);
    const peerKeys = keysOf(result.peer.attributes);
    assert.deepEqual(peerKeys.msk, keysOf(result.authenticator.attributes).msk);
    assert.equal(peerKeys.emsk, undefined, 'MS-PEAP defines no EMSK once bound');
  });

  it('a PEAP peer that requires the cryptobinding refuses a server that sends none', async () => {
    const result = await run('peap', peerTunnel({ requireCryptoBinding: true }), serverData());
    assert.equal(result.peer.success, false);
    assert.equal(result.authenticator.success, false);
  });

  it('a peer without a CA and without insecure refuses to begin', async () => {
    await using peerMethod = await loadPeerMethod('peap');
    await assert.rejects(peerMethod.beginSession({ connectionData: connectionData({}), identity: 'a', password: 'b' }),
      (e: unknown) => e instanceof EapError && /no trusted CA configured/.test(e.message));
  });

  const certificateFailure = async (peerData: Buffer, authData: Buffer) => {
    try {
      await run('peap', peerData, authData);
    } catch (e) {
      return e as EapError;
    }
    assert.fail('the peer accepted the certificate');
  };

  it('an unknown CA fails with EAP_E_SERVER_ROOT_CERT_NOT_FOUND and says so', async () => {
    const error = await certificateFailure(connectionData({ ca: inProcess.pki.otherCaPem }), serverData());
    assert.ok(error instanceof EapError);
    assert.equal(error.reasonCode >>> 0, 0x80420400);
    assert.match(error.rootCause, /unknown CA/);
  });

  it('a server name mismatch fails with EAP_E_SERVER_CERT_INVALID naming both names', async () => {
    const error = await certificateFailure(connectionData({ ca: inProcess.pki.caPem, serverNames: ['nps.example.test'] }), serverData());
    assert.equal(error.reasonCode >>> 0, 0x80420201);
    assert.match(error.rootCause, /name mismatch: expected nps\.example\.test, certificate has DNS:radius\.example\.test/);
  });

  it('an expired server certificate fails with EAP_E_SERVER_CERT_EXPIRED and its date', async () => {
    const error = await certificateFailure(connectionData({ ca: inProcess.pki.caPem }),
      serverData({ certificate: inProcess.pki.expiredCert, privateKey: inProcess.pki.expiredKey }));
    assert.equal(error.reasonCode >>> 0, 0x80420202);
    assert.match(error.rootCause, /expired on 2020-02-01/);
  });

  // The facts attribute is private (vendor 32473): a host that did not ask, as EAPHost under NPS
  // does not, could copy it into an Access-Accept, so a method adds it only when asked.
  it('an authenticator reports what its conversation established only when its configuration asks', async () => {
    // Full handshakes only: a session an earlier test left would resume, and a resumed PEAP runs
    // fast reconnect, no inner method.
    const fresh = (extra: Parameters<typeof peerTunnel>[0] = {}) => peerTunnel({ ...extra, sessionLifetime: 0 });
    for (const [version, wire] of [['1.2', 0x0303], ['1.3', 0x0304]] as const) {
      const asked = await run('peap', fresh({ tlsMin: version, tlsMax: version, innerMethod: 26 }),
        serverData({ tlsMin: version, tlsMax: version, innerMethod: 26, privateAttributes: true }));
      assertSameKeysOnBothSides(asked, { emsk: false });
      assert.deepEqual(asked.authenticator.established, { tlsVersion: wire, resumed: false, innerKind: 1, innerCode: 26 });
      const ttls = await run('ttls', fresh({ tlsMin: version, tlsMax: version, phase2: 1 }),
        serverData({ tlsMin: version, tlsMax: version, privateAttributes: true }));
      assertSameKeysOnBothSides(ttls);
      assert.deepEqual(ttls.authenticator.established, { tlsVersion: wire, resumed: false, innerKind: 2, innerCode: 1 });
      const failed = await run('peap', fresh({ tlsMin: version, tlsMax: version }),
        serverData({ tlsMin: version, tlsMax: version, privateAttributes: true }), { password: 'wrong' });
      assert.equal(failed.authenticator.success, false);
      assert.deepEqual(failed.authenticator.established, { tlsVersion: wire, resumed: false, innerKind: 1, innerCode: 26 });
    }
    const unasked = await run('peap', fresh(), serverData());
    assertSameKeysOnBothSides(unasked, { emsk: false });
    assert.equal(unasked.authenticator.established, undefined);
    const unaskedFailure = await run('peap', fresh(), serverData(), { password: 'wrong' });
    assert.equal(unaskedFailure.authenticator.success, false);
    assert.equal(unaskedFailure.authenticator.established, undefined);
    // Whatever the host does with it, no private attribute of ours is in what it was given.
    for (const result of [unasked, unaskedFailure]) {
      assert.ok(!result.authenticator.attributes.some((a) => a.type === 26 && a.value.length >= 4 && a.value.readUInt32BE(0) === 32473),
        'no vendor-32473 attribute in the result');
    }
  });

  it('malformed connection data is a typed error, not a crash', async () => {
    await using peerMethod = await loadPeerMethod('tls');
    for (const bad of [Buffer.from('eCFG'), Buffer.from('xCFG\x01'), Buffer.from('eCFG\x01\x63\x00\x00\x00\x00'),
      Buffer.from('eCFG\x01\x01\xff\xff\xff\xff')]) {
      await assert.rejects(peerMethod.beginSession({ connectionData: bad }),
        (e: unknown) => e instanceof EapError && /connection data/.test(e.message));
    }
  });
});
