/**
 * The test suite's own MS-CHAPv2 (test/support/mschapv2-oracle.ts) reproduces RFC 2759 §9.2
 * and RFC 3079 §3.5.3: only then may other tests use it as independent truth.
 */
import { strict as assert } from 'assert';
import { createHash } from 'node:crypto';
import {
  RFC2759, authenticatorResponse, challengeHash, eapMsChapV2Msk, masterKey, ntResponse, peerStartKeys,
} from './support/mschapv2-oracle';

describe('MS-CHAPv2 oracle (node:crypto) against the RFC examples', () => {
  const v = RFC2759;

  it('ChallengeHash and NT-Response (RFC 2759 §9.2)', () => {
    assert.deepEqual(challengeHash(v.peerChallenge, v.authenticatorChallenge, v.userName), v.challenge);
    assert.deepEqual(ntResponse(v.authenticatorChallenge, v.peerChallenge, v.userName, v.passwordHash), v.ntResponse);
  });

  it('AuthenticatorResponse (RFC 2759 §9.2)', () => {
    assert.equal(authenticatorResponse(v.passwordHashHash, v.ntResponse, v.peerChallenge, v.authenticatorChallenge,
      v.userName), v.authenticatorResponse);
  });

  it('master key and 128-bit start key (RFC 3079 §3.5.3); the MSK ends with the RFC\'s SendStartKey128', () => {
    const master = masterKey(v.passwordHashHash, v.ntResponse);
    assert.deepEqual(master, v.masterKey);
    const keys = peerStartKeys(master);
    assert.deepEqual(keys.recv, v.serverSendStartKey128);
    const msk = eapMsChapV2Msk(v.passwordHashHash, v.ntResponse);
    assert.equal(msk.length, 32);
    // RFC 3079 §3.5.3's SendStartKey128 (GetAsymmetricStartKey with IsSend and IsServer: the
    // server's send key) is the peer's receive key: MS-MPPE-Send-Key, the MSK's second half.
    assert.deepEqual(msk.subarray(16, 32), v.serverSendStartKey128);
    // The RFC prints no vector for the other direction; its first half is §3.4's formula with
    // Magic3 (IsSend false, IsServer true: the server's receive key, the peer's send key),
    // written out here from the RFC's text rather than through the oracle's helper.
    const magic3 = Buffer.from('On the client side, this is the send key; on the server side, it is the receive key.');
    const serverReceiveKey = createHash('sha1').update(v.masterKey).update(Buffer.alloc(40, 0))
      .update(magic3).update(Buffer.alloc(40, 0xf2)).digest().subarray(0, 16);
    assert.equal(magic3.length, 84);
    assert.deepEqual(msk.subarray(0, 16), serverReceiveKey);
    assert.notDeepEqual(msk.subarray(0, 16), msk.subarray(16, 32));
  });
});
