import { strict as assert } from 'node:assert';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import {
  decodeRadiusPacket, decryptMppeKey, eapMessageAttributes, encryptMppeKeyAttribute, parseClearMppeKey,
  reassembleEapMessage, RadiusMalformedError, signAccessRequest, signResponse, verifyAccessRequest, verifyResponse,
} from '../../lib/radius';
import { IdentifierPool } from '../../lib/radius/identifier-pool';

/**
 * Expected values are computed here straight from the RFC formulas with node:crypto, never by
 * replaying the codec's own output.
 */
const secret = Buffer.from('codec-test-secret');

function eapResponseIdentity(identity: string): Buffer {
  const name = Buffer.from(identity);
  const packet = Buffer.concat([Buffer.from([2, 9, 0, 0, 1]), name]);
  packet.writeUInt16BE(packet.length, 2);
  return packet;
}

describe('RADIUS codec', () => {
  it('places Message-Authenticator first and computes it as RFC 3579 §3.2 HMAC-MD5 over the zeroed packet', () => {
    const eap = eapResponseIdentity('alice');
    const { datagram, requestAuthenticator } = signAccessRequest(42, [
      { type: 1, value: Buffer.from('alice') }, ...eapMessageAttributes(eap)], secret);
    assert.equal(datagram[0], 1);
    assert.equal(datagram[1], 42);
    assert.equal(datagram.readUInt16BE(2), datagram.length);
    assert.deepEqual(datagram.subarray(4, 20), requestAuthenticator);
    assert.equal(datagram[20], 80, 'Message-Authenticator is the first attribute');
    assert.equal(datagram[21], 18);
    const zeroed = Buffer.from(datagram);
    zeroed.fill(0, 22, 38);
    assert.deepEqual(datagram.subarray(22, 38), createHmac('md5', secret).update(zeroed).digest());
    assert.ok(verifyAccessRequest(decodeRadiusPacket(datagram), secret));
    assert.ok(!verifyAccessRequest(decodeRadiusPacket(datagram), Buffer.from('another secret')));
  });

  it('signs replies with the Response Authenticator of RFC 2865 §3 and verifies them in both directions', () => {
    const requestAuthenticator = randomBytes(16);
    const reply = signResponse(11, 7, [...eapMessageAttributes(Buffer.from([1, 3, 0, 6, 4, 0])),
      { type: 24, value: Buffer.from('state') }], requestAuthenticator, secret);
    const withRequestAuth = Buffer.from(reply);
    requestAuthenticator.copy(withRequestAuth, 4);
    const expected = createHash('md5').update(withRequestAuth).update(secret).digest();
    assert.deepEqual(reply.subarray(4, 20), expected);
    // The Message-Authenticator of a reply is computed with the Request Authenticator in the header.
    withRequestAuth.fill(0, 22, 38);
    assert.deepEqual(reply.subarray(22, 38), createHmac('md5', secret).update(withRequestAuth).digest());
    const decoded = decodeRadiusPacket(reply);
    assert.ok(verifyResponse(decoded, requestAuthenticator, secret));
    assert.ok(!verifyResponse(decoded, randomBytes(16), secret), 'another request');
    assert.ok(!verifyResponse(decoded, requestAuthenticator, Buffer.from('wrong')), 'another secret');
    const tampered = Buffer.from(reply);
    tampered[tampered.length - 1] ^= 1;
    assert.ok(!verifyResponse(decodeRadiusPacket(tampered), requestAuthenticator, secret));
  });

  it('splits an EAP packet into 253-byte EAP-Message attributes and reassembles it (RFC 3579 §3.1)', () => {
    const eap = eapResponseIdentity('x'.repeat(600));
    const attributes = eapMessageAttributes(eap);
    assert.deepEqual(attributes.map((a) => a.value.length), [253, 253, 99]);
    const { datagram } = signAccessRequest(1, attributes, secret);
    const decoded = decodeRadiusPacket(datagram);
    assert.deepEqual(reassembleEapMessage(decoded), eap);
    assert.ok(verifyAccessRequest(decoded, secret));
  });

  it('rejects an EAP-Message whose EAP Length disagrees with the attributes', () => {
    const eap = eapResponseIdentity('bob');
    eap.writeUInt16BE(eap.length + 1, 2);
    const decoded = decodeRadiusPacket(signAccessRequest(1, eapMessageAttributes(eap), secret).datagram);
    assert.throws(() => reassembleEapMessage(decoded), RadiusMalformedError);
  });

  it('refuses malformed datagrams: short, bad Length, truncated or zero-length attributes', () => {
    const good = signAccessRequest(1, [{ type: 1, value: Buffer.from('bob') }], secret).datagram;
    assert.throws(() => decodeRadiusPacket(good.subarray(0, 19)), RadiusMalformedError);
    const long = Buffer.from(good);
    long.writeUInt16BE(good.length + 1, 2);
    assert.throws(() => decodeRadiusPacket(long), RadiusMalformedError);
    const badAttribute = Buffer.from(good);
    badAttribute[39] = 0;
    assert.throws(() => decodeRadiusPacket(badAttribute), RadiusMalformedError);
    const overrun = Buffer.from(good);
    overrun[39] = 40;
    assert.throws(() => decodeRadiusPacket(overrun), RadiusMalformedError);
    // Octets beyond Length are padding (RFC 2865 §3) and ignored.
    assert.equal(decodeRadiusPacket(Buffer.concat([good, Buffer.alloc(5)])).raw.length, good.length);
  });

  it('refuses a packet carrying EAP without Message-Authenticator', () => {
    const datagram = Buffer.from(signAccessRequest(1, eapMessageAttributes(eapResponseIdentity('bob')), secret).datagram);
    datagram[20] = 33; // turn the Message-Authenticator into a Proxy-State
    assert.ok(!verifyAccessRequest(decodeRadiusPacket(datagram), secret));
  });

  it('hides MS-MPPE keys as RFC 2548 §2.4.2 describes and recovers them', () => {
    const requestAuthenticator = randomBytes(16);
    const key = randomBytes(32);
    const attribute = encryptMppeKeyAttribute(16, key, secret, requestAuthenticator, new Set());
    const value = attribute.value;
    assert.equal(value.readUInt32BE(0), 311);
    assert.equal(value[4], 16);
    const salt = value.subarray(6, 8);
    assert.ok(salt[0] & 0x80, 'salt high bit set');
    // Independent decryption: b1 = MD5(S + R + A), b2 = MD5(S + c1), p = c xor b.
    const c = value.subarray(8);
    assert.equal(c.length, 48);
    let previous: Buffer = Buffer.concat([requestAuthenticator, salt]);
    const plain = Buffer.alloc(c.length);
    for (let i = 0; i < c.length; i += 16) {
      const b = createHash('md5').update(secret).update(previous).digest();
      for (let j = 0; j < 16; j++) plain[i + j] = c[i + j] ^ b[j];
      previous = c.subarray(i, i + 16);
    }
    assert.equal(plain[0], 32);
    assert.deepEqual(plain.subarray(1, 33), key);
    const clear = decryptMppeKey(value, secret, requestAuthenticator);
    assert.ok(clear);
    assert.deepEqual(parseClearMppeKey(clear!)?.key, key);
    // RFC 2548 salt-encryption has no integrity check: a wrong secret gives garbage (or
    // nothing when the garbage's length octet is impossible), never the key.
    const wrong = decryptMppeKey(value, Buffer.from('other'), requestAuthenticator);
    assert.ok(wrong === undefined || !parseClearMppeKey(wrong)?.key?.equals(key), 'a wrong secret never yields the key');
  });

  it('never hands out an identifier that is still outstanding, and queues the 257th request', async () => {
    const pool = new IdentifierPool(250);
    const held = await Promise.all(Array.from({ length: 256 }, () => pool.acquire()));
    assert.equal(new Set(held).size, 256);
    let granted: number | undefined;
    const waiting = pool.acquire().then((identifier) => { granted = identifier; });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(granted, undefined, 'waits while all 256 are outstanding');
    pool.release(held[17]);
    await waiting;
    assert.equal(granted, held[17]);
    assert.ok(pool.isInUse(held[17]));
  });
});
