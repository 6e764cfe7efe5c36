/**
 * The final reply's attributes as a NAS would act on them, for `--json`: the VLAN assignment
 * (RFC 3580 §3.31: Tunnel-Type 13 VLAN, Tunnel-Medium-Type 6 IEEE-802, Tunnel-Private-Group-Id),
 * Class, Session-Timeout, Filter-Id, Reply-Message and the rest. The MS-MPPE keys are key
 * material and stay out (`mppeKeysMatch` says whether they are right); so do the attributes that
 * only frame the conversation (EAP-Message, Message-Authenticator, State, Proxy-State).
 */
import { RadiusAttribute } from '../../../radius';
import { decodeAttributes } from '../../../radius/attribute-codec';

export interface DecodedReplyAttribute {
  type: number;
  name: string;
  /** Text, a number, an address, or hex for octets. */
  value: string | number;
  /** RFC 2868 tag of a Tunnel-* attribute (0 when untagged). */
  tag?: number;
  /** Vendor-Specific: the vendor and its attribute type. */
  vendor?: number;
  vendorType?: number;
  /** Why the value does not decode under its type (it is then hex). */
  error?: string;
}

const FRAMING = new Set([24, 33, 79, 80]);
const MICROSOFT = 311;
const MPPE_KEY_TYPES = new Set([16, 17]);

/** Read by native/radius's dictionary; a value that does not decode under its type shows as hex, with why. */
export function decodeReplyAttributes(attributes: readonly RadiusAttribute[]): DecodedReplyAttribute[] {
  const out: DecodedReplyAttribute[] = [];
  for (const { type, name, value, tag, vendor, vendorType, error } of decodeAttributes(attributes)) {
    if (FRAMING.has(type)) continue;
    if (vendor === MICROSOFT && vendorType !== undefined && MPPE_KEY_TYPES.has(vendorType)) continue;
    out.push({ type, name, value, ...(tag !== undefined ? { tag } : {}), ...(vendor !== undefined ? { vendor } : {}),
      ...(vendorType !== undefined ? { vendorType } : {}), ...(error !== undefined ? { error } : {}) });
  }
  return out;
}
