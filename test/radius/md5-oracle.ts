import { createHash } from 'node:crypto';

/**
 * EAP-MD5 (RFC 3748 §5.4) computed with node:crypto, independent of the native method module.
 * It lets the RADIUS codec and client be checked against FreeRADIUS on their own, so that a
 * failure there points at RADIUS and not at the EAP stack.
 */
export function identityResponse(identifier: number, identity: string): Buffer {
  const name = Buffer.from(identity, 'utf8');
  const packet = Buffer.alloc(5 + name.length);
  packet[0] = 2;
  packet[1] = identifier;
  packet.writeUInt16BE(packet.length, 2);
  packet[4] = 1;
  name.copy(packet, 5);
  return packet;
}

/** Answers an EAP-Request/MD5-Challenge: MD5(identifier || password || challenge). */
export function md5ChallengeResponse(request: Buffer, password: string): Buffer {
  if (request[0] !== 1 || request[4] !== 4) {
    throw new Error(`expected EAP-Request/MD5-Challenge, got code ${request[0]} type ${request[4]}`);
  }
  const valueSize = request[5];
  const challenge = request.subarray(6, 6 + valueSize);
  const value = createHash('md5').update(Buffer.from([request[1]])).update(password, 'utf8').update(challenge).digest();
  const packet = Buffer.alloc(6 + value.length);
  packet[0] = 2;
  packet[1] = request[1];
  packet.writeUInt16BE(packet.length, 2);
  packet[4] = 4;
  packet[5] = value.length;
  value.copy(packet, 6);
  return packet;
}
