import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import { decodeRadiusPacket } from '../../lib/radius/packet';
import { eapMessageAttributes, reassembleEapMessage } from '../../lib/radius/eap-message';
import { RadiusMalformedError } from '../../lib/radius/errors';
import { signAccessRequest } from '../../lib/radius/signing';
import { IdentifierPool } from '../../lib/radius/identifier-pool';

/**
 * Expected values are computed here straight from the RFC formulas with node:crypto, never by
 * replaying the codec's own output. (The server's replies and MPPE keys are its engine's:
 * server.test.ts checks them the same way.)
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
  });

  it('splits an EAP packet into 253-byte EAP-Message attributes and reassembles it (RFC 3579 §3.1)', () => {
    const eap = eapResponseIdentity('x'.repeat(600));
    const attributes = eapMessageAttributes(eap);
    assert.deepEqual(attributes.map((a) => a.value.length), [253, 253, 99]);
    const { datagram } = signAccessRequest(1, attributes, secret);
    const decoded = decodeRadiusPacket(datagram);
    assert.deepEqual(reassembleEapMessage(decoded), eap);
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
