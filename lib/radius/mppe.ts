import { createHash } from 'node:crypto';
import { publicRandomBytes } from './random-pool';
import { clearMppeKeyValue, MICROSOFT_VENDOR_ID, mppeKeyVendorType, parseClearMppeKey } from '../core/mppe-key';
import { RadiusAttributeType } from './constants';
import { RadiusAttribute } from './packet';

export { clearMppeKeyValue, mppeKeyVendorType, parseClearMppeKey };

/**
 * MS-MPPE-Send-Key / MS-MPPE-Recv-Key (RFC 2548 §2.4.2-3). On the wire the key is hidden with the
 * shared secret, the Request Authenticator and a salt. Towards the EAP layer (TransportAttribute)
 * the same Vendor-Specific layout is used in clear, as EAP methods hand them over (core/mppe-key.ts).
 */

/** The b(i) keystream of RFC 2548 §2.4.2 applied to `input` (XOR is its own inverse). */
function mppeCipher(input: Buffer, secret: Buffer, requestAuthenticator: Buffer, salt: Buffer, decrypt: boolean): Buffer {
  // Every byte is written below. Small buffers come from Node's pool: Buffer.alloc keeps one of
  // up to 64 bytes inside V8's heap, and a view on it (subarray) or a hash update then copies it out.
  const output = Buffer.allocUnsafe(input.length);
  let chain: Buffer = Buffer.concat([requestAuthenticator, salt]);
  for (let offset = 0; offset < input.length; offset += 16) {
    const b = createHash('md5').update(secret).update(chain).digest();
    for (let i = 0; i < 16; i++) {
      output[offset + i] = input[offset + i] ^ b[i];
    }
    chain = (decrypt ? input : output).subarray(offset, offset + 16);
  }
  return output;
}

/**
 * Decrypts an MPPE key Vendor-Specific value from a reply. Returns undefined when it does not
 * decode (wrong length, salt without its high bit, key length beyond the data): such a value
 * is dropped rather than passed on as a key.
 */
export function decryptMppeKey(value: Buffer, secret: Buffer, requestAuthenticator: Buffer): Buffer | undefined {
  const vendorType = mppeKeyVendorType(value);
  if (vendorType === undefined || value.length < 8 + 16) {
    return undefined;
  }
  const salt = value.subarray(6, 8);
  const hidden = value.subarray(8);
  if ((salt[0] & 0x80) === 0 || hidden.length % 16 !== 0) {
    return undefined;
  }
  const plain = mppeCipher(hidden, secret, requestAuthenticator, salt, true);
  const keyLength = plain[0];
  if (keyLength === 0 || keyLength > plain.length - 1) {
    return undefined;
  }
  return clearMppeKeyValue(vendorType, salt, plain.subarray(1, 1 + keyLength));
}

/**
 * Hides a key for an Access-Accept. Each key gets a fresh salt with the high bit set; RFC 2548
 * requires the salts of one packet to differ, which `usedSalts` enforces.
 */
export function encryptMppeKeyAttribute(vendorType: number, key: Buffer, secret: Buffer,
  requestAuthenticator: Buffer, usedSalts: Set<number>): RadiusAttribute {
  let salt: Buffer;
  do {
    salt = publicRandomBytes(2);
    salt[0] |= 0x80;
  } while (usedSalts.has(salt.readUInt16BE(0)));
  usedSalts.add(salt.readUInt16BE(0));
  const plainLength = Math.ceil((1 + key.length) / 16) * 16;
  // Zero padding after the key (RFC 2548 §2.4.2); pooled, as mppeCipher's output is.
  const plain = Buffer.allocUnsafe(plainLength).fill(0);
  plain[0] = key.length;
  key.copy(plain, 1);
  const hidden = mppeCipher(plain, secret, requestAuthenticator, salt, false);
  plain.fill(0);
  const value = Buffer.allocUnsafe(8 + hidden.length);
  value.writeUInt32BE(MICROSOFT_VENDOR_ID, 0);
  value[4] = vendorType;
  value[5] = value.length - 4;
  salt.copy(value, 6);
  hidden.copy(value, 8);
  return { type: RadiusAttributeType.VendorSpecific, value };
}
