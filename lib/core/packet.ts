/**
 * The EAP packet (RFC 3748 §4): its header fields, the few packets every layer builds (Identity
 * request, Success, Failure), and decoding for --verbose and logs. Never prints secrets: an MD5
 * challenge and response (material for an offline dictionary attack), a GTC response (the
 * password itself) and MSCHAPv2's NT-Response are shown by size only.
 */
import { EapCode, EapType } from './constants';

const CODES: Record<number, string> = { 1: 'Request', 2: 'Response', 3: 'Success', 4: 'Failure' };
const TYPES: Record<number, string> = {
  1: 'Identity', 2: 'Notification', 3: 'Nak', 4: 'MD5-Challenge', 6: 'GTC', 26: 'MSCHAPv2', 254: 'Expanded',
};
const MSCHAPV2_OPS: Record<number, string> = { 1: 'Challenge', 2: 'Response', 3: 'Success', 4: 'Failure', 7: 'Change-Password' };

export interface DecodedEapPacket {
  code: number;
  id: number;
  length: number;
  type?: number;
  typeData?: Buffer;
}

export function decodeEapPacket(packet: Buffer): DecodedEapPacket | undefined {
  if (packet.length < 4) return undefined;
  const length = packet.readUInt16BE(2);
  if (length < 4 || length > packet.length) return undefined;
  const decoded: DecodedEapPacket = { code: packet[0], id: packet[1], length };
  if ((packet[0] === 1 || packet[0] === 2) && length >= 5) {
    decoded.type = packet[4];
    decoded.typeData = packet.subarray(5, length);
  }
  return decoded;
}

export function describeEapPacket(packet: Buffer): string {
  const p = decodeEapPacket(packet);
  if (!p) return `malformed EAP packet (${packet.length} bytes)`;
  let text = `EAP-${CODES[p.code] ?? `code ${p.code}`} id=${p.id} len=${p.length}`;
  if (p.type !== undefined) {
    text += ` type=${TYPES[p.type] ?? p.type}`;
    const data = p.typeData ?? Buffer.alloc(0);
    if (p.type === 1 || p.type === 2) text += ` "${data.toString('utf8')}"`;
    if (p.type === 3) text += ` desired=[${[...data].join(',')}]`;
    if (p.type === 4 && data.length >= 1) {
      const size = data[0];
      const value = data.subarray(1, 1 + size);
      const name = data.subarray(1 + size).toString('utf8');
      // Challenge and response together are what an offline dictionary attack needs: neither is shown.
      text += ` value-size=${size} value=(${value.length} bytes, not shown)${name ? ` name="${name}"` : ''}`;
    }
    if (p.type === 6) {
      // A request carries the prompt; a response carries the password in clear.
      text += p.code === 1 ? ` message="${data.toString('utf8')}"` : ` response=(${data.length} bytes, not shown)`;
    }
    if (p.type === 26) text += describeMsChapV2(p.code, data);
  }
  return text;
}

/** draft-kamath-pppext-eap-mschapv2 §2: OpCode, MS-CHAPv2-ID, MS-Length, then per-OpCode data. */
function describeMsChapV2(code: number, data: Buffer): string {
  if (data.length < 1) return ' (empty)';
  const op = data[0];
  let text = ` op=${MSCHAPV2_OPS[op] ?? op}`;
  if (data.length < 4) return text;
  text += ` ms-id=${data[1]}`;
  const body = data.subarray(4, Math.min(data.length, data.readUInt16BE(2)));
  if ((op === 1 || op === 2) && body.length >= 1) {
    const size = body[0];
    const name = body.subarray(1 + size).toString('utf8');
    // The Challenge is public; the Response holds the NT-Response, shown by size only.
    text += op === 1 ? ` challenge=${body.subarray(1, 1 + size).toString('hex')}` : ` response=(${size} bytes, not shown)`;
    if (name) text += ` name="${name}"`;
  } else if (code === 1 && (op === 3 || op === 4)) {
    // Success "S=<authenticator response> M=<text>", Failure "E=… R=… C=… V=… M=<text>":
    // the failure code and retry flag help, the authenticator response is left out.
    const message = data.subarray(4).toString('utf8');
    const said = /(?:^|\s)M=(.*)$/s.exec(message);
    const head = said ? message.slice(0, said.index) : message;
    const fields = [...head.matchAll(/\b([ERV])=(\S+)/g)].map((m) => `${m[1]}=${m[2]}`);
    text += `${fields.length ? ` ${fields.join(' ')}` : ''}${said ? ` M="${said[1]}"` : ''}`;
  }
  return text;
}

/** The Code octet of an EAP packet; undefined when it is shorter than the header. */
/** --verbose's line for one EAP packet: its code, identifier, length and (past 4 bytes) type. */
export function eapPacketLine(direction: 'in' | 'out', packet: Buffer): string {
  return `eap: ${direction === 'in' ? '<-' : '->'} code ${packet[0]} id ${packet[1]} length ${packet.length}` +
    `${packet.length > 4 ? ` type ${packet[4]}` : ''}`;
}

export function eapCodeOf(packet: Buffer): number | undefined {
  return packet.length >= 4 ? packet[0] : undefined;
}

/** The Type octet of an EAP-Request or -Response; undefined for other codes or a packet without one. */
export function eapTypeOf(packet: Buffer): number | undefined {
  return decodeEapPacket(packet)?.type;
}

/** Whether `packet` is an EAP-Response/Identity. */
export function isIdentityResponse(packet: Buffer): boolean {
  return eapCodeOf(packet) === EapCode.Response && eapTypeOf(packet) === EapType.Identity;
}

/** The identity an EAP-Response/Identity carries (RFC 3748 §5.1), as UTF-8 text. */
export function identityOf(packet: Buffer): string | undefined {
  return isIdentityResponse(packet) ? decodeEapPacket(packet)?.typeData?.toString('utf8') : undefined;
}

/** An EAP-Request/Identity with no prompt. */
export function identityRequest(id: number): Buffer {
  return Buffer.from([EapCode.Request, id, 0, 5, EapType.Identity]);
}

/** An EAP-Success or EAP-Failure (RFC 3748 §4.2): the header alone, `id` the last Response's. */
export function verdictPacket(code: EapCode.Success | EapCode.Failure, id: number): Buffer {
  return Buffer.from([code, id, 0, 4]);
}
