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
import { MicrosoftAttributeType, mppeKeyVendorType, parseClearMppeKey } from './mppe-key';

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

/** The first attribute of `type` whose value is at least `least` bytes long (exactly `exact`
 *  when given). A loop, not find() with a closure: every authentication's result asks three times. */
function firstOfType(attributes: readonly EapAttribute[], type: number, least: number, exact?: number): EapAttribute | undefined {
  for (let i = 0; i < attributes.length; i++) {
    const attribute = attributes[i];
    const length = attribute.value.length;
    if (attribute.type === type && length >= least && (exact === undefined || length === exact)) return attribute;
  }
  return undefined;
}

/** The EMSK a method released (eatEMSK), copied; undefined when it defines none. */
export function emskOf(attributes: readonly EapAttribute[]): Buffer | undefined {
  const found = firstOfType(attributes, EapAttributeType.Emsk, 1);
  return found ? Buffer.from(found.value) : undefined;
}

/** The Session-Id a method released (eatSessionId), copied; undefined when it defines none. */
export function sessionIdOf(attributes: readonly EapAttribute[]): Buffer | undefined {
  const found = firstOfType(attributes, EapAttributeType.SessionId, 1);
  return found ? Buffer.from(found.value) : undefined;
}

/**
 * Whether a TLS-based method's session was resumed (eatFastRoamedSession, a 4-byte
 * little-endian BOOL); undefined when the method does not say.
 */
export function resumedOf(attributes: readonly EapAttribute[]): boolean | undefined {
  const found = firstOfType(attributes, EapAttributeType.FastRoamedSession, 4, 4);
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

/** Where a clear MPPE key value keeps its key: after Vendor-Id, Vendor-Type, Vendor-Length, Salt
 *  and Key-Length (mppe-key.ts), whose last byte is the key's length. */
const KEY_LENGTH_AT = 8;
const KEY_AT = 9;

/** The value of the attribute mppeKeysOf takes its `vendorType` key from: the first that holds a
 *  clear MPPE key of that type, not empty. */
function mppeKeyValue(attributes: readonly EapAttribute[], vendorType: number): Buffer | undefined {
  for (let i = 0; i < attributes.length; i++) {
    const { type, value } = attributes[i];
    if (type !== EapAttributeType.VendorSpecific || mppeKeyVendorType(value) !== vendorType) continue;
    if (value.length < KEY_AT || value[KEY_LENGTH_AT] > value.length - KEY_AT || value[KEY_LENGTH_AT] === 0) continue;
    return value;
  }
  return undefined;
}

/**
 * mppeKeysMatch(mskOf(ours), mppeKeysOf(theirs)), read where the attributes keep the keys: no
 * Buffer is made for the MSK or a key (every in-process authentication's result asks this, and
 * most keep no MSK). Undefined when `ours` holds no MSK. Compares every byte whatever the
 * contents, as timingSafeEqual does.
 */
export function mskMatchesMppeKeys(ours: readonly EapAttribute[], theirs: readonly EapAttribute[]): boolean | undefined {
  const ourRecv = mppeKeyValue(ours, MicrosoftAttributeType.MppeRecvKey);
  const ourSend = mppeKeyValue(ours, MicrosoftAttributeType.MppeSendKey);
  if (!ourRecv || !ourSend) return undefined;
  const theirRecv = mppeKeyValue(theirs, MicrosoftAttributeType.MppeRecvKey);
  const theirSend = mppeKeyValue(theirs, MicrosoftAttributeType.MppeSendKey);
  if (!theirRecv || !theirSend) return false;
  // The MSK is our Recv-Key ‖ Send-Key; theirs splits it where their Recv-Key ends.
  const ourSplit = ourRecv[KEY_LENGTH_AT];
  const theirSplit = theirRecv[KEY_LENGTH_AT];
  const length = ourSplit + ourSend[KEY_LENGTH_AT];
  if (theirSplit + theirSend[KEY_LENGTH_AT] !== length) return false;
  let difference = 0;
  for (let i = 0; i < length; i++) {
    const ourByte = i < ourSplit ? ourRecv[KEY_AT + i] : ourSend[KEY_AT + i - ourSplit];
    const theirByte = i < theirSplit ? theirRecv[KEY_AT + i] : theirSend[KEY_AT + i - theirSplit];
    difference |= ourByte ^ theirByte;
  }
  return difference === 0;
}
