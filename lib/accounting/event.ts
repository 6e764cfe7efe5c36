/**
 * One Accounting-Request as the store keeps it (RFC 2866 §5): the session it names at its NAS,
 * who and where, the counters with their Gigawords (RFC 2869 §5.1, §5.2), the times, and the Class
 * and VLAN the Access-Accept gave (a NAS sends Class back, RFC 2865 §5.25). Read from the
 * attributes native/radius decoded; nothing here reads RADIUS bytes.
 */
import { createHash } from 'node:crypto';
import type { RadiusAttribute } from '../radius';
import { decodeAttributes } from '../radius/attribute-codec';

/** Acct-Status-Type (RFC 2866 §5.1, RFC 3580's On and Off). */
export const STATUS = { start: 1, stop: 2, interim: 3, on: 7, off: 8 } as const;

export interface AccountingEvent {
  /** Names this request among its retransmissions: equal for every try of one request. */
  key: string;
  /** The NAS: the request's source address. */
  nas: string;
  statusType: number;
  sessionId: string | null;
  userName: string | null;
  callingStationId: string | null;
  calledStationId: string | null;
  nasIdentifier: string | null;
  nasIpAddress: string | null;
  nasPort: number | null;
  framedIpAddress: string | null;
  /** Octets with their Gigawords: exact below 2^53. */
  inputOctets: number | null;
  outputOctets: number | null;
  inputPackets: number | null;
  outputPackets: number | null;
  sessionTime: number | null;
  terminateCause: number | null;
  /** Class, hex (it is octets). */
  className: string | null;
  /** Tunnel-Private-Group-Id, the VLAN. */
  vlan: string | null;
  /** When the NAS says it happened, ms since 1970: Event-Timestamp, else now less Acct-Delay-Time. */
  eventTime: number;
  receivedAt: number;
  /**
   * Its realm is routed to a home server: kept in the spool too (spool.ts) for `home` (the URL of the
   * home its realm's pool picked), its attributes in order. `kept`: the store took it (a retry of a
   * request recorded before is not spooled again).
   */
  spool?: { realm: string; home: string; attributes: readonly RadiusAttribute[]; kept?: boolean };
}

const ACCT_DELAY_TIME = 41;

/** The request's fields the store keeps; `now` is when it came. */
export function accountingEvent(request: { client: string; attributes: RadiusAttribute[] }, now = Date.now()): AccountingEvent {
  const first = new Map<number, string | number>();
  for (const attribute of decodeAttributes(request.attributes)) {
    if (attribute.vendor === undefined && attribute.error === undefined && !first.has(attribute.type)) {
      first.set(attribute.type, attribute.value);
    }
  }
  const text = (type: number): string | null => (first.has(type) ? String(first.get(type)) : null);
  const integer = (type: number): number | null => (typeof first.get(type) === 'number' ? first.get(type) as number : null);
  const wide = (low: number, high: number): number | null => {
    const octets = integer(low);
    return octets === null ? null : octets + (integer(high) ?? 0) * 2 ** 32;
  };
  const stamp = integer(55);
  // Every try of one request carries the same attributes but its Acct-Delay-Time (RFC 2866 §5.2).
  const digest = createHash('sha256').update(request.client).update('\0');
  for (const { type, value } of request.attributes) {
    if (type === ACCT_DELAY_TIME) continue;
    digest.update(Buffer.from([type, value.length])).update(value);
  }
  return {
    key: digest.digest('hex'),
    nas: request.client,
    statusType: integer(40) ?? 0,
    sessionId: text(44),
    userName: text(1),
    callingStationId: text(31),
    calledStationId: text(30),
    nasIdentifier: text(32),
    nasIpAddress: text(4) ?? text(95),
    nasPort: integer(5),
    framedIpAddress: text(8),
    inputOctets: wide(42, 52),
    outputOctets: wide(43, 53),
    inputPackets: integer(47),
    outputPackets: integer(48),
    sessionTime: integer(46),
    terminateCause: integer(49),
    className: text(25),
    vlan: text(81),
    eventTime: stamp !== null ? stamp * 1000 : now - (integer(ACCT_DELAY_TIME) ?? 0) * 1000,
    receivedAt: now,
  };
}
