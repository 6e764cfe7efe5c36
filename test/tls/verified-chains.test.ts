/**
 * A certificate chain a configuration's CAs accepted once is not verified again while nothing
 * the verdict depends on changed (native/methods/tls/gnutls/tls_verified_chains.h). These tests keep
 * one peer and one authenticator module open, so every conversation after the first meets the
 * chains the first one accepted, and check that what differs is still refused, with the reason
 * a first verification gives: another server name under the same CAs, another certificate of
 * the same CA that has expired, a client certificate of a CA the authenticator does not trust.
 */
import { strict as assert } from 'assert';
import { EapError } from '../../lib';
import { loadAuthenticatorMethod } from '../../lib/session/authenticator-method';
import { loadPeerMethod } from '../../lib/session/peer-method';
import { connectionData, converse, inProcessTlsMethods } from '../support/tls-fixtures';
import type { Conversation } from '../support/tls-fixtures';

describe('certificate chains accepted before are still checked against what changed', function () {
  this.timeout(60000);
  const inProcess = inProcessTlsMethods();
  const { serverData, peerTunnel } = inProcess;

  const runWith = async (method: 'peap' | 'tls', peerData: Buffer, authData: Buffer): Promise<Conversation> => {
    await using peerMethod = await loadPeerMethod(method);
    await using authMethod = await loadAuthenticatorMethod(method);
    const conversation = async (): Promise<Conversation> => {
      await using peer = await peerMethod.beginSession({ connectionData: peerData, maxSendPacketSize: 1400,
        ...(method === 'tls' ? {} : { identity: 'alice', password: 'secret' }) });
      await using auth = await authMethod.beginSession({ identity: 'anonymous', connectionData: authData,
        maxSendPacketSize: 1400 });
      return await converse(peer, auth, 'secret');
    };
    return await conversation();
  };

  // The module stays loaded for the whole describe (one more reference), so the chains the
  // first conversation verified are still known to the ones after it.
  let keep: { close(): Promise<void> }[] = [];
  before(async () => { keep = [await loadPeerMethod('peap'), await loadAuthenticatorMethod('peap')]; });
  after(async () => { for (const method of keep) await method.close(); });

  // The peer refuses a server certificate by failing the conversation with a typed error.
  const refusal = async (peerData: Buffer, authData: Buffer): Promise<EapError> => {
    try {
      await runWith('peap', peerData, authData);
    } catch (e) {
      assert.ok(e instanceof EapError, String(e));
      return e;
    }
    assert.fail('the peer accepted the certificate');
  };

  it('a server chain accepted under its own name is refused under a name it does not carry, then accepted again', async () => {
    for (let i = 0; i < 2; i++) {
      const accepted = await runWith('peap', peerTunnel(), serverData());
      assert.equal(accepted.peer.success, true, accepted.peer.error?.message);
    }
    const refused = await refusal(peerTunnel({ serverNames: ['nps.example.test'] }), serverData());
    assert.equal(refused.reasonCode >>> 0, 0x80420201);
    assert.match(refused.rootCause, /name mismatch: expected nps\.example\.test, certificate has DNS:radius\.example\.test/);
    const again = await runWith('peap', peerTunnel(), serverData());
    assert.equal(again.peer.success, true, again.peer.error?.message);
  });

  it('after a server chain of a CA was accepted, an expired certificate of the same CA is refused as expired', async () => {
    const accepted = await runWith('peap', peerTunnel(), serverData());
    assert.equal(accepted.peer.success, true, accepted.peer.error?.message);
    const refused = await refusal(peerTunnel(),
      serverData({ certificate: inProcess.pki.expiredCert, privateKey: inProcess.pki.expiredKey }));
    assert.equal(refused.reasonCode >>> 0, 0x80420202);
    assert.match(refused.rootCause, /expired on 2020-02-01/);
  });

  it('an EAP-TLS authenticator that accepted a client chain refuses one from a CA it does not trust', async () => {
    const peerData = connectionData({ ca: inProcess.pki.caPem, certificate: inProcess.pki.clientCert,
      privateKey: inProcess.pki.clientKey });
    for (let i = 0; i < 2; i++) {
      const accepted = await runWith('tls', peerData, serverData());
      assert.equal(accepted.authenticator.success, true, accepted.peer.error?.message);
    }
    // The same client chain, now checked by a configuration trusting another CA only: the
    // authenticator refuses it and tells the peer in an alert.
    await assert.rejects(runWith('tls', peerData, serverData({ ca: inProcess.pki.otherCaPem })),
      /the other side sent the alert "Certificate is required"/);
  });
});
