/**
 * Keying material as methods and authenticators hand it over: the MSK travels as the two
 * Microsoft MPPE key Vendor-Specific attributes in clear (Recv-Key = first half, Send-Key =
 * second half, RFC 2548 layout without the RADIUS encryption), the EMSK as eatEMSK. The same
 * shape comes from a peer method's result, the embedded authenticator's result and a RADIUS
 * Access-Accept once the client has decrypted it, so one reader serves all three.
 */
import { timingSafeEqual } from 'crypto';
import { EapAttribute } from './attributes';
import { EapAttributeType } from './constants';
import { MicrosoftAttributeType, parseClearMppeKey } from './mppe-key';

export interface MppeKeys {
  /** MS-MPPE-Recv-Key: the first half of the MSK. */
  recv?: Buffer;
  /** MS-MPPE-Send-Key: the second half of the MSK. */
  send?: Buffer;
}

/** The MPPE key pair in a list of attributes (the first of each kind wins). */
export function mppeKeysOf(attributes: readonly EapAttribute[]): MppeKeys {
  const keys: MppeKeys = {};
  for (const attribute of attributes) {
    if (attribute.type !== EapAttributeType.VendorSpecific) continue;
    const clear = parseClearMppeKey(attribute.value);
    if (!clear || clear.key.length === 0) continue;
    if (clear.vendorType === MicrosoftAttributeType.MppeRecvKey) keys.recv ??= clear.key;
    if (clear.vendorType === MicrosoftAttributeType.MppeSendKey) keys.send ??= clear.key;
  }
  return keys;
}

/** MSK = Recv-Key ‖ Send-Key, a fresh Buffer; undefined unless both halves are there. */
export function mskOf(attributes: readonly EapAttribute[]): Buffer | undefined {
  const { recv, send } = mppeKeysOf(attributes);
  return recv && send ? Buffer.concat([recv, send]) : undefined;
}

/** The EMSK a method released (eatEMSK), copied; undefined when it defines none. */
export function emskOf(attributes: readonly EapAttribute[]): Buffer | undefined {
  const found = attributes.find((attribute) => attribute.type === EapAttributeType.Emsk && attribute.value.length > 0);
  return found ? Buffer.from(found.value) : undefined;
}

/** The Session-Id a method released (eatSessionId), copied; undefined when it defines none. */
export function sessionIdOf(attributes: readonly EapAttribute[]): Buffer | undefined {
  const found = attributes.find((attribute) => attribute.type === EapAttributeType.SessionId && attribute.value.length > 0);
  return found ? Buffer.from(found.value) : undefined;
}

/**
 * Whether a TLS-based method's session was resumed (eatFastRoamedSession, a 4-byte
 * little-endian BOOL); undefined when the method does not say.
 */
export function resumedOf(attributes: readonly EapAttribute[]): boolean | undefined {
  const found = attributes.find((attribute) => attribute.type === EapAttributeType.FastRoamedSession &&
    attribute.value.length === 4);
  return found ? found.value.readUInt32LE(0) !== 0 : undefined;
}

/**
 * True only when the other side's MPPE keys are both there and equal ours half for half:
 * its Recv-Key the first half of our MSK, its Send-Key the second.
 */
export function mppeKeysMatch(msk: Buffer, theirs: MppeKeys): boolean {
  const { recv, send } = theirs;
  if (!recv || !send || recv.length + send.length !== msk.length) return false;
  return timingSafeEqual(recv, msk.subarray(0, recv.length)) && timingSafeEqual(send, msk.subarray(recv.length));
}
