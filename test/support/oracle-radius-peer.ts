/**
 * A peer and NAS computed with node:crypto, independent of the native methods and of the server:
 * EAP-MD5 (md5-oracle.ts) or EAP-MSCHAPv2 (mschapv2-oracle.ts, RFC 2759) in Access-Requests the
 * RADIUS client signs, sent over UDP to a server on loopback. What it reports is the server's
 * verdict, every reply checked with the client's verifyResponse, and for MSCHAPv2 the MS-MPPE keys
 * of the Access-Accept unhidden here by RFC 2548 §2.4.2's formula, beside the MSK RFC 3079 derives
 * from the NT-Response it sent.
 */
import { strict as assert } from 'node:assert';
import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { decodeRadiusPacket, eapMessageAttributes, reassembleEapMessage, signAccessRequest, verifyResponse } from './radius-oracle';
import { identityResponse, md5ChallengeResponse } from '../radius/md5-oracle';
import { MsChapV2Op, eapMsChapV2Msk, msChapV2Packet, ntResponse, parseMsChapV2ValuePacket } from './mschapv2-oracle';

export interface OracleVerdict {
  /** The last reply's code: 2 Access-Accept, 3 Access-Reject. */
  code: number;
  /** MSCHAPv2 on Access-Accept: MS-MPPE-Recv-Key ‖ MS-MPPE-Send-Key as unhidden here. */
  mppeKeys?: Buffer;
  /** MSCHAPv2: the MSK RFC 3079 gives for the NT-Response sent and `passwordHashHash`. */
  expectedMsk?: Buffer;
  /** The keys' attribute values as the Access-Accept carried them, and its request's authenticator. */
  hidden?: { recv: Buffer; send: Buffer; requestAuthenticator: Buffer };
}

/** RFC 2548 §2.4.2: b(1) = MD5(S + R + A), b(i) = MD5(S + c(i-1)), p(i) = c(i) xor b(i). */
function unhide(value: Buffer, secret: Buffer, requestAuthenticator: Buffer): Buffer {
  const salt = value.subarray(6, 8);
  const hidden = value.subarray(8);
  assert.ok((salt[0] & 0x80) !== 0 && hidden.length % 16 === 0, 'an MPPE key as RFC 2548 hides it');
  const plain = Buffer.alloc(hidden.length);
  let previous: Buffer = Buffer.concat([requestAuthenticator, salt]);
  for (let i = 0; i < hidden.length; i += 16) {
    const b = createHash('md5').update(secret).update(previous).digest();
    for (let j = 0; j < 16; j++) plain[i + j] = hidden[i + j] ^ b[j];
    previous = hidden.subarray(i, i + 16);
  }
  return plain.subarray(1, 1 + plain[0]);
}

/**
 * One authentication: `password` for MD5; for MSCHAPv2 the NT hash of the password and the hash
 * of that hash (node has no MD4: RFC2759's example gives both).
 */
export async function oracleAuthentication(port: number, secret: Buffer, identity: string,
  method: { md5: string } | { mschapv2: { passwordHash: Buffer; passwordHashHash: Buffer } }): Promise<OracleVerdict> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  let identifier = 0;
  let state: Buffer | undefined;
  const exchange = async (eap: Buffer) => {
    const request = signAccessRequest(identifier++ & 0xff, [{ type: 1, value: Buffer.from(identity) },
      ...(state ? [{ type: 24, value: state }] : []), ...eapMessageAttributes(eap)], secret);
    const reply = new Promise<Buffer>((resolve) => socket.once('message', resolve));
    socket.send(request.datagram, port, '127.0.0.1');
    const decoded = decodeRadiusPacket(await reply);
    assert.ok(verifyResponse(decoded, request.requestAuthenticator, secret), 'a reply signed with the shared secret');
    state = decoded.attributes.find((a) => a.type === 24)?.value;
    return { decoded, eap: reassembleEapMessage(decoded)!, requestAuthenticator: request.requestAuthenticator };
  };
  const wanted = 'md5' in method ? 4 : 26;
  try {
    let step = await exchange(identityResponse(0, identity));
    // A method other than ours proposed first: a legacy Nak (RFC 3748 §5.3.1) asks for ours.
    if (step.decoded.code === 11 && step.eap[4] !== wanted) step = await exchange(Buffer.from([2, step.eap[1], 0, 6, 3, wanted]));
    if ('md5' in method) {
      if (step.decoded.code === 11) step = await exchange(md5ChallengeResponse(step.eap, method.md5));
      return { code: step.decoded.code };
    }
    const { value: challenge, msId } = parseMsChapV2ValuePacket(step.eap);
    const peerChallenge = randomBytes(16);
    const response = ntResponse(challenge, peerChallenge, identity, method.mschapv2.passwordHash);
    const body = Buffer.concat([Buffer.from([49]), peerChallenge, Buffer.alloc(8), response, Buffer.from([0]), Buffer.from(identity)]);
    step = await exchange(msChapV2Packet(2, step.eap[1], MsChapV2Op.Response, msId, body));
    // Success or Failure request: acknowledged with the same op code alone.
    if (step.decoded.code === 11) step = await exchange(Buffer.from([2, step.eap[1], 0, 6, 26, step.eap[5]]));
    const verdict: OracleVerdict = { code: step.decoded.code, expectedMsk: eapMsChapV2Msk(method.mschapv2.passwordHashHash, response) };
    const key = (vendorType: number) => step.decoded.attributes.find((a) => a.type === 26 && a.value.readUInt32BE(0) === 311 &&
      a.value[4] === vendorType)?.value;
    const [recv, send] = [key(17), key(16)];
    if (recv && send) {
      verdict.hidden = { recv, send, requestAuthenticator: step.requestAuthenticator };
      verdict.mppeKeys = Buffer.concat([unhide(recv, secret, step.requestAuthenticator), unhide(send, secret, step.requestAuthenticator)]);
    }
    return verdict;
  } finally {
    socket.close();
  }
}
