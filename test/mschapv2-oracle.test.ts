/**
 * The test suite's own MS-CHAPv2 (test/support/mschapv2-oracle.ts) reproduces RFC 2759 §9.2
 * and RFC 3079 §3.5.3: only then may other tests use it as independent truth.
 */
import { strict as assert } from 'assert';
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

  it('master key and 128-bit start key (RFC 3079 §3.5.3); the MSK is the peer send key then its receive key', () => {
    const master = masterKey(v.passwordHashHash, v.ntResponse);
    assert.deepEqual(master, v.masterKey);
    const keys = peerStartKeys(master);
    assert.deepEqual(keys.recv, v.serverSendStartKey128);
    assert.notDeepEqual(keys.send, keys.recv);
    assert.deepEqual(eapMsChapV2Msk(v.passwordHashHash, v.ntResponse), Buffer.concat([keys.send, keys.recv]));
  });
});
