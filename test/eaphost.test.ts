/**
 * The portable EAPHost through the EapHostPeer* table: Identity, MD5, Nak, retransmission,
 * Success/Failure framing, discards — the authenticator side played by hand, answers checked
 * against node:crypto.
 */
import { strict as assert } from 'assert';
import * as crypto from 'crypto';
import { EapError, EapHostSession, builtinMethods, openEapHost } from '../lib';
import { eapPacket, expectedMd5Response, md5ChallengeRequest, parseMd5Response, randomCredentials } from './helpers';

/** Runs `body` on a portable-host EAP-MD5 session of a random user. */
async function withMd5Session(body: (session: EapHostSession, user: { identity: string; password: string }) => Promise<void>) {
  const user = randomCredentials();
  await using host = await openEapHost({ backend: 'portable' });
  await using session = await host.beginSession({ method: 'md5', ...user });
  await body(session, user);
}

/** Answers an Identity request (Identifier 1) and returns the Identity response. */
async function identityExchange(session: EapHostSession): Promise<Buffer> {
  assert.equal(await session.processReceivedPacket(eapPacket(1, 1, 1)), 'send');
  return session.getSendPacket();
}

describe('portable EAPHost (EapHostPeer*)', () => {
  it('lists the shipped MD5 module among its methods', async () => {
    await using host = await openEapHost({ backend: 'portable' });
    const methods = await host.getMethods();
    assert.ok(methods.some((m) => m.type === 4 && m.authorId === builtinMethods.md5.methodType.authorId));
  });

  it('answers Identity with the identity from the credentials, then MD5 correctly, then accepts Success',
    () => withMd5Session(async (session, { identity, password }) => {
    const identityResponse = await identityExchange(session);
    assert.equal(identityResponse[0], 2);
    assert.equal(identityResponse[1], 1);
    assert.equal(identityResponse[4], 1);
    assert.equal(identityResponse.subarray(5).toString('utf8'), identity);

    const challenge = crypto.randomBytes(16);
    assert.equal(await session.processReceivedPacket(md5ChallengeRequest(2, challenge)), 'send');
    const response = parseMd5Response(await session.getSendPacket());
    assert.equal(response.id, 2);
    assert.deepEqual(response.value, expectedMd5Response(2, password, challenge));

    assert.equal(await session.processReceivedPacket(eapPacket(3, 2)), 'result');
    const result = await session.getResult();
    assert.equal(result.success, true);
  }));

  it('reports failure after EAP-Failure', () => withMd5Session(async (session) => {
    await session.processReceivedPacket(md5ChallengeRequest(5, crypto.randomBytes(16)));
    await session.getSendPacket();
    assert.equal(await session.processReceivedPacket(eapPacket(4, 5)), 'result');
    assert.equal((await session.getResult()).success, false);
  }));

  it('sends a legacy Nak naming MD5 when offered a method it lacks', () => withMd5Session(async (session) => {
    await identityExchange(session);
    assert.equal(await session.processReceivedPacket(eapPacket(1, 2, 26, Buffer.alloc(20))), 'send');
    const nak = await session.getSendPacket();
    assert.equal(nak[0], 2);
    assert.equal(nak[1], 2);
    assert.equal(nak[4], 3);
    assert.ok([...nak.subarray(5)].includes(4));
  }));

  it('resends its last response, unchanged, to a retransmitted request', () => withMd5Session(async (session) => {
    const request = md5ChallengeRequest(9, crypto.randomBytes(16));
    await session.processReceivedPacket(request);
    const first = await session.getSendPacket();
    assert.equal(await session.processReceivedPacket(request), 'send');
    assert.deepEqual(await session.getSendPacket(), first);
  }));

  it('discards Success with the wrong Identifier and packets whose length is wrong',
    () => withMd5Session(async (session) => {
    await session.processReceivedPacket(md5ChallengeRequest(20, crypto.randomBytes(16)));
    await session.getSendPacket();
    assert.equal(await session.processReceivedPacket(eapPacket(3, 21)), 'discard');
    const lying = eapPacket(1, 22, 1);
    lying.writeUInt16BE(200, 2);
    assert.equal(await session.processReceivedPacket(lying), 'discard');
    assert.equal(await session.processReceivedPacket(Buffer.from([1, 2])), 'discard');
  }));

  it('honours the max send packet size', async () => {
    const identity = 'i'.repeat(200);
    await using host = await openEapHost({ backend: 'portable' });
    await using session = await host.beginSession({ method: 'md5', identity, password: 'pw', maxSendPacketSize: 64 });
    await session.processReceivedPacket(md5ChallengeRequest(1, crypto.randomBytes(16)));
    const response = await session.getSendPacket();
    assert.ok(response.length <= 64, `response of ${response.length} bytes exceeds 64`);
  });

  it('refuses a method that is not installed with EAP_E_EAPHOST_METHOD_NOT_INSTALLED', async () => {
    await using host = await openEapHost({ backend: 'portable' });
    await assert.rejects(host.beginSession({ method: { type: 26, vendorId: 0, vendorType: 0, authorId: 311 } }),
    (error: unknown) => error instanceof EapError && (error.win32Error === 0x80420011 || error.reasonCode === 0x80420011));
  });

  it('reports the identity through GetAuthStatus', () => withMd5Session(async (session, { identity }) => {
    await identityExchange(session);
    assert.equal(await session.getAuthIdentity(), identity);
  }));
});
