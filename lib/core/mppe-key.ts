/**
 * The MSK halves as EAP methods hand them over and the facade reads them: the Microsoft MPPE key
 * Vendor-Specific layout of RFC 2548 §2.4.2-3, in clear (the salt is kept, the key is not hidden).
 *   Vendor-Id(4) Vendor-Type(1) Vendor-Length(1) Salt(2) Key-Length(1) Key
 * RADIUS hides the key on the wire (the native RADIUS stack); every other layer sees this shape.
 */

/** Vendor-Id of Microsoft in Vendor-Specific attributes (RFC 2548). */
export const MICROSOFT_VENDOR_ID = 311;

/** Microsoft vendor attribute types carrying the MPPE keys derived by the EAP method (RFC 2548 §2.4). */
export const MicrosoftAttributeType = {
  MppeSendKey: 16,
  MppeRecvKey: 17,
} as const;

function isMppeKeyType(vendorType: number): boolean {
  return vendorType === MicrosoftAttributeType.MppeSendKey || vendorType === MicrosoftAttributeType.MppeRecvKey;
}

/** Returns the vendor type when `value` is a Microsoft MPPE key Vendor-Specific value. */
export function mppeKeyVendorType(value: Buffer): number | undefined {
  if (value.length < 6 || value.readUInt32BE(0) !== MICROSOFT_VENDOR_ID) {
    return undefined;
  }
  const vendorType = value[4];
  return isMppeKeyType(vendorType) && value[5] === value.length - 4 ? vendorType : undefined;
}

/** Splits a clear MPPE key value into its vendor type and key, or undefined if it is not one. */
export function parseClearMppeKey(value: Buffer): { vendorType: number; key: Buffer } | undefined {
  const vendorType = mppeKeyVendorType(value);
  if (vendorType === undefined || value.length < 9 || value[8] > value.length - 9) {
    return undefined;
  }
  return { vendorType, key: value.subarray(9, 9 + value[8]) };
}
