/**
 * The RADIUS attributes a switch acts on when it authorizes a port: the VLAN (RFC 3580 §3.31:
 * Tunnel-Type VLAN (13), Tunnel-Medium-Type IEEE-802 (6), Tunnel-Private-Group-Id the VLAN),
 * Session-Timeout (re-authentication, RFC 3580 §3.17) and Filter-Id.
 */
import { TransportAttribute } from '../core/transport';

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
const MICROSOFT = Buffer.from([0, 0, 0x01, 0x37]);

/** RFC 2868 §3.1/§3.2: a one-byte tag, then a 24-bit value. */
function taggedInteger(value: Buffer): number | undefined {
  return value.length === 4 ? value.readUIntBE(1, 3) : undefined;
}

/** RFC 2868 §3.6: a first byte of 0x01..0x1F is a tag, not text. */
function taggedText(value: Buffer): string {
  return (value.length > 0 && value[0] <= 0x1f ? value.subarray(1) : value).toString('utf8');
}

export function switchAttributesOf(attributes: readonly TransportAttribute[] | undefined): SwitchAttributes {
  const out: SwitchAttributes = {};
  for (const { type, value } of attributes ?? []) {
    switch (type) {
      case TUNNEL_TYPE: out.tunnelType ??= taggedInteger(value); break;
      case TUNNEL_MEDIUM_TYPE: out.tunnelMediumType ??= taggedInteger(value); break;
      case TUNNEL_PRIVATE_GROUP_ID: out.vlan ??= taggedText(value); break;
      case SESSION_TIMEOUT: if (value.length === 4) out.sessionTimeout ??= value.readUInt32BE(0); break;
      case FILTER_ID: out.filterId ??= value.toString('utf8'); break;
      default: break;
    }
    // The method's keys (Microsoft's Vendor-Specific) and EAP's own attributes (past 255) stay out.
    if (type < 1 || type > 255 || CONVERSATION_OWN.has(type) || (type === VENDOR_SPECIFIC && value.subarray(0, 4).equals(MICROSOFT))) continue;
    (out.replyAttributes ??= []).push({ type, value: value.toString('hex') });
  }
  return out;
}
