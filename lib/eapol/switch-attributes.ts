/**
 * The RADIUS attributes a switch acts on when it authorizes a port: the VLAN (RFC 3580 §3.31:
 * Tunnel-Type VLAN (13), Tunnel-Medium-Type IEEE-802 (6), Tunnel-Private-Group-Id the VLAN),
 * Session-Timeout (re-authentication, RFC 3580 §3.17) and Filter-Id.
 */
import { TransportAttribute } from '../core/transport';
import { decodeAttributes } from '../radius/attribute-codec';

const FILTER_ID = 11;
const SESSION_TIMEOUT = 27;
const TUNNEL_TYPE = 64;
const TUNNEL_MEDIUM_TYPE = 65;
const TUNNEL_PRIVATE_GROUP_ID = 81;

export interface SwitchAttributes {
  /** Tunnel-Private-Group-Id when Tunnel-Type is VLAN and Tunnel-Medium-Type IEEE-802 (or the group id alone). */
  vlan?: string;
  tunnelType?: number;
  tunnelMediumType?: number;
  /** Seconds until the authenticator re-authenticates the supplicant. */
  sessionTimeout?: number;
  filterId?: string;
  /** Every RADIUS attribute of the verdict a switch would act on (1..255; MS-MPPE keys never), its value in hex. */
  replyAttributes?: Array<{ type: number; value: string }>;
}

const VENDOR_SPECIFIC = 26;
/** What the conversation itself carries (User-Name, State, Proxy-State, EAP-Message, Message-Authenticator). */
const CONVERSATION_OWN = new Set([1, 24, 33, 79, 80]);
const MICROSOFT = 311;

/** Read by native/radius's dictionary (RFC 2868 §3.1's tag and 24-bit integer, §3.6's tagged text). */
export function switchAttributesOf(attributes: readonly TransportAttribute[] | undefined): SwitchAttributes {
  const out: SwitchAttributes = {};
  // What RADIUS can carry: EAP's own attributes (past 255) stay out.
  const given = (attributes ?? []).filter(({ type, value }) => type >= 1 && type <= 255 && value.length <= 253);
  const decoded = decodeAttributes(given);
  given.forEach(({ type, value }, i) => {
    const { value: typed, error, vendor } = decoded[i];
    const number = error === undefined && typeof typed === 'number' ? typed : undefined;
    const text = error === undefined && typeof typed === 'string' ? typed : undefined;
    switch (type) {
      case TUNNEL_TYPE: out.tunnelType ??= number; break;
      case TUNNEL_MEDIUM_TYPE: out.tunnelMediumType ??= number; break;
      case TUNNEL_PRIVATE_GROUP_ID: out.vlan ??= text; break;
      case SESSION_TIMEOUT: out.sessionTimeout ??= number; break;
      case FILTER_ID: out.filterId ??= text; break;
      default: break;
    }
    // The method's keys (Microsoft's Vendor-Specific) and the conversation's own attributes stay out.
    if (CONVERSATION_OWN.has(type) || (type === VENDOR_SPECIFIC && vendor === MICROSOFT)) return;
    (out.replyAttributes ??= []).push({ type, value: value.toString('hex') });
  });
  return out;
}
