/**
 * The EAP-MD5 module driven directly through the method host, by the documented peer and
 * authenticator call sequences; answers checked against node:crypto.
 */
import { strict as assert } from 'assert';
import * as crypto from 'crypto';
import { EapError } from '../lib';
import { loadAuthenticatorMethod } from '../lib/session/authenticator-method';
import { loadPeerMethod } from '../lib/session/peer-method';
import { eapPacket, expectedMd5Response, md5ChallengeRequest, parseMd5Response, randomCredentials } from './helpers';

describe('EAP-MD5 method module through the method host', () => {
  it('peer: GetInfo reports type 4 and the credential fields are username and password', async () => {
    await using method = await loadPeerMethod('md5');
    assert.equal(method.type.type, 4);
    const fields = await method.queryCredentialInputFields();
    assert.deepEqual(fields.map((f) => f.type), [0, 1]);
  });

  it('peer: GetIdentity returns the user name from the user blob', async () => {
    const { identity, password } = randomCredentials();
    await using method = await loadPeerMethod('md5');
    const result = await method.getIdentity({ userData: await method.userBlob(identity, password) });
    assert.equal(result.identity, identity);
    assert.equal(result.invokeUI, false);
  });

  it('peer: answers an MD5-Challenge with MD5(Id || password || challenge) (node:crypto)', async () => {
    const { identity, password } = randomCredentials();
    await using method = await loadPeerMethod('md5');
    await using session = await method.beginSession({ identity, password });
    const challenge = crypto.randomBytes(16);
    const id = crypto.randomInt(256);
    const output = await session.processRequestPacket(md5ChallengeRequest(id, challenge));
    assert.equal(output.action, 'send');
    const response = parseMd5Response(await session.getResponsePacket());
    assert.equal(response.code, 2);
    assert.equal(response.id, id);
    assert.equal(response.type, 4);
    assert.deepEqual(response.value, expectedMd5Response(id, password, challenge));
    const result = await session.getResult('success');
    assert.equal(result.success, true);
  });

  it('peer: the host refuses GetResponsePacket before any request, naming call and state', async () => {
    const { identity, password } = randomCredentials();
    await using method = await loadPeerMethod('md5');
    await using session = await method.beginSession({ identity, password });
    await assert.rejects(session.getResponsePacket(), (error: unknown) => {
      assert.ok(error instanceof EapError);
      assert.equal(error.win32Error, 5023);
      assert.equal(error.call, 'EapPeerGetResponsePacket');
      assert.ok(error.state.length > 0);
      assert.equal(error.origin, 'host');
      return true;
    });
  });

  it('peer: malformed MD5-Challenges are discarded (RFC 3748 §4.1) and a good one is still answered', async () => {
    const { identity, password } = randomCredentials();
    await using method = await loadPeerMethod('md5');
    await using session = await method.beginSession({ identity, password });
    const malformed = [
      Buffer.from([16, 1, 2, 3]),  // Value-Size 16, 3 bytes follow
      Buffer.from([0]),            // Value-Size 0
      Buffer.alloc(0),             // no Value-Size at all
    ];
    for (const typeData of malformed) {
      const output = await session.processRequestPacket(eapPacket(1, 7, 4, typeData));
      assert.equal(output.action, 'discard', `Type-Data ${typeData.toString('hex')}`);
    }
    const challenge = crypto.randomBytes(16);
    const output = await session.processRequestPacket(eapPacket(1, 8, 4, Buffer.concat([Buffer.from([16]), challenge])));
    assert.equal(output.action, 'send');
    const response = await session.getResponsePacket();
    const expected = crypto.createHash('md5').update(Buffer.from([8])).update(password, 'utf8').update(challenge).digest();
    assert.deepEqual(response.subarray(6, 22), expected);
  });

  it('authenticator: challenge, RESPOND with the password, verdict against a node:crypto answer', async () => {
    const { identity, password } = randomCredentials();
    await using method = await loadAuthenticatorMethod('md5');
    for (const [answerPassword, expected] of [[password, true], [password + 'x', false]] as const) {
      await using session = await method.beginSession({ identity });
      const id = crypto.randomInt(256);
      const { packet } = await session.sendPacket(id);
      assert.equal(packet[0], 1);
      assert.equal(packet[1], id);
      assert.equal(packet[4], 4);
      const challenge = packet.subarray(6, 6 + packet[5]);
      assert.equal(challenge.length, 16);
      const value = expectedMd5Response(id, answerPassword, challenge);
      const response = eapPacket(2, id, 4, Buffer.concat([Buffer.from([16]), value, Buffer.from(identity)]));
      assert.equal(await session.receivePacket(response), 'respond');
      const wanted = await session.getAttributes();
      assert.ok(wanted.some((a) => a.type === 8107), 'asks for the clear-text password');
      assert.equal(await session.setAttributes([{ type: 8107, value: Buffer.from(password) }]), 'result');
      assert.equal((await session.getResult()).success, expected);
    }
  });

  it('authenticator: a response with the wrong Identifier is discarded', async () => {
    await using method = await loadAuthenticatorMethod('md5');
    await using session = await method.beginSession({ identity: 'someone' });
    const { packet } = await session.sendPacket(10);
    const response = eapPacket(2, 11, 4, Buffer.concat([Buffer.from([16]), crypto.randomBytes(16)]));
    assert.equal(packet[1], 10);
    assert.equal(await session.receivePacket(response), 'discard');
  });
});
