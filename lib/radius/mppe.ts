import { createHash } from 'node:crypto';
import { clearMppeKeyValue, mppeKeyVendorType, parseClearMppeKey } from '../core/mppe-key';

export { clearMppeKeyValue, mppeKeyVendorType, parseClearMppeKey };

/**
 * MS-MPPE-Send-Key / MS-MPPE-Recv-Key (RFC 2548 §2.4.2-3). On the wire the key is hidden with the
 * shared secret, the Request Authenticator and a salt. Towards the EAP layer (TransportAttribute)
 * the same Vendor-Specific layout is used in clear, as EAP methods hand them over (core/mppe-key.ts).
 */

/** The b(i) keystream of RFC 2548 §2.4.2 taken off `input`: p(i) = c(i) xor b(i). */
function mppeDecipher(input: Buffer, secret: Buffer, requestAuthenticator: Buffer, salt: Buffer): Buffer {
  // Every byte is written below. Small buffers come from Node's pool: Buffer.alloc keeps one of
  // up to 64 bytes inside V8's heap, and a view on it (subarray) or a hash update then copies it out.
  const output = Buffer.allocUnsafe(input.length);
  let chain: Buffer = Buffer.concat([requestAuthenticator, salt]);
  for (let offset = 0; offset < input.length; offset += 16) {
    const b = createHash('md5').update(secret).update(chain).digest();
    for (let i = 0; i < 16; i++) {
      output[offset + i] = input[offset + i] ^ b[i];
    }
    chain = input.subarray(offset, offset + 16);
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
  const plain = mppeDecipher(hidden, secret, requestAuthenticator, salt);
  const keyLength = plain[0];
  if (keyLength === 0 || keyLength > plain.length - 1) {
    return undefined;
  }
  return clearMppeKeyValue(vendorType, salt, plain.subarray(1, 1 + keyLength));
}
