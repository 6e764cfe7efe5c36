import { createHash } from 'node:crypto';
import { AUTHENTICATOR_LENGTH } from './constants';

/**
 * User-Password hiding (RFC 2865 §5.2): the password, padded with zeros to a multiple of 16
 * octets, XORed block by block with MD5(secret + previous block), the first "previous block"
 * being the Request Authenticator. At most 128 octets of password (the RFC's limit).
 */
export const USER_PASSWORD_MAX = 128;

export function hideUserPassword(password: Buffer, secret: Buffer, requestAuthenticator: Buffer): Buffer {
  if (requestAuthenticator.length !== AUTHENTICATOR_LENGTH) throw new RangeError('a RADIUS authenticator is 16 bytes');
  if (password.length > USER_PASSWORD_MAX) {
    throw new RangeError(`a RADIUS User-Password holds at most ${USER_PASSWORD_MAX} octets, not ${password.length}`);
  }
  const blocks = Math.max(1, Math.ceil(password.length / 16));
  const out = Buffer.alloc(blocks * 16);
  password.copy(out);
  let previous = requestAuthenticator;
  for (let block = 0; block < blocks; block++) {
    const pad = createHash('md5').update(secret).update(previous).digest();
    for (let i = 0; i < 16; i++) out[block * 16 + i] ^= pad[i];
    pad.fill(0);
    previous = out.subarray(block * 16, block * 16 + 16);
  }
  return out;
}
