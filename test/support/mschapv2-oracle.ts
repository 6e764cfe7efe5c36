import { createCipheriv, createHash } from 'node:crypto';

/**
 * MS-CHAPv2 (RFC 2759) and its MPPE keys (RFC 3079) computed with node:crypto, independent of
 * the native method module. node's OpenSSL 3 has no MD4, so the password enters as its NT hash
 * (and the hash of that hash): the RFC 2759 §9.2 example gives both for "clientPass", and the
 * tests that need a free password hand the NT hash to the user store directly. Single DES is
 * run as DES-EDE3 with three equal keys, which is the same cipher.
 */

/** RFC 2759 §9.2 and RFC 3079 §3.5.3, the example every implementation is checked against. */
export const RFC2759 = {
  userName: 'User',
  password: 'clientPass',
  authenticatorChallenge: Buffer.from('5B5D7C7D7B3F2F3E3C2C602132262628', 'hex'),
  peerChallenge: Buffer.from('21402324255E262A28295F2B3A337C7E', 'hex'),
  challenge: Buffer.from('D02E4386BCE91226', 'hex'),
  ntResponse: Buffer.from('82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF', 'hex'),
  passwordHash: Buffer.from('44EBBA8D5312B8D611474411F56989AE', 'hex'),
  passwordHashHash: Buffer.from('41C00C584BD2D91C4017A2A12FA59F3F', 'hex'),
  authenticatorResponse: 'S=407A5589115FD0D6209F510FE9C04566932CDA56',
  masterKey: Buffer.from('FDECE3717A8C838CB388E527AE3CDD31', 'hex'),
  /** RFC 3079's SendStartKey128 is the server's send key (IsSend, IsServer): the peer's receive key. */
  serverSendStartKey128: Buffer.from('8B7CDC149B993A1BA118CB153F56DCCB', 'hex'),
};

function sha1(...parts: Buffer[]): Buffer {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** RFC 2759 §8.2 ChallengeHash: SHA1(PeerChallenge ‖ AuthenticatorChallenge ‖ UserName)[0..8]. */
export function challengeHash(peerChallenge: Buffer, authenticatorChallenge: Buffer, userName: string): Buffer {
  return sha1(peerChallenge, authenticatorChallenge, Buffer.from(userName, 'utf8')).subarray(0, 8);
}

/** 56 key bits spread over 8 bytes, the low (parity) bit of each left at 0: DES ignores it. */
function desKey(seven: Buffer): Buffer {
  const key = Buffer.alloc(8);
  let bits = 0n;
  for (const byte of seven) bits = (bits << 8n) | BigInt(byte);
  for (let i = 0; i < 8; i++) key[i] = Number((bits >> BigInt(49 - 7 * i)) & 0x7fn) << 1;
  return key;
}

function desEncrypt(seven: Buffer, block: Buffer): Buffer {
  const key = desKey(seven);
  const cipher = createCipheriv('des-ede3-ecb', Buffer.concat([key, key, key]), null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]);
}

/** RFC 2759 §8.5 ChallengeResponse: the 8-byte challenge under three DES keys from the hash. */
export function challengeResponse(challenge: Buffer, passwordHash: Buffer): Buffer {
  const z = Buffer.alloc(21);
  passwordHash.copy(z);
  return Buffer.concat([0, 7, 14].map((at) => desEncrypt(z.subarray(at, at + 7), challenge)));
}

/** RFC 2759 §8.1 GenerateNTResponse. */
export function ntResponse(authenticatorChallenge: Buffer, peerChallenge: Buffer, userName: string,
  passwordHash: Buffer): Buffer {
  return challengeResponse(challengeHash(peerChallenge, authenticatorChallenge, userName), passwordHash);
}

const MAGIC_SIGN_1 = Buffer.from('Magic server to client signing constant');
const MAGIC_SIGN_2 = Buffer.from('Pad to make it do more than one iteration');

/** RFC 2759 §8.7 GenerateAuthenticatorResponse: "S=" and 40 upper-case hex digits. */
export function authenticatorResponse(passwordHashHash: Buffer, response: Buffer, peerChallenge: Buffer,
  authenticatorChallenge: Buffer, userName: string): string {
  const digest = sha1(passwordHashHash, response, MAGIC_SIGN_1);
  const signed = sha1(digest, challengeHash(peerChallenge, authenticatorChallenge, userName), MAGIC_SIGN_2);
  return `S=${signed.toString('hex').toUpperCase()}`;
}

const MASTER_MAGIC = Buffer.from('This is the MPPE Master Key');
const CLIENT_SEND_MAGIC = Buffer.from('On the client side, this is the send key; on the server side, it is the receive key.');
const CLIENT_RECV_MAGIC = Buffer.from('On the client side, this is the receive key; on the server side, it is the send key.');
const PAD1 = Buffer.alloc(40, 0x00);
const PAD2 = Buffer.alloc(40, 0xf2);

/** RFC 3079 §3.4 GetMasterKey. */
export function masterKey(passwordHashHash: Buffer, response: Buffer): Buffer {
  return sha1(passwordHashHash, response, MASTER_MAGIC).subarray(0, 16);
}

/** RFC 3079 §3.4 GetAsymmetricStartKey, 16-byte keys, from the peer's (client's) point of view. */
export function peerStartKeys(master: Buffer): { send: Buffer; recv: Buffer } {
  return {
    send: sha1(master, PAD1, CLIENT_SEND_MAGIC, PAD2).subarray(0, 16),
    recv: sha1(master, PAD1, CLIENT_RECV_MAGIC, PAD2).subarray(0, 16),
  };
}

/**
 * The EAP-MSCHAPv2 MSK as hostapd and FreeRADIUS derive it: the peer's send key ‖ its receive
 * key, i.e. what the server sends as MS-MPPE-Recv-Key ‖ MS-MPPE-Send-Key.
 */
export function eapMsChapV2Msk(passwordHashHash: Buffer, response: Buffer): Buffer {
  const { send, recv } = peerStartKeys(masterKey(passwordHashHash, response));
  return Buffer.concat([send, recv]);
}

/** EAP-MSCHAPv2 packet layout (draft-kamath-pppext-eap-mschapv2 §2). */
export const MsChapV2Op = { Challenge: 1, Response: 2, Success: 3, Failure: 4 } as const;

export function msChapV2Packet(code: number, id: number, op: number, msId: number, body: Buffer): Buffer {
  const packet = Buffer.alloc(9 + body.length);
  packet[0] = code;
  packet[1] = id;
  packet.writeUInt16BE(packet.length, 2);
  packet[4] = 26;
  packet[5] = op;
  packet[6] = msId;
  packet.writeUInt16BE(4 + body.length, 7);
  body.copy(packet, 9);
  return packet;
}

/** Reads a Challenge (from a request) or a Response (from a response): value and name. */
export function parseMsChapV2ValuePacket(packet: Buffer): { op: number; msId: number; value: Buffer; name: string } {
  if (packet.length < 10 || packet[4] !== 26) throw new Error(`not an EAP-MSCHAPv2 packet: ${packet.toString('hex')}`);
  const size = packet[9];
  const end = packet.readUInt16BE(2);
  return {
    op: packet[5], msId: packet[6], value: packet.subarray(10, 10 + size),
    name: packet.subarray(10 + size, end).toString('utf8'),
  };
}
